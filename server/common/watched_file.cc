#include "server/common/watched_file.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gateway::common {
namespace {

bool Stat(const std::string& path, int64_t& mtime_ns, int64_t& size) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return false;
  mtime_ns = int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  size = info.st_size;
  return true;
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    struct stat info {};
    return ::stat(path.c_str(), &info) != 0
               ? absl::NotFoundError(absl::StrCat(what, " ", path, " does not exist"))
               : absl::PermissionDeniedError(absl::StrCat(what, " ", path, " is not readable"));
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

absl::StatusOr<std::string> WatchedFile::Read(const char* what) {
  int64_t mtime_ns = 0;
  int64_t size = 0;
  if (!Stat(path_, mtime_ns, size)) return absl::NotFoundError(absl::StrCat(what, " ", path_, " does not exist"));
  absl::StatusOr<std::string> content = ReadFile(path_, what);
  if (content.ok()) {
    mtime_ns_ = mtime_ns;
    size_ = size;
  }
  return content;
}

bool WatchedFile::Changed() {
  const absl::Time now = absl::Now();
  if (now < next_check_) return false;
  next_check_ = now + recheck_;
  int64_t mtime_ns = 0;
  int64_t size = 0;
  return Stat(path_, mtime_ns, size) && (mtime_ns != mtime_ns_ || size != size_);
}

}  // namespace gateway::common
