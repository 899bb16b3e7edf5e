// The gateway process as operators see it: health checking, reflection,
// --help, refusal of a bad configuration, and a clean stop on SIGTERM.
#include <signal.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

TEST(LifecycleTest, ReflectionListsThePublicServices) {
  auto stack = Stack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub((*stack)->channel());
  auto context = ContextWithDeadline();
  auto stream = stub->ServerReflectionInfo(context.get());
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->WritesDone());
  grpc::reflection::v1alpha::ServerReflectionResponse reply;
  ASSERT_TRUE(stream->Read(&reply));
  ASSERT_TRUE(stream->Finish().ok());
  std::vector<std::string> services;
  for (const auto& service : reply.list_services_response().service()) services.push_back(service.name());
  EXPECT_THAT(services,
              IsSupersetOf({"peeker.partner.v1.AccountService", "peeker.partner.v1.UserService",
                            "peeker.partner.v1.BundleService", "peeker.partner.v1.DomainService",
                            "peeker.partner.v1.OrderService", "peeker.partner.v1.SwapService",
                            "grpc.health.v1.Health"}));
}

TEST(LifecycleTest, ReportsServingAndStopsCleanlyOnSigterm) {
  auto stack = Stack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  auto health = grpc::health::v1::Health::NewStub((*stack)->channel());
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse reply;
  ASSERT_TRUE(health->Check(ContextWithDeadline().get(), request, &reply).ok());
  EXPECT_EQ(reply.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  (*stack)->gateway().Signal(SIGTERM);
  EXPECT_EQ((*stack)->gateway().Wait(absl::Seconds(10)), 0);
  EXPECT_THAT((*stack)->gateway().Output(), HasSubstr("msg=stopped"));

  (*stack)->sandbox().Signal(SIGTERM);
  EXPECT_EQ((*stack)->sandbox().Wait(absl::Seconds(10)), 0);
}

TEST(LifecycleTest, HelpListsTheOptions) {
  auto gateway = ChildProcess::Start({PARTNER_GATEWAY_BIN, "--help"});
  ASSERT_TRUE(gateway.ok());
  EXPECT_EQ((*gateway)->Wait(absl::Seconds(10)), 0);
  EXPECT_THAT((*gateway)->Output(), HasSubstr("--sandbox-key-file PATH  [GATEWAY_SANDBOX_KEY_FILE]"));
}

TEST(LifecycleTest, BadConfigurationExitsWithOneClearLine) {
  auto gateway = ChildProcess::Start({PARTNER_GATEWAY_BIN, "--sandbox-key-file", "/nonexistent/key"});
  ASSERT_TRUE(gateway.ok());
  EXPECT_EQ((*gateway)->Wait(absl::Seconds(10)), 2);
  EXPECT_EQ((*gateway)->Output(),
            "partner-gateway: --sandbox-key-file (GATEWAY_SANDBOX_KEY_FILE): secret file /nonexistent/key does not "
            "exist\n");
}

}  // namespace
}  // namespace gateway::testing
