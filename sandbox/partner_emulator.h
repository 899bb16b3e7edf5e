// PartnerEmulator: an in-memory, socket-free emulator of the Peeker Partner
// REST API (Gen B, base path /partner/v1) plus the sandbox control endpoints
// (/_sandbox/faults, /_sandbox/requests). The `partner-sandbox` binary wraps it
// in an HTTP server; tests drive it directly through Handle(). All behaviour is
// deterministic given the injected clock, so integration tests can rely on it.
#ifndef GATEWAY_SANDBOX_PARTNER_EMULATOR_H_
#define GATEWAY_SANDBOX_PARTNER_EMULATOR_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gateway::sandbox {

// One HTTP request as the transport saw it.
struct ApiRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query string
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// The answer the transport should send.
struct ApiResponse {
  int status = 200;
  std::map<std::string, std::string> headers;  // always has Peeker-Request-Id
  std::string body;                            // empty for 204
};

// One entry of the request log served by GET /_sandbox/requests.
struct RecordedRequest {
  std::string method;
  std::string path;
  int status = 0;
  std::string request_id;
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
  };

  // The request log keeps at most this many entries, dropping the oldest.
  static constexpr size_t kMaxRecordedRequests = 10000;
  // The partner id reported by GET /me.
  static constexpr const char* kPartnerId = "org_01JA00000000000000SANDBOX0";

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
  };
  struct FaultAction {
    int64_t delay_ms = 0;
    std::optional<ApiResponse> response;
  };
  struct Bundle {
    std::string id;
    int64_t google_domains = 0;
    int64_t microsoft_domains = 0;
    int64_t inboxes_per_domain = 2;
    std::string json;  // serialized Bundle resource
  };
  struct DedupeEntry {
    absl::Time created;
    std::string order_json;  // serialized Order resource
  };

  ApiResponse HandleControl(const ApiRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);
  ApiResponse HandleApi(const ApiRequest& request,
                        const std::string& request_id)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Endpoint handlers; called with mu_ held.
  ApiResponse CreateFault(const std::string& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::optional<FaultAction> TakeFault(const std::string& method,
                                       const std::string& path)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse CreateBundle(const std::string& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse CheckAvailability(const std::string& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse ImportDomains(const std::string& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ApiResponse CreateOrder(const std::string& api_key, const std::string& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  void Record(const ApiRequest& request, const ApiResponse& response,
              const std::string& request_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string NewId(const std::string& prefix)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Time Now() const;

  const Options options_;

  mutable absl::Mutex mu_;
  uint64_t id_counter_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Fault> faults_ ABSL_GUARDED_BY(mu_);
  std::deque<RecordedRequest> requests_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Bundle> bundles_ ABSL_GUARDED_BY(mu_);
  // Lower-cased email -> user id, and the reverse for usr_ lookups.
  absl::flat_hash_map<std::string, std::string> users_by_email_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> emails_by_user_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> imported_domains_ ABSL_GUARDED_BY(mu_);
  // (api key + '\n' + body bytes) -> the order it created.
  absl::flat_hash_map<std::string, DedupeEntry> order_dedupe_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_PARTNER_EMULATOR_H_
