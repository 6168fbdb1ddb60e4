// libFuzzer harness for the REST API's request handling (service/web): arbitrary bytes
// become a request as the HTTP server would hand it over (the first byte picks the
// method: P POST, K OPTIONS, H HEAD, others GET; then the URL with its query string up
// to a newline; then the body) and go through WebApi over this machine's real agents. Query strings, context ids, PMIDs, instance lists, profiles,
// stores and derived expressions all meet the parsers; every answer must be a response
// with a status, and JSON answers must end as pmproxy's do.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include "core/Collector.h"
#include "core/CollectorContext.h"
#include "core/Platform.h"
#include "service/web/WebApi.h"

using namespace sextant;
using namespace sextant::web;

namespace {

struct World {
  Collector collector;
  std::mutex lock;
  std::unique_ptr<WebContexts> contexts;
  std::unique_ptr<WebApi> api;
  World() {
    for (auto& a : makePlatformAgents(PlatformOptions{})) (void)collector.addAgent(std::move(a));
    contexts = std::make_unique<WebContexts>(
        [this](const std::string& spec) -> Expected<std::unique_ptr<Context>> {
          if (spec != "localhost") return Failure{Error::Generic, "Connection refused"};
          return std::unique_ptr<Context>(std::make_unique<CollectorContext>(collector, &lock, "fuzzhost"));
        },
        8);
    api = std::make_unique<WebApi>(*contexts, "sextantd/fuzz");
  }
};

World& world() {
  static World* w = new World;  // lives for the whole run, never destroyed
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  Request r;
  const char m = static_cast<char>(data[0] & ~4);  // bit 2 chooses an Origin header
  r.method = m == 'P' ? "POST" : m == 'K' ? "OPTIONS" : m == 'H' ? "HEAD" : "GET";
  const auto nl = text.find('\n');
  const std::string url = text.substr(0, nl);
  if (nl != std::string::npos) r.body = text.substr(nl + 1);
  const auto mark = url.find('?');
  r.path = url.substr(0, mark);
  if (mark != std::string::npos) r.params = Params::parse(std::string_view(url).substr(mark + 1));
  r.origin = (data[0] & 4) ? "http://example" : "";
  const Response out = world().api->handle(r);
  if (out.status < 200 || out.status > 599) std::abort();
  if (out.contentType == "application/json" && (out.body.size() < 2 || out.body.substr(out.body.size() - 2) != "\r\n"))
    std::abort();
  return 0;
}
