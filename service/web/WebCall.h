#pragma once
// Internal to the web API's sources: one /pmapi request being answered, with its
// context held and locked, and the helpers every endpoint shares.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "service/web/WebApi.h"
#include "service/web/WebJson.h"

namespace sextant::web {

struct WebApi::Call {
  const Request& request;
  std::shared_ptr<WebContext> context;
  std::unique_lock<std::mutex> hold;  // the context, for the whole request
  const Params& params() const { return request.params; }
  const std::string* param(std::string_view name) const { return request.params.get(name); }
  Context& source() const { return *context->source; }

  // {"context":N[,"client":"..."] ... : the opening every /pmapi answer shares.
  Json open() const;
  // 200 with the JSON text and its CRLF.
  static Response ok(Json& json);
  // {"context":N,"success":true}
  Response success() const;
  // {"context":N,"message":"...","success":false} with `status`.
  Response failure(const std::string& message, int status = 400) const;
};

// pmproxy's JSON error: {["context":N,]"message":"...","success":false}.
Response jsonError(const std::string& message, int status = 400, std::optional<std::uint32_t> context = {});

// pmUnitsStr, "none" when dimensionless.
std::string webUnits(const Units& u);
// A PMID or instance domain given as "60.2.0" / "60.2", decimal or 0x-hexadecimal.
std::optional<Pmid> parsePmid(std::string_view text);
std::optional<InDom> parseInDom(std::string_view text);
// The instance domain a request names by `name` (a metric) or `indom`, and the
// instances it selects with `iname`/`match` or `instance` (spec 6.4); failures carry the
// client's message.
Expected<InDom> requestedInDom(Context& source, const Params& p);
Expected<std::vector<Instance>> requestedInstances(Context& source, const Params& p, InDom indom);
// SHA-1 of `text` as 40 hex digits (series and source identifiers, spec section 11).
std::string sha1Hex(std::string_view text);
// The series identifier of a metric: SHA-1 of its description, as pmproxy's (spec 11).
std::string metricSeries(const std::string& name, const Descriptor& d, const LabelSet& labels);

}  // namespace sextant::web
