// The Python client's request ids through the real gateway
// (tests/clients/request_id_retry.py makes the calls): a write the Partner
// refused once is retried with the id the client generated, sync and
// asyncio; and a CreateUser whose gateway dies mid-call, in a rolling
// restart, is retried into the new one and leaves one user.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

constexpr char kUuid4[] = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

absl::StatusOr<std::unique_ptr<ChildProcess>> Python(Stack& stack, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {PYTHON_BIN, REQUEST_ID_RETRY_PY, "--gateway", stack.gateway_target()};
  argv.insert(argv.end(), args.begin(), args.end());
  return ChildProcess::Start(argv);
}

TEST(PythonRequestIdTest, ARefusedWriteIsRetriedWithTheIdTheClientGenerated) {
  auto stack = Stack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  ASSERT_TRUE((*stack)
                  ->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"status", 503}, {"times", 1}})
                  .ok());
  auto python = Python(**stack, {"--mode", "retry"});
  ASSERT_TRUE(python.ok()) << python.status();
  // The asyncio call: its own refusal once the sync one is through.
  ASSERT_TRUE((*python)->WaitForOutput("sync: CreateBundle bun_", absl::Seconds(30)).ok()) << (*python)->Output();
  ASSERT_TRUE((*stack)
                  ->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"status", 503}, {"times", 1}})
                  .ok());
  EXPECT_EQ((*python)->Wait(absl::Seconds(30)), 0) << (*python)->Output();
  EXPECT_THAT((*python)->Output(), HasSubstr("aio: CreateBundle bun_"));

  const std::vector<std::string> ids = (*stack)->AuditedRequestIds("CreateBundle");
  ASSERT_THAT(ids, SizeIs(4));
  EXPECT_THAT(ids[0], MatchesRegex(kUuid4));
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_THAT(ids[2], MatchesRegex(kUuid4));
  EXPECT_EQ(ids[3], ids[2]);
  EXPECT_NE(ids[2], ids[0]);
  EXPECT_THAT((*stack)->SandboxRequestsTo("POST", "/bundles"), SizeIs(4));
}

TEST(PythonRequestIdTest, ACreateUserCutByARollingRestartLeavesOneUser) {
  Stack::Options options;
  options.rollable = true;
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  Stack& s = **stack;
  ASSERT_TRUE(
      s.InjectFault({{"method", "POST"}, {"path", "/partner/v1/users"}, {"delay_ms", 1000}, {"times", 1}}).ok());
  auto python = Python(s, {"--mode", "restart", "--email", "python-rolling@acme.com"});
  ASSERT_TRUE(python.ok()) << python.status();
  ASSERT_TRUE(s.RollGatewayMidWrite().ok());
  EXPECT_EQ((*python)->Wait(absl::Seconds(60)), 0) << (*python)->Output();
  EXPECT_THAT((*python)->Output(), HasSubstr("CreateUser python-rolling@acme.com usr_"));
  EXPECT_THAT(s.SandboxRequestsTo("POST", "/users"), SizeIs(1));
  EXPECT_EQ(s.RequestIdDecisions("settled"), 1);
}

}  // namespace
}  // namespace gateway::testing
