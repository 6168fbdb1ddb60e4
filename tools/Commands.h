#pragma once
// The sextant subcommands: each declares its options and help, and runs over a Context.
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/Context.h"
#include "tools/Options.h"

namespace sextant::cli {

// Exit statuses, the same for every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the request could not be carried out
inline constexpr int kExitUsage = 2;    // bad flag, bad value, unknown metric name

struct Command {
  std::string_view name;
  std::string_view synopsis;     // "info [-dfmtTl] [NAME...]"
  std::string_view summary;      // one line, for the command list
  std::string_view description;  // a paragraph for "sextant help CMD"
  std::vector<OptionSpec> options;
  int (*run)(Context& context, const ParsedOptions& options, std::ostream& out, std::ostream& err);
  // Set for a command that opens what it reads itself (dump takes an archive file):
  // it is run instead of `run`, and no context is opened for it.
  int (*runAlone)(const ParsedOptions& options, std::ostream& out, std::ostream& err) = nullptr;
};

const Command& infoCommand();
const Command& fetchCommand();
const Command& watchCommand();
const Command& recordCommand();
const Command& dumpCommand();

// Every leaf name below each of `args` (the whole name space when `args` is empty), in
// order. An unknown name is reported on `err` as "<prefix>NAME: Unknown metric name"
// and sets `unknown`.
std::vector<std::string> expandNames(Context& context, const std::vector<std::string>& args, std::ostream& err,
                                     std::string_view prefix, bool& unknown);

// The name of instance `inst` of `indom`, cached per indom; empty if it has none.
class InstanceNames {
 public:
  explicit InstanceNames(Context& context) : context_(context) {}
  const std::vector<Instance>& of(InDom indom);
  const std::string* name(InDom indom, std::int32_t inst);

 private:
  Context& context_;
  InDom cached_;
  std::vector<Instance> list_;
};

}  // namespace sextant::cli
