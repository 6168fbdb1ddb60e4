#pragma once
// The login records file (utmp(5)): fixed-size struct utmpx records as this C library
// lays them out.
#include <cstdint>
#include <string_view>

#include "core/Expected.h"

namespace sextant::linuxbe {

// The number of USER_PROCESS records (logged-in sessions) in the bytes of a utmp
// file. An empty file is zero sessions. A trailing partial record (a writer caught
// mid-append) is not counted; a file shorter than one record that is not empty is
// a failure.
Expected<std::uint32_t> countUtmpUsers(std::string_view bytes);

}  // namespace sextant::linuxbe
