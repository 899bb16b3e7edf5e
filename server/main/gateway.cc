#include "server/main/gateway.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "server/auth/tls.h"
#include "server/common/log.h"
#include "server/common/process_metrics.h"
#include "server/events/redis_event_log.h"
#include "server/events/sqlite_event_log.h"
#include "server/partner/json_reader.h"
#include "server/requests/redis_request_ledger.h"
#include "server/requests/sqlite_request_ledger.h"

namespace gateway {
namespace {

int Milliseconds(absl::Duration duration) { return static_cast<int>(absl::ToInt64Milliseconds(duration)); }

// Connection management from DESIGN.md §7: keepalive that survives idle
// proxies, and a maximum connection age so Kubernetes spreads clients over
// new replicas.
void SetChannelArguments(grpc::ServerBuilder& builder) {
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(absl::Minutes(10)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Milliseconds(absl::Seconds(20)));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             Milliseconds(absl::Seconds(10)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, Milliseconds(absl::Minutes(5)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, Milliseconds(absl::Seconds(30)));
}

redis::RedisClient::Options RedisOptions(const config::Config& config) {
  redis::RedisClient::Options options;
  options.host = config.event_log_redis->host;
  options.port = config.event_log_redis->port;
  options.db = config.event_log_redis->db;
  options.password = config.redis_password;
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(const config::Config& config) {
  std::unique_ptr<Gateway> gateway(new Gateway());

  http::CurlHttpClient::Options http_options;
  http_options.connect_timeout = config.partner_connect_timeout;
  http_options.ca_file = config.partner_ca_file;
  http_options.max_connections_per_host = config.partner_max_connections;
  gateway->http_ = std::make_unique<http::CurlHttpClient>(http_options);

  partner::PartnerClient::Options partner_options;
  partner_options.base_url = config.partner_base_url;
  partner_options.default_timeout = config.partner_timeout;
  partner_options.rate_limit_per_minute = config.partner_rate_limit;
  partner_options.fleet_size = config.fleet_size;
  if (config.event_log_redis.has_value()) {
    gateway->budget_redis_ = std::make_unique<redis::RedisClient>(RedisOptions(config));
    partner_options.shared_budget = gateway->budget_redis_.get();
  }
  partner_options.breaker.failure_threshold = config.partner_breaker_failures;
  partner_options.breaker.cooldown = config.partner_breaker_cooldown;
  partner_options.max_availability_names = config.max_availability_names;
  gateway->partner_ = std::make_unique<partner::PartnerClient>(
      gateway->http_.get(), partner::PartnerKeys{config.sandbox_key, config.live_key}, std::move(partner_options),
      &gateway->metrics_);
  partner::PartnerClient* partner = gateway->partner_.get();
  // The request ledger sits in the event log's store, webhooks or not.
  if (config.event_log_redis.has_value()) {
    requests::RedisRequestLedger::Options redis;
    redis.server = RedisOptions(config);
    gateway->ledger_ = std::make_unique<requests::RedisRequestLedger>(std::move(redis));
  } else {
    absl::StatusOr<std::unique_ptr<requests::SqliteRequestLedger>> ledger =
        requests::SqliteRequestLedger::Open(config.event_log_path);
    if (!ledger.ok()) return ledger.status();
    gateway->ledger_ = *std::move(ledger);
  }
  service::RequestIds::Options request_ids;
  request_ids.max_call = config.partner_timeout;
  gateway->request_ids_ =
      std::make_unique<service::RequestIds>(gateway->ledger_.get(), request_ids, &gateway->metrics_);
  service::RequestIds* ids = gateway->request_ids_.get();
  gateway->partner_services_.push_back(std::make_unique<service::GrpcAccountService>(partner, ids));
  gateway->partner_services_.push_back(std::make_unique<service::GrpcUserService>(partner, ids));
  gateway->partner_services_.push_back(std::make_unique<service::GrpcBundleService>(partner, ids));
  gateway->partner_services_.push_back(std::make_unique<service::GrpcDomainService>(partner, ids));
  gateway->partner_services_.push_back(std::make_unique<service::GrpcOrderService>(partner, ids));
  gateway->partner_services_.push_back(std::make_unique<service::GrpcSwapService>(partner, ids));
  if (absl::Status status = gateway->StartEvents(config); !status.ok()) return status;

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (config.authz_policy != nullptr) {
    gateway->authz_ = std::make_shared<auth::AuthzProcessor>(
        config.authz_policy.get(), std::string(service::kEnvironmentMetadataKey), "sandbox", &gateway->metrics_);
  }
  builder.AddListeningPort(config.grpc_listen,
                           auth::ServerCredentials({config.grpc_tls_cert_file, config.grpc_tls_key_file,
                                                    config.grpc_client_ca_file},
                                                   gateway->authz_),
                           &gateway->port_);
  SetChannelArguments(builder);
  for (const auto& service : gateway->partner_services_) builder.RegisterService(service.get());
  if (gateway->order_event_service_ != nullptr) builder.RegisterService(gateway->order_event_service_.get());
  gateway->server_ = builder.BuildAndStart();
  if (gateway->server_ == nullptr || gateway->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config.grpc_listen));
  }
  grpc::HealthCheckServiceInterface* health = gateway->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(service::kReadinessService, false);
  health->SetServingStatus(service::kPartnerService, false);
  std::vector<peeker::partner::v1::Environment> environments;
  if (config.sandbox_key != nullptr) environments.push_back(peeker::partner::v1::ENVIRONMENT_SANDBOX);
  if (config.live_key != nullptr) environments.push_back(peeker::partner::v1::ENVIRONMENT_LIVE);
  if (gateway->hub_ != nullptr) {
    {
      absl::MutexLock lock(&gateway->health_mu_);
      gateway->health_ = health;
    }
    gateway->ReportStoreState();
  }
  gateway->readiness_ = std::make_unique<service::PartnerReadiness>(
      partner, std::move(environments), config.readiness_interval,
      [health](bool ready) { health->SetServingStatus(service::kPartnerService, ready); });
  if (absl::Status status = gateway->StartAdmin(config.admin_listen); !status.ok()) return status;
  // Every listener is up: ready until the drain.
  health->SetServingStatus(service::kReadinessService, true);
  return gateway;
}

absl::Status Gateway::StartEvents(const config::Config& config) {
  std::vector<events::WebhookSecretFile> secrets;
  if (config.webhook_sandbox_secret != nullptr) {
    secrets.push_back({peeker::partner::v1::ENVIRONMENT_SANDBOX, config.webhook_sandbox_secret});
  }
  if (config.webhook_live_secret != nullptr) {
    secrets.push_back({peeker::partner::v1::ENVIRONMENT_LIVE, config.webhook_live_secret});
  }
  if (secrets.empty()) return absl::OkStatus();
  if (config.event_log_redis.has_value()) {
    events::RedisEventLog::Options redis;
    redis.server = RedisOptions(config);
    redis.min_replicas = config.redis_min_replicas;
    event_log_ = std::make_unique<events::RedisEventLog>(std::move(redis));
  } else {
    absl::StatusOr<std::unique_ptr<events::SqliteEventLog>> log = events::SqliteEventLog::Open(config.event_log_path);
    if (!log.ok()) return log.status();
    event_log_ = *std::move(log);
  }

  events::EventHub::Options hub_options;
  hub_options.subscriber_buffer = static_cast<size_t>(config.stream_buffer);
  hub_options.heartbeat_interval = config.stream_heartbeat;
  hub_options.retention = config.event_retention;
  hub_options.on_store_state = [this](const absl::Status&) { ReportStoreState(); };
  hub_ = std::make_unique<events::EventHub>(event_log_.get(), std::move(hub_options));
  if (absl::Status state = hub_->store_state(); !state.ok()) {
    common::Log(common::LogLevel::kWarning,
                "the event store cannot be reached; webhooks get 503 and streams UNAVAILABLE until it can",
                {{"error", state.ToString()}});
  }

  events::WebhookVerifier::Options verifier_options;
  verifier_options.payload =
      config.webhook_signs_timestamp ? events::SignedPayload::kTimestampAndBody : events::SignedPayload::kBody;
  verifier_options.window = config.webhook_tolerance;
  verifier_options.secrets = std::move(secrets);
  verifier_ = std::make_unique<events::WebhookVerifier>(std::move(verifier_options));

  events::WebhookReceiver::Options receiver_options;
  receiver_options.listen = config.webhook_listen;
  receiver_options.path = config.webhook_path;
  receiver_ = std::make_unique<events::WebhookReceiver>(verifier_.get(), hub_.get(), receiver_options, &metrics_);
  metrics_.AddCallback("gateway_event_subscribers", "Open StreamOrderEvents and WatchOrder streams.",
                       common::Metrics::Type::kGauge, [this] { return static_cast<double>(hub_->subscriber_count()); });
  metrics_.AddCallback("gateway_event_store_up", "1 while the event log can be read and written.",
                       common::Metrics::Type::kGauge, [this] { return hub_->store_state().ok() ? 1.0 : 0.0; });
  if (absl::Status status = receiver_->Start(); !status.ok()) return status;
  order_event_service_ = std::make_unique<service::GrpcOrderEventService>(hub_.get());
  return absl::OkStatus();
}

void Gateway::ReportStoreState() {
  absl::MutexLock lock(&health_mu_);
  if (health_ != nullptr) health_->SetServingStatus(kEventStoreHealthService, hub_->store_state().ok());
}

absl::Status Gateway::StartAdmin(const std::string& listen) {
  metrics_.AddCallback("gateway_partner_tolerated_total",
                       "Parts of Partner answers this version does not know, decoded leniently.",
                       common::Metrics::Type::kCounter, {"kind"}, [] {
                         const partner::Tolerated tolerated = partner::ToleratedSoFar();
                         return common::Metrics::Samples{
                             {{"unknown_field"}, static_cast<double>(tolerated.unknown_fields)},
                             {{"unknown_enum_value"}, static_cast<double>(tolerated.unknown_enum_values)}};
                       });
  metrics_.AddCallback("gateway_partner_ready", "1 when the Partner answers GET /me with every configured key.",
                       common::Metrics::Type::kGauge, [this] { return readiness_->ready() ? 1.0 : 0.0; });
  common::AddProcessMetrics(&metrics_);
  auto server = std::make_unique<httplib::Server>();
  server->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  // Ready while it serves (the admin listener goes first at shutdown); the
  // body tells the shared dependencies' states, which readiness does not
  // follow.
  server->Get("/readyz", [this](const httplib::Request&, httplib::Response& response) {
    const auto line = [](absl::string_view name, bool serving, absl::string_view why) {
      return absl::StrCat(name, ": ", serving ? "SERVING" : absl::StrCat("NOT_SERVING (", why, ")"), "\n");
    };
    std::string body = absl::StrCat("ready\n", line(service::kPartnerService, readiness_->ready(), readiness_->why_not()));
    if (hub_ != nullptr) {
      const absl::Status store = hub_->store_state();
      absl::StrAppend(&body, line(kEventStoreHealthService, store.ok(), store.message()));
    }
    response.set_content(body, "text/plain");
  });
  server->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(metrics_.Render(), "text/plain; version=0.0.4");
  });
  absl::StatusOr<std::unique_ptr<http::HttpListener>> admin = http::HttpListener::Start(std::move(server), listen, 2);
  if (!admin.ok()) return admin.status();
  admin_ = *std::move(admin);
  return absl::OkStatus();
}

void Gateway::Shutdown(absl::Duration grace) {
  if (stopped_) return;
  stopped_ = true;
  // Readiness first, so it cannot report SERVING again during the stop.
  admin_.reset();
  readiness_.reset();
  server_->GetHealthCheckService()->SetServingStatus(false);
  // No new events; acknowledged ones are stored. Open streams end with
  // UNAVAILABLE so their clients reconnect (to another replica) with their
  // cursor instead of holding the shutdown for the whole grace period.
  receiver_.reset();
  if (hub_ != nullptr) {
    hub_->Close(absl::UnavailableError("the gateway is shutting down; reconnect with the last cursor"));
  }
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  // Partner calls still running past the grace period complete with
  // CANCELLED when the HTTP client goes, which finishes their RPCs.
  http_.reset();
  server_->Wait();
}

Gateway::~Gateway() {
  if (server_ != nullptr) Shutdown(absl::ZeroDuration());
}

}  // namespace gateway
