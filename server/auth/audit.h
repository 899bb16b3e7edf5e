// The audit trail: one log line for every call that changes state at the
// Partner and for every call the authorization policy denies. It is written
// like every other log line, with `log=audit` so that a log pipeline can
// route audit lines on their own. It names the caller, the method, the
// environment, the outcome and what the call touched, and never a key, a
// secret or a password: the ids come only from fields named `id` or `*_id`.
#ifndef SERVER_AUTH_AUDIT_H_
#define SERVER_AUTH_AUDIT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace gateway::auth {

struct AuditRecord {
  // PrincipalName of the caller.
  std::string principal;
  // The full method path, e.g. "/peeker.partner.v1.OrderService/PlaceOrder".
  std::string method;
  // "sandbox" or "live", as the call asked.
  std::string environment;
  absl::StatusCode code = absl::StatusCode::kOk;
  // The Peeker-Request-Id of the Partner's answer; empty when none came.
  std::string partner_request_id;
  // What the call touched, e.g. {"order_id", "ord_…"}, from TouchedIds.
  std::vector<std::pair<std::string, std::string>> ids;
  // Why a call was refused; empty for a call that ran. The line's message
  // is "denied" for the one and "write" for the other.
  std::string reason;
};

void WriteAuditLine(const AuditRecord& record);

// The ids a write names or creates, in order and each name once: from the
// request, then the reply, every non-empty string field `x_id`, and `id` in
// a field `x` (which becomes `x_id`), at the top level and one message
// below. Repeated fields are left out. `reply` may be null (a failed call).
std::vector<std::pair<std::string, std::string>> TouchedIds(const google::protobuf::Message& request,
                                                            const google::protobuf::Message* reply);

}  // namespace gateway::auth

#endif  // SERVER_AUTH_AUDIT_H_
