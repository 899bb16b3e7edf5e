// The whole product for integration tests: a real partner-sandbox and a real
// partner-gateway process on ephemeral loopback ports, the gateway holding a
// sandbox key from a file, plus the sandbox's control endpoints.
#ifndef TESTS_INTEGRATION_STACK_H_
#define TESTS_INTEGRATION_STACK_H_

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "peeker/partner/client/gateway_client.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/sync_stream.h"
#include "peeker/partner/v1/order.pb.h"
#include "peeker/partner/v1/order_event.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/child_process.h"

namespace gateway::testing {

// The value of one series of the /metrics of a gateway whose admin port is
// `admin_port`, e.g. `process_threads` or
// `gateway_webhooks_total{outcome="stored"}`; nullopt when /metrics does not
// answer or has no such series.
std::optional<double> ScrapeMetric(int admin_port, const std::string& series);

class Stack {
 public:
  // The key the gateway holds; tests check it never leaks.
  static constexpr char kSandboxKey[] = "pk_test_FAKE_integration";

  // The sandbox webhook secret both sides hold when `webhooks` is on.
  static constexpr char kWebhookSecret[] = "whsec_FAKE_integration";

  struct Options {
    std::vector<std::string> sandbox_args;
    std::vector<std::string> gateway_args;
    // The sandbox delivers signed webhooks to the gateway, which stores
    // them in `event_log` (a fresh file when empty).
    bool webhooks = false;
    std::string event_log;
    // For RollGatewayMidWrite: a fixed gRPC port, and a 2 s
    // --partner-timeout, so that the claim of a gateway killed mid-write
    // ends soon.
    bool rollable = false;
  };

  static absl::StatusOr<std::unique_ptr<Stack>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<Stack>> Start() { return Start(Options()); }
  // Stops both processes and removes the store the stack made.
  ~Stack();

  std::string gateway_target() const { return gateway_target_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  peeker::partner::client::GatewayClient Client(peeker::partner::client::GatewayClient::Options options = {}) const {
    return peeker::partner::client::GatewayClient(channel_, options);
  }

  // POST /_sandbox/faults with `fault`; DELETE them all.
  absl::Status InjectFault(const nlohmann::json& fault);
  absl::Status ClearFaults();
  // The Partner API requests the sandbox has received (method, path,
  // status, client), without the gateway's readiness checks (GET /me)
  // unless asked for them.
  absl::StatusOr<std::vector<nlohmann::json>> SandboxRequests(bool with_readiness_checks = false);
  // Those for `method` on `path` (under the API's base, e.g. "/bundles"),
  // in order.
  std::vector<nlohmann::json> SandboxRequestsTo(const std::string& method, const std::string& path);
  // ScrapeMetric of this stack's gateway; -1 for nullopt.
  double Metric(const std::string& series) { return ScrapeMetric(admin_port_, series).value_or(-1); }
  // gateway_request_id_decisions_total{decision="<decision>"}.
  double RequestIdDecisions(const std::string& decision);
  // The request_id of each audit line the gateway wrote for `rpc`
  // ("CreateBundle"), in order; "" for a call without one.
  std::vector<std::string> AuditedRequestIds(const std::string& rpc);

  // Starts the gateway (again, after it stopped) with the same arguments.
  absl::Status StartGateway();
  // A rolling restart whose old replica dies mid-write (Options::rollable):
  // once the gateway has sent a write with a request_id to the Partner (it
  // counted the id new, 200 ms ago), starts a second gateway with the same
  // arguments, waits until it serves, then SIGKILLs the first. Both listen
  // on the one port for a moment (gRPC sets SO_REUSEPORT), so a client's
  // reconnect finds the new one.
  absl::Status RollGatewayMidWrite();
  int sandbox_port() const { return sandbox_port_; }
  int webhook_port() const { return webhook_port_; }
  int admin_port() const { return admin_port_; }

  ChildProcess& gateway() { return *gateway_; }
  ChildProcess& sandbox() { return *sandbox_; }

 private:
  Stack() = default;
  // The SQLite store made for this stack; empty when the test gave one.
  std::string made_store_;
  int sandbox_port_ = 0;
  bool webhooks_ = false;
  int webhook_port_ = 0;
  int admin_port_ = 0;
  std::vector<std::string> gateway_argv_;
  std::string gateway_target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ChildProcess> sandbox_;
  std::unique_ptr<ChildProcess> gateway_;
};

// The google.rpc details of a failed call.
struct Details {
  std::optional<google::rpc::ErrorInfo> error_info;
  std::optional<google::rpc::BadRequest> bad_request;
  std::optional<google::rpc::RequestInfo> request_info;
  std::optional<google::rpc::RetryInfo> retry_info;
};
Details DetailsOf(const grpc::Status& status);

// The fields of the BadRequest violations, in order.
std::vector<std::string> Fields(const Details& details);

// What a failed call tells the caller: its code, the ErrorInfo reason, the
// BadRequest fields, and the Partner's `error.field` (ErrorInfo metadata,
// present whatever the code).
struct Failure {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string reason;
  std::vector<std::string> fields;
  std::string partner_field;
  bool operator==(const Failure&) const = default;
};
void PrintTo(const Failure& failure, std::ostream* out);
Failure FailureOf(const grpc::Status& status);

// What the gateway's webhook receiver answered.
struct WebhookAnswer {
  int status = 0;  // 0: no answer
  std::string body;
};
// Posts an `order.in_progress` event of `order_id` to the receiver on
// `port`, signed with Stack::kWebhookSecret as the sandbox signs.
WebhookAnswer PostWebhook(int port, const std::string& event_id, const std::string& order_id);

// Reads a StreamOrderEvents stream until `count` events arrived (heartbeats
// skipped) or it ended.
std::vector<peeker::partner::v1::OrderEvent> ReadEvents(
    grpc::ClientReader<peeker::partner::v1::StreamOrderEventsResponse>& reader, size_t count);

// A valid custom Google order for `user` (an email or a user id) on
// `domains` (available names, two licenses each), with one persona whose
// picture is `picture`.
peeker::partner::v1::PlaceOrderRequest CustomOrder(const std::string& user, const std::vector<std::string>& domains,
                                                   const std::string& picture = "");

// A context with a deadline `timeout` from now.
std::unique_ptr<grpc::ClientContext> ContextWithDeadline(std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace gateway::testing

#endif  // TESTS_INTEGRATION_STACK_H_
