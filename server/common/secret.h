// Secrets (Partner keys, webhook secrets, passwords) as values that cannot be
// printed by accident, and secret files that can be rotated without restart.
#ifndef SERVER_COMMON_SECRET_H_
#define SERVER_COMMON_SECRET_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/watched_file.h"

namespace gateway::common {

// A secret string. It has no stream or AbslStringify overload, so it cannot
// end up in a log line or a Status message; `Reveal()` marks every place that
// uses the raw value.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  absl::string_view Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

// A secret read from a file (a Kubernetes Secret mount), trimmed of
// surrounding white space. `Current()` re-reads the file when its
// modification time or size changed, at most once per `recheck` interval, so
// a rotated key takes effect without a restart. A file that becomes
// unreadable or empty keeps the last good value.
class SecretFile {
 public:
  // Reads `path` once; an unreadable or empty file is an error naming the
  // path (never the content).
  static absl::StatusOr<std::unique_ptr<SecretFile>> Open(
      std::string path, absl::Duration recheck = absl::Seconds(5));

  Secret Current() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  SecretFile(std::string path, absl::Duration recheck) : file_(std::move(path), recheck) {}
  absl::Status Reload() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  WatchedFile file_ ABSL_GUARDED_BY(mu_);
  Secret value_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::common

#endif  // SERVER_COMMON_SECRET_H_
