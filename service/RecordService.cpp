#include "service/RecordService.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <chrono>
#include <thread>

#include "core/CollectorContext.h"
#include "tools/archive/Recorder.h"

namespace sextant::service {
namespace {

using Clock = std::chrono::steady_clock;

std::string describe(const Failure& f) { return f.code == Error::Generic ? f.detail : f.message(); }

std::string intervalText(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10gs", static_cast<double>(ms.count()) / 1000);
  return buf;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Days since 1970-01-01 of "YYYYMMDD", or nothing if the text is not a calendar date.
std::optional<long> dayNumber(std::string_view s) {
  if (s.size() != 8 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto digits = [&](std::size_t at, std::size_t n) { return std::stoi(std::string(s.substr(at, n))); };
  const std::chrono::year_month_day ymd{std::chrono::year(digits(0, 4)),
                                        std::chrono::month(static_cast<unsigned>(digits(4, 2))),
                                        std::chrono::day(static_cast<unsigned>(digits(6, 2)))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

// The day in an archive file's name: "20261122.sextant" or "20261122.2.sextant" (the
// name taken when that day's file could not be appended to), or their SQLite "-wal",
// "-shm" and "-journal" files.
std::optional<std::string> dayOfArchive(std::string_view name) {
  for (std::string_view side : {"-wal", "-shm", "-journal"})
    if (name.size() > side.size() && name.substr(name.size() - side.size()) == side) name.remove_suffix(side.size());
  constexpr std::string_view kExt = ".sextant";
  if (name.size() < 8 + kExt.size() || name.substr(name.size() - kExt.size()) != kExt) return std::nullopt;
  name.remove_suffix(kExt.size());
  std::string_view serial = name.substr(8);
  if (!serial.empty() && (serial.size() < 2 || serial[0] != '.' ||
                          !std::all_of(serial.begin() + 1, serial.end(), [](char c) { return c >= '0' && c <= '9'; })))
    return std::nullopt;
  return std::string(name.substr(0, 8));
}

}  // namespace

std::string archiveDay(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  char buf[16] = {};
  if (!localtime_r(&secs, &local) || std::strftime(buf, sizeof buf, "%Y%m%d", &local) == 0) return "19700101";
  return buf;
}

std::vector<std::string> expiredArchives(const std::string& dir, const std::string& today, unsigned keepDays) {
  std::vector<std::string> out;
  const auto now = dayNumber(today);
  std::error_code ec;
  if (!now) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const auto day = dayOfArchive(name);
    const auto number = day ? dayNumber(*day) : std::nullopt;
    if (number && *now - *number > static_cast<long>(keepDays) && entry.is_regular_file(ec)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class RecordService::Worker {
 public:
  Worker(Collector& collector, std::mutex& lock, Log& log, const std::string& host, RecordSettings settings)
      : settings_(std::move(settings)),
        label_(settings_.name.empty() ? "record" : "record " + settings_.name),
        dir_(archiveDirectory(settings_, host)),
        context_(collector, &lock, host),
        log_(log) {
    thread_ = std::thread([this] { loop(); });
  }
  ~Worker() { stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void stop() {
    {
      std::lock_guard hold(stateLock_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  // Samples on a steady schedule, start + n * interval; a sample that overran skips
  // the ticks it missed rather than firing them in a burst (as Recorder::run does).
  void loop() {
    const auto interval = settings_.interval;
    const auto start = Clock::now();
    for (std::int64_t n = 0;;) {
      {
        std::unique_lock hold(stateLock_);
        if (wake_.wait_until(hold, start + n * interval, [this] { return stopping_; })) break;
      }
      tick();
      const auto elapsed = Clock::now() - start;
      n = std::max<std::int64_t>(n + 1, (elapsed + interval - Clock::duration(1)) / interval);
    }
    recorder_.reset();
    writer_.reset();
  }

  void tick() {
    const std::string today = archiveDay(std::chrono::system_clock::now());
    if (!recorder_ || today != day_) {
      if (auto opened = open(today); !opened) return report(describe(opened.failure()), false);
    }
    if (auto r = recorder_->sampleOnce(); !r) return report(r.failure().detail, true);
    if (failing_)
      log_.line(label_ + ": writing to " + writer_->path() + " works again" +
                (lost_ ? " after " + std::to_string(lost_) + " samples not written" : std::string()));
    failing_ = false;
    lost_ = 0;
    lastProblem_.clear();
  }

  // A failed sample (a write, or a problem before writing: no directory, no metrics) is
  // logged when its reason changes, then once a minute while it lasts: a full disk at a
  // 100 ms interval must not write ten log lines a second.
  void report(const std::string& text, bool write) {
    const auto now = std::chrono::steady_clock::now();
    if (write) ++lost_;
    if (text != lastProblem_ || now - lastLogged_ >= std::chrono::minutes(1)) {
      std::string line = label_ + ": " + text + "; retrying at the next sample";
      if (text == lastProblem_ && lost_ > 1) line += " (" + std::to_string(lost_) + " samples not written so far)";
      log_.line(line);
      lastLogged_ = now;
    }
    lastProblem_ = text;
    failing_ = true;
  }

  // Opens the archive of `day`: appends to the file of that day if there is one (a
  // restart), else creates it. A file that cannot be appended to (not an archive,
  // damaged) is left as it is and the next name of the day, <day>.<N>.sextant, is used.
  Expected<bool> open(const std::string& day) {
    recorder_.reset();
    writer_.reset();
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return Failure{Error::Generic, "cannot create directory " + dir_ + ": " + ec.message()};
    // Names the collector does not know (an MMV file not there yet) are left out until
    // the next day's file, and said once.
    std::vector<std::string> known, unknown;
    for (const auto& name : settings_.metrics) (context_.traverse(name).ok() ? known : unknown).push_back(name);
    if (known.empty()) return Failure{Error::Generic, joined(unknown) + ": Unknown metric name"};
    if (!unknown.empty() && unknown != lastUnknown_)
      log_.line(label_ + ": " + joined(unknown) + ": Unknown metric name; recording the others");
    lastUnknown_ = unknown;
    archive::RecordPlan plan;
    plan.names = std::move(known);
    plan.interval = settings_.interval;
    std::string skipped;
    for (int n = 0; n < 100; ++n) {
      const std::string path = dir_ + "/" + day + (n == 0 ? "" : "." + std::to_string(n)) + ".sextant";
      const bool exists = std::filesystem::exists(path, ec);
      auto writer = exists ? archive::ArchiveWriter::append(path)
                           : archive::ArchiveWriter::create(path, archive::describeSource(context_, plan.interval));
      if (!writer && exists) {
        skipped += "; not appending to " + describe(writer.failure());
        continue;
      }
      if (!writer) return writer.failure();
      auto recorder = archive::Recorder::start(context_, **writer, plan);
      if (!recorder) return Failure{Error::Generic, path + ": " + describe(recorder.failure())};
      writer_ = std::move(*writer);
      recorder_ = std::move(*recorder);
      day_ = day;
      const std::size_t count = recorder_->metricCount();
      log_.line(label_ + ": " + (exists ? "appending " : "recording ") + std::to_string(count) +
                (count == 1 ? " metric every " : " metrics every ") + intervalText(plan.interval) + " to " + path +
                skipped);
      removeExpired(day);
      return true;
    }
    return Failure{Error::Generic, "no archive name of " + day + " in " + dir_ + " can be used" + skipped};
  }

  void removeExpired(const std::string& today) {
    if (settings_.keepDays == 0) return;
    for (const auto& name : expiredArchives(dir_, today, settings_.keepDays)) {
      std::error_code ec;
      const std::string path = dir_ + "/" + name;
      if (!std::filesystem::remove(path, ec) && ec)
        log_.line(label_ + ": cannot remove " + path + ": " + ec.message());
      else if (name.size() > 8 && name.substr(name.size() - 8) == ".sextant")
        log_.line(label_ + ": removed " + path + " (older than " + std::to_string(settings_.keepDays) + " days)");
    }
  }

  RecordSettings settings_;
  std::string label_;  // "record NAME", how log lines start
  std::string dir_;
  CollectorContext context_;
  Log& log_;
  std::mutex stateLock_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::string day_;  // of the open archive
  std::unique_ptr<archive::ArchiveWriter> writer_;
  std::unique_ptr<archive::Recorder> recorder_;  // uses *writer_: reset first
  std::vector<std::string> lastUnknown_;
  std::string lastProblem_;
  std::chrono::steady_clock::time_point lastLogged_;  // of the last failure line
  std::size_t lost_ = 0;                              // samples not written since the last success
  bool failing_ = false;
  std::thread thread_;  // last: it starts when everything above is ready
};

RecordService::RecordService(Collector& collector, std::mutex& lock, Log& log, std::string hostName)
    : collector_(collector), lock_(lock), log_(log), hostName_(std::move(hostName)) {}

RecordService::~RecordService() { stop(); }

void RecordService::start(const std::vector<RecordSettings>& records) {
  for (const auto& r : records) workers_.push_back(std::make_unique<Worker>(collector_, lock_, log_, hostName_, r));
}

void RecordService::stop() {
  for (auto& w : workers_) w->stop();
  workers_.clear();
}

}  // namespace sextant::service
