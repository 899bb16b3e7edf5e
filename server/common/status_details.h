// Rich error details carried inside absl::Status.
//
// Components below the gRPC edge attach google.rpc detail messages
// (ErrorInfo, BadRequest, RequestInfo, …) to an absl::Status as payloads keyed
// by the message's type URL; the gRPC edge turns each payload into a
// google.protobuf.Any of a google.rpc.Status. One representation, no lossy
// string encoding in between.
#ifndef SERVER_COMMON_STATUS_DETAILS_H_
#define SERVER_COMMON_STATUS_DETAILS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"

namespace gateway::common {

// ErrorInfo.domain for errors the gateway itself raises.
inline constexpr absl::string_view kGatewayErrorDomain = "partner-gateway.peeker.internal";

// "type.googleapis.com/<full message name>".
std::string TypeUrlOf(const google::protobuf::Message& message);

// Attaches `detail` to `status` (no-op on OK). A second detail of the same
// type replaces the first.
void AddDetail(absl::Status& status, const google::protobuf::Message& detail);

// Attaches a google.rpc.RetryInfo of `delay` (no-op on OK).
void AddRetryInfo(absl::Status& status, absl::Duration delay);

// Reads back the detail of `T`'s type, if attached.
template <typename T>
std::optional<T> GetDetail(const absl::Status& status) {
  T detail;
  auto payload = status.GetPayload(TypeUrlOf(detail));
  if (!payload.has_value() || !detail.ParseFromString(std::string(*payload))) return std::nullopt;
  return detail;
}

}  // namespace gateway::common

#endif  // SERVER_COMMON_STATUS_DETAILS_H_
