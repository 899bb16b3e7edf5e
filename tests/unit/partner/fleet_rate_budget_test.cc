// FleetRateBudget against a real redis-server: several budgets on one Redis
// stand for the replicas of a fleet.
#include "server/partner/fleet_rate_budget.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"
#include "tests/integration/redis_server.h"

namespace gateway::partner {
namespace {

class FleetRateBudgetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    for (int i = 0; i < 3; ++i) {
      redis::RedisClient::Options options;
      options.port = server_->port();
      clients_.push_back(std::make_unique<redis::RedisClient>(options));
    }
  }

  // One replica's budget of `limit` per minute in a fleet of 3.
  std::unique_ptr<FleetRateBudget> Replica(int i, int limit, const std::string& name = "sandbox") {
    return std::make_unique<FleetRateBudget>(clients_[i].get(), name, limit, 3);
  }

  std::unique_ptr<testing::RedisServer> server_;
  std::vector<std::unique_ptr<redis::RedisClient>> clients_;
};

// Counts the reservations that go within `latest` of now, round robin over
// `replicas`, out of `calls`.
int AtOnce(const std::vector<FleetRateBudget*>& replicas, int calls, absl::Duration latest = absl::Seconds(1)) {
  int granted = 0;
  for (int i = 0; i < calls; ++i) {
    const absl::Time now = absl::Now();
    absl::StatusOr<absl::Time> slot = replicas[i % replicas.size()]->Reserve(now, now + latest);
    if (slot.ok()) {
      EXPECT_LT(*slot - now, absl::Milliseconds(100)) << i;  // Room: no wait.
      ++granted;
    } else {
      EXPECT_EQ(slot.status().code(), absl::StatusCode::kResourceExhausted) << slot.status();
      auto retry = common::GetDetail<google::rpc::RetryInfo>(slot.status());
      // The first slot with room is about a window on.
      EXPECT_GT(retry.has_value() ? retry->retry_delay().seconds() : 0, 50) << i;
    }
  }
  return granted;
}

TEST_F(FleetRateBudgetTest, TheLimitHoldsForTheWholeFleetAndEachKeyHasItsOwn) {
  auto a = Replica(0, 12);
  auto b = Replica(1, 12);
  auto c = Replica(2, 12);
  // Three replicas driven at three times the limit: the limit, no more.
  EXPECT_EQ(AtOnce({a.get(), b.get(), c.get()}, 36), 12);
  // Another key's budget is untouched.
  auto live = Replica(0, 12, "live");
  EXPECT_EQ(AtOnce({live.get()}, 13), 12);
}

TEST_F(FleetRateBudgetTest, ACallThatMayWaitGetsTheSlotWhenTheOldestLeavesTheWindow) {
  constexpr absl::Duration kGap = absl::Milliseconds(200);
  auto a = Replica(0, 2);
  auto b = Replica(1, 2);
  const absl::Time start = absl::Now();
  ASSERT_TRUE(a->Reserve(start, start).ok());
  // The second call of the window comes well after the first: a slot comes
  // back on this process's clock, translated from Redis's with up to a round
  // trip of error, so only a gap larger than that has a reliable order.
  absl::SleepFor(kGap);
  const absl::Time second = absl::Now();
  ASSERT_TRUE(b->Reserve(second, second).ok());
  const absl::StatusOr<absl::Time> later = a->Reserve(absl::Now(), absl::Now() + absl::Minutes(2));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_GE(*later - start, RateBudget::kWindow - absl::Milliseconds(50));
  EXPECT_LT(*later - start, RateBudget::kWindow + absl::Seconds(1));
  // That reservation counts for the other replica too: its next slot comes
  // after it, when the second call of the window leaves.
  const absl::StatusOr<absl::Time> next = b->Reserve(absl::Now(), absl::Now() + absl::Minutes(2));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_GT(*next - *later, kGap / 2);
  EXPECT_LT(*next - *later, kGap + absl::Seconds(1));
}

TEST_F(FleetRateBudgetTest, WithoutRedisEachReplicaKeepsToItsShareAndSharesAgainWhenItIsBack) {
  auto a = Replica(0, 30);
  auto b = Replica(1, 30);
  ASSERT_EQ(AtOnce({a.get()}, 1), 1);
  server_->Kill();
  EXPECT_EQ(AtOnce({a.get()}, 15), 10);  // 30 / 3
  EXPECT_EQ(AtOnce({b.get()}, 15), 10);
  ASSERT_TRUE(server_->Restart().ok());
  // Back on the shared budget, which kept (from its AOF) the one slot taken
  // before the outage.
  int granted = 0;
  for (const absl::Time give_up = absl::Now() + absl::Seconds(10); granted == 0 && absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(100));
    granted = AtOnce({a.get()}, 1);  // Fails on the share until Redis answers.
  }
  EXPECT_EQ(granted + AtOnce({a.get(), b.get()}, 40), 29);
}

}  // namespace
}  // namespace gateway::partner
