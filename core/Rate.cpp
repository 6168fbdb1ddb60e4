#include "core/Rate.h"

namespace sextant {

std::optional<double> counterRate(double previous, double current, double seconds) {
  if (!(seconds > 0.0) || current < previous) return std::nullopt;
  return (current - previous) / seconds;
}

DisplayUnits displayUnits(const Descriptor& desc) {
  DisplayUnits d;
  d.units = desc.units;
  if (desc.semantics != Semantics::Counter) return d;
  if (desc.units.dimTime == 1 && desc.units.dimSpace == 0 && desc.units.dimCount == 0) {
    // time per second: convert the time unit to seconds, giving a dimensionless fraction
    Units seconds = Units::time(TimeScale::Sec);
    d.scale = conversionFactor(desc.units, seconds).value_or(1.0);
    d.units = Units::none();
    d.timeUtilisation = true;
    return d;
  }
  d.units = desc.units.perTime(TimeScale::Sec);
  return d;
}

}  // namespace sextant
