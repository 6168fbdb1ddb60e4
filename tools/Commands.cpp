#include "tools/Commands.h"

#include <ostream>

namespace sextant::cli {

std::vector<std::string> expandNames(Context& context, const std::vector<std::string>& args, std::ostream& err,
                                     std::string_view prefix, bool& unknown) {
  std::vector<std::string> out;
  std::vector<std::string> roots = args;
  if (roots.empty()) roots.emplace_back();
  for (const auto& root : roots) {
    auto names = context.traverse(root);
    if (!names) {
      err << prefix << root << ": " << errorMessage(names.error()) << '\n';
      unknown = true;
      continue;
    }
    out.insert(out.end(), names->begin(), names->end());
  }
  return out;
}

const std::vector<Instance>& InstanceNames::of(InDom indom) {
  if (indom != cached_) {
    cached_ = indom;
    auto list = context_.instances(indom);
    list_ = list ? std::move(*list) : std::vector<Instance>{};
  }
  return list_;
}

const std::string* InstanceNames::name(InDom indom, std::int32_t inst) {
  for (const auto& i : of(indom))
    if (i.id == inst) return &i.name;
  return nullptr;
}

}  // namespace sextant::cli
