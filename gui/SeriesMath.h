#pragma once
// The arithmetic between raw values and what a chart draws: counters as rates, and
// axis units scaled to the numbers shown ("MiB/s", "%", "ms/s").
#include <QString>
#include <optional>

namespace sextant::gui {

// The rate of a counter between two samples, per second; nullopt when it cannot be one
// (time did not move forward, or the counter went down: a wrap or a restart, which
// PCP's tools also show as no value).
std::optional<double> counterRate(double previous, qint64 previousMsec, double current, qint64 currentMsec);

// How an axis shows values: shown = value * factor, with `label` as the unit text.
struct DisplayUnit {
  QString label;  // "MiB/s", "KiB", "%", "ms/s", "/s", "" (a plain number)
  double factor = 1;
};

// The unit for values of a metric with PCP units `pcpUnits` ("byte", "Kbyte", "millisec",
// "count", "none", "byte / sec"...), shown as rates when `rate`, whose largest shown
// value is `maxValue` (in the metric's own unit, per second when a rate): byte-like
// units climb B, KiB, MiB, GiB, TiB so the axis shows at most 4 digits; time counters
// read "ms/s"... as PCP writes them; counts read "/s" as rates.
DisplayUnit chooseUnit(const QString& pcpUnits, bool rate, double maxValue);
// The unit of `display` "cpu-percent": "%".
DisplayUnit percentUnit();

// A "nice" upper bound for an axis showing values up to `maxValue` (1, 2, 2.5, 5 x 10^n),
// and at least `minimum` so that an idle chart is not all noise.
double niceCeiling(double maxValue, double minimum = 1.0);

// Short text for a value with its unit: "12.3 MiB/s", "4 %", "0.5".
QString formatValue(double shown, const QString& unitLabel);

}  // namespace sextant::gui
