// Writes that carry a `request_id` (AIP-155) reach the Partner at most once,
// whichever replica each attempt lands on: RequestIds runs such a write
// through the request ledger (server/requests/request_ledger.h).
//
// - The first call claims the id and runs. Its outcome is stored when the
//   Partner acted or answered: a reply, a Partner error, or an outcome that
//   is unknown (PARTNER_OUTCOME_UNKNOWN). When nothing reached the Partner
//   (refused by the gateway, or an error with RetryInfo: the budget, the
//   breaker, a 429 or a 5xx), the id is released so that a retry runs anew.
// - A repeat of the same request gets the stored outcome, and nothing is
//   sent; a different request under the same id is INVALID_ARGUMENT naming
//   `request_id`.
// - A repeat while the first call runs waits for its outcome, polling the
//   ledger, until shortly before its deadline; then it is ABORTED with
//   RetryInfo. It never sends a second call.
// - A repeat that finds an unknown outcome gets it again, unless the RPC can
//   settle it by a read: then the read's answer is stored and returned, or,
//   when the read shows the write did not happen, the write is sent.
#ifndef SERVER_SERVICE_REQUEST_IDS_H_
#define SERVER_SERVICE_REQUEST_IDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/common/metrics.h"
#include "server/requests/request_ledger.h"

namespace gateway::service {

class RequestIds {
 public:
  struct Options {
    // The longest the Partner call of a write with a request id may take:
    // its deadline is cut to this, and its claim on the id is held this
    // long and a margin more, so that a replica that stopped mid-call holds
    // the id no longer than that.
    absl::Duration max_call = absl::Seconds(15);
    // How often a repeat looks for the outcome of its in-flight twin.
    absl::Duration poll_interval = absl::Milliseconds(50);
  };

  // What a write ended with: on success the serialized reply.
  struct Answer {
    absl::Status status;
    std::string reply;
    std::string partner_request_id;
  };
  using AnswerCallback = absl::AnyInvocable<void(Answer) &&>;
  // Runs the write once, with the deadline given.
  using Send = absl::AnyInvocable<void(absl::Time deadline, AnswerCallback done) &&>;
  // The serialized reply the write gave, nullopt when it did not happen, or
  // why the read could not tell.
  using Settled = absl::AnyInvocable<void(absl::StatusOr<std::optional<std::string>>) &&>;
  // Reads the Partner to learn whether an earlier run of the write happened.
  using Settle = absl::AnyInvocable<void(absl::Time deadline, Settled settled) &&>;

  // `ledger` and `metrics` must outlive this object, which declares
  // gateway_request_id_decisions_total{decision} on `metrics`.
  RequestIds(requests::RequestLedger* ledger, Options options, common::Metrics* metrics);

  // Runs the write `key` whose request has `fingerprint` as described
  // above; `settle` may be null (the RPC cannot settle an unknown outcome).
  // `done` is called once, on any thread.
  void Run(requests::RequestKey key, std::string fingerprint, absl::Time deadline, Send send, Settle settle,
           AnswerCallback done);

 private:
  class Call;
  enum Tally { kNew, kReplayed, kConflict, kWaited, kAborted, kSettled, kTallies };
  void Count(Tally tally) { counts_[tally]->Add(); }

  requests::RequestLedger* const ledger_;
  const Options options_;
  common::Metrics::Counter* counts_[kTallies] = {};
};

// OK for a UUID in its 8-4-4-4-12 hex form (either case); otherwise
// INVALID_ARGUMENT with a BadRequest naming `request_id`.
absl::Status CheckRequestId(absl::string_view request_id);

// SHA-256, in hex, of the deterministic serialization of `request` without
// its `request_id`: equal for equal requests, whatever the id.
std::string Fingerprint(const google::protobuf::Message& request);

}  // namespace gateway::service

#endif  // SERVER_SERVICE_REQUEST_IDS_H_
