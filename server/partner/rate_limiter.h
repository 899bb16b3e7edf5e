// The local rate budget of one Partner key: no 60 s window holds more than
// the limit of calls (600 by default, the Partner's own), and a call goes at
// once while its window has room, so calls made one after another wait for
// nothing and a burst within the limit goes through whole. Beyond the limit
// a call waits for the oldest call of its window to leave it; PartnerClient
// makes it wait only if that leaves it 500 ms of its deadline.
#ifndef SERVER_PARTNER_RATE_LIMITER_H_
#define SERVER_PARTNER_RATE_LIMITER_H_

#include <cstddef>
#include <deque>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gateway::partner {

// Where PartnerClient gets each attempt's send time: this process's own
// RateLimiter, or FleetRateBudget shared by every replica.
class RateBudget {
 public:
  virtual ~RateBudget() = default;
  // Reserves the first time at or after `earliest` at which every 60 s
  // window holding it holds at most the limit of reserved calls, and returns
  // it, if it is no later than `latest`. A retry reserved seconds ahead
  // counts in the windows it falls in and no other. Otherwise reserves
  // nothing and returns RESOURCE_EXHAUSTED with RetryInfo: how long after
  // `earliest` a call could go. Thread-safe.
  virtual absl::StatusOr<absl::Time> Reserve(absl::Time earliest, absl::Time latest) = 0;

  static constexpr absl::Duration kWindow = absl::Seconds(60);
};

// The RESOURCE_EXHAUSTED of a budget of `limit` calls whose next room is
// `wait` away, with RetryInfo and ErrorInfo LOCAL_RATE_BUDGET.
absl::Status NoRoomInBudget(size_t limit, absl::Duration wait);

class RateLimiter final : public RateBudget {
 public:
  explicit RateLimiter(int per_minute, std::function<absl::Time()> clock = [] { return absl::Now(); })
      : limit_(static_cast<size_t>(per_minute)), clock_(std::move(clock)) {}

  absl::StatusOr<absl::Time> Reserve(absl::Time earliest, absl::Time latest) override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const size_t limit_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  // Reserved send times, oldest first, none a window before now.
  std::deque<absl::Time> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_RATE_LIMITER_H_
