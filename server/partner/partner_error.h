// The Partner-side conversion edge: every way a Partner call can fail becomes
// one absl::Status with google.rpc details attached (DESIGN.md §6). The gRPC
// edge in service/ only translates codes and copies the details.
#ifndef SERVER_PARTNER_PARTNER_ERROR_H_
#define SERVER_PARTNER_PARTNER_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/http/http_client.h"

namespace gateway::partner {

// ErrorInfo.domain for errors the Partner reported.
inline constexpr absl::string_view kPartnerErrorDomain = "api.peeker.ai";
// ErrorInfo.reason when a Partner answer cannot be understood.
inline constexpr absl::string_view kBadResponseReason = "PARTNER_BAD_RESPONSE";
// ErrorInfo.reason when a write that is not safe to repeat may have reached
// the Partner but no answer came back.
inline constexpr absl::string_view kOutcomeUnknownReason = "PARTNER_OUTCOME_UNKNOWN";

// A non-2xx Partner answer → status. Reads the error envelope
// `{"error":{code,message,field,details}}` when there is one; `code`,
// `field`, `details` and the Peeker-Request-Id reach the caller as
// ErrorInfo, BadRequest, ResourceInfo, RetryInfo, QuotaFailure and
// RequestInfo details.
absl::Status StatusFromPartnerError(const http::HttpResponse& response);

// A failure of the HTTP exchange itself (from HttpClient) → status. Connect,
// TLS and reset failures are UNAVAILABLE with RetryInfo; deadlines stay
// DEADLINE_EXCEEDED.
absl::Status StatusFromTransportError(const absl::Status& error);

// A write not safe to repeat (`method` on `route`, sent as `path`) that
// failed with `error` after its request may have reached the Partner →
// UNAVAILABLE (DEADLINE_EXCEEDED when `deadline_passed`, the caller's own
// deadline) with ErrorInfo{reason: PARTNER_OUTCOME_UNKNOWN, metadata:
// resource_type, endpoint, and resource_name when the path names one}, and
// no RetryInfo: a retry could do the write twice, so the caller must look
// first.
absl::Status PartnerOutcomeUnknown(const absl::Status& error, absl::string_view method, absl::string_view route,
                                   absl::string_view path, bool deadline_passed);

// A 2xx answer whose body is not JSON or not the documented shape → INTERNAL
// with ErrorInfo{reason: PARTNER_BAD_RESPONSE} and the request id.
absl::Status PartnerBadResponse(absl::string_view what, absl::string_view request_id);

// The Peeker-Request-Id that a status from this file carries as RequestInfo;
// empty when it has none.
std::string RequestIdOf(const absl::Status& status);

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_PARTNER_ERROR_H_
