// A thin C++ client for the Partner gateway over the generated stubs. It
// sets what every call should carry: a deadline and the environment
// metadata; the channel of Connect gives every write without a request_id a
// new one and retries the safe methods and the writes (client_stubs/
// service_config.json); StreamOrderEvents resumes from the last cursor
// after a disconnect. Replies and errors are the stubs' own types.
#ifndef PEEKER_PARTNER_CLIENT_GATEWAY_CLIENT_H_
#define PEEKER_PARTNER_CLIENT_GATEWAY_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "peeker/partner/v1/account.grpc.pb.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "peeker/partner/v1/swap.grpc.pb.h"
#include "peeker/partner/v1/user.grpc.pb.h"

namespace peeker::partner::client {

class GatewayClient;

// The pages of a list RPC, first to last, each fetched with the client's
// deadline and metadata when asked for:
//
//   auto pages = client.Pages(&v1::BundleService::Stub::ListBundles, request);
//   for (v1::ListBundlesResponse page; pages.Next(&page);) {
//     for (const v1::Bundle& bundle : page.bundles()) …
//   }
//   if (!pages.status().ok()) …  // the error that stopped the iteration
template <typename Stub, typename Request, typename Reply>
class PageIterator {
 public:
  using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Reply*);

  PageIterator(const GatewayClient* client, std::shared_ptr<grpc::Channel> channel, Method method, Request request)
      : client_(client), stub_(std::make_unique<Stub>(std::move(channel))), method_(method),
        request_(std::move(request)) {}

  // Fetches the next page into `page`; false after the last page or on an
  // error (see status()).
  bool Next(Reply* page);
  // OK, or the error that ended the iteration.
  const grpc::Status& status() const { return status_; }

 private:
  const GatewayClient* client_;
  std::unique_ptr<Stub> stub_;
  Method method_;
  Request request_;
  bool done_ = false;
  grpc::Status status_;
};

class GatewayClient {
 public:
  struct Options {
    // "sandbox" or "live"; sent as the `peeker-environment` metadata.
    std::string environment = "sandbox";
    // Deadline of each call.
    std::chrono::milliseconds timeout{10'000};
  };

  GatewayClient(std::shared_ptr<grpc::Channel> channel, Options options);
  // A channel to `target` (host:port) with `credentials`, e.g.
  // TlsCredentials(…) (plaintext when null), and the service config that
  // retries the safe methods and the writes. A write whose request_id is
  // empty gets a NewRequestId() before it is sent, which each of the
  // channel's retries of that call keeps, so the gateway runs it once.
  static GatewayClient Connect(const std::string& target, Options options,
                               std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);
  // TLS that trusts the CA in `ca_file` (PEM) for the gateway's certificate
  // and, for mutual TLS, presents the certificate and key in `cert_file` and
  // `key_file`. The files are read again when they change (gRPC's
  // FileWatcherCertificateProvider, every minute), so rotated certificates
  // need no restart.
  static std::shared_ptr<grpc::ChannelCredentials> TlsCredentials(const std::string& ca_file,
                                                                  const std::string& cert_file = "",
                                                                  const std::string& key_file = "");
  // The service config every client's channel carries (gRPC JSON).
  static const char* ServiceConfigJson();

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

  // Streams the events that match `request` (StreamOrderEventsRequest),
  // heartbeats left out: `on_event` gets each one and returns false to stop.
  // When the stream is cut (UNAVAILABLE or CANCELLED: the gateway restarted
  // or the network failed; RESOURCE_EXHAUSTED: this subscriber fell behind), it
  // calls `on_resume` (if set) with the error and the cursor it resumes
  // after, waits (100 ms doubling to 5 s, jittered; reset by every event)
  // and subscribes again with `resume_after` set to the last event's cursor,
  // so no event is lost or repeated. Returns OK when `on_event` stopped it,
  // DEADLINE_EXCEEDED at `deadline`, or any other error as it came.
  using ResumeHook = std::function<void(const grpc::Status& cut, const std::string& resume_after)>;
  grpc::Status StreamOrderEvents(v1::StreamOrderEventsRequest request, std::chrono::system_clock::time_point deadline,
                                 const std::function<bool(const v1::OrderEvent&)>& on_event,
                                 const ResumeHook& on_resume = nullptr);

  // Iterates over every page of a list RPC (see PageIterator); `request`
  // sets the filters and page size.
  template <typename Stub, typename Request, typename Reply>
  PageIterator<Stub, Request, Reply> Pages(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                                           Request request) const {
    return PageIterator<Stub, Request, Reply>(this, channel_, method, std::move(request));
  }

  // The stub of every service, on this client's channel; give each call a
  // NewContext().
  v1::AccountService::Stub* account() const { return account_.get(); }
  v1::UserService::Stub* users() const { return users_.get(); }
  v1::BundleService::Stub* bundles() const { return bundles_.get(); }
  v1::DomainService::Stub* domains() const { return domains_.get(); }
  v1::OrderService::Stub* orders() const { return orders_.get(); }
  v1::OrderEventService::Stub* order_events() const { return order_events_.get(); }
  v1::SwapService::Stub* swaps() const { return swaps_.get(); }

  // A context with this client's deadline and metadata, for direct stub use.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  std::unique_ptr<grpc::ClientContext> NewContext(std::chrono::milliseconds timeout) const;

 private:
  Options options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AccountService::Stub> account_;
  std::unique_ptr<v1::UserService::Stub> users_;
  std::unique_ptr<v1::BundleService::Stub> bundles_;
  std::unique_ptr<v1::DomainService::Stub> domains_;
  std::unique_ptr<v1::OrderService::Stub> orders_;
  std::unique_ptr<v1::OrderEventService::Stub> order_events_;
  std::unique_ptr<v1::SwapService::Stub> swaps_;
};

template <typename Stub, typename Request, typename Reply>
bool PageIterator<Stub, Request, Reply>::Next(Reply* page) {
  if (done_) return false;
  std::unique_ptr<grpc::ClientContext> context = client_->NewContext();
  status_ = ((*stub_).*method_)(context.get(), request_, page);
  if (!status_.ok()) {
    done_ = true;
    return false;
  }
  done_ = page->next_page_token().empty();
  request_.set_page_token(page->next_page_token());
  return true;
}

// A random (version 4) UUID for a write's `request_id`. Set it yourself to
// keep one id across retries of your own, e.g. after a restart.
std::string NewRequestId();

// What a failed call says: its code and message, and the google.rpc
// details the gateway attaches to it.
struct ErrorDetails {
  struct FieldViolation {
    std::string field;
    std::string description;
  };
  std::string code;  // "INVALID_ARGUMENT", …
  std::string message;
  std::string reason;  // google.rpc.ErrorInfo
  std::vector<std::pair<std::string, std::string>> metadata;  // ErrorInfo, sorted by key
  std::vector<FieldViolation> field_violations;                 // google.rpc.BadRequest
  std::string request_id;                                       // google.rpc.RequestInfo
  std::chrono::milliseconds retry_delay{0};                     // google.rpc.RetryInfo
};
ErrorDetails DetailsOf(const grpc::Status& status);

// One line for a failed call: code, message and the details above.
std::string Describe(const grpc::Status& status);

}  // namespace peeker::partner::client

#endif  // PEEKER_PARTNER_CLIENT_GATEWAY_CLIENT_H_
