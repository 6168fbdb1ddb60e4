#include "service/web/WebContexts.h"

#include "tools/archive/ArchiveContext.h"

namespace sextant::web {
namespace {

Expected<std::unique_ptr<Context>> openArchiveFile(const std::string& path) {
  auto archive = archive::ArchiveContext::open(path);
  if (!archive) return archive.failure();
  return std::unique_ptr<Context>(std::move(*archive));
}

}  // namespace

WebContexts::WebContexts(Opener open, std::size_t maxContexts, Opener openArchive)
    : open_(std::move(open)),
      openArchive_(openArchive ? std::move(openArchive) : Opener(openArchiveFile)),
      max_(maxContexts == 0 ? 1 : maxContexts),
      random_(std::random_device{}()) {}

void WebContexts::collectLocked(Clock::time_point now) {
  if (now - lastCollect_ < kCollectEvery) return;
  lastCollect_ = now;
  for (auto it = all_.begin(); it != all_.end();) {
    const WebContext& c = *it->second;
    it = now - c.lastUsed > c.timeout ? all_.erase(it) : std::next(it);
  }
}

Expected<std::shared_ptr<WebContext>> WebContexts::create(const std::string& hostspec, Clock::duration timeout) {
  // Connecting may take a while: outside the registry lock.
  auto source = open_(hostspec);
  if (!source) {
    // pmproxy gives the bare reason ("Connection refused"), and clients show it as is.
    std::string why = source.failure().detail;
    if (const auto colon = why.rfind(": "); colon != std::string::npos) why = why.substr(colon + 2);
    return Failure{source.error(), "cannot connect to PMCD: " + why};
  }
  return add(std::move(*source), timeout);
}

Expected<std::shared_ptr<WebContext>> WebContexts::createArchive(const std::string& path, Clock::duration timeout) {
  auto source = openArchive_(path);
  if (!source) {
    // The reader's detail is "archive PATH: reason"; the client hears the reason.
    std::string why = source.failure().detail;
    if (const std::string prefix = "archive " + path + ": "; why.rfind(prefix, 0) == 0) why = why.substr(prefix.size());
    if (why.empty()) why = std::string(errorMessage(source.error()));
    return Failure{source.error(), "cannot open archive \"" + path + "\": " + why};
  }
  return add(std::move(*source), timeout);
}

std::shared_ptr<WebContext> WebContexts::add(std::unique_ptr<Context> source, Clock::duration timeout) {
  auto c = std::make_shared<WebContext>();
  c->source = std::move(source);
  c->timeout = timeout;
  std::lock_guard lock(lock_);
  const auto now = Clock::now();
  collectLocked(now);
  while (all_.size() >= max_) {  // full: the least recently used goes
    auto oldest = all_.begin();
    for (auto it = all_.begin(); it != all_.end(); ++it)
      if (it->second->lastUsed < oldest->second->lastUsed) oldest = it;
    all_.erase(oldest);
  }
  std::uniform_int_distribution<std::uint32_t> ids(1, 0x7fffffffu);  // positive 31-bit, as pmproxy
  do c->id = ids(random_);
  while (all_.count(c->id));
  c->lastUsed = now;
  all_[c->id] = c;
  return c;
}

Expected<std::shared_ptr<WebContext>> WebContexts::find(std::uint32_t id) {
  std::lock_guard lock(lock_);
  const auto now = Clock::now();
  collectLocked(now);
  auto it = all_.find(id);
  if (it == all_.end()) return Failure{Error::Generic, "unknown context identifier: " + std::to_string(id)};
  WebContext& c = *it->second;
  if (now - c.lastUsed > c.timeout) return Failure{Error::Generic, "expired context identifier: " + std::to_string(id)};
  c.lastUsed = now;
  return it->second;
}

}  // namespace sextant::web
