#pragma once
// The time options of the commands that read values: the reporting time zone (-Z, -z)
// for any context, and over an archive the time window (-S, -T, -O) as PCP's tools
// take them (PCPIntro(1), "TIME WINDOW SPECIFICATION").
#include <iosfwd>
#include <vector>

#include "core/Context.h"
#include "tools/Options.h"
#include "tools/TimeWindow.h"

namespace sextant::archive {
class ArchiveContext;
}

namespace sextant::cli {

// -S START, -O ORIGIN, -Z TZ and -z; with `finish` also -T END (watch, dump: info uses
// -T for its help text, as pminfo does).
std::vector<OptionSpec> timeOptions(bool finish, bool origin = true);
// A command's own options followed by timeOptions(finish, origin).
std::vector<OptionSpec> withTimeOptions(std::vector<OptionSpec> own, bool finish, bool origin = true);

struct Replay {
  archive::ArchiveContext* archive = nullptr;  // the archive replayed; null for a live context
  TimeWindow window;                           // over an archive: the window asked for
};

// Sets the reporting zone from -Z or -z (the archive's zone, or a live host's
// pmcd.timezone when it has one) and, over an archive, resolves -S/-T/-O and moves the
// archive to the window's origin. Returns kExitOk, or the exit status after writing
// one line on `err`: kExitUsage for a bad time or a window option on a live context,
// kExitFailure for a window that misses the archive.
int setUpTime(Context& context, const ParsedOptions& opts, std::ostream& err, Replay& replay);

}  // namespace sextant::cli
