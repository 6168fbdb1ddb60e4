// sextant record: samples metrics at an interval into an archive (docs/archive-format.md),
// in the foreground, as PCP's pmlogger does for one configuration. The metrics come
// from the command line and from a file of names (-c), one per line.
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <thread>

#include "tools/Commands.h"
#include "tools/Interval.h"
#include "tools/archive/Recorder.h"

namespace sextant::cli {
namespace {

std::atomic<bool> gStop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
extern "C" void onStopSignal(int) { gStop.store(true); }

// SIGINT and SIGTERM end the recording after the sample in progress, while this lives.
class StopSignals {
 public:
  StopSignals() {
    gStop.store(false);
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sa.sa_flags = SA_RESTART;  // a fetch in progress goes on; the loop sees the flag after it
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &oldInt_);
    sigaction(SIGTERM, &sa, &oldTerm_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &oldInt_, nullptr);
    sigaction(SIGTERM, &oldTerm_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction oldInt_ {};
  struct sigaction oldTerm_ {};
};

struct UsageError {
  std::string message;
};

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// A metric name or subtree as PCP spells them: dot-separated parts of letters, digits
// and underscores.
bool validName(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos)
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  return true;
}

// The names of a -c file, one per line; '#' starts a comment. `origins` learns where
// each came from ("FILE:LINE") for later messages.
Expected<std::vector<std::string>> readNameFile(const std::string& path, std::map<std::string, std::string>& origins) {
  std::ifstream in(path);
  if (!in) return Failure{Error::Generic, path + ": cannot be read: " + std::strerror(errno)};
  std::vector<std::string> names;
  std::string raw;
  for (int lineNo = 1; std::getline(in, raw); ++lineNo) {
    std::string_view line = raw;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(lineNo);
    if (line.find_first_of(" \t") != std::string_view::npos)
      return Failure{Error::Generic, where + ": '" + std::string(line) + "': one metric name per line"};
    if (!validName(line)) return Failure{Error::Generic, where + ": '" + std::string(line) + "' is not a metric name"};
    origins.emplace(std::string(line), where);
    names.emplace_back(line);
  }
  return names;
}

// -T takes what -t takes, and also days and spans over a day ("36h", "7d"): a
// recording may run for a week. The unit's length comes from parseInterval.
Expected<std::chrono::milliseconds> parseDuration(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Failure{Error::Generic, "bad duration '" + std::string(text) + "': " + why};
  };
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number, std::chars_format::fixed);
  if (ec != std::errc() || end == text.data()) return bad("expected a time, e.g. 30s, 10min, 2h, 7d");
  std::string unit(end, text.data() + text.size());
  if (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  double unitSeconds = 86400;
  if (unit != "d" && unit != "day" && unit != "days") {
    auto one = parseInterval("1" + unit);
    if (!one) return bad("unknown unit '" + unit + "' (use ms, s, min, h or d)");
    unitSeconds = std::chrono::duration<double>(*one).count();
  }
  const double seconds = number * unitSeconds;
  if (!std::isfinite(seconds) || !(seconds > 0)) return bad("must be greater than zero");
  if (seconds > 3660.0 * 86400) return bad("longer than ten years");
  if (seconds < 1e-3) return bad("shorter than a millisecond");
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

// "1s", "0.2s", "1.5s", "60s": how the start line and help show an interval.
std::string intervalText(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10gs", static_cast<double>(ms.count()) / 1000);
  return buf;
}

// The plan from the options and names; a bad one is a usage error with its message.
Expected<archive::RecordPlan> planOf(const ParsedOptions& opts, std::map<std::string, std::string>& origins) {
  auto usage = [](std::string m) { return Failure{Error::Generic, std::move(m)}; };
  archive::RecordPlan plan;
  auto interval = opts.value("interval");
  if (!interval) return usage("record needs -t INTERVAL (time between samples, e.g. 1s)");
  auto t = parseInterval(*interval);
  if (!t) return t.failure();
  plan.interval = std::chrono::round<std::chrono::milliseconds>(*t);
  if (plan.interval.count() < 1)
    return usage("bad interval '" + *interval + "': shorter than a millisecond (archives keep milliseconds)");
  if (auto d = opts.value("duration")) {
    auto parsed = parseDuration(*d);
    if (!parsed) return parsed.failure();
    plan.duration = *parsed;
  }
  if (auto s = opts.value("samples")) {
    auto parsed = parseCount(*s);
    if (!parsed) return parsed.failure();
    plan.samples = static_cast<std::size_t>(*parsed);
  }
  if (auto file = opts.value("config")) {
    auto names = readNameFile(*file, origins);
    if (!names) return names.failure();
    plan.names = std::move(*names);
  }
  for (const auto& name : opts.positional) {
    if (!validName(name)) return usage("'" + name + "' is not a metric name");
    plan.names.push_back(name);
  }
  if (plan.names.empty()) return usage("record needs metric names: NAME... or -c CONFIG (see sextant help record)");
  return plan;
}

// Removes what a failed start left: the archive and SQLite's side files.
void removeArchive(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

// On a terminal, the running count of samples, rewritten in place every quarter second.
class Progress {
 public:
  Progress(std::ostream& out, const archive::Recorder& recorder) : out_(out), recorder_(recorder) {
    if (::isatty(STDOUT_FILENO) == 1) thread_ = std::thread([this] { loop(); });
  }
  ~Progress() {
    done_.store(true);
    if (thread_.joinable()) {
      thread_.join();
      out_ << '\n';
    }
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  void loop() {
    std::size_t shown = static_cast<std::size_t>(-1);
    auto show = [&](std::size_t n) { out_ << '\r' << n << (n == 1 ? " sample" : " samples") << std::flush; };
    while (!done_.load()) {
      if (std::size_t n = recorder_.samplesWritten(); n != shown) show(shown = n);
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    show(recorder_.samplesWritten());
  }
  std::ostream& out_;
  const archive::Recorder& recorder_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

int runRecord(Context& context, const ParsedOptions& opts, std::ostream& out, std::ostream& err) {
  if (context.replays()) {
    err << "sextant: record samples a live host (-h) or this machine (-L), not an archive\n";
    return kExitUsage;
  }
  auto output = opts.value("output");
  if (!output || output->empty()) {
    err << "sextant: record needs -o FILE (the archive to write)\n";
    return kExitUsage;
  }
  std::map<std::string, std::string> origins;  // name -> "FILE:LINE" for names from -c
  auto plan = planOf(opts, origins);
  if (!plan) {
    err << "sextant: " << plan.failure().detail << '\n';
    return kExitUsage;
  }
  auto prefixOf = [&](const std::string& name) {
    auto it = origins.find(name);
    return it == origins.end() ? std::string() : it->second + ": ";
  };
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(*output, ec))) {
    err << "sextant: " << *output << ": already exists; record never overwrites an archive\n";
    return kExitUsage;
  }
  // Every name is checked before the archive is created, so a typo leaves no file behind.
  for (const auto& name : plan->names) {
    if (auto found = context.traverse(name); !found) {
      err << "sextant: " << prefixOf(name) << name << ": " << errorMessage(found.error()) << '\n';
      return found.error() == Error::Name ? kExitUsage : kExitFailure;
    }
  }
  auto writer = archive::ArchiveWriter::create(*output, archive::describeSource(context, plan->interval));
  if (!writer) {
    err << "sextant: " << writer.failure().detail << '\n';
    return kExitFailure;
  }
  auto recorder = archive::Recorder::start(context, **writer, *plan);
  if (!recorder) {
    writer->reset();
    removeArchive(*output);
    const Failure& f = recorder.failure();
    err << "sextant: " << prefixOf(f.detail) << (f.code == Error::Generic ? f.detail : f.message()) << '\n';
    return f.code == Error::Name ? kExitUsage : kExitFailure;
  }
  const std::size_t count = (*recorder)->metricCount();
  out << "recording " << count << (count == 1 ? " metric every " : " metrics every ") << intervalText(plan->interval)
      << " to " << *output << std::endl;

  std::size_t failures = 0;
  {
    StopSignals signals;
    Progress progress(out, **recorder);
    (*recorder)->run(gStop, [&](const std::string& message) {
      err << "sextant: " << message << std::endl;
      ++failures;
    });
  }
  const std::size_t written = (*recorder)->samplesWritten();
  out << "recorded " << written << (written == 1 ? " sample" : " samples") << " to " << *output << '\n';
  return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace

const Command& recordCommand() {
  static const Command command{
      "record",
      "record [-c CONFIG] -t INTERVAL [-T DURATION] [-s SAMPLES] -o FILE [NAME...]",
      "record metrics at an interval into an archive, as pmlogger does",
      "Samples every metric named (a NAME may be a subtree: 'kernel.all' records each metric\n"
      "below it) every INTERVAL and writes the values into FILE, a new archive that replay\n"
      "reads with -a. Descriptors, help text, labels and instances are stored once; instances\n"
      "that come and go are recorded as they do. Each sample is on disk when it is taken, so\n"
      "an interrupted or killed recording keeps everything up to the last sample.\n"
      "Prints a line when recording starts and, on a terminal, a running count of samples.\n"
      "Runs until SAMPLES samples or DURATION, or until interrupted: Ctrl-C (SIGINT) or SIGTERM\n"
      "finish the sample in progress and end the recording with status 0. A sample that\n"
      "cannot be written (a full disk) is reported on stderr in one line and recording goes\n"
      "on; the status is then 1. FILE must not exist yet (status 2 if it does).\n",
      {
          {'c', "config", true, "CONFIG",
           "read metric names from CONFIG, one name or subtree per line; '#' starts a comment"},
          {'t', "interval", true, "INTERVAL",
           "time between samples (required): seconds (1, 0.5) or with a unit (500ms, 2s, 1min, 1h)"},
          {'T', "duration", true, "DURATION", "stop after this long: a time as for -t, or in days (7d)"},
          {'s', "samples", true, "SAMPLES", "stop after SAMPLES samples (a whole number, at least 1)"},
          {'o', "output", true, "FILE", "the archive to create (required; never overwritten)"},
      },
      runRecord,
  };
  return command;
}

}  // namespace sextant::cli
