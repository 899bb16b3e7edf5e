// The Partner's webhook endpoint: one POST path on its own port. A delivery
// is verified, parsed, deduplicated and durably stored (EventHub::Ingest)
// before it is answered 2xx; a refused one is answered with a precise 4xx
// (or 503 when storing failed, so the Partner retries), stores nothing and
// moves the counter of its reason.
#ifndef SERVER_EVENTS_WEBHOOK_RECEIVER_H_
#define SERVER_EVENTS_WEBHOOK_RECEIVER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/metrics.h"
#include "server/events/event_hub.h"
#include "server/events/rejection.h"
#include "server/events/webhook_verifier.h"
#include "server/http/http_listener.h"

namespace gateway::events {

class WebhookReceiver {
 public:
  struct Options {
    std::string listen = "0.0.0.0:8080";
    std::string path = "/webhooks/peeker";
    // Larger bodies get 413 without being read.
    size_t max_body_bytes = 1 << 20;
    // Each worker serves one connection at a time. Deliveries that arrive
    // together share one durable commit (EventHub::Ingest), so more workers
    // mean larger commits under load, not more disk syncs.
    int threads = 16;
  };
  // The headers of a delivery that matter.
  struct Delivery {
    std::string event_id;   // Peeker-Event-Id
    std::string timestamp;  // Peeker-Timestamp
    std::string signature;  // Peeker-Signature
    std::string body;
  };
  struct Reply {
    int status = 200;
    std::string body;  // JSON
  };

  // `verifier`, `hub` and `metrics` must outlive the receiver, which
  // declares gateway_webhooks_total{outcome,reason} on `metrics`.
  WebhookReceiver(const WebhookVerifier* verifier, EventHub* hub, Options options, common::Metrics* metrics);
  ~WebhookReceiver();

  // Binds and serves Options::listen.
  absl::Status Start();
  int port() const;

  // Handles one delivery received at `now`; what the HTTP handler does.
  Reply Handle(const Delivery& delivery, absl::Time now);

 private:
  Reply Refuse(Rejection reason, const std::string& event_id, absl::string_view message);

  const WebhookVerifier* const verifier_;
  EventHub* const hub_;
  const Options options_;
  std::unique_ptr<http::HttpListener> listener_;
  common::Metrics::Family<common::Metrics::Counter>& deliveries_;
  common::Metrics::Counter& stored_;
  common::Metrics::Counter& duplicates_;
  std::array<common::Metrics::Counter*, kRejectionCount> rejected_{};
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_WEBHOOK_RECEIVER_H_
