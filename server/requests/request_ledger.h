// The request ledger: what became of each caller's request id (AIP-155), so
// that a write repeated with the same `request_id` reaches the Partner at
// most once. It lives in the same store as the event log: SQLite for one
// process (SqliteRequestLedger), Redis for a fleet (RedisRequestLedger),
// where every replica sees the claims of every other.
//
// An entry is keyed by environment, method and request id, and remembers a
// fingerprint of the request it was first used for. It is claimed before the
// call runs (pending, with a lease), then holds the call's outcome until
// kRetention after the claim. What a repeat gets is the Decision below.
#ifndef SERVER_REQUESTS_REQUEST_LEDGER_H_
#define SERVER_REQUESTS_REQUEST_LEDGER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "peeker/partner/v1/common.pb.h"

namespace gateway::requests {

// How long the outcome of a request id is kept, from its first claim.
inline constexpr absl::Duration kRetention = absl::Hours(24);

struct RequestKey {
  peeker::partner::v1::Environment environment = peeker::partner::v1::ENVIRONMENT_SANDBOX;
  // The full method path, e.g. "/peeker.partner.v1.BundleService/CreateBundle".
  std::string method;
  std::string request_id;
};

// What a call ended with. The ledger stores the bytes and never reads them.
struct Outcome {
  enum class Kind { kReply = 0, kError = 1, kUnknown = 2 };
  Kind kind = Kind::kReply;
  // kReply: the serialized reply message; kError, kUnknown: a serialized
  // google.rpc.Status. Empty for an unknown outcome whose owner stopped
  // before it could record anything.
  std::string body;
  bool operator==(const Outcome&) const = default;
};

struct Decision {
  enum class State {
    // No entry: this caller now owns the id. Run the call, then Record its
    // outcome, or Release the id when nothing reached the Partner.
    kNew,
    // This caller now owns an id whose earlier call may have reached the
    // Partner (`outcome` is that unknown outcome): do not send it again;
    // settle it by a read and Record the answer, or Record `outcome` again.
    kUnsettled,
    // The stored outcome, to answer with.
    kDone,
    // The id was first used for a different request.
    kConflict,
    // Another call owns the id until `lease_until`.
    kInFlight,
  };
  State state = State::kNew;
  // kNew, kUnsettled: what Record and Release must present.
  std::string token;
  // kDone, kUnsettled.
  Outcome outcome;
  // kInFlight.
  absl::Time lease_until;
};

class RequestLedger {
 public:
  virtual ~RequestLedger() = default;

  // Decides what a call with `key` and `fingerprint` (of its request, without
  // the id) does; a kNew or kUnsettled claim holds the id for `lease`. A
  // pending entry whose lease has passed lost its owner while its call may
  // have reached the Partner: it counts as an unknown outcome with an empty
  // body. An unknown outcome is handed over as kUnsettled when `settle`
  // (the caller can settle it by a read), else answered as kDone. Errors
  // (the store cannot be reached) are UNAVAILABLE.
  virtual absl::StatusOr<Decision> Claim(const RequestKey& key, absl::string_view fingerprint, absl::Duration lease,
                                         bool settle) = 0;

  // Stores the outcome of the claim `token`; FAILED_PRECONDITION when the
  // claim is no longer this caller's (its lease passed and another took it).
  virtual absl::Status Record(const RequestKey& key, absl::string_view token, const Outcome& outcome) = 0;

  // Forgets the claim `token`, whose call did nothing at the Partner, so that
  // the id can run again. A claim no longer this caller's is left alone.
  virtual absl::Status Release(const RequestKey& key, absl::string_view token) = 0;
};

// A fresh random claim token.
std::string NewToken();

}  // namespace gateway::requests

#endif  // SERVER_REQUESTS_REQUEST_LEDGER_H_
