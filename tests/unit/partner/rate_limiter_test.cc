#include "server/partner/rate_limiter.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"

namespace gateway::partner {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(RateLimiterTest, SpacesCallsSixtySecondsOverTheLimitApart) {
  RateLimiter limiter(600, [] { return kNow; });  // One slot every 100 ms.
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow);
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow + absl::Milliseconds(100));
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow + absl::Milliseconds(200));
  // A later call after a quiet period goes at once; no credit piles up.
  EXPECT_EQ(*limiter.Reserve(kNow + absl::Seconds(10), absl::InfiniteFuture()), kNow + absl::Seconds(10));
  EXPECT_EQ(*limiter.Reserve(kNow + absl::Seconds(10), absl::InfiniteFuture()),
            kNow + absl::Seconds(10) + absl::Milliseconds(100));
}

TEST(RateLimiterTest, AReservationAheadDoesNotHoldUpEarlierCalls) {
  RateLimiter limiter(600, [] { return kNow; });
  EXPECT_EQ(*limiter.Reserve(kNow + absl::Seconds(2), absl::InfiniteFuture()), kNow + absl::Seconds(2));  // A retry.
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow);
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow + absl::Milliseconds(100));
  // Right before the retry's slot there is no room; right after, there is.
  EXPECT_EQ(*limiter.Reserve(kNow + absl::Milliseconds(1950), absl::InfiniteFuture()),
            kNow + absl::Milliseconds(2100));
}

TEST(RateLimiterTest, NoSlotBeforeTheLatestIsResourceExhaustedAndReservesNothing) {
  RateLimiter limiter(60, [] { return kNow; });  // One slot a second.
  ASSERT_TRUE(limiter.Reserve(kNow, kNow).ok());
  absl::StatusOr<absl::Time> refused = limiter.Reserve(kNow, kNow + absl::Milliseconds(500));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  auto retry = common::GetDetail<google::rpc::RetryInfo>(refused.status());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->retry_delay().seconds(), 1);
  auto info = common::GetDetail<google::rpc::ErrorInfo>(refused.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "LOCAL_RATE_BUDGET");
  // The refusal took no slot: the next caller still gets the one at +1 s.
  EXPECT_EQ(*limiter.Reserve(kNow, kNow + absl::Seconds(5)), kNow + absl::Seconds(1));
}

}  // namespace
}  // namespace gateway::partner
