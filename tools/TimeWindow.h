#pragma once
// The times a person gives to -S (start), -T (finish) and -O (origin) over an archive,
// read as PCP's tools read them (PCPIntro(1), "TIME WINDOW SPECIFICATION"), and the
// time window they make (PCP's pmParseTimeWindow(3) rules).
//
// Calendar times are local times in the process's zone (TZ): the tools set TZ for -Z
// and -z before parsing, as PCP's tools switch their reporting zone.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/Expected.h"
#include "core/Value.h"

namespace sextant::cli {

// One time as given.
struct TimeSpec {
  enum class Kind {
    After,     // "[+]INTERVAL": that long after an origin
    Before,    // "-INTERVAL": that long before an end
    Calendar,  // "[@] DATETIME": a date and time, leading fields possibly missing
  };
  Kind kind = Kind::After;
  std::chrono::nanoseconds offset{0};  // After, Before
  // Calendar fields, -1 where not given. month is 0-11, as struct tm's.
  int year = -1, month = -1, day = -1, hour = -1, minute = -1, second = -1;
  std::chrono::nanoseconds fraction{0};  // below the second
};

// Parses one time:
//   "30", "+30s", "1h30m", "2 hours"  an interval (PCP's pmParseInterval(3) units: ms,
//                                     msec, millisecond, s, sec, second, m, min, minute,
//                                     h, hr, hour, d, day; a trailing 's' is a plural)
//   "-5min"                           an interval back from the end
//   "2024-03-01 10:00[:SS[.frac]]", "2024-03-01T10:00:00", "2024-03-01"
//   "10:00", "10:00:30.5", "10:00pm"  a time of day
//   "@ Mon Mar  4 13:07:47 2024", "@ Mar 4", "@ Mar 4 1996", "@ 13:08"  ctime(3) order:
//                                     [weekday] [month [day]] [time [am|pm]] [year]
// A leading '@' is allowed before any date and time. A failure's detail is one line
// "bad time 'TEXT': WHY".
Expected<TimeSpec> parseTimeSpec(std::string_view text);

// An interval in PCP's pmParseInterval(3) syntax: one or more NUMBER[UNIT] parts, their
// sum (bare numbers are seconds). Unlike PCP, "ms" is milliseconds (PCP reads it as
// minutes, its trailing 's' taken for a plural).
Expected<std::chrono::nanoseconds> parseOffset(std::string_view text);

// Where `spec` falls: After counts on from `origin`, Before back from `end`. A Calendar
// time takes its missing leading fields from `origin` (in local time); when the
// highest given field is below the origin's, the next field up moves on by one, so
// that "@10:00" with an origin of 13:07 on 4 March means 10:00 on 5 March, and
// "@13:10" means 13:10 on 4 March (PCP's __pmConvertTime rule). Missing trailing
// fields are the lowest: day 1, January, 0 hours, minutes and seconds.
Timestamp resolveTime(const TimeSpec& spec, Timestamp origin, Timestamp end);

struct TimeWindow {
  Timestamp start;   // the first time asked for
  Timestamp end;     // the last
  Timestamp origin;  // where replay begins, start <= origin <= end
};

struct WindowSpecs {
  std::optional<TimeSpec> start, finish, origin;
};

// The window over an archive whose samples run from `first` to `last`, as PCP's
// pmParseTimeWindow(3) makes it: -S counts from `first` (and back from `last`), -T
// from the window's start (and back from `last`), -O from the window's start (and back
// from its end); a start before `first` becomes `first`, an end after `last` becomes
// `last`. A window that misses the archive, ends before it starts, or an origin outside
// it, is a failure whose detail is one line giving the times.
Expected<TimeWindow> resolveWindow(const WindowSpecs& specs, Timestamp first, Timestamp last);

// "2024-03-01 10:00:00.250": local time, milliseconds.
std::string localTimeText(Timestamp t);
// "2024-03-01T10:00:00.250+01:00": ISO 8601, local time with its offset from UTC.
std::string isoTimeText(Timestamp t);

}  // namespace sextant::cli
