// The local rate budget of one Partner key: calls are spaced 60 s / limit
// apart, so a burst is smoothed before the Partner sees it and the
// Partner's per-minute limit (600 by default) is never what stops a call.
// PartnerClient makes a call wait for a slot only if the slot leaves it
// 500 ms of its deadline.
#ifndef SERVER_PARTNER_RATE_LIMITER_H_
#define SERVER_PARTNER_RATE_LIMITER_H_

#include <functional>
#include <set>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gateway::partner {

class RateLimiter {
 public:
  explicit RateLimiter(int per_minute, std::function<absl::Time()> clock = [] { return absl::Now(); })
      : interval_(absl::Minutes(1) / per_minute), clock_(std::move(clock)) {}

  // Reserves the first time at or after `earliest` that is at least 60 s /
  // limit away from every other reserved call, and returns it, if it is no
  // later than `latest`. A retry reserved seconds ahead so does not hold up
  // the calls before it. Otherwise reserves nothing and returns
  // RESOURCE_EXHAUSTED with RetryInfo: how long after `earliest` a slot is
  // free. Thread-safe.
  absl::StatusOr<absl::Time> Reserve(absl::Time earliest, absl::Time latest) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const absl::Duration interval_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  // Reserved send times not yet an interval in the past.
  std::set<absl::Time> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_RATE_LIMITER_H_
