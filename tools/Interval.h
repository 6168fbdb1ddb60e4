#pragma once
// Parsing of the numbers a person types: sampling intervals and sample counts.
#include <chrono>
#include <string_view>

#include "core/Expected.h"

namespace sextant::cli {

// A positive time interval: a number of seconds ("1", "0.5") or a number with a unit,
// with or without a space between ("500ms", "2s", "2 sec", "1min", "1.5h"). Units:
// ms msec millisec(s) millisecond(s); s sec(s) second(s); m min(s) minute(s);
// h hour(s). Zero, negative, non-finite, longer than a day, or finer than a
// microsecond fails with a one-line detail.
Expected<std::chrono::microseconds> parseInterval(std::string_view text);

// A positive whole count ("3"); zero, negative, fractional or trailing text fails.
Expected<long> parseCount(std::string_view text);

}  // namespace sextant::cli
