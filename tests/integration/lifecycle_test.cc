// The gateway process as operators see it: health checking, reflection,
// its own resource metrics, --help, refusal of a bad configuration or a port
// in use, and a clean stop on SIGTERM.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/account.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

// The gateway's own resource use, as the /proc of its process shows it.
TEST(LifecycleTest, MetricsReportTheProcessOwnThreadsAndMemory) {
  auto stack = Stack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  // Calls first: the kernel counts CPU in 10 ms ticks, which a gateway just
  // started may not have used yet.
  peeker::partner::v1::AccountService::Stub accounts((*stack)->channel());
  for (int i = 0; i < 200; ++i) {
    peeker::partner::v1::GetAccountResponse reply;
    ASSERT_TRUE(accounts.GetAccount(ContextWithDeadline().get(), {}, &reply).ok());
  }
  const auto sample = [&stack](const std::string& name) { return (*stack)->Metric(name); };
  const std::string pid = absl::StrCat((*stack)->gateway().pid());
  const auto threads = std::distance(std::filesystem::directory_iterator("/proc/" + pid + "/task"),
                                     std::filesystem::directory_iterator());
  EXPECT_EQ(sample("process_threads"), static_cast<double>(threads));
  EXPECT_GT(sample("process_resident_memory_bytes"), 1 << 20);
  EXPECT_GE(sample("process_max_resident_memory_bytes"), sample("process_resident_memory_bytes"));
  EXPECT_GT(sample("process_cpu_seconds_total"), 0);
  EXPECT_GT(sample("process_open_fds"), 3);
}

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

// The probe subcommand, as an exec probe or a container HEALTHCHECK runs it.
TEST(LifecycleTest, TheProbeSubcommandExitsZeroOnlyForServing) {
  auto stack = Stack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  const auto probe = [](std::vector<std::string> args) {
    args.insert(args.begin(), {PARTNER_GATEWAY_BIN, "probe"});
    auto process = ChildProcess::Start(args);
    EXPECT_TRUE(process.ok());
    const std::optional<int> code = (*process)->Wait(absl::Seconds(10));
    return std::pair{code.value_or(-1), (*process)->Output()};
  };
  const std::string target = (*stack)->gateway_target();
  EXPECT_EQ(probe({target}), std::pair(0, absl::StrCat("\"\" at ", target, ": SERVING\n")));
  EXPECT_EQ(probe({target, "readiness"}), std::pair(0, absl::StrCat("readiness at ", target, ": SERVING\n")));
  const auto [unknown, unknown_output] = probe({target, "no-such-service"});
  EXPECT_EQ(unknown, 1);
  EXPECT_THAT(unknown_output, HasSubstr("no-such-service at " + target));
  auto closed = FreeLoopbackPort();
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(probe({absl::StrCat("127.0.0.1:", *closed)}).first, 1);
  const auto [usage, usage_output] = probe({});
  EXPECT_EQ(usage, 2);
  EXPECT_THAT(usage_output, HasSubstr("usage: partner-gateway probe ["));

  (*stack)->gateway().Signal(SIGTERM);
  ASSERT_TRUE((*stack)->gateway().Wait(absl::Seconds(10)).has_value());
  EXPECT_EQ(probe({target}).first, 1);  // Gone: no answer.
}

TEST(LifecycleTest, APortInUseExitsWithOneClearLine) {
  auto stack = Stack::Start();
  ASSERT_TRUE(stack.ok()) << stack.status();
  const std::filesystem::path key = std::filesystem::path(::testing::TempDir()) / "lifecycle_port_in_use.key";
  {
    std::ofstream(key) << "pk_test_port_in_use\n";
  }
  std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string taken = absl::StrCat("127.0.0.1:", (*stack)->admin_port());
  auto gateway = ChildProcess::Start({PARTNER_GATEWAY_BIN, "--grpc-listen", "127.0.0.1:0", "--admin-listen", taken,
                                      "--sandbox-key-file", key.string()});
  ASSERT_TRUE(gateway.ok());
  EXPECT_EQ((*gateway)->Wait(absl::Seconds(10)), 2) << (*gateway)->Output();
  EXPECT_THAT((*gateway)->Output(), HasSubstr("partner-gateway: cannot listen on " + taken + "\n"));
  std::filesystem::remove(key);
}

}  // namespace
}  // namespace gateway::testing
