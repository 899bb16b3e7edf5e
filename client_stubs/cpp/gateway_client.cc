#include "client_stubs/cpp/gateway_client.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"

namespace peeker::partner::client {

GatewayClient::GatewayClient(std::shared_ptr<grpc::Channel> channel, Options options)
    : options_(std::move(options)),
      channel_(channel),
      bundles_(v1::BundleService::NewStub(channel)),
      domains_(v1::DomainService::NewStub(channel)),
      orders_(v1::OrderService::NewStub(channel)),
      order_events_(v1::OrderEventService::NewStub(channel)) {}

GatewayClient GatewayClient::Connect(const std::string& target, Options options) {
  return GatewayClient(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()), std::move(options));
}

std::unique_ptr<grpc::ClientContext> GatewayClient::NewContext() const { return NewContext(options_.timeout); }

std::unique_ptr<grpc::ClientContext> GatewayClient::NewContext(std::chrono::milliseconds timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  context->AddMetadata("peeker-environment", options_.environment);
  return context;
}

grpc::Status GatewayClient::WatchOrder(const std::string& order_id, std::chrono::milliseconds timeout,
                                       const std::function<void(const v1::OrderProgress&)>& on_progress) {
  v1::WatchOrderRequest request;
  request.set_order_id(order_id);
  std::unique_ptr<grpc::ClientContext> context = NewContext(timeout);
  std::unique_ptr<grpc::ClientReader<v1::WatchOrderResponse>> reader = order_events_->WatchOrder(context.get(), request);
  v1::WatchOrderResponse response;
  while (reader->Read(&response)) {
    if (response.has_progress()) on_progress(response.progress());
  }
  return reader->Finish();
}

grpc::Status GatewayClient::CreateBundle(const v1::CreateBundleRequest& request, v1::CreateBundleResponse* reply) {
  return bundles_->CreateBundle(NewContext().get(), request, reply);
}

grpc::Status GatewayClient::CheckAvailability(const v1::CheckAvailabilityRequest& request,
                                              v1::CheckAvailabilityResponse* reply) {
  return domains_->CheckAvailability(NewContext().get(), request, reply);
}

grpc::Status GatewayClient::ImportDomains(const v1::ImportDomainsRequest& request,
                                          v1::ImportDomainsResponse* reply) {
  return domains_->ImportDomains(NewContext().get(), request, reply);
}

grpc::Status GatewayClient::PlaceOrder(const v1::PlaceOrderRequest& request, v1::PlaceOrderResponse* reply) {
  return orders_->PlaceOrder(NewContext().get(), request, reply);
}

std::string Describe(const grpc::Status& status) {
  static const char* const kCodeNames[] = {
      "OK",           "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND",    "ALREADY_EXISTS",    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",      "OUT_OF_RANGE",      "UNIMPLEMENTED",     "INTERNAL",         "UNAVAILABLE",
      "DATA_LOSS",    "UNAUTHENTICATED"};
  const int code = static_cast<int>(status.error_code());
  std::string text = (code >= 0 && code <= 16) ? kCodeNames[code] : "CODE_" + std::to_string(code);
  text += ": " + status.error_message();
  google::rpc::Status rich;
  if (!rich.ParseFromString(status.error_details())) return text;
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    google::rpc::RequestInfo request_info;
    google::rpc::RetryInfo retry;
    if (detail.UnpackTo(&info)) {
      text += " [reason " + info.reason() + "]";
    } else if (detail.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) text += " [field " + violation.field() + "]";
    } else if (detail.UnpackTo(&request_info)) {
      text += " [request " + request_info.request_id() + "]";
    } else if (detail.UnpackTo(&retry)) {
      text += " [retry after " + std::to_string(retry.retry_delay().seconds()) + "s]";
    }
  }
  return text;
}

}  // namespace peeker::partner::client
