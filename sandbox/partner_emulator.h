// PartnerEmulator: an in-memory, socket-free emulator of the Peeker Partner
// REST API (Gen B, base path /partner/v1) plus the sandbox control endpoints
// (/_sandbox/faults, /_sandbox/requests, /_sandbox/webhooks). The
// `partner-sandbox` binary wraps it in an HTTP server; tests drive it directly
// through Handle(). All behaviour is deterministic given the injected clock, so
// integration tests can rely on it. It also composes the webhook events a new
// order causes (see Options::on_order_events); sending them is WebhookSender's
// job (webhook_sender.h).
//
// PartnerEmulator is the facade: faults, auth, permission presets, rate
// limiting, routing, the request log and the control endpoints. The Partner
// API resources live in one file each (resource_api.h) over the shared
// in-memory state (emulator_state.h).
#ifndef GATEWAY_SANDBOX_PARTNER_EMULATOR_H_
#define GATEWAY_SANDBOX_PARTNER_EMULATOR_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sandbox/api_types.h"
#include "sandbox/emulator_state.h"
#include "sandbox/resource_api.h"
#include "sandbox/router.h"

namespace gateway::sandbox {

// One entry of the request log served by GET /_sandbox/requests.
struct RecordedRequest {
  std::string method;
  std::string path;
  int status = 0;
  std::string request_id;
  std::string client;  // ApiRequest::client
};

// What one delivery attempt of a webhook ended with.
enum class WebhookOutcome {
  kDelivered,  // the receiver answered 2xx
  kWillRetry,  // failed; another attempt is scheduled
  kDropped,    // failed and it was the last attempt
};

// One entry of the webhook log served by GET /_sandbox/webhooks.
struct WebhookAttempt {
  std::string event_id;
  std::string type;
  std::string order_id;
  int attempt = 0;         // 1-based, per delivery
  bool duplicate = false;  // the second copy sent by --webhook-duplicate
  int status = 0;          // HTTP status; 0 when there was no answer
  std::string error;       // why there was no answer; empty when status != 0
  WebhookOutcome outcome = WebhookOutcome::kDelivered;
  absl::Time at;           // when the attempt finished
};

class PartnerEmulator {
 public:
  struct Options {
    // Source of "now" for timestamps, id generation and dedupe windows.
    std::function<absl::Time()> clock;
    // Used for --latency-ms and fault delays. It is called from the caller's
    // thread with no lock held, so a slow response never blocks others.
    std::function<void(absl::Duration)> sleep;
    // Added before every Partner API response (not control endpoints).
    absl::Duration latency = absl::ZeroDuration();
    // Partner API requests accepted per key in any 60 s; more get 429
    // rate_limited with details.retry_after_seconds. 0: no limit.
    int rate_limit_per_minute = 0;

    // Receives the webhook events of every newly placed order, in logical
    // order: order.in_progress, one domain.connected per domain (in request
    // order), order.completed (order.action_required instead when the order
    // opened pending actions). Called once per new order, from the thread
    // that called Handle(), with no lock held, before Handle() returns.
    // Never called for a 24-hour dedupe replay or a rejected order. When
    // unset, no events are composed (and no evt_ ids are used up).
    std::function<void(std::vector<WebhookEvent>)> on_order_events;
    WebhookDataShape webhook_data = WebhookDataShape::kNested;
    // created_at of an order's k-th event (0-based, logical order) is the
    // order's creation time + webhook_delay + k * max(webhook_interval, 1 ms):
    // the time a sender with the same settings delivers it when not
    // reordering. So created_at values of one order are strictly increasing.
    absl::Duration webhook_delay = absl::ZeroDuration();
    absl::Duration webhook_interval = absl::Milliseconds(200);
  };

  // The request log keeps at most this many entries, dropping the oldest.
  static constexpr size_t kMaxRecordedRequests = 10000;
  // So does the webhook attempt log.
  static constexpr size_t kMaxRecordedWebhookAttempts = 10000;
  // The partner id reported by GET /me.
  static constexpr const char* kPartnerId = kSandboxPartnerId;

  PartnerEmulator();
  explicit PartnerEmulator(Options options);

  PartnerEmulator(const PartnerEmulator&) = delete;
  PartnerEmulator& operator=(const PartnerEmulator&) = delete;

  // Answers any request: control endpoints under /_sandbox/, everything else
  // as the Partner API (faults applied first, then recorded in the log).
  // May sleep (via Options::sleep) for latency and fault delays.
  ApiResponse Handle(const ApiRequest& request) ABSL_LOCKS_EXCLUDED(mu_);

  // Snapshot of the request log, oldest first.
  std::vector<RecordedRequest> RecordedRequests() const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Appends to the log served by GET /_sandbox/webhooks (thread-safe).
  void RecordWebhookAttempt(WebhookAttempt attempt) ABSL_LOCKS_EXCLUDED(mu_);

  // Snapshot of the webhook attempt log, oldest first.
  std::vector<WebhookAttempt> WebhookAttempts() const ABSL_LOCKS_EXCLUDED(mu_);

  // True when `path` is a control endpoint (not auth'd, delayed or recorded).
  static bool IsControlPath(const std::string& path);

 private:
  struct Fault {
    std::string id;
    std::string method;
    std::string path;
    std::optional<int> status;
    std::optional<std::string> body;
    int64_t delay_ms = 0;
    std::optional<int64_t> times;  // nullopt = forever
    // For a generated 429: details.retry_after_seconds (default 1).
    int64_t retry_after_seconds = 1;
    ResponseCut cut = ResponseCut::kNone;
  };
  struct FaultAction {
    int64_t delay_ms = 0;
    std::optional<ApiResponse> response;
    // Applied to whatever response is sent, the emulator's own included
    // (so a reset can come after the request took effect).
    ResponseCut cut = ResponseCut::kNone;
  };
  using ControlHandler = ApiResponse (PartnerEmulator::*)(const ApiRequest&);

  static Router<ControlHandler> ControlRoutes();

  ApiResponse HandleControl(const ApiRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);
  ApiResponse HandleApi(const ApiRequest& request,
                        const std::string& request_id)
      ABSL_LOCKS_EXCLUDED(mu_);
  // HandleApi after the fault delay (takes mu_); fills `*events` for a new
  // order when on_order_events is set.
  ApiResponse DecideApiResponse(const ApiRequest& request,
                                const std::string& request_id,
                                const std::optional<FaultAction>& fault,
                                std::vector<WebhookEvent>* events)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Control endpoint handlers; called with mu_ held.
  ApiResponse ListFaults(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse CreateFault(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse ClearFaults(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse GetRateLimit(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse SetRateLimit(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse ListRequests(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse ClearRequests(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse ListWebhookAttempts(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse ClearWebhookAttempts(const ApiRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::optional<FaultAction> TakeFault(const std::string& method,
                                       const std::string& path)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The 401 or 429 answer when the key is missing, malformed or over its
  // rate limit; nullopt (with `*api_key` set) when it may go on.
  std::optional<ApiResponse> Admit(const ApiRequest& request,
                                   std::string* api_key)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Record(const ApiRequest& request, const ApiResponse& response,
              const std::string& request_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Time Now() const;

  const Options options_;
  const ApiRouter api_routes_;
  const Router<ControlHandler> control_routes_;

  mutable absl::Mutex mu_;
  // Every Partner API record, and the id counter (req_ ids included).
  EmulatorState state_ ABSL_GUARDED_BY(mu_);
  std::vector<Fault> faults_ ABSL_GUARDED_BY(mu_);
  std::deque<RecordedRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::deque<WebhookAttempt> webhook_attempts_ ABSL_GUARDED_BY(mu_);
  // Options::rate_limit_per_minute, changed by PUT /_sandbox/rate-limit.
  int rate_limit_per_minute_ ABSL_GUARDED_BY(mu_);
  // Per key: when its requests of the last 60 s were accepted.
  absl::flat_hash_map<std::string, std::deque<absl::Time>> recent_requests_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_PARTNER_EMULATOR_H_
