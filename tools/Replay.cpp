#include "tools/Replay.h"

#include <time.h>

#include <cstdlib>
#include <ostream>
#include <string>

#include "tools/Commands.h"
#include "tools/archive/ArchiveContext.h"

namespace sextant::cli {
namespace {

// PCP's tools switch zones by setting TZ for the C library (pmNewZone(3)); so do we:
// localtime_r and mktime then read and print times in that zone.
void useZone(const std::string& zone) {
  ::setenv("TZ", zone.c_str(), 1);
  ::tzset();
}

// The zone a live host reports (pmcd.timezone, POSIX TZ text), if it reports one.
std::optional<std::string> hostZone(Context& context) {
  const std::string name = "pmcd.timezone";
  auto pmid = context.lookup(std::span<const std::string>(&name, 1));
  if (pmid.empty() || !pmid[0]) return std::nullopt;
  auto r = context.fetch(std::span<const Pmid>(&*pmid[0], 1));
  if (!r || r->sets.empty() || !r->sets[0].ok() || r->sets[0].values.empty()) return std::nullopt;
  const auto* zone = std::get_if<std::string>(&r->sets[0].values[0].value);
  if (!zone || zone->empty()) return std::nullopt;
  return *zone;
}

}  // namespace

std::vector<OptionSpec> timeOptions(bool finish, bool origin) {
  std::vector<OptionSpec> specs = {
      {'S', "start", true, "START", "archives: start the time window at START (+30s, -5min, 2024-03-01 10:00)"},
  };
  if (finish) specs.push_back({'T', "finish", true, "END", "archives: end the time window at END (+1h after START)"});
  if (origin) specs.push_back({'O', "origin", true, "ORIGIN", "archives: begin at ORIGIN, in the window (as START)"});
  specs.push_back({'Z', "timezone", true, "TZ", "read and show times in zone TZ (UTC, Europe/Paris, EST5EDT)"});
  specs.push_back({'z', "hostzone", false, "", "read and show times in the archive's or the host's zone"});
  return specs;
}

std::vector<OptionSpec> withTimeOptions(std::vector<OptionSpec> own, bool finish, bool origin) {
  auto time = timeOptions(finish, origin);
  own.insert(own.end(), time.begin(), time.end());
  return own;
}

int setUpTime(Context& context, const ParsedOptions& opts, std::ostream& err, Replay& replay) {
  // An archive is the one context that replays; only it has a window to set.
  replay.archive = context.replays() ? dynamic_cast<archive::ArchiveContext*>(&context) : nullptr;
  const auto zone = opts.value("timezone");
  if (zone && opts.has("hostzone")) {
    err << "sextant: -Z and -z cannot be used together (see sextant --help)\n";
    return kExitUsage;
  }
  if (zone) {
    if (zone->empty()) {
      err << "sextant: -Z needs a time zone name, e.g. UTC or Europe/Paris\n";
      return kExitUsage;
    }
    useZone(*zone);
  } else if (opts.has("hostzone")) {
    if (replay.archive && !replay.archive->timezone().empty())
      useZone(replay.archive->timezone());
    else if (!replay.archive)
      if (auto host = hostZone(context)) useZone(*host);
  }

  struct Given {
    const char* flag;
    const char* key;
    std::optional<TimeSpec>* into;
  };
  WindowSpecs specs;
  const Given given[] = {
      {"-S", "start", &specs.start}, {"-T", "finish", &specs.finish}, {"-O", "origin", &specs.origin}};
  for (const auto& g : given) {
    auto text = opts.value(g.key);
    if (!text) continue;
    if (!replay.archive) {
      err << "sextant: " << g.flag << " " << *text << ": a time window needs an archive (-a ARCHIVE)\n";
      return kExitUsage;
    }
    auto spec = parseTimeSpec(*text);
    if (!spec) {
      err << "sextant: " << g.flag << ": " << spec.failure().detail << '\n';
      return kExitUsage;
    }
    *g.into = *spec;
  }
  if (!replay.archive) return kExitOk;
  auto window = resolveWindow(specs, replay.archive->start(), replay.archive->end());
  if (!window) {
    err << "sextant: " << window.failure().detail << '\n';
    return kExitFailure;
  }
  replay.window = *window;
  replay.archive->setPosition(window->origin);
  return kExitOk;
}

}  // namespace sextant::cli
