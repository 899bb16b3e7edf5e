// A file that is re-read when it changes (a Kubernetes Secret or ConfigMap
// mount): its modification time or size, looked at no more than once per
// `recheck`. Not thread-safe; its owner serializes the calls.
#ifndef SERVER_COMMON_WATCHED_FILE_H_
#define SERVER_COMMON_WATCHED_FILE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gateway::common {

// The whole content of the file at `path`; `what` names it in errors
// ("secret file /run/key does not exist", NOT_FOUND; "… is not readable",
// PERMISSION_DENIED).
absl::StatusOr<std::string> ReadFile(const std::string& path, const char* what);

class WatchedFile {
 public:
  WatchedFile(std::string path, absl::Duration recheck) : path_(std::move(path)), recheck_(recheck) {}

  // Reads the whole file now. `what` names it in errors ("secret file").
  absl::StatusOr<std::string> Read(const char* what);
  // Whether the recheck interval has passed and the file differs from what
  // Read last returned.
  bool Changed();
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  const absl::Duration recheck_;
  int64_t mtime_ns_ = 0;
  int64_t size_ = -1;
  absl::Time next_check_ = absl::InfinitePast();
};

}  // namespace gateway::common

#endif  // SERVER_COMMON_WATCHED_FILE_H_
