#pragma once
// The operating-system half of the MMV writer (POSIX): where the directory is, creating
// and mapping the file, the process id and a fresh generation number. Kept apart so the
// layout code (MmvWriter.cpp) is plain C++.
#include <cstddef>
#include <cstdint>
#include <string>

namespace sextant::mmv::detail {

// Creates `path` as the spec's section 14 rule 2 asks: remove an old file of that name,
// create exclusively with mode 0644, size it (zero-filled), map it shared read/write.
// Returns the mapping, or null with `error` set. Creates the directory if it is missing.
std::byte* createMapped(const std::string& directory, const std::string& path, std::size_t size, std::string& error);
void unmap(std::byte* base, std::size_t size);
void removeFile(const std::string& path);

std::int32_t processId();
// (seconds << 32) | microseconds of now, as libpcp_mmv; never 0.
std::uint64_t freshGeneration();

}  // namespace sextant::mmv::detail
