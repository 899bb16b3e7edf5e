// Why the webhook receiver refused a delivery. Each reason has its own
// counter and HTTP status; nothing of a refused delivery is stored.
#ifndef SERVER_EVENTS_REJECTION_H_
#define SERVER_EVENTS_REJECTION_H_

#include "absl/strings/string_view.h"

namespace gateway::events {

enum class Rejection {
  kBodyTooLarge,           // 413: over the body cap
  kMissingHeader,          // 400: Peeker-Event-Id, -Timestamp or -Signature absent
  kBadTimestamp,           // 400: Peeker-Timestamp is not Unix seconds
  kTimestampOutsideWindow, // 401: too old or too far in the future
  kBadSignatureHeader,     // 400: no well-formed v1=<64 hex> value
  kSignatureMismatch,      // 401: no configured secret produced a given signature
  kBadEnvelope,            // 400: body is not the documented event envelope
  kEventIdMismatch,        // 400: envelope id differs from Peeker-Event-Id
  kStoreFailed,            // 503: the event log refused the append; the Partner retries
};
inline constexpr int kRejectionCount = 9;

// snake_case name, used as the metric label and in logs.
absl::string_view RejectionName(Rejection reason);
int RejectionHttpStatus(Rejection reason);

}  // namespace gateway::events

#endif  // SERVER_EVENTS_REJECTION_H_
