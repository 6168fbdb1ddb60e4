#pragma once
// pmproxy's web contexts (PMWEBAPI spec section 4): one per client session, each
// wrapping a Context on one host plus what the client set up in it (an instance
// profile, derived metrics). A context lives while it is used: `polltimeout` seconds of
// inactivity, fixed at creation, mark it expired, and a collection every 2 s removes
// expired ones, so a late request hears "expired" and then "unknown", as from pmproxy.
// The number of contexts is bounded: when full, the least recently used one goes.
// A context may also replay an archive (archivename=PATH): each fetch then answers for
// the next recorded interval, in PCP's interpolated mode. pmproxy 6.0.3 has no archive
// web contexts (every one is a host context), so there is no pmproxy behaviour to match.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "core/Context.h"
#include "core/Expected.h"
#include "core/Profile.h"
#include "service/web/WebDerived.h"

namespace sextant::web {

using Clock = std::chrono::steady_clock;

struct WebContext {
  std::uint32_t id = 0;
  std::unique_ptr<Context> source;  // the host's metrics
  Clock::duration timeout{};
  Clock::time_point lastUsed{};
  Profile profile;          // instances a fetch returns (spec 6.5)
  DerivedMetrics derived;   // this context's derived metrics (spec 6.7)
  std::mutex lock;          // one request at a time on a context
};

class WebContexts {
 public:
  // Opens the host a hostspec names; a failure's detail is the reason for the client.
  using Opener = std::function<Expected<std::unique_ptr<Context>>(const std::string& hostspec)>;
  // `openArchive` opens an archive file for archivename=PATH; by default the file itself
  // (archive::ArchiveContext::open).
  WebContexts(Opener open, std::size_t maxContexts, Opener openArchive = {});

  // A new context; failure detail "cannot connect to PMCD: <reason>".
  Expected<std::shared_ptr<WebContext>> create(const std::string& hostspec, Clock::duration timeout);
  // A new context over an archive; failure detail "cannot open archive \"PATH\": <reason>",
  // libpcp_web's words for an archive context that pmNewContext refuses.
  Expected<std::shared_ptr<WebContext>> createArchive(const std::string& path, Clock::duration timeout);
  // An existing one, its inactivity timer restarted; failure detail "unknown context
  // identifier: N" or "expired context identifier: N".
  Expected<std::shared_ptr<WebContext>> find(std::uint32_t id);

  static constexpr auto kCollectEvery = std::chrono::seconds(2);
  static constexpr auto kDefaultTimeout = std::chrono::seconds(5);

 private:
  void collectLocked(Clock::time_point now);
  std::shared_ptr<WebContext> add(std::unique_ptr<Context> source, Clock::duration timeout);
  Opener open_;
  Opener openArchive_;
  std::size_t max_;
  std::mutex lock_;
  std::map<std::uint32_t, std::shared_ptr<WebContext>> all_;
  std::mt19937 random_;
  Clock::time_point lastCollect_{};
};

}  // namespace sextant::web
