// The gateway's configuration: command-line flags and environment variables
// (flags win), secrets only from files, all validated once at start-up into
// one immutable Config. Nothing else in the gateway reads flags or the
// environment.
#ifndef SERVER_CONFIG_CONFIG_H_
#define SERVER_CONFIG_CONFIG_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/authz_processor.h"
#include "server/common/log.h"
#include "server/common/secret.h"

namespace gateway::config {

// A Redis server: --event-log redis://host[:port][/db].
struct RedisAddress {
  std::string host;
  int port = 6379;
  int db = 0;
};

struct Config {
  // gRPC listen address, host:port; port 0 picks a free port.
  std::string grpc_listen = "0.0.0.0:50051";
  // TLS on the gRPC port: the server's certificate chain and key (PEM,
  // re-read when they change); with a client CA, mutual TLS: every caller
  // presents a certificate that CA issued. Empty: plaintext.
  std::string grpc_tls_cert_file;
  std::string grpc_tls_key_file;
  std::string grpc_client_ca_file;
  // The authorization policy (gRFC A43 JSON), re-read when it changes; needs
  // TLS. Null: every caller may call every method.
  std::shared_ptr<auth::PolicyFile> authz_policy;
  // Partner API base URL without a trailing slash.
  std::string partner_base_url = "https://api.peeker.ai/partner/v1";
  // Extra CA bundle for the Partner's TLS certificate; empty: system CAs.
  std::string partner_ca_file;
  absl::Duration partner_connect_timeout = absl::Seconds(3);
  absl::Duration partner_timeout = absl::Seconds(15);
  // Most connections open to the Partner at once; more calls queue for one.
  int partner_max_connections = 64;
  // Calls per minute per Partner key; the Partner allows 600.
  int partner_rate_limit = 600;
  // Replicas in the fleet: with Redis unreachable, each keeps to
  // partner_rate_limit / fleet_size.
  int fleet_size = 1;
  // Consecutive failures that open a Partner environment's circuit breaker,
  // and how long it stays open before a probe.
  int partner_breaker_failures = 5;
  absl::Duration partner_breaker_cooldown = absl::Seconds(10);
  // Most names one CheckAvailability call may check; split into batches of
  // the Partner's 50.
  int max_availability_names = 500;
  // How often the partner health check asks GET /me with each key.
  absl::Duration readiness_interval = absl::Seconds(10);
  // Key files; at least one is set. Content is checked for its prefix.
  std::shared_ptr<common::SecretFile> sandbox_key;
  std::shared_ptr<common::SecretFile> live_key;
  // Webhook receiver and order event streams; enabled when at least one
  // webhook secret file is set.
  std::string webhook_listen = "0.0.0.0:8080";
  std::string webhook_path = "/webhooks/peeker";
  // Each non-empty line of a file is one accepted secret (rotation).
  std::shared_ptr<common::SecretFile> webhook_sandbox_secret;
  std::shared_ptr<common::SecretFile> webhook_live_secret;
  // "timestamp-body" signs "{Peeker-Timestamp}.{body}"; "body" the body.
  bool webhook_signs_timestamp = true;
  absl::Duration webhook_tolerance = absl::Seconds(300);
  // The event log: a SQLite file (one replica), or with `event_log_redis`
  // set, the Redis server every replica shares.
  std::string event_log_path = "partner-gateway-events.db";
  std::optional<RedisAddress> event_log_redis;
  std::shared_ptr<common::SecretFile> redis_password;
  // Redis replicas that must have an event before its webhook is answered.
  int redis_min_replicas = 0;
  // Also the dedupe window, so at least 48 h (the Partner retries for 24 h).
  absl::Duration event_retention = absl::Hours(24 * 7);
  absl::Duration stream_heartbeat = absl::Seconds(30);
  int stream_buffer = 1024;
  // Admin HTTP: /metrics and /healthz.
  std::string admin_listen = "0.0.0.0:9090";
  // How long in-flight RPCs may finish after SIGTERM.
  absl::Duration shutdown_grace = absl::Seconds(10);
  common::LogLevel log_level = common::LogLevel::kInfo;
};

// Parses `args` (without the program name) and `env` into a Config. An
// unknown flag, a bad value, an unreadable key file or a key with the wrong
// prefix is an error whose message names the flag and its environment
// variable, never a key's content.
absl::StatusOr<Config> ParseConfig(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env);

// The --help text: every flag, its environment variable and its default.
std::string Usage();

}  // namespace gateway::config

#endif  // SERVER_CONFIG_CONFIG_H_
