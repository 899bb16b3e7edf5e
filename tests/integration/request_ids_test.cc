// Writes with a request_id through the real gateway and partner-sandbox: a
// repeat gets the first outcome and sends nothing, another request under the
// id is refused, concurrent twins make one Partner call, an unknown outcome
// is replayed (or, for CreateUser, settled by a read), an id whose call did
// nothing at the Partner runs again, and the ledger outlives a restart.
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/user.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using google::protobuf::util::MessageDifferencer;
using peeker::partner::client::Describe;
using ::testing::ElementsAre;
using ::testing::SizeIs;

constexpr char kId[] = "5b0e7c1a-2f3d-4c8e-9a6b-7d1e2f3a4b5c";

class RequestIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stack = Stack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }

  static v1::CreateBundleRequest Bundle(const std::string& name, const std::string& request_id = kId) {
    v1::CreateBundleRequest request;
    request.set_name(name);
    request.set_monthly_sending_volume(25000);
    request.set_request_id(request_id);
    return request;
  }

  grpc::Status CreateBundle(const v1::CreateBundleRequest& request, v1::CreateBundleResponse* reply) {
    return v1::BundleService::Stub(stack_->channel())
        .CreateBundle(stack_->Client().NewContext().get(), request, reply);
  }

  grpc::Status CreateUser(const v1::CreateUserRequest& request, v1::CreateUserResponse* reply) {
    return v1::UserService::Stub(stack_->channel()).CreateUser(stack_->Client().NewContext().get(), request, reply);
  }

  size_t BundlesCreated() { return stack_->SandboxRequestsTo("POST", "/bundles").size(); }

  std::unique_ptr<Stack> stack_;
};

TEST_F(RequestIdsTest, ARepeatedCreateBundleCreatesOneBundleAndGetsTheSameReply) {
  v1::CreateBundleResponse first, second;
  ASSERT_TRUE(CreateBundle(Bundle("Starter"), &first).ok());
  const grpc::Status again = CreateBundle(Bundle("Starter"), &second);
  ASSERT_TRUE(again.ok()) << Describe(again);
  EXPECT_TRUE(MessageDifferencer::Equals(first, second)) << first.DebugString() << second.DebugString();
  EXPECT_EQ(BundlesCreated(), 1u);
  EXPECT_EQ(stack_->RequestIdDecisions("new"), 1);
  EXPECT_EQ(stack_->RequestIdDecisions("replayed"), 1);
}

TEST_F(RequestIdsTest, TheSameIdWithAnotherRequestIsInvalidArgumentNamingRequestId) {
  v1::CreateBundleResponse first, other;
  ASSERT_TRUE(CreateBundle(Bundle("Starter"), &first).ok());
  const grpc::Status conflict = CreateBundle(Bundle("Growth"), &other);
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(conflict);
  EXPECT_THAT(Fields(DetailsOf(conflict)), ElementsAre("request_id"));
  EXPECT_EQ(BundlesCreated(), 1u);
  EXPECT_EQ(stack_->RequestIdDecisions("conflict"), 1);
  // The first request still gets its reply.
  v1::CreateBundleResponse again;
  ASSERT_TRUE(CreateBundle(Bundle("Starter"), &again).ok());
  EXPECT_EQ(again.bundle().id(), first.bundle().id());
}

TEST_F(RequestIdsTest, AnIdThatIsNotAUuidIsRefusedBeforeAnyPartnerCall) {
  for (const std::string id : {"42", "5b0e7c1a2f3d4c8e9a6b7d1e2f3a4b5c", "5b0e7c1a-2f3d-4c8e-9a6b-7d1e2f3a4b5g"}) {
    v1::CreateBundleResponse reply;
    const grpc::Status status = CreateBundle(Bundle("Starter", id), &reply);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << id;
    EXPECT_THAT(Fields(DetailsOf(status)), ElementsAre("request_id")) << id;
  }
  EXPECT_EQ(BundlesCreated(), 0u);
}

TEST_F(RequestIdsTest, WithoutARequestIdEveryCallWrites) {
  v1::CreateBundleResponse first, second;
  ASSERT_TRUE(CreateBundle(Bundle("Starter", ""), &first).ok());
  ASSERT_TRUE(CreateBundle(Bundle("Starter", ""), &second).ok());
  EXPECT_NE(first.bundle().id(), second.bundle().id());
  EXPECT_EQ(BundlesCreated(), 2u);
  EXPECT_EQ(stack_->RequestIdDecisions("new"), 0);
}

TEST_F(RequestIdsTest, ConcurrentTwinsMakeOnePartnerCallAndShareItsReply) {
  // The Partner takes a while, so the twins arrive while the first runs.
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"delay_ms", 600}}).ok());
  constexpr int kTwins = 5;
  std::vector<v1::CreateBundleResponse> replies(kTwins);
  std::vector<grpc::Status> statuses(kTwins);
  std::vector<std::thread> threads;
  for (int i = 0; i < kTwins; ++i) {
    threads.emplace_back([&, i] { statuses[i] = CreateBundle(Bundle("Starter"), &replies[i]); });
  }
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < kTwins; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << Describe(statuses[i]);
    EXPECT_EQ(replies[i].bundle().id(), replies[0].bundle().id());
  }
  EXPECT_EQ(BundlesCreated(), 1u);
  EXPECT_EQ(stack_->RequestIdDecisions("new"), 1);
  EXPECT_EQ(stack_->RequestIdDecisions("waited"), kTwins - 1);
}

TEST_F(RequestIdsTest, ATwinThatCannotWaitLongEnoughIsAbortedWithRetryInfo) {
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"delay_ms", 1500}}).ok());
  v1::CreateBundleResponse first;
  grpc::Status first_status;
  std::thread runner([&] { first_status = CreateBundle(Bundle("Starter"), &first); });
  while (stack_->RequestIdDecisions("new") < 1) absl::SleepFor(absl::Milliseconds(10));
  v1::CreateBundleResponse twin;
  auto context = ContextWithDeadline(std::chrono::milliseconds(400));
  const grpc::Status aborted =
      v1::BundleService::Stub(stack_->channel()).CreateBundle(context.get(), Bundle("Starter"), &twin);
  runner.join();
  ASSERT_TRUE(first_status.ok()) << Describe(first_status);
  EXPECT_EQ(aborted.error_code(), grpc::StatusCode::ABORTED) << Describe(aborted);
  EXPECT_TRUE(DetailsOf(aborted).retry_info.has_value());
  EXPECT_EQ(stack_->RequestIdDecisions("aborted"), 1);
  EXPECT_EQ(BundlesCreated(), 1u);
}

TEST_F(RequestIdsTest, AnUnknownOutcomeIsReplayedAndNotSentAgain) {
  // The Partner creates the bundle, then the connection closes unanswered.
  ASSERT_TRUE(
      stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"cut", "close"}, {"times", 1}}).ok());
  v1::CreateBundleResponse reply;
  const grpc::Status first = CreateBundle(Bundle("Starter"), &reply);
  ASSERT_EQ(first.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(first);
  ASSERT_EQ(DetailsOf(first).error_info->reason(), "PARTNER_OUTCOME_UNKNOWN");
  const grpc::Status again = CreateBundle(Bundle("Starter"), &reply);
  EXPECT_EQ(again.error_code(), first.error_code());
  EXPECT_EQ(again.error_message(), first.error_message());
  EXPECT_EQ(DetailsOf(again).error_info->reason(), "PARTNER_OUTCOME_UNKNOWN");
  EXPECT_EQ(BundlesCreated(), 1u);
}

TEST_F(RequestIdsTest, AnUnknownCreateUserIsSettledByLookingTheEmailUp) {
  ASSERT_TRUE(
      stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/users"}, {"cut", "close"}, {"times", 1}}).ok());
  v1::CreateUserRequest request;
  request.set_email("settle@acme.com");
  request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  request.set_request_id(kId);
  v1::CreateUserResponse reply;
  const grpc::Status first = CreateUser(request, &reply);
  ASSERT_EQ(DetailsOf(first).error_info->reason(), "PARTNER_OUTCOME_UNKNOWN") << Describe(first);

  const grpc::Status settled = CreateUser(request, &reply);
  ASSERT_TRUE(settled.ok()) << Describe(settled);
  EXPECT_EQ(reply.user().email(), "settle@acme.com");
  EXPECT_THAT(reply.user().id(), ::testing::StartsWith("usr_"));
  EXPECT_EQ(stack_->RequestIdDecisions("settled"), 1);
  // The settled answer is stored: a third call reads nothing more.
  const size_t lookups = stack_->SandboxRequestsTo("GET", "/users").size();
  v1::CreateUserResponse third;
  ASSERT_TRUE(CreateUser(request, &third).ok());
  EXPECT_EQ(third.user().id(), reply.user().id());
  EXPECT_EQ(stack_->SandboxRequestsTo("GET", "/users").size(), lookups);
  EXPECT_THAT(stack_->SandboxRequestsTo("POST", "/users"), SizeIs(1));
}

TEST_F(RequestIdsTest, AnIdWhoseCallDidNothingAtThePartnerRunsAgain) {
  // A 503: the Partner did nothing, and the gateway says to retry.
  ASSERT_TRUE(
      stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"status", 503}, {"times", 1}}).ok());
  v1::CreateBundleResponse reply;
  const grpc::Status refused = CreateBundle(Bundle("Starter"), &reply);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(refused);
  ASSERT_TRUE(DetailsOf(refused).retry_info.has_value());
  const grpc::Status retried = CreateBundle(Bundle("Starter"), &reply);
  ASSERT_TRUE(retried.ok()) << Describe(retried);
  EXPECT_EQ(stack_->RequestIdDecisions("new"), 2);
}

TEST_F(RequestIdsTest, AStoredOutcomeOutlivesARestart) {
  v1::CreateBundleResponse first, second;
  ASSERT_TRUE(CreateBundle(Bundle("Starter"), &first).ok());
  stack_->gateway().Signal(SIGTERM);
  ASSERT_EQ(stack_->gateway().Wait(absl::Seconds(10)), 0);
  ASSERT_TRUE(stack_->StartGateway().ok());
  ASSERT_TRUE(CreateBundle(Bundle("Starter"), &second).ok());
  EXPECT_EQ(second.bundle().id(), first.bundle().id());
  EXPECT_EQ(BundlesCreated(), 1u);
}

}  // namespace
}  // namespace gateway::testing
