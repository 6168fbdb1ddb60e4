#pragma once
// PCP's REST API, PMWEBAPI, as pmproxy serves it (spec pmwebapi.md): the /pmapi
// endpoints and the /metrics scrape, over web contexts. Pure request in, response out:
// the HTTP server (RestServer) only moves bytes, so that tests and the fuzzer drive
// this directly.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "service/web/HttpQuery.h"
#include "service/web/WebContexts.h"

namespace sextant::web {

struct Request {
  std::string method = "GET";
  std::string path;     // without the query string
  Params params;        // from the query string (or, for some POSTs, the body)
  std::string body;
  std::string origin;   // the Origin header, for CORS
  std::string requestMethod;  // Access-Control-Request-Method of a preflight
  bool requestHeaders = false;  // a preflight named headers (Access-Control-Request-Headers)
};

struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond the standard ones
  bool cors = true;  // the standard Access-Control-* headers; a preflight sets its own in `headers`
};

class WebApi {
 public:
  // `product` names the server in HTML error pages ("sextantd/0.4.0").
  WebApi(WebContexts& contexts, std::string product) : contexts_(contexts), product_(std::move(product)) {}
  Response handle(const Request& request);

  // The HTML page pmproxy sends when a URL cannot be routed (spec section 3).
  Response htmlError(int status, const std::string& servlet, const std::string& message) const;

 private:
  struct Call;  // one /pmapi request being answered
  Response pmapi(const Request& r, std::string_view command, const std::string* pathContext);
  Response preflight(const Request& r, bool postToo);
  // Routing-time validation of mandatory parameters (an HTML 400 page), or nothing.
  std::optional<Response> missingParameters(const Request& r, std::string_view command) const;

  Response context(Call& c);
  Response metric(Call& c);
  Response fetch(Call& c);
  Response indom(Call& c);
  Response children(Call& c);
  Response profile(Call& c);
  Response store(Call& c);
  Response derive(Call& c);
  Response openMetrics(Call& c);

  WebContexts& contexts_;
  std::string product_;
};

}  // namespace sextant::web
