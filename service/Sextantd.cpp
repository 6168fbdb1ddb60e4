// sextantd: the collector daemon (DESIGN.md). Hosts the platform's agents and the
// self-metrics agent in one Collector and serves them over PCP's PDU protocol.
#include <signal.h>

#include <Poco/Util/ServerApplication.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "core/Collector.h"
#include "core/Platform.h"
#include "service/Config.h"
#include "service/Log.h"
#include "service/MmvAgent.h"
#include "service/PduServer.h"
#include "service/RecordService.h"
#include "service/SelfAgent.h"
#include "service/ServiceStats.h"
#include "service/web/RestServer.h"
#include "tools/HostIdentity.h"

namespace sextant::service {
namespace {

constexpr int kExitUsage = 2;  // bad flag or config line
constexpr int kExitStart = 1;  // could not start (port in use, ...)

// Signals handled by sigwait in the main thread. They are blocked before any thread
// exists so that every thread inherits the mask: Poco's waitForTerminationRequest
// blocks them only in the calling thread, too late for the server threads, and it
// cannot report SIGHUP.
sigset_t handledSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&set, s);
  return set;
}

class Sextantd final : public Poco::Util::ServerApplication {
 public:
  Sextantd(CommandLine cl, Config config) : cl_(std::move(cl)), config_(std::move(config)) {}

 protected:
  int main(const std::vector<std::string>&) override {
    if (auto r = log_.open(config_.logFile); !r) {
      std::fprintf(stderr, "sextantd: --log %s\n", r.failure().detail.c_str());
      return kExitUsage;
    }
    HostIdentity host = localHostIdentity();
    Collector collector;
    for (auto& agent : makePlatformAgents(PlatformOptions{})) {
      if (auto added = collector.addAgent(std::move(agent)); !added) {
        log_.line("cannot add agent: " + added.failure().message());
        return kExitStart;
      }
    }
    MmvAgentOptions mmv;
    mmv.dir = config_.mmvDir;
    mmv.log = [this](const std::string& line) { log_.line(line); };
    auto mmvAgent = std::make_unique<MmvAgent>(std::move(mmv));
    log_.line("serving MMV files of " + mmvAgent->dir() + " under mmv.*");
    if (auto added = collector.addAgent(std::move(mmvAgent)); !added) {
      log_.line("cannot add the mmv agent: " + added.failure().message());
      return kExitStart;
    }
    auto self = std::make_unique<SelfAgent>(stats_, currentSelfFacts(host.hostName, SEXTANT_VERSION));
    SelfAgent* selfAgent = self.get();
    if (auto added = collector.addAgent(std::move(self)); !added) {
      log_.line("cannot add the pmcd agent: " + added.failure().message());
      return kExitStart;
    }
    selfAgent->setCollector(&collector);
    // pmcd's context labels (spec 4.1); the user and group labels describe a client, not the host.
    LabelSet context;
    for (const auto& [name, json] : host.labels.entries())
      if (name == "hostname" || name == "domainname" || name == "machineid") context.setJson(name, json);
    collector.setContextLabels(std::move(context));

    std::mutex collectorLock;  // every front end's requests take it around the collector
    PduServer server(collector, collectorLock, stats_, log_, config_);
    if (auto started = server.start(); !started) {
      log_.line("cannot start: " + started.failure().detail);
      if (!config_.logFile.empty()) std::fprintf(stderr, "sextantd: %s\n", started.failure().detail.c_str());
      return kExitStart;
    }
    log_.line("serving PCP's PDU protocol on " + server.describe() + "; try: pminfo -h localhost:" +
              std::to_string(config_.pduPort) + " -f kernel.all.load");
    web::RestServer rest(collector, collectorLock, log_, config_, host.hostName,
                         std::string("sextantd/") + SEXTANT_VERSION);
    if (auto started = rest.start(); !started) {
      log_.line("cannot start: " + started.failure().detail);
      if (!config_.logFile.empty()) std::fprintf(stderr, "sextantd: %s\n", started.failure().detail.c_str());
      server.stop();
      return kExitStart;
    }
    if (config_.restPort != 0 || config_.rest.tlsPort != 0)
      log_.line("serving the REST API on " + rest.describe() + "; try: curl 'localhost:" +
                std::to_string(config_.restPort) + "/pmapi/fetch?names=kernel.all.load'");

    // The recorders ([record] sections) sample the same collector under the same lock.
    RecordService recorders(collector, collectorLock, log_, host.hostName);
    recorders.start(config_.records);

    const sigset_t set = handledSignals();
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (sig == SIGHUP) {
        reload(server);
        continue;
      }
      log_.line(std::string("stopping on ") + (sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "SIGQUIT"));
      break;
    }
    recorders.stop();
    rest.stop();
    server.stop();
    return EXIT_OK;
  }

 private:
  void reload(PduServer& server) {
    Config next;
    if (!cl_.configFile.empty()) {
      auto loaded = loadConfigFile(cl_.configFile);
      if (!loaded) {
        log_.line("reload failed, keeping the previous settings: " + loaded.failure().detail);
        return;
      }
      next = std::move(*loaded);
    }
    applyCommandLine(cl_, next);
    if (next.pduPort != config_.pduPort || next.listen != config_.listen || next.socketPath != config_.socketPath ||
        next.restPort != config_.restPort || next.logFile != config_.logFile || next.mmvDir != config_.mmvDir)
      log_.line("reload: port, address, socket, log and mmv_dir changes take effect at the next restart");
    if (next.records != config_.records) log_.line("reload: [record] changes take effect at the next restart");
    // Keep what needs a restart as it is running.
    next.pduPort = config_.pduPort;
    next.restPort = config_.restPort;
    next.listen = config_.listen;
    next.socketPath = config_.socketPath;
    next.logFile = config_.logFile;
    next.mmvDir = config_.mmvDir;
    next.records = config_.records;
    server.reload(next);
    config_ = std::move(next);
    stats_.noteReload();
    log_.line("configuration reloaded");
  }

  CommandLine cl_;
  Config config_;
  Log log_;
  ServiceStats stats_;
};

}  // namespace
}  // namespace sextant::service

int main(int argc, char** argv) {
  using namespace sextant::service;
  const sigset_t set = handledSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client that closes early must not kill the daemon
  // A file-size limit (ulimit -f) reached by a recorder must fail that write with EFBIG,
  // which the recorder logs and retries, rather than kill the daemon (setrlimit(2)).
  signal(SIGXFSZ, SIG_IGN);

  std::vector<std::string> args(argv + 1, argv + argc);
  auto cl = parseCommandLine(args);
  if (!cl) {
    std::fprintf(stderr, "sextantd: %s\n", cl.failure().detail.c_str());
    return kExitUsage;
  }
  if (cl->help) {
    std::cout << usage();
    return 0;
  }
  Config config;
  if (!cl->configFile.empty()) {
    auto loaded = loadConfigFile(cl->configFile);
    if (!loaded) {
      std::fprintf(stderr, "sextantd: %s\n", loaded.failure().detail.c_str());
      return kExitUsage;
    }
    config = std::move(*loaded);
  }
  applyCommandLine(*cl, config);
  if (auto checked = checkConfig(config); !checked) {
    std::fprintf(stderr, "sextantd: %s\n", checked.failure().detail.c_str());
    return kExitUsage;
  }

  // ServerApplication detaches when given --daemon (Unix) and runs as a service on
  // Windows; --foreground simply does not ask for it.
  std::vector<std::string> pocoArgs{argv[0]};
  if (!cl->foreground) pocoArgs.push_back("--daemon");
  Sextantd app(std::move(*cl), std::move(config));
  return app.run(pocoArgs);
}
