// One connection to a Redis server, shared by the threads of one user (one
// command at a time) and made again after a failure: while Redis cannot be
// reached, a new attempt waits 100 ms, doubling to 5 s, and calls in between
// fail at once with the last error (UNAVAILABLE), so an outage costs no busy
// loop. Built on hiredis.
#ifndef SERVER_REDIS_REDIS_CLIENT_H_
#define SERVER_REDIS_REDIS_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/secret.h"

struct redisContext;

namespace gateway::redis {

// A Redis answer, copied out of hiredis's reply.
struct Reply {
  enum Type { kString, kArray, kInteger, kNil, kStatus, kError, kOther };
  Type type = kNil;
  long long integer = 0;
  std::string text;  // kString, kStatus
  std::vector<Reply> elements;
};

class RedisClient {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
    // Read on every connect and sent with AUTH when set, so a rotated
    // password takes effect on the next connection; never logged or put in
    // a status.
    std::shared_ptr<common::SecretFile> password;
    // Bounds connecting, and each answer unless a command says otherwise.
    absl::Duration timeout = absl::Seconds(2);
  };

  // Connects on first use.
  explicit RedisClient(Options options) : options_(std::move(options)) {}
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;
  ~RedisClient();

  // Runs one command; `what` names it in errors. A connection that fails is
  // dropped, so the next call reconnects; one that Redis closed while idle
  // (a restart) gets the command once more on a new connection, so only
  // commands safe to run twice belong here. `timeout` (default: the
  // options') bounds the wait for the answer. Errors are UNAVAILABLE: no
  // connection, or Redis's error reply. Thread-safe.
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args, absl::string_view what,
                                absl::Duration timeout = absl::ZeroDuration()) ABSL_LOCKS_EXCLUDED(mu_);

  const Options& options() const { return options_; }

 private:
  absl::Status Connect() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sends one command on the open connection. When the connection fails it
  // is dropped, and `closed` says whether Redis had closed it.
  absl::StatusOr<Reply> Send(const std::vector<std::string>& args, absl::string_view what, absl::Duration timeout,
                             bool& closed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  absl::Mutex mu_;
  redisContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  absl::Time next_attempt_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Duration backoff_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::redis

#endif  // SERVER_REDIS_REDIS_CLIENT_H_
