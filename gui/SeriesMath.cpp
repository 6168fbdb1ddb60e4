#include "gui/SeriesMath.h"

#include <QStringList>
#include <algorithm>
#include <array>
#include <cmath>

namespace sextant::gui {

namespace {

// PCP's space scales as core/Units.cpp writes them, each 1024 times the one before.
constexpr std::array<const char*, 5> kPcpSpace = {"byte", "Kbyte", "Mbyte", "Gbyte", "Tbyte"};
constexpr std::array<const char*, 5> kBinaryLabels = {"B", "KiB", "MiB", "GiB", "TiB"};
// PCP's time scales with the short forms an axis has room for.
constexpr std::array<const char*, 6> kPcpTime = {"nanosec", "microsec", "millisec", "sec", "min", "hour"};
constexpr std::array<const char*, 6> kTimeLabels = {"ns", "us", "ms", "s", "min", "h"};

template <std::size_t N>
int indexIn(const std::array<const char*, N>& names, const QString& word) {
  for (std::size_t i = 0; i < N; ++i)
    if (word == QLatin1String(names[i])) return static_cast<int>(i);
  return -1;
}

// "count x 10^3" -> 1000; plain "count" -> 1; anything else -> 0.
double countFactor(const QString& term) {
  if (term == QLatin1String("count")) return 1;
  static const QString kPrefix = QStringLiteral("count x 10^");
  if (!term.startsWith(kPrefix)) return 0;
  bool ok = false;
  const int power = term.mid(kPrefix.size()).toInt(&ok);
  return ok ? std::pow(10.0, power) : 0;
}

}  // namespace

std::optional<double> counterRate(double previous, qint64 previousMsec, double current, qint64 currentMsec) {
  if (currentMsec <= previousMsec) return std::nullopt;
  if (!std::isfinite(previous) || !std::isfinite(current) || current < previous) return std::nullopt;
  return (current - previous) * 1000.0 / static_cast<double>(currentMsec - previousMsec);
}

DisplayUnit chooseUnit(const QString& pcpUnits, bool rate, double maxValue) {
  // "Kbyte / sec" is a rate already; a counter in Kbyte becomes one when `rate`.
  const QStringList parts = pcpUnits.trimmed().split(QStringLiteral(" / "));
  const QString num = parts.value(0).trimmed();
  const QString den = parts.size() > 1 ? parts.value(1).trimmed() : QString();
  const bool perSecond = rate || den == QLatin1String("sec");
  if (!den.isEmpty() && den != QLatin1String("sec")) return {pcpUnits, 1};  // unusual: say it as PCP does
  const QString suffix = perSecond ? QStringLiteral("/s") : QString();

  if (const int space = indexIn(kPcpSpace, num); space >= 0) {
    const double toBytes = std::pow(1024.0, space);
    double bytes = std::isfinite(maxValue) ? std::fabs(maxValue) * toBytes : 0;
    std::size_t step = 0;
    // At most 4 digits on the axis: climb while the largest value reaches 1024.
    while (bytes >= 1024 && step + 1 < kBinaryLabels.size()) {
      bytes /= 1024;
      ++step;
    }
    return {QLatin1String(kBinaryLabels[step]) + suffix, toBytes / std::pow(1024.0, static_cast<double>(step))};
  }
  if (const int time = indexIn(kPcpTime, num); time >= 0)
    return {QLatin1String(kTimeLabels[static_cast<std::size_t>(time)]) + suffix, 1};
  if (const double count = countFactor(num); count > 0) return {suffix, count};
  if (num == QLatin1String("none") || num.isEmpty()) return {suffix, 1};
  return {num + suffix, 1};
}

DisplayUnit percentUnit() { return {QStringLiteral("%"), 1}; }

double niceCeiling(double maxValue, double minimum) {
  double value = std::isfinite(maxValue) ? maxValue : 0;
  if (value < minimum) value = minimum;
  if (value <= 0) return 1;
  const double base = std::pow(10.0, std::floor(std::log10(value)));
  for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    // A little slack so that 2.0000000001 from arithmetic still reads as 2.
    if (step * base >= value * (1 - 1e-9)) return step * base;
  }
  return 10 * base;
}

QString formatValue(double shown, const QString& unitLabel) {
  if (!std::isfinite(shown)) return QStringLiteral("-");
  // Three significant digits, but never fewer than the integer part has.
  int decimals = 0;
  if (shown != 0) decimals = std::clamp(2 - static_cast<int>(std::floor(std::log10(std::fabs(shown)))), 0, 6);
  QString text = QString::number(shown, 'f', decimals);
  if (text.contains(QLatin1Char('.'))) {
    while (text.endsWith(QLatin1Char('0'))) text.chop(1);
    if (text.endsWith(QLatin1Char('.'))) text.chop(1);
  }
  if (text == QLatin1String("-0")) text = QStringLiteral("0");
  if (unitLabel.isEmpty()) return text;
  // "5/s" reads as a rate; "5 MiB/s" and "4 %" want the space.
  return unitLabel.startsWith(QLatin1Char('/')) ? text + unitLabel : text + QLatin1Char(' ') + unitLabel;
}

}  // namespace sextant::gui
