#include "server/partner/circuit_breaker.h"

#include "gtest/gtest.h"

namespace gateway::partner {
namespace {

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreakerTest() : breaker_(Options(), [this] { return now_; }) {}

  static CircuitBreaker::Options Options() {
    CircuitBreaker::Options options;
    options.failure_threshold = 3;
    options.cooldown = absl::Seconds(10);
    return options;
  }
  void Fail(int times) {
    for (int i = 0; i < times; ++i) {
      ASSERT_TRUE(breaker_.Admit().ok());
      breaker_.OnFailure();
    }
  }

  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  CircuitBreaker breaker_;
};

TEST_F(CircuitBreakerTest, OpensAfterFailuresInARowOnly) {
  Fail(2);
  breaker_.OnSuccess();  // The run is broken.
  Fail(2);
  EXPECT_TRUE(breaker_.Admit().ok());
  breaker_.OnFailure();  // Third in a row.
  const absl::Status open = breaker_.Admit();
  EXPECT_EQ(open.code(), absl::StatusCode::kUnavailable);
}

TEST_F(CircuitBreakerTest, OneProbeAfterTheCooldownClosesOrReopensIt) {
  Fail(3);
  now_ += absl::Seconds(9);
  EXPECT_FALSE(breaker_.Admit().ok());
  now_ += absl::Seconds(1);
  EXPECT_TRUE(breaker_.Admit().ok());   // The probe…
  EXPECT_FALSE(breaker_.Admit().ok());  // …alone.
  breaker_.OnFailure();                 // It failed: open for another cooldown.
  now_ += absl::Seconds(5);
  EXPECT_FALSE(breaker_.Admit().ok());
  now_ += absl::Seconds(5);
  EXPECT_TRUE(breaker_.Admit().ok());
  breaker_.OnSuccess();  // Closed.
  EXPECT_TRUE(breaker_.Admit().ok());
  EXPECT_TRUE(breaker_.Admit().ok());
}

TEST_F(CircuitBreakerTest, AProbeThatNeverReportsIsReplaced) {
  Fail(3);
  now_ += absl::Seconds(10);
  EXPECT_TRUE(breaker_.Admit().ok());  // Admitted, then never sent.
  now_ += absl::Seconds(9);
  EXPECT_FALSE(breaker_.Admit().ok());
  now_ += absl::Seconds(1);
  EXPECT_TRUE(breaker_.Admit().ok());
}

}  // namespace
}  // namespace gateway::partner
