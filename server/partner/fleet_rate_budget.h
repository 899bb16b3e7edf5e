// The rate budget of one Partner key shared by every replica: the reserved
// send times live in a Redis sorted set, and one Lua script finds and
// reserves a slot atomically against every other replica, with the same
// rule as RateLimiter (no 60 s window over the limit, no wait while there
// is room), on Redis's clock so that replicas' clocks need not agree.
//
// When Redis cannot be reached, the replica falls back to its share of the
// limit, `limit / fleet_size` (at least 1), in a RateLimiter of its own, so
// the fleet as a whole still stays within the limit; it goes back to the
// shared budget as soon as Redis answers. The slots a replica took on its
// own are not known to Redis: in the minute after a switch back, a window
// may hold up to the limit plus those.
#ifndef SERVER_PARTNER_FLEET_RATE_BUDGET_H_
#define SERVER_PARTNER_FLEET_RATE_BUDGET_H_

#include <atomic>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/partner/rate_limiter.h"
#include "server/redis/redis_client.h"

namespace gateway::partner {

class FleetRateBudget final : public RateBudget {
 public:
  // `redis` must outlive the budget; `name` tells the Partner keys apart
  // (the environment), never the key itself.
  FleetRateBudget(redis::RedisClient* redis, std::string name, int per_minute, int fleet_size);

  absl::StatusOr<absl::Time> Reserve(absl::Time earliest, absl::Time latest) override;

 private:
  redis::RedisClient* const redis_;
  const std::string key_;
  const size_t limit_;
  RateLimiter share_;
  std::atomic<bool> shared_{true};
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_FLEET_RATE_BUDGET_H_
