#include "server/config/config.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/auth/tls.h"
#include "server/common/status_macros.h"

namespace gateway::config {
namespace {

// One configuration option: `--flag VALUE` / `--flag=VALUE`, or the
// environment variable `env`.
struct Option {
  const char* flag;
  const char* env;
  const char* value_name;
  const char* help;
  absl::Status (*apply)(absl::string_view value, Config& config);
};

absl::Status ParseDurationValue(absl::string_view value, absl::Duration& out) {
  absl::Duration duration;
  if (!absl::ParseDuration(value, &duration) || duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not a positive duration such as 3s or 500ms"));
  }
  out = duration;
  return absl::OkStatus();
}

absl::Status ParseIntValue(absl::string_view value, int min, int max, int& out) {
  int number = 0;
  if (!absl::SimpleAtoi(value, &number) || number < min || number > max) {
    return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not an integer from ", min, " to ", max));
  }
  out = number;
  return absl::OkStatus();
}

// Accepts host:port or [v6]:port with a port in 0–65535.
absl::Status ParseListen(absl::string_view value, std::string& out) {
  const size_t colon = value.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos || colon == 0 || !absl::SimpleAtoi(value.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not host:port"));
  }
  out = std::string(value);
  return absl::OkStatus();
}

bool IsLoopbackUrl(absl::string_view rest) {
  for (absl::string_view host : {"127.", "localhost:", "localhost/", "[::1]"}) {
    if (absl::StartsWith(rest, host)) return true;
  }
  return rest == "localhost";
}

absl::Status ParseBaseUrl(absl::string_view value, std::string& out) {
  absl::string_view url = absl::StripSuffix(value, "/");
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "https://")) {
  } else if (absl::ConsumePrefix(&rest, "http://")) {
    // The key travels in a header: plain HTTP only to this machine (the
    // partner-sandbox emulator), never across a network.
    if (!IsLoopbackUrl(rest)) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", value, "\" uses plain http to a host that is not loopback; use https"));
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not an http(s) URL"));
  }
  if (rest.empty() || absl::StartsWith(rest, "/")) {
    return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" has no host"));
  }
  out = std::string(url);
  return absl::OkStatus();
}

absl::Status ReadableFile(absl::string_view path, std::string& out) {
  if (::access(std::string(path).c_str(), R_OK) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a readable file"));
  }
  out = std::string(path);
  return absl::OkStatus();
}

// The gRPC port's TLS settings go together, and a live key is served only to
// callers a policy names under mutual TLS: an anonymous caller must never
// spend live money.
absl::Status CheckGrpcSecurity(const Config& config) {
  const bool tls = !config.grpc_tls_cert_file.empty();
  if (tls != !config.grpc_tls_key_file.empty()) {
    return absl::InvalidArgumentError("--grpc-tls-cert-file and --grpc-tls-key-file go together");
  }
  if (!tls && !config.grpc_client_ca_file.empty()) {
    return absl::InvalidArgumentError("--grpc-client-ca-file needs --grpc-tls-cert-file and --grpc-tls-key-file");
  }
  if (!tls && config.authz_policy != nullptr) {
    return absl::InvalidArgumentError(
        "--authz-policy-file needs TLS (--grpc-tls-cert-file, --grpc-tls-key-file): its principals come from "
        "certificates");
  }
  if (config.live_key != nullptr && (config.grpc_client_ca_file.empty() || config.authz_policy == nullptr)) {
    return absl::InvalidArgumentError(
        "a live key (--live-key-file) needs mutual TLS and an authorization policy (--grpc-tls-cert-file, "
        "--grpc-tls-key-file, --grpc-client-ca-file, --authz-policy-file), so that only the callers the policy "
        "names can spend live money");
  }
  if (tls) RETURN_IF_ERROR(auth::CheckKeyPair(config.grpc_tls_cert_file, config.grpc_tls_key_file));
  return absl::OkStatus();
}

absl::Status OpenSecret(absl::string_view path, std::shared_ptr<common::SecretFile>& out) {
  ASSIGN_OR_RETURN(std::unique_ptr<common::SecretFile> file, common::SecretFile::Open(std::string(path)));
  out = std::move(file);
  return absl::OkStatus();
}

absl::Status OpenKey(absl::string_view path, absl::string_view prefix, std::shared_ptr<common::SecretFile>& out) {
  RETURN_IF_ERROR(OpenSecret(path, out));
  if (!absl::StartsWith(out->Current().Reveal(), prefix)) {
    out.reset();
    return absl::InvalidArgumentError(absl::StrCat("the key in ", path, " does not start with ", prefix));
  }
  return absl::OkStatus();
}

absl::Status ParseSignedPayload(absl::string_view value, bool& signs_timestamp) {
  if (value != "timestamp-body" && value != "body") {
    return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not timestamp-body or body"));
  }
  signs_timestamp = value == "timestamp-body";
  return absl::OkStatus();
}

absl::Status ParseRetention(absl::string_view value, absl::Duration& out) {
  RETURN_IF_ERROR(ParseDurationValue(value, out));
  if (out < absl::Hours(48)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", value, "\" is shorter than 48h; retention is also the dedupe window and the Partner retries for 24h"));
  }
  return absl::OkStatus();
}

absl::StatusOr<RedisAddress> ParseRedisUrl(absl::string_view url) {
  absl::string_view rest = url;
  absl::ConsumePrefix(&rest, "redis://");
  if (absl::StrContains(rest, '@')) {
    return absl::InvalidArgumentError("put the Redis password in --redis-password-file, not in the URL");
  }
  RedisAddress address;
  const size_t slash = rest.find('/');
  if (slash != absl::string_view::npos) {
    const absl::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!absl::SimpleAtoi(db, &address.db) || address.db < 0 || address.db > 15)) {
      return absl::InvalidArgumentError(absl::StrCat("the Redis database in \"", url, "\" must be 0-15"));
    }
    rest = rest.substr(0, slash);
  }
  const size_t colon = rest.rfind(':');
  if (colon != absl::string_view::npos) {
    if (!absl::SimpleAtoi(rest.substr(colon + 1), &address.port) || address.port < 1 || address.port > 65535) {
      return absl::InvalidArgumentError(absl::StrCat("the Redis port in \"", url, "\" must be 1-65535"));
    }
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return absl::InvalidArgumentError(absl::StrCat("no Redis host in \"", url, "\""));
  address.host = std::string(rest);
  return address;
}

absl::Status ParsePath(absl::string_view value, std::string& out) {
  if (!absl::StartsWith(value, "/")) return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not a /path"));
  out = std::string(value);
  return absl::OkStatus();
}

absl::Status ParseLogLevel(absl::string_view value, common::LogLevel& out) {
  static constexpr std::pair<absl::string_view, common::LogLevel> kLevels[] = {
      {"debug", common::LogLevel::kDebug},
      {"info", common::LogLevel::kInfo},
      {"warning", common::LogLevel::kWarning},
      {"error", common::LogLevel::kError}};
  for (const auto& [name, level] : kLevels) {
    if (value == name) {
      out = level;
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("\"", value, "\" is not one of debug, info, warning, error"));
}

constexpr Option kOptions[] = {
    {"--grpc-listen", "GATEWAY_GRPC_LISTEN", "HOST:PORT", "gRPC listen address (port 0: any free port)",
     [](absl::string_view v, Config& c) { return ParseListen(v, c.grpc_listen); }},
    {"--grpc-tls-cert-file", "GATEWAY_GRPC_TLS_CERT_FILE", "PATH",
     "TLS on the gRPC port: the server's PEM certificate chain; re-read when it changes",
     [](absl::string_view v, Config& c) { return ReadableFile(v, c.grpc_tls_cert_file); }},
    {"--grpc-tls-key-file", "GATEWAY_GRPC_TLS_KEY_FILE", "PATH",
     "the PEM private key of --grpc-tls-cert-file; re-read when it changes",
     [](absl::string_view v, Config& c) { return ReadableFile(v, c.grpc_tls_key_file); }},
    {"--grpc-client-ca-file", "GATEWAY_GRPC_CLIENT_CA_FILE", "PATH",
     "mutual TLS: every caller presents a certificate this PEM CA bundle issued; re-read when it changes",
     [](absl::string_view v, Config& c) { return ReadableFile(v, c.grpc_client_ca_file); }},
    {"--authz-policy-file", "GATEWAY_AUTHZ_POLICY_FILE", "PATH",
     "which callers may call which methods in which environment (gRPC authorization policy JSON); needs TLS",
     [](absl::string_view v, Config& c) {
       ASSIGN_OR_RETURN(std::unique_ptr<auth::PolicyFile> policy, auth::PolicyFile::Open(std::string(v)));
       c.authz_policy = std::move(policy);
       return absl::OkStatus();
     }},
    {"--partner-base-url", "GATEWAY_PARTNER_BASE_URL", "URL",
     "Partner API base URL; plain http only to loopback (partner-sandbox)",
     [](absl::string_view v, Config& c) { return ParseBaseUrl(v, c.partner_base_url); }},
    {"--sandbox-key-file", "GATEWAY_SANDBOX_KEY_FILE", "PATH",
     "file holding the pk_test_ key; re-read when it changes",
     [](absl::string_view v, Config& c) { return OpenKey(v, "pk_test_", c.sandbox_key); }},
    {"--live-key-file", "GATEWAY_LIVE_KEY_FILE", "PATH", "file holding the pk_live_ key; re-read when it changes",
     [](absl::string_view v, Config& c) { return OpenKey(v, "pk_live_", c.live_key); }},
    {"--partner-ca-file", "GATEWAY_PARTNER_CA_FILE", "PATH",
     "CA bundle to verify the Partner's TLS certificate (default: system CAs)",
     [](absl::string_view v, Config& c) { return ReadableFile(v, c.partner_ca_file); }},
    {"--partner-connect-timeout", "GATEWAY_PARTNER_CONNECT_TIMEOUT", "DURATION",
     "TCP+TLS connect timeout towards the Partner",
     [](absl::string_view v, Config& c) { return ParseDurationValue(v, c.partner_connect_timeout); }},
    {"--partner-timeout", "GATEWAY_PARTNER_TIMEOUT", "DURATION",
     "upper bound of one Partner call (each attempt; all of a write's with a request_id); the caller's deadline "
     "may be shorter",
     [](absl::string_view v, Config& c) { return ParseDurationValue(v, c.partner_timeout); }},
    {"--partner-max-connections", "GATEWAY_PARTNER_MAX_CONNECTIONS", "N",
     "most connections open to the Partner at once (1-10000); further calls wait for one",
     [](absl::string_view v, Config& c) { return ParseIntValue(v, 1, 10'000, c.partner_max_connections); }},
    {"--partner-rate-limit", "GATEWAY_PARTNER_RATE_LIMIT", "N",
     "calls per Partner key in any 60 s (1-1000000), each at once while there is room; the Partner allows 600",
     [](absl::string_view v, Config& c) { return ParseIntValue(v, 1, 1'000'000, c.partner_rate_limit); }},
    {"--fleet-size", "GATEWAY_FLEET_SIZE", "N",
     "replicas sharing the Partner rate budget through Redis (1-1000); each keeps to its share while Redis is down",
     [](absl::string_view v, Config& c) { return ParseIntValue(v, 1, 1000, c.fleet_size); }},
    {"--partner-breaker-failures", "GATEWAY_PARTNER_BREAKER_FAILURES", "N",
     "failures in a row (5xx, no connection) after which calls fail fast (1-1000)",
     [](absl::string_view v, Config& c) { return ParseIntValue(v, 1, 1000, c.partner_breaker_failures); }},
    {"--partner-breaker-cooldown", "GATEWAY_PARTNER_BREAKER_COOLDOWN", "DURATION",
     "how long calls fail fast before one probe goes to the Partner",
     [](absl::string_view v, Config& c) { return ParseDurationValue(v, c.partner_breaker_cooldown); }},
    {"--max-availability-names", "GATEWAY_MAX_AVAILABILITY_NAMES", "N",
     "most names one CheckAvailability call may check (1-5000); sent to the Partner 50 at a time",
     [](absl::string_view v, Config& c) { return ParseIntValue(v, 1, 5000, c.max_availability_names); }},
    {"--readiness-interval", "GATEWAY_READINESS_INTERVAL", "DURATION",
     "how often the partner health check calls the Partner's GET /me with each configured key",
     [](absl::string_view v, Config& c) { return ParseDurationValue(v, c.readiness_interval); }},
    {"--webhook-listen", "GATEWAY_WEBHOOK_LISTEN", "HOST:PORT", "webhook receiver address (port 0: any free port)",
     [](absl::string_view v, Config& c) { return ParseListen(v, c.webhook_listen); }},
    {"--webhook-path", "GATEWAY_WEBHOOK_PATH", "PATH", "the one path the Partner POSTs webhooks to",
     [](absl::string_view v, Config& c) { return ParsePath(v, c.webhook_path); }},
    {"--webhook-sandbox-secret-file", "GATEWAY_WEBHOOK_SANDBOX_SECRET_FILE", "PATH",
     "sandbox webhook secrets, one per line; enables the receiver and event streams",
     [](absl::string_view v, Config& c) { return OpenSecret(v, c.webhook_sandbox_secret); }},
    {"--webhook-live-secret-file", "GATEWAY_WEBHOOK_LIVE_SECRET_FILE", "PATH",
     "live webhook secrets, one per line; enables the receiver and event streams",
     [](absl::string_view v, Config& c) { return OpenSecret(v, c.webhook_live_secret); }},
    {"--webhook-signed-payload", "GATEWAY_WEBHOOK_SIGNED_PAYLOAD", "MODE",
     "what the signature covers: timestamp-body (\"{Peeker-Timestamp}.{body}\") or body",
     [](absl::string_view v, Config& c) { return ParseSignedPayload(v, c.webhook_signs_timestamp); }},
    {"--webhook-tolerance", "GATEWAY_WEBHOOK_TOLERANCE", "DURATION",
     "how far Peeker-Timestamp may be from now, either way",
     [](absl::string_view v, Config& c) { return ParseDurationValue(v, c.webhook_tolerance); }},
    {"--event-log", "GATEWAY_EVENT_LOG", "PATH|URL",
     "the store of the event log and the request ids: a SQLite file (created if absent), or "
     "redis://HOST[:PORT][/DB] for one every replica shares",
     [](absl::string_view v, Config& c) {
       if (!absl::StartsWith(v, "redis://")) {
         c.event_log_path = std::string(v);
         c.event_log_redis.reset();
         return absl::OkStatus();
       }
       ASSIGN_OR_RETURN(c.event_log_redis, ParseRedisUrl(v));
       return absl::OkStatus();
     }},
    {"--redis-password-file", "GATEWAY_REDIS_PASSWORD_FILE", "PATH",
     "file holding the Redis password (AUTH); re-read when it changes, used from the next connection",
     [](absl::string_view v, Config& c) { return OpenSecret(v, c.redis_password); }},
    {"--redis-min-replicas", "GATEWAY_REDIS_MIN_REPLICAS", "N",
     "Redis replicas (0-16) that must hold an event (WAIT) before its webhook is answered",
     [](absl::string_view v, Config& c) { return ParseIntValue(v, 0, 16, c.redis_min_replicas); }},
    {"--event-retention", "GATEWAY_EVENT_RETENTION", "DURATION",
     "how long events are kept, and deduplicated (at least 48h)",
     [](absl::string_view v, Config& c) { return ParseRetention(v, c.event_retention); }},
    {"--stream-heartbeat", "GATEWAY_STREAM_HEARTBEAT", "DURATION", "a quiet event stream gets a heartbeat this often",
     [](absl::string_view v, Config& c) { return ParseDurationValue(v, c.stream_heartbeat); }},
    {"--stream-buffer", "GATEWAY_STREAM_BUFFER", "N",
     "events a subscriber may fall behind before its stream ends with its cursor (1-1000000)",
     [](absl::string_view v, Config& c) { return ParseIntValue(v, 1, 1'000'000, c.stream_buffer); }},
    {"--admin-listen", "GATEWAY_ADMIN_LISTEN", "HOST:PORT", "admin HTTP address: /metrics and /healthz",
     [](absl::string_view v, Config& c) { return ParseListen(v, c.admin_listen); }},
    {"--shutdown-grace", "GATEWAY_SHUTDOWN_GRACE", "DURATION",
     "how long in-flight calls may finish after SIGTERM",
     [](absl::string_view v, Config& c) { return ParseDurationValue(v, c.shutdown_grace); }},
    {"--log-level", "GATEWAY_LOG_LEVEL", "LEVEL", "debug, info, warning or error",
     [](absl::string_view v, Config& c) { return ParseLogLevel(v, c.log_level); }},
};

const Option* FindFlag(absl::string_view flag) {
  for (const Option& option : kOptions) {
    if (flag == option.flag) return &option;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<Config> ParseConfig(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env) {
  // One value per option: a flag replaces its environment variable, and a
  // later flag an earlier one, before anything is applied.
  std::map<const Option*, std::string> settings;
  for (const Option& option : kOptions) {
    if (auto it = env.find(option.env); it != env.end() && !it->second.empty()) settings[&option] = it->second;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    std::string value;
    const size_t equals = arg.find('=');
    const Option* option = FindFlag(arg.substr(0, equals));
    if (option == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg, " (see --help)"));
    if (equals != absl::string_view::npos) {
      value = std::string(arg.substr(equals + 1));
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat(option->flag, " needs a value"));
    }
    settings[option] = std::move(value);
  }

  Config config;
  for (const auto& [option, value] : settings) {
    if (absl::Status status = option->apply(value, config); !status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat(option->flag, " (", option->env, "): ", status.message()));
    }
  }
  if (!config.event_log_redis.has_value() && (config.redis_password != nullptr || config.redis_min_replicas > 0)) {
    return absl::InvalidArgumentError(
        "--redis-password-file and --redis-min-replicas need --event-log redis://HOST[:PORT][/DB]");
  }
  RETURN_IF_ERROR(CheckGrpcSecurity(config));
  if (config.sandbox_key == nullptr && config.live_key == nullptr) {
    return absl::InvalidArgumentError(
        "no Partner key configured: set --sandbox-key-file (GATEWAY_SANDBOX_KEY_FILE) and/or --live-key-file "
        "(GATEWAY_LIVE_KEY_FILE)");
  }
  return config;
}

std::string Usage() {
  const Config defaults;
  std::string text =
      "Usage: partner-gateway [FLAGS]\n"
      "The gRPC gateway to the Peeker Partner API. Every flag can also be set with the environment\n"
      "variable shown; a flag wins over its variable. Secrets are read only from files.\n\n";
  for (const Option& option : kOptions) {
    absl::StrAppend(&text, "  ", option.flag, " ", option.value_name, "  [", option.env, "]\n      ", option.help,
                    "\n");
  }
  absl::StrAppend(&text, "\nDefaults: --grpc-listen ", defaults.grpc_listen, ", --webhook-listen ",
                  defaults.webhook_listen, ", --webhook-path ", defaults.webhook_path,
                  ", --webhook-signed-payload timestamp-body, --webhook-tolerance ",
                  absl::FormatDuration(defaults.webhook_tolerance), ", --event-log ", defaults.event_log_path,
                  ", --redis-min-replicas ", defaults.redis_min_replicas, ", --event-retention ",
                  absl::FormatDuration(defaults.event_retention), ", --stream-heartbeat ",
                  absl::FormatDuration(defaults.stream_heartbeat), ", --stream-buffer ", defaults.stream_buffer,
                  ", --admin-listen ", defaults.admin_listen, ", --partner-base-url ",
                  defaults.partner_base_url, ", --partner-connect-timeout ",
                  absl::FormatDuration(defaults.partner_connect_timeout), ", --partner-timeout ",
                  absl::FormatDuration(defaults.partner_timeout), ", --partner-max-connections ",
                  defaults.partner_max_connections, ", --partner-rate-limit ", defaults.partner_rate_limit,
                  ", --fleet-size ", defaults.fleet_size, ", --partner-breaker-failures ", defaults.partner_breaker_failures, ", --partner-breaker-cooldown ",
                  absl::FormatDuration(defaults.partner_breaker_cooldown), ", --max-availability-names ",
                  defaults.max_availability_names, ", --readiness-interval ",
                  absl::FormatDuration(defaults.readiness_interval), ", --shutdown-grace ",
                  absl::FormatDuration(defaults.shutdown_grace), ", --log-level info.\n");
  return text;
}

}  // namespace gateway::config
