// A redis-server of a test's own: on a free loopback port, in a temporary
// directory, with AOF on and `appendfsync always`, so what it acknowledged
// survives a SIGKILL. Stopped and its directory removed on destruction.
#ifndef TESTS_INTEGRATION_REDIS_SERVER_H_
#define TESTS_INTEGRATION_REDIS_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/integration/child_process.h"

namespace gateway::testing {

class RedisServer {
 public:
  struct Options {
    // `requirepass` when not empty.
    std::string password;
    // A replica of the server on this port when not 0; Start returns once
    // its first sync is done.
    int replica_of = 0;
  };
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start() { return Start(Options()); }
  ~RedisServer();

  int port() const { return port_; }
  ChildProcess& process() { return *process_; }

  // SIGKILL, as a crash would; what the AOF holds stays for Restart.
  void Kill();
  // Starts it again on the same port and directory, from its AOF.
  absl::Status Restart();

 private:
  RedisServer() = default;
  int port_ = 0;
  std::string dir_;
  std::vector<std::string> argv_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace gateway::testing

#endif  // TESTS_INTEGRATION_REDIS_SERVER_H_
