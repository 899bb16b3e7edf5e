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

class RateLimiter {
 public:
  explicit RateLimiter(int per_minute, std::function<absl::Time()> clock = [] { return absl::Now(); })
      : limit_(static_cast<size_t>(per_minute)), clock_(std::move(clock)) {}

  // Reserves the first time at or after `earliest` at which every 60 s
  // window holding it holds at most the limit of reserved calls, and returns
  // it, if it is no later than `latest`. A retry reserved seconds ahead
  // counts in the windows it falls in and no other. Otherwise reserves
  // nothing and returns RESOURCE_EXHAUSTED with RetryInfo: how long after
  // `earliest` a call could go. Thread-safe.
  absl::StatusOr<absl::Time> Reserve(absl::Time earliest, absl::Time latest) ABSL_LOCKS_EXCLUDED(mu_);

  static constexpr absl::Duration kWindow = absl::Seconds(60);

 private:
  const size_t limit_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  // Reserved send times, oldest first, none a window before now.
  std::deque<absl::Time> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_RATE_LIMITER_H_
