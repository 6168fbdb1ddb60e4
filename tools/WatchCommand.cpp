// sextant watch: sample metrics at an interval and print one line per sample, as PCP's
// pmval does: a header describing each metric, then a column per instance. Counters
// are shown as rates per second; a counter of time (CPU milliseconds) as a utilisation.
// As pmval does, a counter's first sample is taken silently so that every printed line
// has a rate. Over an archive (-a) the samples come from recorded time without waiting,
// at the recorded interval unless -t says otherwise, and stop at the window's end.
#include <time.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <optional>
#include <ostream>
#include <thread>

#include "core/Rate.h"
#include "tools/Commands.h"
#include "tools/Interval.h"
#include "tools/Replay.h"
#include "tools/archive/ArchiveContext.h"

namespace sextant::cli {
namespace {

volatile std::sig_atomic_t gInterrupted = 0;
extern "C" void onInterrupt(int) { gInterrupted = 1; }

struct Watched {
  std::string name;
  Pmid pmid;
  Descriptor desc;
  DisplayUnits display;
};

struct Column {
  std::size_t metric = 0;
  std::int32_t inst = kNullInstance;
  std::string header;
  std::optional<double> previous;  // last raw counter value
};

std::string_view semanticsText(Semantics s) {
  switch (s) {
    case Semantics::Counter: return "cumulative counter (converting to rate)";
    case Semantics::Instant: return "instantaneous value";
    case Semantics::Discrete: return "discrete instantaneous value";
  }
  return "unknown semantics";
}

std::string unitsText(const Watched& w) {
  if (w.desc.semantics != Semantics::Counter) return w.desc.units.toString();
  if (w.display.timeUtilisation) return w.desc.units.toString() + " (converting to time utilization)";
  return w.desc.units.toString() + " (converting to " + w.display.units.toString() + ")";
}

std::string clockTime(Timestamp t) {
  using namespace std::chrono;
  std::time_t secs = system_clock::to_time_t(t);
  auto millis = duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buf;
}

// Rates and real numbers with four decimals; integers of an integer type exactly.
std::string number(double v, bool exact) {
  char buf[64];
  if (exact)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (v != 0 && (v >= 1e9 || v <= -1e9))
    std::snprintf(buf, sizeof buf, "%.4e", v);
  else
    std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

const Value* findValue(const ValueSet& set, std::int32_t inst) {
  if (!set.ok()) return nullptr;
  for (const auto& v : set.values)
    if (v.inst == inst) return &v.value;
  return nullptr;
}

// The text of one cell, updating the column's counter state.
std::string cell(Column& col, const Watched& w, const ValueSet& set, double seconds) {
  const Value* v = findValue(set, col.inst);
  if (!v) {
    col.previous.reset();
    return "?";
  }
  auto x = toDouble(*v);
  if (!x) return std::get<std::string>(*v);
  if (w.desc.semantics != Semantics::Counter) {
    bool integral = w.desc.type != ValueType::Float && w.desc.type != ValueType::Double;
    return number(*x, integral);
  }
  std::optional<double> rate;
  if (col.previous) rate = counterRate(*col.previous, *x, seconds);
  col.previous = *x;
  return rate ? number(*rate * w.display.scale, false) : "?";
}

std::vector<Column> columnsFor(const std::vector<Watched>& watched, const FetchResult& first, InstanceNames& names) {
  std::vector<Column> cols;
  for (std::size_t m = 0; m < watched.size(); ++m) {
    const Watched& w = watched[m];
    const ValueSet& set = first.sets[m];
    if (w.desc.indom.isNull() || !set.ok() || set.values.empty()) {
      cols.push_back(Column{m, w.desc.indom.isNull() ? kNullInstance : -2, w.name, std::nullopt});
      continue;
    }
    for (const auto& v : set.values) {
      const std::string* n = names.name(w.desc.indom, v.inst);
      std::string inst = n ? *n : std::to_string(v.inst);
      cols.push_back(Column{m, v.inst, watched.size() == 1 ? inst : w.name + "[" + inst + "]", std::nullopt});
    }
  }
  return cols;
}

// Sleeps until `deadline`, waking early when interrupted; false if interrupted. One
// sleep per sample: a signal handler cuts clock_nanosleep short (EINTR; signal(7) says
// it is never restarted), so no polling of the flag is needed. Each wake-up costs a
// virtual machine about 60 µs, which polling every 50 ms multiplied twentyfold. Slices
// of at most a second bound the wait should the signal come just before the call.
bool sleepUntil(std::chrono::steady_clock::time_point deadline) {
  using namespace std::chrono;
  while (!gInterrupted) {
    const auto now = steady_clock::now();
    if (now >= deadline) return true;
    // steady_clock is CLOCK_MONOTONIC in libstdc++ and libc++.
    const auto wake = duration_cast<nanoseconds>(std::min(deadline, now + seconds(1)).time_since_epoch()).count();
    timespec at{};
    at.tv_sec = static_cast<time_t>(wake / 1'000'000'000);
    at.tv_nsec = static_cast<long>(wake % 1'000'000'000);
    ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr);
  }
  return false;
}

int runWatch(Context& context, const ParsedOptions& opts, std::ostream& out, std::ostream& err) {
  Replay replay;
  if (int status = setUpTime(context, opts, err, replay); status != kExitOk) return status;
  std::chrono::microseconds interval(1'000'000);
  if (replay.archive) interval = std::chrono::duration_cast<std::chrono::microseconds>(replay.archive->recordedInterval());
  if (auto t = opts.value("interval")) {
    auto parsed = parseInterval(*t);
    if (!parsed) {
      err << "sextant: " << parsed.failure().detail << '\n';
      return kExitUsage;
    }
    interval = *parsed;
  }
  if (replay.archive) replay.archive->setInterval(interval);
  std::optional<long> samples;
  if (auto s = opts.value("samples")) {
    auto parsed = parseCount(*s);
    if (!parsed) {
      err << "sextant: " << parsed.failure().detail << '\n';
      return kExitUsage;
    }
    samples = *parsed;
  }
  if (opts.positional.empty()) {
    err << "sextant: watch needs at least one metric name (see sextant help watch)\n";
    return kExitUsage;
  }

  std::vector<Watched> watched;
  auto pmids = context.lookup(opts.positional);
  for (std::size_t i = 0; i < pmids.size(); ++i) {
    const std::string& name = opts.positional[i];
    if (!pmids[i]) {
      if (pmids[i].error() == Error::NonLeaf)
        err << "sextant: " << name << ": not a single metric (see sextant info " << name << ")\n";
      else
        err << "sextant: " << name << ": " << errorMessage(pmids[i].error()) << '\n';
      return kExitUsage;
    }
    auto desc = context.descriptor(*pmids[i]);
    if (!desc) {
      err << "sextant: " << name << ": " << desc.failure().message() << '\n';
      return kExitFailure;
    }
    watched.push_back(Watched{name, *pmids[i], *desc, displayUnits(*desc)});
  }

  std::vector<Pmid> ask;
  bool anyCounter = false;
  for (const auto& w : watched) {
    ask.push_back(w.pmid);
    anyCounter = anyCounter || w.desc.semantics == Semantics::Counter;
  }

  for (const auto& w : watched) {
    out << "\nmetric:    " << w.name;
    if (replay.archive) out << "\narchive:   " << opts.value("archive").value_or("");
    out << "\nhost:      " << context.hostName();
    if (replay.archive)
      out << "\nstart:     " << localTimeText(replay.window.start) << "\nend:       " << localTimeText(replay.window.end);
    out << "\nsemantics: " << semanticsText(w.desc.semantics) << "\nunits:     " << unitsText(w) << '\n';
  }
  char intervalText[64];
  std::snprintf(intervalText, sizeof intervalText, "%.2f sec", std::chrono::duration<double>(interval).count());
  if (samples) out << "samples:   " << *samples << '\n';
  out << "interval:  " << intervalText << "\n\n";

  gInterrupted = 0;
  auto previousHandler = std::signal(SIGINT, onInterrupt);
  auto restore = [&] { std::signal(SIGINT, previousHandler); };

  auto first = context.fetch(ask);
  if (!first) {
    restore();
    err << "sextant: fetch failed: " << first.failure().message() << '\n';
    return kExitFailure;
  }
  InstanceNames names(context);
  std::vector<Column> cols;
  if (replay.archive) {
    // An archive answers instance names for its current position, which the fetch
    // has moved on: ask at the sample's own time.
    const Timestamp next = replay.archive->position();
    replay.archive->setPosition(first->timestamp);
    cols = columnsFor(watched, *first, names);
    replay.archive->setPosition(next);
  } else {
    cols = columnsFor(watched, *first, names);
  }
  std::vector<std::size_t> widths;
  out << "time        ";
  for (const auto& c : cols) {
    widths.push_back(std::max<std::size_t>(c.header.size(), 12));
    out << "  " << std::string(widths.back() - c.header.size(), ' ') << c.header;
  }
  out << std::endl;

  // The cells of one sample; computing them advances each counter column's state.
  auto cellsOf = [&](const FetchResult& r, double seconds) {
    std::vector<std::string> cells;
    for (auto& c : cols) cells.push_back(cell(c, watched[c.metric], r.sets[c.metric], seconds));
    return cells;
  };
  auto printLine = [&](const FetchResult& r, const std::vector<std::string>& cells) {
    out << clockTime(r.timestamp);
    for (std::size_t k = 0; k < cells.size(); ++k)
      out << "  " << std::string(widths[k] > cells[k].size() ? widths[k] - cells[k].size() : 0, ' ') << cells[k];
    out << std::endl;
  };

  auto start = std::chrono::steady_clock::now();
  FetchResult last = std::move(*first);
  long printed = 0;
  if (anyCounter) cellsOf(last, 0.0);  // the silent first sample: counters need a previous value
  int status = kExitOk;
  for (long tick = anyCounter ? 1 : 0; !samples || printed < *samples; ++tick) {
    // Recorded time needs no waiting; it ends at the window's end (-T) or the last sample.
    if (context.replays() && gInterrupted) break;
    if (tick > 0 && !context.replays() && !sleepUntil(start + tick * interval)) break;
    if (tick > 0 && replay.archive && replay.archive->position() > replay.window.end) break;
    FetchResult now;
    if (tick == 0) {
      now = last;
    } else {
      auto r = context.fetch(ask);
      if (!r && r.error() == Error::EndOfLog && context.replays()) break;  // the end of the recording
      if (!r) {
        err << "sextant: fetch failed: " << r.failure().message() << '\n';
        status = kExitFailure;
        break;
      }
      now = std::move(*r);
    }
    double seconds = std::chrono::duration<double>(now.timestamp - last.timestamp).count();
    printLine(now, cellsOf(now, seconds));
    if (!out) {
      status = kExitFailure;  // the reader went away
      break;
    }
    last = std::move(now);
    ++printed;
  }
  restore();
  return status;
}

}  // namespace

const Command& watchCommand() {
  static const Command command{
      "watch",
      "watch [-t INTERVAL] [-s SAMPLES] [-S START] [-T END] [-O ORIGIN] [-Z TZ | -z] NAME...",
      "sample metrics at an interval, counters as rates, as pmval does",
      "Prints a header for each NAME (its host, semantics and units, and how it is\n"
      "converted), then a line per sample: the local time (HH:MM:SS.mmm) and a column per\n"
      "instance (for one NAME the columns are headed by instance names, for several by\n"
      "NAME[INSTANCE]). Counters are shown as rates per second, counters of time as a\n"
      "utilisation (1.0 is one CPU busy all the time); the first sample of a counter is\n"
      "taken silently so that every line has a rate. A value missing in a sample is '?'.\n"
      "Without -s, runs until interrupted (Ctrl-C ends it with status 0).\n"
      "Over an archive (-a ARCHIVE) the lines come at once, one per INTERVAL of recorded\n"
      "time (default: the archive's own interval; values between samples are interpolated\n"
      "as PCP does), with the archive's times, from START (or ORIGIN) to END or the end of\n"
      "the recording.\n",
      withTimeOptions(
          {
              {'t', "interval", true, "INTERVAL",
               "time between samples: seconds (1, 0.5) or with a unit (500ms, 2s, 1min, 1h); default 1, or the "
               "archive's interval"},
              {'s', "samples", true, "SAMPLES", "stop after SAMPLES lines (a whole number, at least 1)"},
          },
          true),
      runWatch,
  };
  return command;
}

}  // namespace sextant::cli
