#include "core/Ids.h"

namespace sextant {

std::string Pmid::toString() const {
  if (isNull()) return "PM_ID_NULL";
  return std::to_string(domain()) + '.' + std::to_string(cluster()) + '.' + std::to_string(item());
}

std::string InDom::toString() const {
  if (isNull()) return "PM_INDOM_NULL";
  return std::to_string(domain()) + '.' + std::to_string(serial());
}

}  // namespace sextant
