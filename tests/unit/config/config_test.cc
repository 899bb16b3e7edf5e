#include "server/config/config.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSandboxKey[] = "pk_test_FAKE_config";

std::string WriteFile(const std::string& name, const std::string& content) {
  // Per process: test binaries run in parallel and share the temp dir.
  const std::string path = absl::StrCat(::testing::TempDir(), "/", ::getpid(), "-", name);
  std::ofstream(path, std::ios::trunc) << content;
  return path;
}

const std::string& SandboxKeyFile() {
  static const std::string path = WriteFile("sandbox.key", std::string("  ") + kSandboxKey + "\n");
  return path;
}

TEST(ConfigTest, DefaultsWithOnlyASandboxKey) {
  auto config = ParseConfig({"--sandbox-key-file", SandboxKeyFile()}, {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->grpc_listen, "0.0.0.0:50051");
  EXPECT_EQ(config->partner_base_url, "https://api.peeker.ai/partner/v1");
  EXPECT_EQ(config->partner_connect_timeout, absl::Seconds(3));
  EXPECT_EQ(config->partner_timeout, absl::Seconds(15));
  EXPECT_EQ(config->partner_max_connections, 64);
  EXPECT_EQ(config->partner_rate_limit, 600);
  EXPECT_EQ(config->fleet_size, 1);
  EXPECT_EQ(config->webhook_sandbox_secret, nullptr);  // Events off until a webhook secret is set.
  EXPECT_TRUE(config->webhook_signs_timestamp);
  EXPECT_EQ(config->webhook_tolerance, absl::Seconds(300));
  EXPECT_EQ(config->event_retention, absl::Hours(168));
  EXPECT_EQ(config->stream_heartbeat, absl::Seconds(30));
  EXPECT_EQ(config->sandbox_key->Current().Reveal(), kSandboxKey);  // Trimmed.
  EXPECT_EQ(config->live_key, nullptr);
}

TEST(ConfigTest, EnvironmentVariablesConfigureAndFlagsWin) {
  auto config = ParseConfig({"--grpc-listen=127.0.0.1:7000", "--partner-timeout", "2s"},
                            {{"GATEWAY_SANDBOX_KEY_FILE", SandboxKeyFile()},
                             {"GATEWAY_GRPC_LISTEN", "0.0.0.0:1"},
                             {"GATEWAY_PARTNER_CONNECT_TIMEOUT", "750ms"},
                             {"GATEWAY_PARTNER_BASE_URL", "http://127.0.0.1:8081/partner/v1/"},
                             {"GATEWAY_PARTNER_MAX_CONNECTIONS", "8"},
                             {"GATEWAY_LOG_LEVEL", "debug"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->grpc_listen, "127.0.0.1:7000");
  EXPECT_EQ(config->partner_timeout, absl::Seconds(2));
  EXPECT_EQ(config->partner_connect_timeout, absl::Milliseconds(750));
  EXPECT_EQ(config->partner_base_url, "http://127.0.0.1:8081/partner/v1");
  EXPECT_EQ(config->partner_max_connections, 8);
  EXPECT_EQ(config->log_level, common::LogLevel::kDebug);
}

TEST(ConfigTest, AFlagReplacesABrokenEnvironmentValue) {
  auto config = ParseConfig({"--sandbox-key-file", SandboxKeyFile()},
                            {{"GATEWAY_SANDBOX_KEY_FILE", "/nonexistent/key"}});
  EXPECT_TRUE(config.ok()) << config.status();
}

TEST(ConfigTest, ARedisEventLogNamesHostPortAndDatabase) {
  const std::string password = WriteFile("redis.password", "hunter2-FAKE\n");
  auto config = ParseConfig({"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://redis.default.svc:6380/2",
                             "--redis-password-file", password, "--redis-min-replicas", "1"},
                            {});
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->event_log_redis.has_value());
  EXPECT_EQ(config->event_log_redis->host, "redis.default.svc");
  EXPECT_EQ(config->event_log_redis->port, 6380);
  EXPECT_EQ(config->event_log_redis->db, 2);
  EXPECT_EQ(config->redis_password->Current().Reveal(), "hunter2-FAKE");
  EXPECT_EQ(config->redis_min_replicas, 1);

  config = ParseConfig({"--sandbox-key-file", SandboxKeyFile()}, {{"GATEWAY_EVENT_LOG", "redis://10.0.0.7"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->event_log_redis->host, "10.0.0.7");
  EXPECT_EQ(config->event_log_redis->port, 6379);
  EXPECT_EQ(config->event_log_redis->db, 0);

  // A later --event-log naming a file goes back to SQLite.
  config = ParseConfig({"--sandbox-key-file", SandboxKeyFile(), "--event-log", "/var/lib/events.db"}, {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->event_log_redis.has_value());
  EXPECT_EQ(config->event_log_path, "/var/lib/events.db");
}

struct BadCase {
  const char* name;
  std::vector<std::string> args;
  std::string message;
};

class ConfigRejectionTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigRejectionTest, NamesTheProblemAndNeverTheKey) {
  std::vector<std::string> args = GetParam().args;
  auto config = ParseConfig(args, {});
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr(GetParam().message));
  EXPECT_THAT(config.status().message(), Not(HasSubstr("pk_live_FAKE_wrong_place")));
  EXPECT_THAT(config.status().message(), Not(HasSubstr(kSandboxKey)));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigRejectionTest,
    ::testing::Values(
        BadCase{"NoKey", {}, "no Partner key configured"},
        BadCase{"UnknownFlag", {"--sandbox-key-file", SandboxKeyFile(), "--colour", "blue"}, "unknown flag --colour"},
        BadCase{"MissingValue", {"--sandbox-key-file"}, "--sandbox-key-file needs a value"},
        BadCase{"MissingKeyFile", {"--sandbox-key-file", "/nonexistent/sandbox.key"},
                "--sandbox-key-file (GATEWAY_SANDBOX_KEY_FILE): secret file /nonexistent/sandbox.key does not exist"},
        BadCase{"EmptyKeyFile", {"--sandbox-key-file", WriteFile("empty.key", " \n")}, "is empty"},
        BadCase{"LiveKeyAsSandbox", {"--sandbox-key-file", WriteFile("wrong.key", "pk_live_FAKE_wrong_place")},
                "does not start with pk_test_"},
        BadCase{"SandboxKeyAsLive", {"--live-key-file", SandboxKeyFile()}, "does not start with pk_live_"},
        BadCase{"BadDuration", {"--sandbox-key-file", SandboxKeyFile(), "--partner-timeout", "soon"},
                "--partner-timeout (GATEWAY_PARTNER_TIMEOUT): \"soon\" is not a positive duration"},
        BadCase{"NegativeDuration", {"--sandbox-key-file", SandboxKeyFile(), "--shutdown-grace=-1s"},
                "is not a positive duration"},
        BadCase{"ZeroConnections", {"--sandbox-key-file", SandboxKeyFile(), "--partner-max-connections", "0"},
                "--partner-max-connections (GATEWAY_PARTNER_MAX_CONNECTIONS): \"0\" is not an integer from 1 to 10000"},
        BadCase{"WordForConnections", {"--sandbox-key-file", SandboxKeyFile(), "--partner-max-connections=many"},
                "is not an integer from 1 to 10000"},
        BadCase{"ShortRetention", {"--sandbox-key-file", SandboxKeyFile(), "--event-retention", "24h"},
                "--event-retention (GATEWAY_EVENT_RETENTION): \"24h\" is shorter than 48h"},
        BadCase{"UnknownSignedPayload", {"--sandbox-key-file", SandboxKeyFile(), "--webhook-signed-payload", "json"},
                "\"json\" is not timestamp-body or body"},
        BadCase{"RelativeWebhookPath", {"--sandbox-key-file", SandboxKeyFile(), "--webhook-path", "hooks"},
                "\"hooks\" is not a /path"},
        BadCase{"MissingWebhookSecret",
                {"--sandbox-key-file", SandboxKeyFile(), "--webhook-live-secret-file", "/nonexistent/live.secret"},
                "--webhook-live-secret-file (GATEWAY_WEBHOOK_LIVE_SECRET_FILE): secret file /nonexistent/live.secret"},
        BadCase{"BadListen", {"--sandbox-key-file", SandboxKeyFile(), "--grpc-listen", "nowhere"},
                "\"nowhere\" is not host:port"},
        BadCase{"PortTooLarge", {"--sandbox-key-file", SandboxKeyFile(), "--grpc-listen", "0.0.0.0:70000"},
                "is not host:port"},
        BadCase{"PlainHttpRemote", {"--sandbox-key-file", SandboxKeyFile(), "--partner-base-url", "http://api.peeker.ai"},
                "plain http to a host that is not loopback"},
        BadCase{"NotAUrl", {"--sandbox-key-file", SandboxKeyFile(), "--partner-base-url", "ftp://x"},
                "is not an http(s) URL"},
        BadCase{"NoHost", {"--sandbox-key-file", SandboxKeyFile(), "--partner-base-url", "https:///v1"}, "has no host"},
        BadCase{"MissingCaFile", {"--sandbox-key-file", SandboxKeyFile(), "--partner-ca-file", "/nonexistent/ca.pem"},
                "is not a readable file"},
        BadCase{"RedisWithoutHost", {"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://"},
                "--event-log (GATEWAY_EVENT_LOG): no Redis host in \"redis://\""},
        BadCase{"RedisPortZero", {"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://h:0"},
                "the Redis port in \"redis://h:0\" must be 1-65535"},
        BadCase{"RedisPortTooLarge", {"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://h:99999"},
                "must be 1-65535"},
        BadCase{"RedisDatabase16", {"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://h/16"},
                "the Redis database in \"redis://h/16\" must be 0-15"},
        BadCase{"RedisDatabaseWord", {"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://h/x"},
                "must be 0-15"},
        // The message must not repeat the URL: it holds the password.
        BadCase{"RedisPasswordInUrl",
                {"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://:pk_live_FAKE_wrong_place@h:6379"},
                "put the Redis password in --redis-password-file, not in the URL"},
        BadCase{"RedisPasswordWithoutRedis",
                {"--sandbox-key-file", SandboxKeyFile(), "--redis-password-file", SandboxKeyFile()},
                "--redis-password-file and --redis-min-replicas need --event-log redis://"},
        BadCase{"RedisReplicasWithoutRedis", {"--sandbox-key-file", SandboxKeyFile(), "--redis-min-replicas", "1"},
                "need --event-log redis://"},
        BadCase{"TooManyRedisReplicas",
                {"--sandbox-key-file", SandboxKeyFile(), "--event-log", "redis://h", "--redis-min-replicas", "17"},
                "--redis-min-replicas (GATEWAY_REDIS_MIN_REPLICAS): \"17\" is not an integer from 0 to 16"},
        BadCase{"BadLogLevel", {"--sandbox-key-file", SandboxKeyFile(), "--log-level", "loud"},
                "is not one of debug, info, warning, error"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(ConfigTest, UsageListsEveryFlagWithItsVariable) {
  const std::string usage = Usage();
  for (const char* text : {"--grpc-listen", "GATEWAY_GRPC_LISTEN", "--partner-base-url", "--sandbox-key-file",
                           "--live-key-file", "--partner-ca-file", "--partner-connect-timeout", "--partner-timeout",
                           "--partner-max-connections", "--partner-rate-limit", "--fleet-size", "--partner-breaker-failures",
                           "--partner-breaker-cooldown", "--webhook-listen", "--webhook-path",
                           "--webhook-sandbox-secret-file", "--webhook-live-secret-file", "--webhook-signed-payload",
                           "--webhook-tolerance", "--event-log", "--redis-password-file", "--redis-min-replicas",
                           "--event-retention", "--stream-heartbeat",
                           "--stream-buffer", "--admin-listen", "--shutdown-grace", "--log-level"}) {
    EXPECT_THAT(usage, HasSubstr(text));
  }
}

}  // namespace
}  // namespace gateway::config
