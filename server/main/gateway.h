// The composition root: the only place that knows the concrete classes. It
// builds the object graph from a Config, starts the gRPC server and stops it
// in order.
#ifndef SERVER_MAIN_GATEWAY_H_
#define SERVER_MAIN_GATEWAY_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "server/auth/authz_processor.h"
#include "server/common/metrics.h"
#include "server/config/config.h"
#include "server/http/curl_http_client.h"
#include "server/partner/partner_client.h"
#include "server/requests/request_ledger.h"
#include "server/events/event_hub.h"
#include "server/events/event_log.h"
#include "server/events/webhook_receiver.h"
#include "server/events/webhook_verifier.h"
#include "server/http/http_listener.h"
#include "server/service/order_event_service.h"
#include "server/service/partner_services.h"
#include "server/service/readiness.h"
#include "server/service/request_ids.h"

namespace gateway {

// The gRPC health service name that carries the event store's state. The
// pod's readiness does not follow it: the store is shared by every replica,
// and unary calls do not need it.
inline constexpr char kEventStoreHealthService[] = "event-store";

class Gateway {
 public:
  // Builds everything and starts serving; fails when the listen address
  // cannot be bound.
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(const config::Config& config);

  ~Gateway();

  // The bound gRPC port (useful with port 0).
  int port() const { return port_; }
  // The webhook receiver's port; 0 when no webhook secret is configured.
  int webhook_port() const { return receiver_ == nullptr ? 0 : receiver_->port(); }
  int admin_port() const { return admin_->port(); }

  // Reports NOT_SERVING, lets in-flight calls finish for up to `grace`, then
  // cancels the rest and stops. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  Gateway() = default;
  // The webhook receiver, event log and streams, when a webhook secret is
  // configured.
  absl::Status StartEvents(const config::Config& config);
  // Sets the event-store health name from the hub's current state.
  void ReportStoreState() ABSL_LOCKS_EXCLUDED(health_mu_);
  // /healthz (liveness), /readyz (readiness) and /metrics (metrics_).
  absl::Status StartAdmin(const std::string& listen);

  // Every metric of /metrics; declared first, so it outlives what updates it.
  common::Metrics metrics_;
  std::unique_ptr<http::CurlHttpClient> http_;
  // The fleet's Partner rate budget, with --event-log redis://.
  std::unique_ptr<redis::RedisClient> budget_redis_;
  std::unique_ptr<partner::PartnerClient> partner_;
  // The outcome of each write's request_id: in Redis with --event-log
  // redis://, else in the event log's SQLite file.
  std::unique_ptr<requests::RequestLedger> ledger_;
  std::unique_ptr<service::RequestIds> request_ids_;
  // The Partner API services (account, users, bundles, domains, orders,
  // swaps).
  std::vector<std::unique_ptr<grpc::Service>> partner_services_;
  // Order events: present when a webhook secret is configured.
  std::unique_ptr<events::EventLog> event_log_;
  // Where the hub's follower reports the store's state once the server is
  // up (nullptr before).
  absl::Mutex health_mu_;
  grpc::HealthCheckServiceInterface* health_ ABSL_GUARDED_BY(health_mu_) = nullptr;
  std::unique_ptr<events::EventHub> hub_;
  std::unique_ptr<events::WebhookVerifier> verifier_;
  std::unique_ptr<events::WebhookReceiver> receiver_;
  std::unique_ptr<service::GrpcOrderEventService> order_event_service_;
  std::unique_ptr<service::PartnerReadiness> readiness_;
  std::unique_ptr<http::HttpListener> admin_;
  // Shared with the gRPC server's credentials, which outlive no call.
  std::shared_ptr<auth::AuthzProcessor> authz_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace gateway

#endif  // SERVER_MAIN_GATEWAY_H_
