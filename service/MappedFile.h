#pragma once
// A file mapped read-only and shared, and a guard that turns SIGBUS into a return value.
//
// An MMV file is written by another process through its own mapping (MMV format spec,
// section 14). If that process (or anyone) truncates the file while we have it mapped,
// touching a page past the new end raises SIGBUS, which would kill the daemon (pmdammv
// inside pmcd has exactly this weakness, spec pitfall 10). The MMV agent therefore only
// touches a mapping inside guarded(): a SIGBUS there jumps back out and guarded()
// returns false. The guarded code must only copy plain bytes (no allocation, no objects
// with destructors), because the jump skips whatever was in progress.
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>

#include "core/Expected.h"

namespace sextant::service {

class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Opens and maps the whole regular file. The descriptor is kept so that shrunk()
  // can fstat it cheaply. Failure detail: "cannot open: No such file or directory".
  static Expected<MappedFile> open(const std::string& path);

  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  std::uint64_t size() const { return size_; }
  dev_t device() const { return dev_; }
  ino_t inode() const { return ino_; }
  // True when the file is now shorter than the mapping (or cannot be stat'ed): touching
  // the tail would raise SIGBUS.
  bool shrunk() const;

 private:
  void release();
  int fd_ = -1;
  const std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

// Runs fn(ctx) with this thread's SIGBUS turned into a jump back here: true if fn
// finished, false if it touched a page that no longer exists. Nestable, thread-safe
// (the jump target is per thread). A SIGBUS outside any guard keeps its default action.
bool runGuarded(void (*fn)(void*), void* ctx);

template <class F>
bool guarded(F&& f) {
  return runGuarded([](void* p) { (*static_cast<std::remove_reference_t<F>*>(p))(); }, &f);
}

// An aligned 8-byte word read with one load, so that a writer's concurrent aligned
// 8-byte store is seen whole (spec section 14); unaligned words are copied bytewise.
std::uint64_t loadWord(const std::uint8_t* p);

}  // namespace sextant::service
