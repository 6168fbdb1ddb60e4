#include "service/web/WebApi.h"

#include <Poco/SHA1Engine.h>

#include <charconv>
#include <cstdlib>

#include "service/web/WebCall.h"

namespace sextant::web {
namespace {

// Endpoint names after /pmapi/, tested in this order: "metrics" before "metric", and
// by prefix, as pmproxy routes (spec section 1).
constexpr std::string_view kCommands[] = {"context", "metrics", "metric", "fetch", "indom",
                                          "children", "profile", "store", "derive"};

bool allDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<std::uint32_t> parseId(std::string_view s) {
  std::uint32_t v = 0;
  if (!allDigits(s)) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Seconds as a decimal number ("5", "0.5"); anything else is refused.
std::optional<double> parseSeconds(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !(v > 0) || v > 86400.0 * 365) return std::nullopt;
  return v;
}

}  // namespace

Json WebApi::Call::open() const {
  Json j;
  j.beginObject().key("context").unsignedInteger(context->id);
  if (const std::string* client = param("client")) j.key("client").string(*client);
  return j;
}

Response WebApi::Call::ok(Json& json) {
  Response r;
  r.body = json.take() + "\r\n";
  return r;
}

Response WebApi::Call::success() const {
  Json j;
  j.beginObject().key("context").unsignedInteger(context->id).key("success").boolean(true).endObject();
  return ok(j);
}

Response WebApi::Call::failure(const std::string& message, int status) const {
  return jsonError(message, status, context->id);
}

Response jsonError(const std::string& message, int status, std::optional<std::uint32_t> context) {
  Json j;
  j.beginObject();
  if (context) j.key("context").unsignedInteger(*context);
  j.key("message").string(message).key("success").boolean(false).endObject();
  Response r;
  r.status = status;
  r.body = j.take() + "\r\n";
  return r;
}

Response WebApi::htmlError(int status, const std::string& servlet, const std::string& message) const {
  const std::string reason = status == 414 ? "URI Too Long" : status == 405 ? "Method Not Allowed" : "Bad Request";
  const std::string title = std::to_string(status) + " " + reason;
  Response r;
  r.status = status;
  r.contentType = "text/html";
  r.body = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<h1>" + title + "</h1>\r\n<p><b>" +
           servlet + " servlet</b>: " + message + "</p><hr>\r\n<p><small><i>" + product_ +
           "</i></small></p>\r\n</body>\r\n</html>\r\n";
  return r;
}

Response WebApi::preflight(const Request& r, bool postToo) {
  const std::string methods = postToo ? "GET, HEAD, POST, TRACE, OPTIONS" : "GET, HEAD, TRACE, OPTIONS";
  Response answer;
  answer.cors = false;
  answer.contentType.clear();  // pmproxy's preflight answers have no body and no type
  if (!r.requestMethod.empty() && methods.find(r.requestMethod) == std::string::npos) {
    answer.status = 405;
    return answer;
  }
  if (!r.origin.empty()) answer.headers.emplace_back("Access-Control-Allow-Origin", r.origin);
  answer.headers.emplace_back("Access-Control-Allow-Methods", methods);
  answer.headers.emplace_back("Access-Control-Max-Age", "86400");
  if (r.requestHeaders)
    answer.headers.emplace_back("Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Language, Content-Type");
  return answer;
}

Response WebApi::handle(const Request& r) {
  std::string_view path = r.path;
  if (path.rfind("/metrics", 0) == 0) {
    if (r.method == "OPTIONS") return preflight(r, false);
    return pmapi(r, "metrics", nullptr);
  }
  if (path.rfind("/pmapi/", 0) != 0 && r.method == "OPTIONS") return htmlError(400, "unknown servlet", "no handler for OPTIONS");
  if (path.rfind("/pmapi/", 0) != 0) return htmlError(400, "unknown servlet", "no handler for URL");
  std::string_view rest = path.substr(7);
  std::string pathContext;
  if (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || !allDigits(rest.substr(0, slash)))
      return htmlError(400, "webapi", "no handler for URL");
    pathContext = std::string(rest.substr(0, slash));
    rest = rest.substr(slash + 1);
  }
  for (std::string_view command : kCommands) {
    if (rest.rfind(command, 0) != 0) continue;
    if (r.method == "OPTIONS") {  // a preflight passes the same checks as the request (spec 2)
      if (auto bad = missingParameters(r, command)) return *bad;
      return preflight(r, command == "store" || command == "derive");
    }
    return pmapi(r, command, pathContext.empty() ? nullptr : &pathContext);
  }
  return htmlError(400, "webapi", "no handler for URL");
}

std::optional<Response> WebApi::missingParameters(const Request& r, std::string_view command) const {
  const Params& p = r.params;
  const bool missing = (command == "fetch" && !p.first({"names", "name", "pmids", "pmid"})) ||
                       (command == "indom" && !p.first({"name", "indom"})) ||
                       (command == "profile" && !p.has("expr")) ||
                       (command == "store" && (!p.first({"name", "pmid"}) ||
                                               (r.method == "GET" && !p.has("value"))));
  if (!missing) return std::nullopt;
  return htmlError(400, "webapi", "failed to process URL");
}

Response WebApi::pmapi(const Request& r, std::string_view command, const std::string* pathContext) {
  const Params& p = r.params;
  // Mandatory parameters are checked while routing: an HTML page (spec section 3).
  if (auto bad = missingParameters(r, command)) return *bad;

  Call call{r, nullptr, {}};
  const std::string* given = p.get("context");  // the parameter wins over the path
  if (!given) given = pathContext;
  if (given) {
    const auto id = parseId(*given);
    if (!id) return jsonError("invalid context identifier: " + *given);
    auto found = contexts_.find(*id);
    if (!found) return jsonError(found.failure().detail, 400, *id);
    call.context = std::move(*found);
  } else {
    Clock::duration timeout = WebContexts::kDefaultTimeout;
    if (const std::string* t = p.get("polltimeout")) {
      const auto seconds = parseSeconds(*t);
      if (!seconds) return jsonError("invalid timeout requested in polltime");
      timeout = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*seconds));
    }
    const std::string* host = p.first({"hostspec", "hostname"});
    // An archive instead of a host. pmproxy 6.0.3 has no such parameter (libpcp_web's
    // webgroup.c makes every web context a host context), so neither its name nor the
    // replay it gives can be compared with pmproxy's; the errors are libpcp_web's words.
    const std::string* archive = p.get("archivename");
    auto made = archive ? contexts_.createArchive(*archive, timeout)
                        : contexts_.create(host && !host->empty() ? *host : "localhost", timeout);
    if (!made) return jsonError(made.failure().detail);
    call.context = std::move(*made);
  }
  call.hold = std::unique_lock(call.context->lock);

  if (command == "context") return context(call);
  if (command == "metrics") return openMetrics(call);
  if (command == "metric") return metric(call);
  if (command == "fetch") return fetch(call);
  if (command == "indom") return indom(call);
  if (command == "children") return children(call);
  if (command == "profile") return profile(call);
  if (command == "store") return store(call);
  return derive(call);
}

std::string webUnits(const Units& u) {
  std::string s = u.toString();
  return s.empty() ? "none" : s;
}

namespace {

std::optional<std::uint32_t> parseNumber(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
    return std::nullopt;
  }
  return parseId(s);
}

// "a.b.c" with each part a decimal number; `parts` of them.
std::optional<std::vector<std::uint32_t>> dotted(std::string_view s, std::size_t parts) {
  std::vector<std::uint32_t> out;
  while (true) {
    const auto dot = s.find('.');
    auto n = parseId(s.substr(0, dot));
    if (!n) return std::nullopt;
    out.push_back(*n);
    if (dot == std::string_view::npos) break;
    s = s.substr(dot + 1);
  }
  if (out.size() != parts) return std::nullopt;
  return out;
}

}  // namespace

std::optional<Pmid> parsePmid(std::string_view text) {
  if (auto d = dotted(text, 3)) {
    const auto& v = *d;
    if (v[0] > 511 || v[1] > 4095 || v[2] > 1023) return std::nullopt;
    return Pmid::make(v[0], v[1], v[2]);
  }
  if (auto n = parseNumber(text)) return Pmid(*n);
  return std::nullopt;
}

std::optional<InDom> parseInDom(std::string_view text) {
  if (auto d = dotted(text, 2)) {
    const auto& v = *d;
    if (v[0] > 511 || v[1] > 0x3FFFFF) return std::nullopt;
    return InDom::make(v[0], v[1]);
  }
  if (auto n = parseNumber(text)) return InDom(*n);
  return std::nullopt;
}

std::string sha1Hex(std::string_view text) {
  Poco::SHA1Engine sha;
  sha.update(text.data(), static_cast<unsigned>(text.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

std::string metricSeries(const std::string& name, const Descriptor& d, const LabelSet& labels) {
  return sha1Hex("{\"series\":\"metric\",\"name\":\"" + name + "\",\"labels\":" + labels.toJson() +
                 ",\"semantics\":\"" + std::string(semanticsName(d.semantics)) + "\",\"type\":\"" +
                 std::string(typeWord(d.type)) + "\",\"units\":\"" + webUnits(d.units) + "\"}");
}

}  // namespace sextant::web
