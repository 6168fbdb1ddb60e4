#include "service/MappedFile.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace sextant::service {
namespace {

thread_local sigjmp_buf* tJump = nullptr;
struct sigaction gPrevious {};

void onSigbus(int sig, siginfo_t* info, void* uctx) {
  if (sigjmp_buf* target = tJump) siglongjmp(*target, 1);
  // Not ours: behave as if we had never installed a handler.
  if (gPrevious.sa_flags & SA_SIGINFO) {
    if (gPrevious.sa_sigaction) return gPrevious.sa_sigaction(sig, info, uctx);
  } else if (gPrevious.sa_handler != SIG_DFL && gPrevious.sa_handler != SIG_IGN) {
    return gPrevious.sa_handler(sig);
  }
  signal(SIGBUS, SIG_DFL);
  raise(SIGBUS);
}

void installOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = onSigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &gPrevious);
  });
}

std::string errnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

bool runGuarded(void (*fn)(void*), void* ctx) {
  installOnce();
  sigjmp_buf* outer = tJump;
  sigjmp_buf here;
  // savemask = 0: saving the mask costs a system call per guard, and there is nothing to
  // restore: the handler runs with SA_NODEFER, so SIGBUS is never left blocked by the jump.
  if (sigsetjmp(here, 0) != 0) {
    tJump = outer;
    return false;
  }
  tJump = &here;
  fn(ctx);
  tJump = outer;
  return true;
}

std::uint64_t loadWord(const std::uint8_t* p) {
  if (reinterpret_cast<std::uintptr_t>(p) % alignof(std::uint64_t) == 0)
    return __atomic_load_n(reinterpret_cast<const std::uint64_t*>(p), __ATOMIC_RELAXED);
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

MappedFile::~MappedFile() { release(); }

MappedFile::MappedFile(MappedFile&& o) noexcept
    : fd_(o.fd_), data_(o.data_), size_(o.size_), dev_(o.dev_), ino_(o.ino_) {
  o.fd_ = -1;
  o.data_ = nullptr;
  o.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
  if (this != &o) {
    release();
    fd_ = o.fd_;
    data_ = o.data_;
    size_ = o.size_;
    dev_ = o.dev_;
    ino_ = o.ino_;
    o.fd_ = -1;
    o.data_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

void MappedFile::release() {
  if (data_) munmap(const_cast<std::uint8_t*>(data_), size_);
  if (fd_ >= 0) ::close(fd_);
  data_ = nullptr;
  fd_ = -1;
  size_ = 0;
}

Expected<MappedFile> MappedFile::open(const std::string& path) {
  MappedFile m;
  m.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (m.fd_ < 0) return Failure{Error::Generic, errnoText("cannot open")};
  struct stat st {};
  if (fstat(m.fd_, &st) != 0) return Failure{Error::Generic, errnoText("cannot stat")};
  if (!S_ISREG(st.st_mode)) return Failure{Error::Generic, "not a regular file"};
  m.dev_ = st.st_dev;
  m.ino_ = st.st_ino;
  m.size_ = static_cast<std::uint64_t>(st.st_size);
  if (m.size_ == 0) return m;  // nothing to map; the parser refuses it as too short
  void* p = mmap(nullptr, m.size_, PROT_READ, MAP_SHARED, m.fd_, 0);
  if (p == MAP_FAILED) {
    m.size_ = 0;
    return Failure{Error::Generic, errnoText("cannot map")};
  }
  m.data_ = static_cast<const std::uint8_t*>(p);
  return m;
}

bool MappedFile::shrunk() const {
  if (fd_ < 0) return true;
  struct stat st {};
  return fstat(fd_, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < size_;
}

}  // namespace sextant::service
