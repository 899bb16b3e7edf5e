// A child process for integration tests: its stdout and stderr are read
// into memory, line by line, so a test can wait for a "listening on" line and
// search everything the process printed.
#ifndef TESTS_INTEGRATION_CHILD_PROCESS_H_
#define TESTS_INTEGRATION_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gateway::testing {

class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`; the environment is inherited.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(std::vector<std::string> argv);
  ~ChildProcess();  // SIGKILLs a child still running.

  // Waits until a line of output starts with `prefix`; returns the rest.
  absl::StatusOr<std::string> WaitForLine(const std::string& prefix, absl::Duration timeout);
  // Waits until the output contains `text`.
  absl::Status WaitForOutput(const std::string& text, absl::Duration timeout);
  void Signal(int signal_number);
  int pid() const { return pid_; }
  // Waits for exit and for the output it left; the exit code, or
  // 128+signal, or nullopt on timeout.
  std::optional<int> Wait(absl::Duration timeout);
  // Everything written to stdout and stderr so far.
  std::string Output();

 private:
  ChildProcess() = default;
  void ReadLoop(int fd);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::vector<std::thread> readers_;
  absl::Mutex mu_;
  std::string output_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
  int open_streams_ ABSL_GUARDED_BY(mu_) = 0;
};

// A loopback port that was free a moment ago, for a listener that must be
// known before its process starts (the sandbox needs the gateway's webhook
// URL, the gateway the sandbox's API URL; redis-server takes its port as an
// argument).
absl::StatusOr<int> FreeLoopbackPort();

}  // namespace gateway::testing

#endif  // TESTS_INTEGRATION_CHILD_PROCESS_H_
