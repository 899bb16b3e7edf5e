// A thin C++ client for the Partner gateway over the generated stubs. It
// sets what every call should carry: a deadline and the environment
// metadata. Replies and errors are the stubs' own types.
#ifndef CLIENT_STUBS_CPP_GATEWAY_CLIENT_H_
#define CLIENT_STUBS_CPP_GATEWAY_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"

namespace peeker::partner::client {

class GatewayClient {
 public:
  struct Options {
    // "sandbox" or "live"; sent as the `peeker-environment` metadata.
    std::string environment = "sandbox";
    // Deadline of each call.
    std::chrono::milliseconds timeout{10'000};
  };

  GatewayClient(std::shared_ptr<grpc::Channel> channel, Options options);
  // An insecure channel to `target` (host:port), for in-cluster use.
  static GatewayClient Connect(const std::string& target, Options options);

  grpc::Status CreateBundle(const v1::CreateBundleRequest& request, v1::CreateBundleResponse* reply);
  grpc::Status CheckAvailability(const v1::CheckAvailabilityRequest& request, v1::CheckAvailabilityResponse* reply);
  grpc::Status ImportDomains(const v1::ImportDomainsRequest& request, v1::ImportDomainsResponse* reply);
  grpc::Status PlaceOrder(const v1::PlaceOrderRequest& request, v1::PlaceOrderResponse* reply);

  // Follows an order (OrderEventService.WatchOrder): `on_progress` gets its
  // current state, then every change; returns OK once the order is
  // completed, failed or cancelled, or the error (DEADLINE_EXCEEDED after
  // `timeout`; UNIMPLEMENTED when the gateway has no webhook receiver).
  grpc::Status WatchOrder(const std::string& order_id, std::chrono::milliseconds timeout,
                          const std::function<void(const v1::OrderProgress&)>& on_progress);

  // A context with this client's deadline and metadata, for direct stub use.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  std::unique_ptr<grpc::ClientContext> NewContext(std::chrono::milliseconds timeout) const;

 private:
  Options options_;
  std::unique_ptr<v1::BundleService::Stub> bundles_;
  std::unique_ptr<v1::DomainService::Stub> domains_;
  std::unique_ptr<v1::OrderService::Stub> orders_;
  std::unique_ptr<v1::OrderEventService::Stub> order_events_;
};

// One line for a failed call: code, message and the google.rpc details the
// gateway attaches (error reason, offending fields, Partner request id).
std::string Describe(const grpc::Status& status);

}  // namespace peeker::partner::client

#endif  // CLIENT_STUBS_CPP_GATEWAY_CLIENT_H_
