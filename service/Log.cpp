#include "service/Log.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace sextant::service {

Log::~Log() {
  if (file_) std::fclose(file_);
}

Expected<bool> Log::open(const std::string& path) {
  std::lock_guard lock(lock_);
  if (path.empty()) return true;
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return Failure{Error::Generic, path + ": " + std::strerror(errno)};
  if (file_) std::fclose(file_);
  file_ = f;
  return true;
}

void Log::line(std::string_view text) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  char stamp[32] = {};
  if (localtime_r(&now, &local)) std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
  std::lock_guard lock(lock_);
  std::FILE* out = file_ ? file_ : stderr;
  std::fprintf(out, "%s sextantd[%ld]: %.*s\n", stamp, static_cast<long>(::getpid()), static_cast<int>(text.size()),
               text.data());
  std::fflush(out);
}

}  // namespace sextant::service
