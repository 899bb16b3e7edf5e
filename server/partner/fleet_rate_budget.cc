#include "server/partner/fleet_rate_budget.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"

namespace gateway::partner {
namespace {

// KEYS[1]: the sorted set of reserved slots (µs on Redis's clock, scores);
// ARGV: limit, window (µs), earliest and latest as offsets from now (µs), a
// unique member name. Returns {1, slot} when it reserved `slot`, {0, slot}
// with the first slot that would have room when that is past `latest`;
// slots as offsets from now (µs). The same search as RateLimiter::Reserve.
constexpr char kReserveScript[] = R"lua(
-- Lua prints numbers with 14 digits; µs since 1970 have 16.
local function exact(n) return string.format('%.0f', n) end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local earliest, latest = now + tonumber(ARGV[3]), now + tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', exact(math.min(now, earliest) - window))
local slot = earliest
while slot <= latest do
  local held = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. exact(slot - window), '(' .. exact(slot + window),
                          'WITHSCORES')
  local count = #held / 2
  if count < limit then break end
  slot = math.max(slot + 1, tonumber(held[2 * (count - limit + 1)]) + window)
end
if slot > latest then return {0, slot - now} end
redis.call('ZADD', KEYS[1], exact(slot), ARGV[5])
redis.call('PEXPIREAT', KEYS[1], exact(math.floor((math.max(slot, now) + window) / 1000) + 1))
return {1, slot - now}
)lua";

// A slot is taken with at most this wait for Redis, from a Partner call's
// own thread; slower, and the replica uses its share instead.
constexpr absl::Duration kRedisTimeout = absl::Milliseconds(250);

}  // namespace

FleetRateBudget::FleetRateBudget(redis::RedisClient* redis, std::string name, int per_minute, int fleet_size)
    : redis_(redis),
      key_(absl::StrCat("partner-gateway:budget:", name)),
      limit_(static_cast<size_t>(per_minute)),
      share_(std::max(1, per_minute / std::max(1, fleet_size))) {}

absl::StatusOr<absl::Time> FleetRateBudget::Reserve(absl::Time earliest, absl::Time latest) {
  static absl::BitGen* const bits = new absl::BitGen();
  const absl::Time now = absl::Now();
  const std::string member = absl::StrCat(absl::ToUnixMicros(now), "-", absl::Uniform<uint64_t>(*bits));
  auto reply = redis_->Command({"EVAL", kReserveScript, "1", key_, absl::StrCat(limit_),
                                absl::StrCat(absl::ToInt64Microseconds(kWindow)),
                                absl::StrCat(absl::ToInt64Microseconds(earliest - now)),
                                absl::StrCat(absl::ToInt64Microseconds(latest - now)), member},
                               "the reservation of a Partner call", kRedisTimeout);
  if (reply.ok() && reply->elements.size() == 2) {
    if (!shared_.exchange(true)) {
      common::Log(common::LogLevel::kInfo, "the Partner rate budget is shared by the fleet again", {{"budget", key_}});
    }
    const absl::Time slot = now + absl::Microseconds(reply->elements[1].integer);
    if (reply->elements[0].integer == 0) return NoRoomInBudget(limit_, std::max(slot, earliest) - earliest);
    return std::max(slot, earliest);
  }
  if (shared_.exchange(false)) {
    common::Log(common::LogLevel::kWarning, "the fleet's Partner rate budget is unreachable; using this replica's share",
                {{"budget", key_},
                 {"error", reply.ok() ? "an unexpected answer" : reply.status().ToString()}});
  }
  return share_.Reserve(earliest, latest);
}

}  // namespace gateway::partner
