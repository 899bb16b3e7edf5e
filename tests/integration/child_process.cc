#include "tests/integration/child_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gateway::testing {

absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) return absl::UnavailableError("no free loopback port");
  return ntohs(address.sin_port);
}

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(std::vector<std::string> argv) {
  int out[2];
  int err[2];
  if (pipe(out) != 0 || pipe(err) != 0) return absl::InternalError("pipe failed");
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    // The child dies with the test (also when the test is killed), so no
    // gateway or sandbox outlives it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[0]);
    close(err[0]);
    close(out[1]);
    close(err[1]);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  {
    absl::MutexLock lock(&child->mu_);
    child->open_streams_ = 2;
  }
  child->readers_.emplace_back([raw = child.get(), fd = out[0]] { raw->ReadLoop(fd); });
  child->readers_.emplace_back([raw = child.get(), fd = err[0]] { raw->ReadLoop(fd); });
  return child;
}

void ChildProcess::ReadLoop(int fd) {
  char buffer[4096];
  std::string partial;  // Per stream, so stdout and stderr lines never mix.
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    absl::MutexLock lock(&mu_);
    output_.append(buffer, static_cast<size_t>(n));
    partial.append(buffer, static_cast<size_t>(n));
    size_t newline;
    while ((newline = partial.find('\n')) != std::string::npos) {
      lines_.push_back(partial.substr(0, newline));
      partial.erase(0, newline + 1);
    }
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  --open_streams_;
}

absl::StatusOr<std::string> ChildProcess::WaitForLine(const std::string& prefix, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  std::string found;
  auto has_line = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const std::string& line : lines_) {
      if (absl::StartsWith(line, prefix)) {
        found = line.substr(prefix.size());
        return true;
      }
    }
    return open_streams_ == 0;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&has_line), timeout) || found.empty()) {
    return absl::DeadlineExceededError(
        absl::StrCat("no line starting with \"", prefix, "\"; output so far:\n", output_));
  }
  return found;
}

absl::Status ChildProcess::WaitForOutput(const std::string& text, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto has_text = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return absl::StrContains(output_, text) || open_streams_ == 0;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&has_text), timeout) || !absl::StrContains(output_, text)) {
    return absl::DeadlineExceededError(absl::StrCat("no \"", text, "\" in the output so far:\n", output_));
  }
  return absl::OkStatus();
}

void ChildProcess::Signal(int signal_number) {
  if (pid_ > 0 && !exit_code_.has_value()) kill(pid_, signal_number);
}

std::optional<int> ChildProcess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!exit_code_.has_value()) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(10));  // Polling waitpid: there is no fd to wait on.
  }
  // The child is gone; let the readers take in the rest of its output.
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithDeadline(absl::Condition(
                            +[](int* open_streams) { return *open_streams == 0; }, &open_streams_),
                        std::max(deadline, absl::Now() + absl::Seconds(1)));
  return exit_code_;
}

std::string ChildProcess::Output() {
  absl::MutexLock lock(&mu_);
  return output_;
}

ChildProcess::~ChildProcess() {
  if (!exit_code_.has_value()) {
    Signal(SIGKILL);
    Wait(absl::Seconds(10));
  }
  for (std::thread& reader : readers_) reader.join();
}

}  // namespace gateway::testing
