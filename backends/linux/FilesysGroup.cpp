// filesys.* and hinv.nfilesys: the block-device mounts of /proc/mounts, with space
// and inode counts from statfs(2) of each mount point. (glibc's statvfs(3) also
// reads /proc/mounts and stats every mount point to fill f_flag, which we take from
// the mount options instead: statfs is one system call.)
#include <sys/vfs.h>

#include <functional>
#include <optional>
#include <set>

#include "backends/linux/MetricFill.h"
#include "core/Catalog.h"
#include "backends/linux/LinuxGroups.h"
#include "backends/linux/ProcMounts.h"
#include "core/InstanceMap.h"

namespace sextant::linuxbe {

namespace {

// What statfs says, in the units the metrics use.
struct Space {
  std::uint64_t capacityKb = 0, freeKb = 0, availKb = 0;
  std::uint64_t files = 0, freeFiles = 0;
  std::uint64_t blockSize = 0;
};

struct FileSystem {
  std::int32_t id = 0;
  MountEntry mount;
  std::optional<Space> space;
};

std::optional<Space> statSpace(const std::string& path) {
  struct statfs v {};
  if (::statfs(path.c_str(), &v) != 0) return std::nullopt;
  // Block counts are in units of f_frsize where the kernel sets it (statfs(2)).
  std::uint64_t frag = v.f_frsize ? static_cast<std::uint64_t>(v.f_frsize) : static_cast<std::uint64_t>(v.f_bsize);
  Space s;
  s.capacityKb = static_cast<std::uint64_t>(v.f_blocks) * frag / 1024;
  s.freeKb = static_cast<std::uint64_t>(v.f_bfree) * frag / 1024;
  s.availKb = static_cast<std::uint64_t>(v.f_bavail) * frag / 1024;
  s.files = v.f_files;
  s.freeFiles = v.f_ffree;
  s.blockSize = static_cast<std::uint64_t>(v.f_bsize);
  return s;
}

using SpaceFn = std::function<std::uint64_t(const Space&)>;

class FilesysGroup : public SourceGroup {
 public:
  explicit FilesysGroup(const LinuxContext& ctx) : ctx_(ctx) {}

  std::vector<Binding> bindings() override {
    std::vector<Binding> out;
    const std::vector<std::pair<std::string, SpaceFn>> space = {
        {"capacity", [](const Space& s) { return s.capacityKb; }},
        {"free", [](const Space& s) { return s.freeKb; }},
        {"used", [](const Space& s) { return s.capacityKb - s.freeKb; }},
        {"avail", [](const Space& s) { return s.availKb; }},
        {"maxfiles", [](const Space& s) { return s.files; }},
        {"freefiles", [](const Space& s) { return s.freeFiles; }},
        {"usedfiles", [](const Space& s) { return s.files - s.freeFiles; }},
        {"blocksize", [](const Space& s) { return s.blockSize; }},
    };
    for (const auto& [suffix, fn] : space) {
      std::string name = "filesys." + suffix;
      out.push_back({name, [this, fn = fn](ValueSet& set) {
                       for (const auto& f : fss_)
                         if (f.space) set.values.push_back({f.id, asU64(fn(*f.space))});
                       noValueIfEmpty(set);
                     }});
    }
    // Percentage of the space a non-privileged user can reach that is in use, as
    // df(1) computes "Use%": used / (used + avail).
    out.push_back({"filesys.full", [this](ValueSet& set) {
                     for (const auto& f : fss_) {
                       if (!f.space) continue;
                       double used = static_cast<double>(f.space->capacityKb - f.space->freeKb);
                       double reach = used + static_cast<double>(f.space->availKb);
                       set.values.push_back({f.id, reach > 0 ? used / reach * 100.0 : 0.0});
                     }
                     noValueIfEmpty(set);
                   }});
    out.push_back({"filesys.mountdir", [this](ValueSet& set) {
                     for (const auto& f : fss_) set.values.push_back({f.id, f.mount.mountDir});
                   }});
    out.push_back({"filesys.type", [this](ValueSet& set) {
                     for (const auto& f : fss_) set.values.push_back({f.id, f.mount.type});
                   }});
    out.push_back({"filesys.readonly", [this](ValueSet& set) {
                     for (const auto& f : fss_) set.values.push_back({f.id, asU64(f.mount.readOnly ? 1 : 0)});
                   }});
    out.push_back({"hinv.nfilesys", [this](ValueSet& set) {
                     set.values.push_back({kNullInstance, asU64(fss_.size())});
                   }});
    return out;
  }

  int refresh() override {
    auto text = readFile(ctx_.path("proc/mounts"));
    if (!text) return static_cast<int>(Error::Value);
    fss_.clear();
    std::set<std::string> seen;
    for (auto& m : parseMounts(*text).mounts) {
      // A device mounted twice (bind mounts) is one file system: the first mount names it.
      if (!isBlockDeviceMount(m) || !seen.insert(m.device).second) continue;
      FileSystem f;
      f.id = ids_.idFor(m.device);
      // statvfs of a path under a fixture tree would describe the host's disk, not
      // the recorded one, so space figures come only from the live root.
      if (ctx_.root == "/") f.space = statSpace(m.mountDir);
      f.mount = std::move(m);
      fss_.push_back(std::move(f));
    }
    return 0;
  }

  std::vector<InDom> ownedInDoms() const override { return {catalog::kFilesysInDom}; }
  std::vector<Instance> instances(InDom indom) const override {
    std::vector<Instance> out;
    if (indom == catalog::kFilesysInDom)
      for (const auto& f : fss_) out.push_back({f.id, f.mount.device});
    return out;
  }

 private:
  // File systems exist but none could be measured: "no value", never zeros.
  void noValueIfEmpty(ValueSet& set) const {
    if (set.values.empty() && !fss_.empty()) set.status = static_cast<int>(Error::Value);
  }

  LinuxContext ctx_;
  InstanceMap ids_;
  std::vector<FileSystem> fss_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeFilesysGroup(const LinuxContext& ctx) { return std::make_unique<FilesysGroup>(ctx); }

}  // namespace sextant::linuxbe
