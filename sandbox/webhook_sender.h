// WebhookSender: delivers the sandbox's webhook events to one URL the way the
// Partner does (CONTRACT.md section 10): a JSON POST carrying Peeker-Event-Id,
// Peeker-Timestamp and an HMAC-SHA256 Peeker-Signature, retried with
// exponential backoff. Deliveries wait in a time-ordered queue served by one
// background thread, so Enqueue() never waits for the network. The events
// themselves come from PartnerEmulator (Options::on_order_events); the
// transport is an interface so scheduling can be tested without sockets, and
// NewHttpWebhookTransport() is the real one (cpp-httplib, http and https).
#ifndef GATEWAY_SANDBOX_WEBHOOK_SENDER_H_
#define GATEWAY_SANDBOX_WEBHOOK_SENDER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sandbox/partner_emulator.h"

namespace gateway::sandbox {

// Which bytes Peeker-Signature covers (CONTRACT.md section 11.1 says the
// Partner never documented it, so the sandbox offers both).
enum class WebhookSigning {
  kTimestampBody,  // "{Peeker-Timestamp}.{raw body}"
  kBody,           // the raw body alone
};

// Lower-case hex HMAC-SHA256 of `data` keyed with `key` (64 characters).
std::string HmacSha256Hex(absl::string_view key, absl::string_view data);

// The Peeker-Signature value, "v1=<lower-case hex>", for a body signed at
// `timestamp` (Unix seconds, the Peeker-Timestamp value).
std::string WebhookSignature(WebhookSigning signing, absl::string_view secret,
                             int64_t timestamp, absl::string_view body);

// A webhook target split the way the HTTP client wants it.
struct WebhookUrl {
  std::string origin;  // "http://host:port" or "https://host"; scheme lower
  std::string path;    // starts with '/', keeps the query string
};

// Accepts http:// and https:// URLs with a host, an optional port (1-65535),
// and an optional path and query; a fragment is dropped. User info, spaces
// and control characters are rejected. Errors are InvalidArgument with a
// message fit for the command line.
absl::StatusOr<WebhookUrl> ParseWebhookUrl(absl::string_view url);

// Sends one webhook request; the seam between scheduling and sockets.
class WebhookTransport {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  virtual ~WebhookTransport() = default;

  // POSTs `body` with `Content-Type: application/json` plus `headers`.
  // Returns the HTTP status of the answer (any status, 2xx or not), or an
  // error when there was no answer (connection failure, timeout, cancelled).
  // Called from one thread at a time.
  virtual absl::StatusOr<int> Post(const Headers& headers,
                                   const std::string& body) = 0;

  // Makes the Post in flight, if any, and every later one fail promptly.
  // Safe from any thread, any number of times.
  virtual void Cancel() = 0;
};

// The real transport: a fresh connection per Post; `timeout` bounds the
// connect and every read and write. Cancel() shuts the socket down, which
// also aborts a connect in progress (a DNS lookup still runs to its end).
std::unique_ptr<WebhookTransport> NewHttpWebhookTransport(
    WebhookUrl url, absl::Duration timeout);

class WebhookSender {
 public:
  struct Options {
    // The signing key. Never logged, never in an attempt record.
    std::string secret;
    WebhookSigning signing = WebhookSigning::kTimestampBody;
    // An order's first event is due `delay` after Enqueue(); each next one
    // `interval` later (the same schedule PartnerEmulator puts in created_at).
    absl::Duration delay = absl::ZeroDuration();
    absl::Duration interval = absl::Milliseconds(200);
    // After failed attempt n (1-based) the next one is due
    // retry_base * 2^(n-1) later; after `max_attempts` failures (the first
    // attempt included) the delivery is dropped.
    absl::Duration retry_base = absl::Seconds(1);
    int max_attempts = 5;
    // Send every event twice: two independent deliveries (each with its own
    // retries) of the same id and body, the copy right after the original.
    bool duplicate = false;
    // Send an order's events in exactly the reverse of their logical order
    // (order.completed first, order.in_progress last). created_at still
    // follows the logical order; only the delivery slots are permuted.
    bool reorder = false;
    // Called after every attempt, on the sender thread, with no lock held.
    std::function<void(const WebhookAttempt&)> on_attempt;
    // Receives log lines (no trailing newline; never a secret or a body).
    // Per-attempt lines only when `log_attempts`; a dropped delivery and the
    // summary of Stop() are always logged.
    std::function<void(const std::string&)> log;
    bool log_attempts = true;
  };

  // Starts the sender thread. `transport` must not be null.
  WebhookSender(Options options, std::unique_ptr<WebhookTransport> transport);
  ~WebhookSender();  // Stop()

  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Schedules one order's events, given in logical order (as
  // PartnerEmulator::Options::on_order_events receives them). Returns at
  // once; thread-safe. Ignored after Stop().
  void Enqueue(std::vector<WebhookEvent> events) ABSL_LOCKS_EXCLUDED(mu_);

  // Deliveries queued or in flight (a delivery waiting for a retry counts).
  size_t Pending() const ABSL_LOCKS_EXCLUDED(mu_);

  // Cancels the attempt in flight, drops every queued delivery, joins the
  // sender thread and logs how many deliveries were dropped; returns that
  // number. Returns promptly (the transport's Cancel() aborts the attempt).
  // Later calls do nothing and return 0. Not to be called from on_attempt
  // or log (they run on the sender thread, which Stop() joins).
  size_t Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Delivery {
    std::shared_ptr<const WebhookEvent> event;
    bool duplicate = false;
    int attempts = 0;  // made so far
  };
  // Due time, then enqueue order: equal due times keep FIFO order.
  using QueueKey = std::pair<absl::Time, uint64_t>;

  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  void Push(absl::Time due, Delivery delivery)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Log(const std::string& line) const;

  const Options options_;
  const std::unique_ptr<WebhookTransport> transport_;

  mutable absl::Mutex mu_;
  absl::CondVar wake_;  // signalled on Push and on Stop
  std::map<QueueKey, Delivery> queue_ ABSL_GUARDED_BY(mu_);
  uint64_t sequence_ ABSL_GUARDED_BY(mu_) = 0;
  bool in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool thread_done_ ABSL_GUARDED_BY(mu_) = false;
  // Deliveries Run() gave up because Stop() was under way (counted as
  // dropped, never recorded as attempts).
  size_t cancelled_in_flight_ ABSL_GUARDED_BY(mu_) = 0;

  std::thread thread_;  // last: starts after every member is ready
};

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_WEBHOOK_SENDER_H_
