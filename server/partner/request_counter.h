// Counts the HTTP requests PartnerClient sends to the Partner, one per
// attempt, so that what the gateway reports is what the Partner received.
#ifndef SERVER_PARTNER_REQUEST_COUNTER_H_
#define SERVER_PARTNER_REQUEST_COUNTER_H_

#include <cstdint>
#include <string>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace gateway::partner {

// Thread-safe.
class RequestCounter {
 public:
  // One attempt of `endpoint` ("POST /bundles") in `environment` ended
  // with `status`: the HTTP status the Partner answered, or kNoAnswer,
  // kTimeout, kNotSent.
  void Add(absl::string_view environment, absl::string_view endpoint, absl::string_view status)
      ABSL_LOCKS_EXCLUDED(mu_);

  // The request may have reached the Partner, and no answer came back.
  static constexpr absl::string_view kNoAnswer = "no_answer";
  // No answer before the attempt's deadline.
  static constexpr absl::string_view kTimeout = "timeout";
  // The request never went on the wire (no connection, TLS failure): the
  // Partner did not receive it.
  static constexpr absl::string_view kNotSent = "not_sent";

  // `gateway_partner_requests_total` in the Prometheus text format.
  std::string MetricsText() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  using Key = std::tuple<std::string, std::string, std::string>;  // environment, endpoint, status
  mutable absl::Mutex mu_;
  absl::btree_map<Key, uint64_t> counts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_REQUEST_COUNTER_H_
