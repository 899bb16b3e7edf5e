#include "server/events/rejection.h"

namespace gateway::events {

absl::string_view RejectionName(Rejection reason) {
  switch (reason) {
    case Rejection::kBodyTooLarge:
      return "body_too_large";
    case Rejection::kMissingHeader:
      return "missing_header";
    case Rejection::kBadTimestamp:
      return "bad_timestamp";
    case Rejection::kTimestampOutsideWindow:
      return "timestamp_outside_window";
    case Rejection::kBadSignatureHeader:
      return "bad_signature_header";
    case Rejection::kSignatureMismatch:
      return "signature_mismatch";
    case Rejection::kBadEnvelope:
      return "bad_envelope";
    case Rejection::kEventIdMismatch:
      return "event_id_mismatch";
    case Rejection::kStoreFailed:
      return "store_failed";
  }
  return "unknown";
}

int RejectionHttpStatus(Rejection reason) {
  switch (reason) {
    case Rejection::kBodyTooLarge:
      return 413;
    case Rejection::kTimestampOutsideWindow:
    case Rejection::kSignatureMismatch:
      return 401;
    case Rejection::kStoreFailed:
      return 503;
    case Rejection::kMissingHeader:
    case Rejection::kBadTimestamp:
    case Rejection::kBadSignatureHeader:
    case Rejection::kBadEnvelope:
    case Rejection::kEventIdMismatch:
      return 400;
  }
  return 400;
}

}  // namespace gateway::events
