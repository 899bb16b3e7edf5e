// A redis-server of a test's own: on a free loopback port, in a temporary
// directory, with AOF on and `appendfsync always`, so what it acknowledged
// survives a SIGKILL. Stopped and its directory removed on destruction.
#ifndef TESTS_INTEGRATION_REDIS_SERVER_H_
#define TESTS_INTEGRATION_REDIS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tests/integration/child_process.h"

namespace gateway::testing {

class RedisServer {
 public:
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start();
  ~RedisServer();

  int port() const { return port_; }
  ChildProcess& process() { return *process_; }

 private:
  RedisServer() = default;
  int port_ = 0;
  std::string dir_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace gateway::testing

#endif  // TESTS_INTEGRATION_REDIS_SERVER_H_
