// sextant: the command-line client. Dispatches to a subcommand over a Context.
// Context options (-L, -h HOST, -a ARCHIVE) are accepted before or after the command.
#include <iostream>
#include <string>
#include <vector>

#include <cstdlib>
#include <memory>

#include "tools/Commands.h"
#ifdef SEXTANT_HAVE_HOST_CONTEXT
#include "tools/HostContext.h"
#endif
#include "tools/HostIdentity.h"
#include "tools/HostSpec.h"
#include "tools/LocalContext.h"
#include "tools/archive/ArchiveContext.h"

#ifndef SEXTANT_VERSION
#define SEXTANT_VERSION "unknown"
#endif

namespace sextant::cli {
namespace {

const std::vector<const Command*>& commands() {
  static const std::vector<const Command*> all = {&infoCommand(), &fetchCommand(), &watchCommand(),
                                                     &recordCommand(), &dumpCommand()};
  return all;
}

const Command* findCommand(std::string_view name) {
  for (const Command* c : commands())
    if (c->name == name) return c;
  return nullptr;
}

// Options every command takes: where the metrics come from, and help.
const std::vector<OptionSpec>& contextOptions() {
  static const std::vector<OptionSpec> specs = {
      {'L', "local", false, "", "read metrics in this process, without a daemon (the default)"},
      {'h', "host", true, "HOST[:PORT]", "read metrics from sextantd or pmcd on HOST (port 44321 or $PMCD_PORT)"},
      {'a', "archive", true, "ARCHIVE", "read metrics recorded in ARCHIVE (sextant record, sextantd), replaying them"},
      {0, "help", false, "", "show this help and exit"},
  };
  return specs;
}

std::vector<OptionSpec> optionsOf(const Command& c) {
  std::vector<OptionSpec> all = c.options;
  all.insert(all.end(), contextOptions().begin(), contextOptions().end());
  return all;
}

void printGeneralHelp(std::ostream& out) {
  out << "Usage: sextant [-L | -h HOST[:PORT] | -a ARCHIVE] COMMAND [OPTIONS] [NAME...]\n"
         "       sextant help COMMAND | --help | --version\n\n"
         "Shows performance metrics with PCP's names, units and semantics, live or replayed\n"
         "from an archive (-a ARCHIVE; -S, -T and -O choose a time window, as in PCP).\n\n"
         "Commands:\n";
  for (const Command* c : commands()) {
    std::string name(c->name);
    out << "  " << name << std::string(8 - name.size(), ' ') << c->summary << '\n';
  }
  out << "\nOptions, before or after the command:\n" << optionsHelp(contextOptions());
  out << "      --version          show the version and exit\n"
         "\nExit status: 0 success; 1 the metrics could not be read (including a host that\n"
         "cannot be reached); 2 a bad option or value, or an unknown metric name.\n";
}

void printCommandHelp(std::ostream& out, const Command& c) {
  out << "Usage: sextant " << c.synopsis << "\n\n" << c.description << "\nOptions:\n" << optionsHelp(optionsOf(c));
}

int usageError(const std::string& message) {
  std::cerr << "sextant: " << message << " (see sextant --help)\n";
  return kExitUsage;
}

std::optional<std::string_view> environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::optional<std::string_view>(value) : std::nullopt;
}

// An archive's context when `archive` is given, a live host's when `host` is, else
// this machine's agents in-process. A failure's detail is the whole message for the user.
Expected<std::unique_ptr<Context>> openContext(const std::optional<HostSpec>& host,
                                               const std::optional<std::string>& archive) {
  if (archive) {
    auto context = archive::ArchiveContext::open(*archive);
    if (!context) return context.failure();
    return std::unique_ptr<Context>(std::move(*context));
  }
  if (host) {
#ifndef SEXTANT_HAVE_HOST_CONTEXT
    return Failure{Error::NoAgent, "this sextant was built without host contexts (SEXTANT_HOST_CONTEXT=OFF, no Poco)"};
#else
    // PCP's clients take their timeouts from the environment; so do we.
    PduConnection::Timeouts timeouts;
    if (auto t = parseTimeoutSeconds(environment("PMCD_CONNECT_TIMEOUT"))) timeouts.connect = *t;
    if (auto t = parseTimeoutSeconds(environment("PMCD_REQUEST_TIMEOUT"))) timeouts.request = *t;
    auto context = HostContext::open(*host, timeouts);
    if (!context) return context.failure();
    return std::unique_ptr<Context>(std::move(*context));
#endif
  }
  HostIdentity identity = localHostIdentity();
  auto context = LocalContext::open(PlatformOptions{}, identity.labels, identity.hostName);
  if (!context) return Failure{context.error(), "cannot load the local agents: " + context.failure().message()};
  return std::unique_ptr<Context>(std::move(*context));
}

int run(const std::vector<std::string>& args) {
  // Context options may come before the command; collect them and find the command word.
  std::vector<std::string> leading;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help") {
      printGeneralHelp(std::cout);
      return kExitOk;
    }
    if (a == "--version") {
      std::cout << "sextant " << SEXTANT_VERSION << '\n';
      return kExitOk;
    }
    if (a.empty() || a[0] != '-') break;
    leading.push_back(a);
    // A context option with a value takes the next argument ("-h HOST").
    if ((a == "-h" || a == "-a" || a == "--host" || a == "--archive") && i + 1 < args.size()) leading.push_back(args[++i]);
  }
  if (i >= args.size()) return usageError(leading.empty() ? "no command given" : "no command after the options");

  const std::string& word = args[i];
  if (word == "help") {
    if (i + 1 >= args.size()) {
      printGeneralHelp(std::cout);
      return kExitOk;
    }
    const Command* c = findCommand(args[i + 1]);
    if (!c) return usageError("unknown command '" + args[i + 1] + "'");
    printCommandHelp(std::cout, *c);
    return kExitOk;
  }
  const Command* command = findCommand(word);
  if (!command) return usageError("unknown command '" + word + "'");

  std::vector<std::string> rest = leading;
  rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  const std::vector<OptionSpec> specs = optionsOf(*command);
  auto parsed = parseOptions(rest, specs);
  if (!parsed) return usageError(parsed.failure().detail);
  if (parsed->has("help")) {
    printCommandHelp(std::cout, *command);
    return kExitOk;
  }
  if (command->runAlone) return command->runAlone(*parsed, std::cout, std::cerr);
  const auto archive = parsed->value("archive");
  if (archive && (parsed->has("local") || parsed->has("host")))
    return usageError(std::string(parsed->has("local") ? "-L" : "-h") + " and -a cannot be used together");
  std::optional<HostSpec> host;
  if (auto text = parsed->value("host")) {
    if (parsed->has("local")) return usageError("-L and -h cannot be used together");
    auto spec = parseHostSpec(*text, defaultPmcdPort(environment("PMCD_PORT")));
    if (!spec) return usageError(spec.failure().detail);
    host = std::move(*spec);
  }
  auto context = openContext(host, archive);
  if (!context) {
    std::cerr << "sextant: " << context.failure().detail << '\n';
    return kExitFailure;
  }
  return command->run(**context, *parsed, std::cout, std::cerr);
}

}  // namespace
}  // namespace sextant::cli

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  int status = sextant::cli::run(args);
  std::cout.flush();
  return status;
}
