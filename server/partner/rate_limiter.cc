#include "server/partner/rate_limiter.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/status_details.h"

namespace gateway::partner {

absl::StatusOr<absl::Time> RateLimiter::Reserve(absl::Time earliest, absl::Time latest) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_();
  while (!slots_.empty() && *slots_.begin() <= now - interval_) slots_.erase(slots_.begin());
  // First fit: move past every reserved slot closer than an interval.
  absl::Time slot = earliest;
  for (auto it = slots_.upper_bound(slot - interval_); it != slots_.end() && *it < slot + interval_; ++it) {
    slot = *it + interval_;
  }
  if (slot > latest) {
    const absl::Duration wait = slot - earliest;
    absl::Status status = absl::ResourceExhaustedError(absl::StrCat(
        "the gateway's Partner rate budget has no free slot before the deadline; the next is in ",
        absl::FormatDuration(absl::Trunc(wait, absl::Milliseconds(1)))));
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(absl::ToInt64Seconds(wait));
    retry.mutable_retry_delay()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(wait - absl::Seconds(absl::ToInt64Seconds(wait)))));
    common::AddDetail(status, retry);
    google::rpc::ErrorInfo info;
    info.set_reason("LOCAL_RATE_BUDGET");
    info.set_domain(std::string(common::kGatewayErrorDomain));
    common::AddDetail(status, info);
    return status;
  }
  slots_.insert(slot);
  return slot;
}

}  // namespace gateway::partner
