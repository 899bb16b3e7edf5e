// Bad input and upstream faults through the real stack: each rejected request
// shows its precise status and that nothing reached the Partner; each Partner
// failure reaches the caller with the right code and details.
#include <atomic>
#include <chrono>
#include <vector>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::PlaceOrderRequest ValidCustomOrder() {
  return CustomOrder("dana@fabrikam.test", {"fabrikam-avail1.com", "fabrikam-avail2.com"});
}

class ErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stack = Stack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }

  size_t PartnerCalls() {
    auto requests = stack_->SandboxRequests();
    EXPECT_TRUE(requests.ok()) << requests.status();
    return requests.ok() ? requests->size() : 0;
  }

  std::unique_ptr<Stack> stack_;
};

TEST_F(ErrorsTest, EachValidationErrorIsPreciseAndNothingIsForwarded) {
  auto client = stack_->Client();
  struct Case {
    const char* name;
    std::function<grpc::Status()> call;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"bundle percents", [&] {
         v1::CreateBundleRequest request;
         request.set_name("Half split");
         request.set_monthly_sending_volume(1000);
         request.set_google_percent(60);
         v1::CreateBundleResponse reply;
         return client.CreateBundle(request, &reply);
       },
       {"microsoft_percent"}},
      {"availability with an empty name", [&] {
         v1::CheckAvailabilityRequest request;
         request.add_domains("name.com");
         request.add_domains("");
         v1::CheckAvailabilityResponse reply;
         return client.CheckAvailability(request, &reply);
       },
       {"domains[1]"}},
      {"import of a non-domain", [&] {
         v1::ImportDomainsRequest request;
         request.add_domains("not a domain");
         v1::ImportDomainsResponse reply;
         return client.ImportDomains(request, &reply);
       },
       {"domains[0]"}},
      {"Smartlead without password", [&] {
         v1::PlaceOrderRequest request = ValidCustomOrder();
         request.mutable_sequencer()->clear_login_password();
         v1::PlaceOrderResponse reply;
         return client.PlaceOrder(request, &reply);
       },
       {"sequencer.login_password"}},
      {"eleven personas", [&] {
         v1::PlaceOrderRequest request = ValidCustomOrder();
         for (int i = 0; i < 10; ++i) *request.add_personas() = request.personas(0);
         v1::PlaceOrderResponse reply;
         return client.PlaceOrder(request, &reply);
       },
       {"personas"}},
      {"persona without picture key", [&] {
         v1::PlaceOrderRequest request = ValidCustomOrder();
         request.mutable_personas(0)->clear_profile_picture_url();
         v1::PlaceOrderResponse reply;
         return client.PlaceOrder(request, &reply);
       },
       {"personas[0].profile_picture_url"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const grpc::Status status = c.call();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    const Details details = DetailsOf(status);
    EXPECT_EQ(Fields(details), c.fields);
    ASSERT_TRUE(details.error_info.has_value());
    EXPECT_EQ(details.error_info->reason(), "INVALID_REQUEST");
  }
  EXPECT_EQ(PartnerCalls(), 0u);
}

TEST_F(ErrorsTest, PartnerValidationErrorReachesTheCallerWithItsDetails) {
  v1::PlaceOrderRequest request = ValidCustomOrder();
  request.add_domains()->set_domain("fabrikam-avail3.com");  // Three domains for a two-domain plan.
  v1::PlaceOrderResponse reply;
  const grpc::Status status = stack_->Client().PlaceOrder(request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  const Details details = DetailsOf(status);
  ASSERT_TRUE(details.error_info.has_value());
  EXPECT_EQ(details.error_info->reason(), "domain_count_mismatch");
  EXPECT_EQ(details.error_info->domain(), "api.peeker.ai");
  EXPECT_EQ(details.error_info->metadata().at("required_count"), "2");
  EXPECT_EQ(details.error_info->metadata().at("submitted_count"), "3");
  EXPECT_THAT(Fields(details), ElementsAre("domains"));
  ASSERT_TRUE(details.request_info.has_value());
  EXPECT_THAT(details.request_info->request_id(), ::testing::StartsWith("req_"));
  EXPECT_EQ(PartnerCalls(), 1u);
}

TEST_F(ErrorsTest, PartnerNotFoundIsNotFound) {
  v1::PlaceOrderRequest request = ValidCustomOrder();
  request.set_bundle_id("bun_DOESNOTEXIST");
  v1::PlaceOrderResponse reply;
  const grpc::Status status = stack_->Client().PlaceOrder(request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
  EXPECT_EQ(DetailsOf(status).error_info->reason(), "not_found");
}

TEST_F(ErrorsTest, PartnerServerErrorIsUnavailableWithRetryInfo) {
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"status", 503}}).ok());
  v1::CreateBundleRequest request;
  request.set_name("x");
  request.set_monthly_sending_volume(1000);
  v1::CreateBundleResponse reply;
  const grpc::Status status = stack_->Client().CreateBundle(request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
  const Details details = DetailsOf(status);
  ASSERT_TRUE(details.retry_info.has_value());
  ASSERT_TRUE(details.request_info.has_value());
  EXPECT_THAT(details.request_info->request_id(), ::testing::StartsWith("req_"));
}

TEST_F(ErrorsTest, ASideEffectIsNotRetriedAfterAServerError) {
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"status", 503}, {"times", 1}})
                  .ok());
  v1::CreateBundleRequest request;
  request.set_name("x");
  request.set_monthly_sending_volume(1000);
  v1::CreateBundleResponse reply;
  EXPECT_EQ(stack_->Client().CreateBundle(request, &reply).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(PartnerCalls(), 1u);  // The Partner may have created it: a second POST could create another.
}

TEST_F(ErrorsTest, ServerErrorsOnAnIdempotentCallAreRetried) {
  ASSERT_TRUE(stack_->InjectFault(
                        {{"method", "POST"}, {"path", "/partner/v1/domains/availability"}, {"status", 503}, {"times", 2}})
                  .ok());
  v1::CheckAvailabilityRequest request;
  request.add_domains("retry-avail.com");
  v1::CheckAvailabilityResponse reply;
  const grpc::Status status = stack_->Client().CheckAvailability(request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(reply.domains(0).available());
  EXPECT_EQ(PartnerCalls(), 3u);
}

TEST_F(ErrorsTest, A429ThatFitsTheDeadlineIsWaitedOut) {
  ASSERT_TRUE(stack_
                  ->InjectFault({{"method", "POST"},
                                 {"path", "/partner/v1/bundles"},
                                 {"status", 429},
                                 {"retry_after_seconds", 1},
                                 {"times", 1}})
                  .ok());
  v1::CreateBundleRequest request;  // Not idempotent: a 429 means nothing was created.
  request.set_name("patient");
  request.set_monthly_sending_volume(1000);
  v1::CreateBundleResponse reply;
  const absl::Time start = absl::Now();
  const grpc::Status status = stack_->Client().CreateBundle(request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_GE(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(PartnerCalls(), 2u);
}

TEST_F(ErrorsTest, A429LongerThanTheDeadlineEndsAtOnceWithWhenToComeBack) {
  ASSERT_TRUE(stack_
                  ->InjectFault({{"method", "POST"},
                                 {"path", "/partner/v1/domains/availability"},
                                 {"status", 429},
                                 {"body", R"({"error":{"code":"rate_limited","message":"slow down",)"
                                          R"("details":{"retry_after_seconds":5}}})"}})
                  .ok());
  auto stub = v1::DomainService::NewStub(stack_->channel());
  grpc::ClientContext context;
  const absl::Time start = absl::Now();
  context.set_deadline(absl::ToChronoTime(start + absl::Seconds(1)));
  v1::CheckAvailabilityRequest request;
  request.add_domains("busy-avail.com");
  v1::CheckAvailabilityResponse reply;
  const grpc::Status status = stub->CheckAvailability(&context, request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  EXPECT_LE(absl::Now() - start, absl::Seconds(1));
  const Details details = DetailsOf(status);
  ASSERT_TRUE(details.retry_info.has_value());
  EXPECT_EQ(details.retry_info->retry_delay().seconds(), 5);
  const auto& trailers = context.GetServerTrailingMetadata();
  auto pushback = trailers.find("grpc-retry-pushback-ms");
  ASSERT_NE(pushback, trailers.end());
  EXPECT_EQ(std::string(pushback->second.data(), pushback->second.size()), "5000");
  EXPECT_EQ(PartnerCalls(), 1u);
}

TEST_F(ErrorsTest, AnOrderWhoseAnswerIsLostIsRetriedAndExistsOnce) {
  // The sandbox places the order, then the connection breaks before the
  // answer: the gateway retries the same body, which the Partner dedupes.
  ASSERT_TRUE(
      stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/orders"}, {"cut", "reset"}, {"times", 1}}).ok());
  v1::PlaceOrderResponse first;
  const grpc::Status status = stack_->Client().PlaceOrder(ValidCustomOrder(), &first);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(first.order().id(), ::testing::StartsWith("ord_"));
  EXPECT_EQ(PartnerCalls(), 2u);
  v1::PlaceOrderResponse again;
  ASSERT_TRUE(stack_->Client().PlaceOrder(ValidCustomOrder(), &again).ok());
  EXPECT_EQ(again.order().id(), first.order().id());  // One order exists.
}

TEST_F(ErrorsTest, ATruncatedAnswerIsRetriedOnlyWhereSafe) {
  for (const char* path : {"/partner/v1/domains/availability", "/partner/v1/bundles"}) {
    ASSERT_TRUE(stack_->InjectFault({{"method", "POST"}, {"path", path}, {"cut", "truncate"}, {"times", 1}}).ok());
  }
  v1::CheckAvailabilityRequest availability;
  availability.add_domains("cut-avail.com");
  v1::CheckAvailabilityResponse available;
  const grpc::Status read = stack_->Client().CheckAvailability(availability, &available);
  EXPECT_TRUE(read.ok()) << Describe(read);
  EXPECT_EQ(PartnerCalls(), 2u);
  v1::CreateBundleRequest bundle;
  bundle.set_name("cut");
  bundle.set_monthly_sending_volume(1000);
  v1::CreateBundleResponse created;
  EXPECT_EQ(stack_->Client().CreateBundle(bundle, &created).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(PartnerCalls(), 3u);  // The bundle may exist; no second POST.
}

TEST_F(ErrorsTest, ABurstGoesThroughUpToTheRateBudgetAndThePartnerNeverSays429) {
  // 1,000 calls at once with 5 s deadlines against 600 calls in any 60 s
  // (the gateway's budget and the sandbox's limit, as the Partner's): as
  // many as the budget has room for go at once, the rest fail at once.
  constexpr int kCalls = 1000;
  auto stub = v1::DomainService::NewStub(stack_->channel());
  struct Call {
    grpc::ClientContext context;
    v1::CheckAvailabilityRequest request;
    v1::CheckAvailabilityResponse reply;
    grpc::Status status;
    absl::Time ended;
  };
  std::vector<Call> calls(kCalls);
  std::atomic<int> remaining{kCalls};
  absl::Notification all_done;
  const absl::Time start = absl::Now();
  for (int i = 0; i < kCalls; ++i) {
    Call& call = calls[i];
    call.context.set_deadline(absl::ToChronoTime(start + absl::Seconds(5)));
    call.request.add_domains(absl::StrCat("burst", i, "-avail.com"));
    stub->async()->CheckAvailability(&call.context, &call.request, &call.reply, [&call, &remaining, &all_done](grpc::Status s) {
      call.status = std::move(s);
      call.ended = absl::Now();
      if (remaining.fetch_sub(1) == 1) all_done.Notify();
    });
  }
  ASSERT_TRUE(all_done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  int ok = 0;
  for (const Call& call : calls) {
    EXPECT_LE(call.ended - start, absl::Milliseconds(5100));  // Inside the deadline, give or take the clock.
    if (call.status.ok()) {
      ++ok;
      continue;
    }
    EXPECT_EQ(call.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(call.status);
    const Details details = DetailsOf(call.status);
    ASSERT_TRUE(details.error_info.has_value());
    EXPECT_EQ(details.error_info->reason(), "LOCAL_RATE_BUDGET");
    ASSERT_TRUE(details.retry_info.has_value());
    EXPECT_GT(details.retry_info->retry_delay().seconds(), 50);  // Room comes when the burst leaves the window.
  }
  // The budget is used whole: the readiness checks (GET /me) and the calls
  // that went make exactly the limit, and the Partner saw no more.
  auto requests = stack_->SandboxRequests(/*with_readiness_checks=*/true);
  ASSERT_TRUE(requests.ok()) << requests.status();
  EXPECT_EQ(requests->size(), 600u);
  EXPECT_GE(ok, 590);
  for (const nlohmann::json& request : *requests) EXPECT_NE(request.value("status", 0), 429);
}

TEST(BreakerTest, ASickPartnerIsLeftAloneUntilAProbeFindsItWell) {
  Stack::Options options;
  options.gateway_args = {"--partner-breaker-failures", "3", "--partner-breaker-cooldown", "1s"};
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  auto partner_calls = [&] { return (*stack)->SandboxRequests().value_or(std::vector<nlohmann::json>()).size(); };
  ASSERT_TRUE(
      (*stack)->InjectFault({{"method", "POST"}, {"path", "/partner/v1/domains/availability"}, {"status", 503}}).ok());
  v1::CheckAvailabilityRequest request;
  request.add_domains("sick-avail.com");
  v1::CheckAvailabilityResponse reply;
  auto client = (*stack)->Client();
  EXPECT_EQ(client.CheckAvailability(request, &reply).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(partner_calls(), 3u);  // Three attempts, three failures: open.

  const grpc::Status fast = client.CheckAvailability(request, &reply);
  EXPECT_EQ(fast.error_code(), grpc::StatusCode::UNAVAILABLE);
  const Details details = DetailsOf(fast);
  ASSERT_TRUE(details.error_info.has_value());
  EXPECT_EQ(details.error_info->reason(), "PARTNER_CIRCUIT_OPEN");
  EXPECT_TRUE(details.retry_info.has_value());
  EXPECT_EQ(partner_calls(), 3u);  // Failed fast: the Partner was not called.

  ASSERT_TRUE((*stack)->ClearFaults().ok());
  absl::SleepFor(absl::Milliseconds(1100));
  const grpc::Status probe = client.CheckAvailability(request, &reply);
  EXPECT_TRUE(probe.ok()) << Describe(probe);
  EXPECT_TRUE(client.CheckAvailability(request, &reply).ok());
  EXPECT_EQ(partner_calls(), 5u);
}

TEST_F(ErrorsTest, RejectedKeyIsInternalForTheCallerAndAnAlertForOperators) {
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"status", 401}}).ok());
  v1::CreateBundleRequest request;
  request.set_name("x");
  request.set_monthly_sending_volume(1000);
  v1::CreateBundleResponse reply;
  const grpc::Status status = stack_->Client().CreateBundle(request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL) << Describe(status);
  EXPECT_TRUE(stack_->gateway().WaitForOutput("alert=partner_key_rejected", absl::Seconds(5)).ok());
}

TEST_F(ErrorsTest, UnreadablePartnerBodyIsBadResponse) {
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"},
                                   {"path", "/partner/v1/domains/availability"},
                                   {"status", 200},
                                   {"body", "<html>maintenance</html>"}})
                  .ok());
  v1::CheckAvailabilityRequest request;
  request.add_domains("acme-avail.com");
  v1::CheckAvailabilityResponse reply;
  const grpc::Status status = stack_->Client().CheckAvailability(request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL) << Describe(status);
  EXPECT_EQ(DetailsOf(status).error_info->reason(), "PARTNER_BAD_RESPONSE");
  EXPECT_EQ(PartnerCalls(), 1u);  // A bad answer is not retried.
}

TEST_F(ErrorsTest, ShortDeadlineGivesDeadlineExceededPromptlyAndTheNextCallWorks) {
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"},
                                   {"path", "/partner/v1/domains/availability"},
                                   {"delay_ms", 3000},
                                   {"times", 1}})
                  .ok());
  v1::CheckAvailabilityRequest request;
  request.add_domains("acme-avail.com");
  v1::CheckAvailabilityResponse reply;
  // Far shorter than the delay.
  auto client = stack_->Client({.environment = "sandbox", .timeout = std::chrono::milliseconds(700)});
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status status = client.CheckAvailability(request, &reply);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << Describe(status);
  EXPECT_LT(elapsed, std::chrono::milliseconds(1200));
  ASSERT_TRUE(stack_->Client().CheckAvailability(request, &reply).ok());
}

TEST_F(ErrorsTest, EnvironmentMetadataIsCheckedAndUnconfiguredLiveIsRefused) {
  v1::CheckAvailabilityRequest request;
  request.add_domains("acme-avail.com");
  v1::CheckAvailabilityResponse reply;
  const grpc::Status bad = stack_->Client({.environment = "staging"}).CheckAvailability(request, &reply);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("peeker-environment"));
  const grpc::Status live = stack_->Client({.environment = "live"}).CheckAvailability(request, &reply);
  EXPECT_EQ(live.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PartnerCalls(), 0u);
}

}  // namespace
}  // namespace gateway::testing
