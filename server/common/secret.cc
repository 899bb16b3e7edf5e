#include "server/common/secret.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

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
  // A failed reload keeps the previous value: a half-written rotation must
  // not take the gateway down.
  if (file_.Changed()) (void)Reload();
  return value_;
}

absl::Status SecretFile::Reload() {
  ASSIGN_OR_RETURN(const std::string content, file_.Read("secret file"));
  std::string value(absl::StripAsciiWhitespace(content));
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("secret file ", file_.path(), " is empty"));
  value_ = Secret(std::move(value));
  return absl::OkStatus();
}

}  // namespace gateway::common
