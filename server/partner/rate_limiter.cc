#include "server/partner/rate_limiter.h"

#include <algorithm>
#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/status_details.h"

namespace gateway::partner {

absl::Status NoRoomInBudget(size_t limit, absl::Duration wait) {
  absl::Status status = absl::ResourceExhaustedError(absl::StrCat(
      "the gateway's Partner rate budget (", limit, " calls in any 60 s) has no room before the deadline; the next is in ",
      absl::FormatDuration(absl::Trunc(wait, absl::Milliseconds(1)))));
  common::AddRetryInfo(status, wait);
  google::rpc::ErrorInfo info;
  info.set_reason("LOCAL_RATE_BUDGET");
  info.set_domain(std::string(common::kGatewayErrorDomain));
  common::AddDetail(status, info);
  return status;
}

absl::StatusOr<absl::Time> RateLimiter::Reserve(absl::Time earliest, absl::Time latest) {
  absl::MutexLock lock(&mu_);
  const absl::Time horizon = std::min(clock_(), earliest) - kWindow;
  while (!slots_.empty() && slots_.front() <= horizon) slots_.pop_front();
  // Every window holding `slot` lies within (slot - 60 s, slot + 60 s): while
  // that span holds the limit or more, move past the oldest calls in it
  // that have to leave. Each step moves `slot` later, and none goes past
  // `latest` by more than one step.
  absl::Time slot = earliest;
  while (slot <= latest) {
    const auto first = std::upper_bound(slots_.begin(), slots_.end(), slot - kWindow);
    const auto end = std::lower_bound(first, slots_.end(), slot + kWindow);
    const size_t held = static_cast<size_t>(end - first);
    if (held < limit_) break;
    slot = *(first + static_cast<std::ptrdiff_t>(held - limit_)) + kWindow;
  }
  if (slot > latest) return NoRoomInBudget(limit_, slot - earliest);
  slots_.insert(std::upper_bound(slots_.begin(), slots_.end(), slot), slot);
  return slot;
}

}  // namespace gateway::partner
