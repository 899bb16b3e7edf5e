// The C++ client package retrying writes through the real gateway: the
// request_id it generates stays the same across its retries, so a write cut
// off by a gateway dying mid-call reaches the Partner once, and an unknown
// outcome is not retried at all.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/client/gateway_client.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;
using peeker::partner::client::GatewayClient;
using ::testing::SizeIs;

class ClientRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Stack::Options options;
    options.rollable = true;
    auto stack = Stack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    GatewayClient::Options client_options;
    client_options.timeout = std::chrono::seconds(20);
    client_ = std::make_unique<GatewayClient>(GatewayClient::Connect(stack_->gateway_target(), client_options));
  }

  // Runs `call` while the Partner takes a second over `method path`, and
  // replaces the gateway, killing the one that sent it, once it did.
  grpc::Status CutByARollingRestart(const std::string& method, const std::string& path,
                                    const std::function<grpc::Status()>& call) {
    EXPECT_TRUE(
        stack_->InjectFault({{"method", method}, {"path", "/partner/v1" + path}, {"delay_ms", 1000}, {"times", 1}})
            .ok());
    grpc::Status status;
    std::thread caller([&] { status = call(); });
    EXPECT_TRUE(stack_->RollGatewayMidWrite().ok());
    caller.join();
    return status;
  }

  std::unique_ptr<Stack> stack_;
  std::unique_ptr<GatewayClient> client_;
};

TEST_F(ClientRetryTest, ACreateUserCutByARestartIsRetriedAndSettledIntoOneUser) {
  v1::CreateUserRequest request;
  request.set_email("rolling@acme.com");
  request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  v1::CreateUserResponse reply;
  const grpc::Status status = CutByARollingRestart("POST", "/users", [&] {
    return client_->users()->CreateUser(client_->NewContext().get(), request, &reply);
  });
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(reply.user().email(), "rolling@acme.com");
  EXPECT_THAT(stack_->SandboxRequestsTo("POST", "/users"), SizeIs(1));
  // The new gateway waited for the dead one's claim, then looked the user up.
  EXPECT_EQ(stack_->RequestIdDecisions("waited"), 1);
  EXPECT_EQ(stack_->RequestIdDecisions("settled"), 1);
}

TEST_F(ClientRetryTest, ACreateBundleCutByARestartLeavesOneBundleAndSaysItsOutcomeIsUnknown) {
  v1::CreateBundleRequest request;
  request.set_name("Rolling");
  request.set_monthly_sending_volume(25000);
  v1::CreateBundleResponse reply;
  const grpc::Status status = CutByARollingRestart("POST", "/bundles", [&] {
    return client_->CreateBundle(request, &reply);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
  EXPECT_EQ(DetailsOf(status).error_info->reason(), "PARTNER_OUTCOME_UNKNOWN");
  EXPECT_THAT(stack_->SandboxRequestsTo("POST", "/bundles"), SizeIs(1));
}

TEST_F(ClientRetryTest, AnUnknownOutcomeIsNotRetried) {
  ASSERT_TRUE(
      stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"cut", "close"}, {"times", 1}}).ok());
  v1::CreateBundleRequest request;
  request.set_name("Cut");
  request.set_monthly_sending_volume(25000);
  v1::CreateBundleResponse reply;
  const grpc::Status status = client_->CreateBundle(request, &reply);
  EXPECT_EQ(DetailsOf(status).error_info->reason(), "PARTNER_OUTCOME_UNKNOWN") << Describe(status);
  EXPECT_EQ(stack_->RequestIdDecisions("new"), 1);
  EXPECT_EQ(stack_->RequestIdDecisions("replayed"), 0);
  EXPECT_THAT(stack_->SandboxRequestsTo("POST", "/bundles"), SizeIs(1));
}

TEST_F(ClientRetryTest, AWriteTheGatewayDidNotRunIsRetriedWithItsIdAndRunsOnce) {
  // The Partner refuses with a 503 once: nothing happened, so the gateway
  // releases the id and the client's retry runs it.
  ASSERT_TRUE(
      stack_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"status", 503}, {"times", 1}}).ok());
  v1::CreateBundleRequest request;
  request.set_name("Retried");
  request.set_monthly_sending_volume(25000);
  v1::CreateBundleResponse reply;
  const grpc::Status status = client_->CreateBundle(request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  const auto received = stack_->SandboxRequestsTo("POST", "/bundles");
  ASSERT_THAT(received, SizeIs(2));
  EXPECT_EQ(received[0]["status"], 503);
  EXPECT_EQ(stack_->RequestIdDecisions("new"), 2);
  // Both attempts carried one generated id: each audit line names it.
  const std::vector<std::string> ids = stack_->AuditedRequestIds("CreateBundle");
  ASSERT_THAT(ids, SizeIs(2));
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_THAT(ids[0], ::testing::MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
}

}  // namespace
}  // namespace gateway::testing
