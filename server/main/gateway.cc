#include "server/main/gateway.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"

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

}  // namespace

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(const config::Config& config) {
  std::unique_ptr<Gateway> gateway(new Gateway());

  http::CurlHttpClient::Options http_options;
  http_options.connect_timeout = config.partner_connect_timeout;
  http_options.ca_file = config.partner_ca_file;
  http_options.max_connections_per_host = config.partner_max_connections;
  gateway->http_ = std::make_unique<http::CurlHttpClient>(http_options);

  gateway->partner_ = std::make_unique<partner::PartnerClient>(
      gateway->http_.get(), partner::PartnerKeys{config.sandbox_key, config.live_key},
      partner::PartnerClient::Options{config.partner_base_url, config.partner_timeout});
  gateway->bundle_service_ = std::make_unique<service::GrpcBundleService>(gateway->partner_.get());
  gateway->domain_service_ = std::make_unique<service::GrpcDomainService>(gateway->partner_.get());
  gateway->order_service_ = std::make_unique<service::GrpcOrderService>(gateway->partner_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.grpc_listen, grpc::InsecureServerCredentials(), &gateway->port_);
  SetChannelArguments(builder);
  builder.RegisterService(gateway->bundle_service_.get());
  builder.RegisterService(gateway->domain_service_.get());
  builder.RegisterService(gateway->order_service_.get());
  gateway->server_ = builder.BuildAndStart();
  if (gateway->server_ == nullptr || gateway->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config.grpc_listen));
  }
  gateway->server_->GetHealthCheckService()->SetServingStatus(true);
  return gateway;
}

void Gateway::Shutdown(absl::Duration grace) {
  if (stopped_) return;
  stopped_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
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
