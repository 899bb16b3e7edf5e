#include "tests/integration/redis_server.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace gateway::testing {

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(Options options) {
  std::unique_ptr<RedisServer> server(new RedisServer());
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/gateway-redis-XXXXXX");
  if (::mkdtemp(dir.data()) == nullptr) return absl::InternalError("mkdtemp failed for redis-server's directory");
  server->dir_ = dir;
  auto port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  server->port_ = *port;
  server->argv_ = {REDIS_SERVER_BIN, "--port", absl::StrCat(*port), "--bind", "127.0.0.1", "--dir", dir,
                   "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
                   "--logfile", ""};
  if (!options.password.empty()) server->argv_.insert(server->argv_.end(), {"--requirepass", options.password});
  if (options.replica_of != 0) {
    server->argv_.insert(server->argv_.end(), {"--replicaof", "127.0.0.1", absl::StrCat(options.replica_of)});
  }
  if (absl::Status started = server->Restart(); !started.ok()) return started;
  if (options.replica_of != 0) {
    if (absl::Status synced = server->process_->WaitForOutput("MASTER <-> REPLICA sync: Finished with success",
                                                              absl::Seconds(20));
        !synced.ok()) {
      return absl::UnavailableError(absl::StrCat("the Redis replica did not sync: ", server->process_->Output()));
    }
  }
  return server;
}

void RedisServer::Kill() {
  if (process_ == nullptr) return;
  process_->Signal(SIGKILL);
  process_->Wait(absl::Seconds(10));
}

absl::Status RedisServer::Restart() {
  Kill();
  auto process = ChildProcess::Start(argv_);
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  if (absl::Status ready = process_->WaitForOutput("Ready to accept connections", absl::Seconds(20)); !ready.ok()) {
    return absl::UnavailableError(absl::StrCat("redis-server did not start: ", process_->Output()));
  }
  return absl::OkStatus();
}

RedisServer::~RedisServer() {
  process_.reset();  // SIGKILLs it.
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace gateway::testing
