#include "server/common/secret.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gateway::common {

absl::StatusOr<std::unique_ptr<SecretFile>> SecretFile::Open(std::string path,
                                                             absl::Duration recheck) {
  std::unique_ptr<SecretFile> file(new SecretFile(std::move(path), recheck));
  absl::MutexLock lock(&file->mu_);
  if (absl::Status status = file->Reload(); !status.ok()) return status;
  return file;
}

Secret SecretFile::Current() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = absl::Now();
  if (now >= next_check_) {
    next_check_ = now + recheck_;
    struct stat info {};
    if (::stat(path_.c_str(), &info) == 0) {
      const int64_t mtime_ns = int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
      if (mtime_ns != mtime_ns_ || info.st_size != size_) {
        // A failed reload keeps the previous value: a half-written rotation
        // must not take the gateway down.
        (void)Reload();
      }
    }
  }
  return value_;
}

absl::Status SecretFile::Reload() {
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat("secret file ", path_, " does not exist"));
  }
  std::ifstream in(path_, std::ios::binary);
  if (!in) return absl::PermissionDeniedError(absl::StrCat("secret file ", path_, " is not readable"));
  std::stringstream content;
  content << in.rdbuf();
  std::string value(absl::StripAsciiWhitespace(content.str()));
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("secret file ", path_, " is empty"));
  value_ = Secret(std::move(value));
  mtime_ns_ = int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  size_ = info.st_size;
  return absl::OkStatus();
}

}  // namespace gateway::common
