#pragma once
// Rate arithmetic for counters, as PCP's tools do it client-side.
#include <optional>

#include "core/Descriptor.h"

namespace sextant {

// Change per second of a counter between two samples, or nothing when the counter went
// backwards (wrapped or reset) or no time passed.
std::optional<double> counterRate(double previous, double current, double seconds);

// How a value of `desc` is best shown after rate conversion: counters become
// "units / sec", and counters of time (e.g. CPU milliseconds) become a utilisation
// (time per time, dimensionless). `scale` multiplies the rate into those units.
struct DisplayUnits {
  Units units;
  double scale = 1.0;
  bool timeUtilisation = false;
};
DisplayUnits displayUnits(const Descriptor& desc);

}  // namespace sextant
