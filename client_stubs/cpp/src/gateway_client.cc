#include "peeker/partner/client/gateway_client.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <random>
#include <thread>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"

namespace peeker::partner::client {
namespace {

constexpr char kEnvironmentHeader[] = "peeker-environment";
constexpr std::chrono::milliseconds kFirstResumeWait{100};
constexpr std::chrono::milliseconds kLongestResumeWait{5'000};

// client_stubs/service_config.json, embedded by the build.
constexpr char kServiceConfigJson[] =
#include "peeker/partner/client/service_config.inc"
    ;

// Whether a cut event stream should be resumed from its cursor: the gateway
// went away (UNAVAILABLE; CANCELLED when a call reached it as it stopped)
// or this subscriber fell behind (RESOURCE_EXHAUSTED). This client never
// cancels a stream it goes on with, so CANCELLED here came from the server.
bool IsResumable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

// Gives a request whose message has an empty `request_id` (a write) a new
// one before it is sent. It runs once per call, above the channel's retries,
// which resend the same bytes.
class RequestIdInterceptor final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      const auto* message = static_cast<const google::protobuf::Message*>(methods->GetSendMessage());
      const google::protobuf::FieldDescriptor* field =
          message == nullptr ? nullptr : message->GetDescriptor()->FindFieldByName("request_id");
      if (field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
          message->GetReflection()->GetString(*message, field).empty()) {
        with_id_.reset(message->New());
        with_id_->CopyFrom(*message);
        with_id_->GetReflection()->SetString(with_id_.get(), field, NewRequestId());
        methods->ModifySendMessage(with_id_.get());
      }
    }
    methods->Proceed();
  }

 private:
  // Sent in place of the caller's message; lives as long as the call.
  std::unique_ptr<google::protobuf::Message> with_id_;
};

class RequestIdInterceptorFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(grpc::experimental::ClientRpcInfo*) override {
    return new RequestIdInterceptor();
  }
};

}  // namespace

std::string NewRequestId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  uint64_t high = random();
  uint64_t low = random();
  high = (high & ~uint64_t{0xf000}) | uint64_t{0x4000};               // version 4
  low = (low & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60);         // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof(text), "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
                high >> 32, (high >> 16) & 0xffff, high & 0xffff, low >> 48, low & 0xffffffffffff);
  return text;
}

GatewayClient::GatewayClient(std::shared_ptr<grpc::Channel> channel, Options options)
    : options_(std::move(options)),
      channel_(channel),
      account_(v1::AccountService::NewStub(channel)),
      users_(v1::UserService::NewStub(channel)),
      bundles_(v1::BundleService::NewStub(channel)),
      domains_(v1::DomainService::NewStub(channel)),
      orders_(v1::OrderService::NewStub(channel)),
      order_events_(v1::OrderEventService::NewStub(channel)),
      swaps_(v1::SwapService::NewStub(channel)) {}

GatewayClient GatewayClient::Connect(const std::string& target, Options options,
                                     std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments arguments;
  arguments.SetServiceConfigJSON(kServiceConfigJson);
  if (credentials == nullptr) credentials = grpc::InsecureChannelCredentials();
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<RequestIdInterceptorFactory>());
  return GatewayClient(grpc::experimental::CreateCustomChannelWithInterceptors(target, credentials, arguments,
                                                                               std::move(interceptors)),
                       std::move(options));
}

std::shared_ptr<grpc::ChannelCredentials> GatewayClient::TlsCredentials(const std::string& ca_file,
                                                                        const std::string& cert_file,
                                                                        const std::string& key_file) {
  constexpr unsigned int kRefreshSeconds = 60;
  grpc::experimental::TlsChannelCredentialsOptions options;
  if (cert_file.empty()) {
    options.set_certificate_provider(
        std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(ca_file, kRefreshSeconds));
  } else {
    options.set_certificate_provider(std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
        key_file, cert_file, ca_file, kRefreshSeconds));
    options.watch_identity_key_cert_pairs();
  }
  options.watch_root_certs();
  return grpc::experimental::TlsCredentials(options);
}

const char* GatewayClient::ServiceConfigJson() { return kServiceConfigJson; }

std::unique_ptr<grpc::ClientContext> GatewayClient::NewContext() const { return NewContext(options_.timeout); }

std::unique_ptr<grpc::ClientContext> GatewayClient::NewContext(std::chrono::milliseconds timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  context->AddMetadata(kEnvironmentHeader, options_.environment);
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

grpc::Status GatewayClient::StreamOrderEvents(v1::StreamOrderEventsRequest request,
                                              std::chrono::system_clock::time_point deadline,
                                              const std::function<bool(const v1::OrderEvent&)>& on_event,
                                              const ResumeHook& on_resume) {
  std::mt19937 random(std::random_device{}());
  std::chrono::milliseconds wait = kFirstResumeWait;
  for (bool resuming = false;; resuming = true) {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    context.AddMetadata(kEnvironmentHeader, options_.environment);
    // A resume waits for the gateway to be back instead of failing at once.
    context.set_wait_for_ready(resuming);
    std::unique_ptr<grpc::ClientReader<v1::StreamOrderEventsResponse>> reader =
        order_events_->StreamOrderEvents(&context, request);
    v1::StreamOrderEventsResponse response;
    while (reader->Read(&response)) {
      // A heartbeat tells where to resume when no event came yet (or none
      // matched): the first one, where a stream from now started.
      if (response.has_heartbeat() && !response.heartbeat().cursor().empty()) {
        request.set_resume_after(response.heartbeat().cursor());
      }
      if (!response.has_event()) continue;
      wait = kFirstResumeWait;
      request.set_resume_after(response.event().cursor());
      if (!on_event(response.event())) {
        context.TryCancel();
        reader->Finish();
        return grpc::Status::OK;
      }
    }
    grpc::Status status = reader->Finish();
    if (!IsResumable(status)) return status;
    if (on_resume) on_resume(status, request.resume_after());
    const auto jittered = std::chrono::duration_cast<std::chrono::milliseconds>(
        wait * std::uniform_real_distribution<double>(0.5, 1.0)(random));
    if (std::chrono::system_clock::now() + jittered >= deadline) {
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline reached while resuming the event stream");
    }
    std::this_thread::sleep_for(jittered);
    wait = std::min(wait * 2, kLongestResumeWait);
  }
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

ErrorDetails DetailsOf(const grpc::Status& status) {
  static const char* const kCodeNames[] = {
      "OK",           "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND",    "ALREADY_EXISTS",    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",      "OUT_OF_RANGE",      "UNIMPLEMENTED",     "INTERNAL",         "UNAVAILABLE",
      "DATA_LOSS",    "UNAUTHENTICATED"};
  ErrorDetails details;
  const int code = static_cast<int>(status.error_code());
  details.code = (code >= 0 && code <= 16) ? kCodeNames[code] : "CODE_" + std::to_string(code);
  details.message = status.error_message();
  google::rpc::Status rich;
  if (!rich.ParseFromString(status.error_details())) return details;
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    google::rpc::RequestInfo request_info;
    google::rpc::RetryInfo retry;
    if (detail.UnpackTo(&info)) {
      details.reason = info.reason();
      details.metadata.assign(info.metadata().begin(), info.metadata().end());
      std::sort(details.metadata.begin(), details.metadata.end());
    } else if (detail.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        details.field_violations.push_back({violation.field(), violation.description()});
      }
    } else if (detail.UnpackTo(&request_info)) {
      details.request_id = request_info.request_id();
    } else if (detail.UnpackTo(&retry)) {
      details.retry_delay = std::chrono::seconds(retry.retry_delay().seconds()) +
                            std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::nanoseconds(retry.retry_delay().nanos()));
    }
  }
  return details;
}

std::string Describe(const grpc::Status& status) {
  const ErrorDetails details = DetailsOf(status);
  std::string text = details.code + ": " + details.message;
  if (!details.reason.empty()) text += " [reason " + details.reason + "]";
  for (const auto& violation : details.field_violations) text += " [field " + violation.field + "]";
  if (!details.request_id.empty()) text += " [request " + details.request_id + "]";
  if (details.retry_delay.count() > 0) text += " [retry after " + std::to_string(details.retry_delay.count()) + " ms]";
  return text;
}

}  // namespace peeker::partner::client
