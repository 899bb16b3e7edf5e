#include "server/partner/rate_limiter.h"

#include <algorithm>
#include <vector>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"

namespace gateway::partner {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(RateLimiterTest, CallsGoAtOnceWhileTheWindowHasRoom) {
  absl::Time now = kNow;
  RateLimiter limiter(600, [&] { return now; });
  // One after another, 10 ms apart: none waits.
  for (int i = 0; i < 600; ++i) {
    EXPECT_EQ(*limiter.Reserve(now, absl::InfiniteFuture()), now) << i;
    now += absl::Milliseconds(10);
  }
  // The 601st waits for the first to leave the window, 60 s after it.
  EXPECT_EQ(*limiter.Reserve(now, absl::InfiniteFuture()), kNow + absl::Seconds(60));
  // Later the window slides: each of the oldest calls leaving makes room.
  now = kNow + absl::Seconds(60) + absl::Milliseconds(15);
  EXPECT_EQ(*limiter.Reserve(now, absl::InfiniteFuture()), now);
}

TEST(RateLimiterTest, ABurstUpToTheLimitGoesWholeAndNoWindowHoldsMore) {
  RateLimiter limiter(60, [] { return kNow; });
  std::vector<absl::Time> slots;
  for (int i = 0; i < 150; ++i) slots.push_back(*limiter.Reserve(kNow, absl::InfiniteFuture()));
  // 60 now, 60 a window later, 30 a window after that.
  for (int i = 0; i < 150; ++i) EXPECT_EQ(slots[i], kNow + absl::Seconds(60) * (i / 60)) << i;
  std::sort(slots.begin(), slots.end());
  for (size_t i = 0; i + 60 < slots.size(); ++i) EXPECT_GE(slots[i + 60] - slots[i], RateLimiter::kWindow) << i;
}

TEST(RateLimiterTest, AReservationAheadCountsOnlyInItsWindows) {
  RateLimiter limiter(2, [] { return kNow; });
  EXPECT_EQ(*limiter.Reserve(kNow + absl::Seconds(2), absl::InfiniteFuture()), kNow + absl::Seconds(2));  // A retry.
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow);
  // Any later time within a window of both is full; the first with room is
  // a window after the call at kNow, when only the retry shares its window.
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow + absl::Seconds(60));
  // And then a window after the retry.
  EXPECT_EQ(*limiter.Reserve(kNow, absl::InfiniteFuture()), kNow + absl::Seconds(62));
}

TEST(RateLimiterTest, NoSlotBeforeTheLatestIsResourceExhaustedAndReservesNothing) {
  RateLimiter limiter(1, [] { return kNow; });  // One call a minute.
  ASSERT_TRUE(limiter.Reserve(kNow, kNow).ok());
  absl::StatusOr<absl::Time> refused = limiter.Reserve(kNow, kNow + absl::Milliseconds(500));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  auto retry = common::GetDetail<google::rpc::RetryInfo>(refused.status());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->retry_delay().seconds(), 60);
  auto info = common::GetDetail<google::rpc::ErrorInfo>(refused.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "LOCAL_RATE_BUDGET");
  // The refusal took no room: the next caller still goes 60 s later.
  EXPECT_EQ(*limiter.Reserve(kNow, kNow + absl::Seconds(65)), kNow + absl::Seconds(60));
}

}  // namespace
}  // namespace gateway::partner
