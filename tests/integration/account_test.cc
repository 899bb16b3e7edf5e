// AccountService, readiness and the batched availability check through the
// real stack.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "peeker/partner/v1/account.grpc.pb.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

class AccountTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.gateway_args = {"--readiness-interval", "100ms"};
    options.webhooks = true;  // For the event stream that must open during a Partner outage.
    auto stack = Stack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }
  static void TearDownTestSuite() { stack_.reset(); }
  void TearDown() override { ASSERT_TRUE(stack_->ClearFaults().ok()); }

  // The gRPC health status of `service` ("" is liveness).
  static HealthCheckResponse::ServingStatus Health(const std::string& service) {
    auto health = grpc::health::v1::Health::NewStub(stack_->channel());
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse reply;
    const grpc::Status status = health->Check(ContextWithDeadline().get(), request, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.status();
  }

  // Waits up to 5 s for the Partner's health status to become `want`.
  static bool AwaitPartnerHealth(HealthCheckResponse::ServingStatus want) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      if (Health("partner") == want) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  static size_t AvailabilityCalls() {
    auto requests = stack_->SandboxRequests();
    EXPECT_TRUE(requests.ok()) << requests.status();
    size_t calls = 0;
    for (const auto& request : requests.value_or(std::vector<nlohmann::json>())) {
      if (request["path"] == "/partner/v1/domains/availability") ++calls;
    }
    return calls;
  }

  static inline std::unique_ptr<Stack> stack_;
};

TEST_F(AccountTest, GetAccountReportsThePartnerAndTheKeysPreset) {
  auto accounts = v1::AccountService::NewStub(stack_->channel());
  v1::GetAccountResponse reply;
  const grpc::Status status = accounts->GetAccount(ContextWithDeadline().get(), v1::GetAccountRequest(), &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(reply.partner().id(), ::testing::StartsWith("org_"));
  EXPECT_EQ(reply.environment(), v1::ENVIRONMENT_SANDBOX);
  EXPECT_EQ(reply.permission_preset(), v1::PERMISSION_PRESET_FULL);
}

TEST_F(AccountTest, GetAccountForAnUnconfiguredEnvironmentIsFailedPrecondition) {
  auto accounts = v1::AccountService::NewStub(stack_->channel());
  auto context = ContextWithDeadline();
  context->AddMetadata("peeker-environment", "live");
  v1::GetAccountResponse reply;
  const grpc::Status status = accounts->GetAccount(context.get(), v1::GetAccountRequest(), &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("live"));
}

// The Partner is shared by every replica: its outage shows under its own
// health name, and the pod's readiness, the probe's, stays SERVING, so the
// Service keeps its endpoints and a stream still opens.
TEST_F(AccountTest, APartnerOutageShowsUnderItsOwnNameWhileReadinessAndLivenessStayServing) {
  ASSERT_TRUE(AwaitPartnerHealth(HealthCheckResponse::SERVING));
  EXPECT_EQ(Health("readiness"), HealthCheckResponse::SERVING);
  httplib::Client admin("127.0.0.1", stack_->admin_port());
  EXPECT_EQ(admin.Get("/readyz")->status, 200);
  EXPECT_THAT(admin.Get("/readyz")->body, HasSubstr("partner: SERVING\n"));
  EXPECT_THAT(admin.Get("/metrics")->body, HasSubstr("gateway_partner_ready 1\n"));

  ASSERT_TRUE(stack_->InjectFault({{"method", "GET"}, {"path", "/partner/v1/me"}, {"status", 503}}).ok());
  ASSERT_TRUE(AwaitPartnerHealth(HealthCheckResponse::NOT_SERVING));
  EXPECT_EQ(Health("readiness"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(""), HealthCheckResponse::SERVING);
  auto ready = admin.Get("/readyz");
  EXPECT_EQ(ready->status, 200);
  EXPECT_THAT(ready->body, HasSubstr("partner: NOT_SERVING (sandbox: UNAVAILABLE"));
  EXPECT_THAT(ready->body, ::testing::Not(HasSubstr(Stack::kSandboxKey)));
  EXPECT_EQ(admin.Get("/healthz")->status, 200);
  EXPECT_THAT(admin.Get("/metrics")->body, HasSubstr("gateway_partner_ready 0\n"));
  // A stream opens: its first message, the start heartbeat, arrives.
  {
    auto context = ContextWithDeadline();
    auto reader = v1::OrderEventService::NewStub(stack_->channel())
                      ->StreamOrderEvents(context.get(), v1::StreamOrderEventsRequest());
    v1::StreamOrderEventsResponse first;
    ASSERT_TRUE(reader->Read(&first));
    EXPECT_TRUE(first.has_heartbeat());
    EXPECT_FALSE(first.heartbeat().cursor().empty());
    context->TryCancel();
  }

  ASSERT_TRUE(stack_->ClearFaults().ok());
  EXPECT_TRUE(AwaitPartnerHealth(HealthCheckResponse::SERVING));
}

TEST_F(AccountTest, ALongAvailabilityListIsOneAnswerInRequestOrderFromThreePartnerCalls) {
  auto domains = v1::DomainService::NewStub(stack_->channel());
  v1::CheckAvailabilityRequest request;
  for (int i = 0; i < 137; ++i) request.add_domains(absl::StrCat("batch-check-", i, ".com"));
  const size_t before = AvailabilityCalls();
  v1::CheckAvailabilityResponse reply;
  const grpc::Status status = domains->CheckAvailability(ContextWithDeadline().get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reply.domains_size(), 137);
  for (int i = 0; i < 137; ++i) EXPECT_EQ(reply.domains(i).domain(), request.domains(i));
  EXPECT_EQ(AvailabilityCalls() - before, 3u);
}

TEST_F(AccountTest, MoreNamesThanTheGatewayAllowsIsInvalidArgumentWithoutAnyPartnerCall) {
  auto domains = v1::DomainService::NewStub(stack_->channel());
  v1::CheckAvailabilityRequest request;
  for (int i = 0; i < 501; ++i) request.add_domains(absl::StrCat("too-many-", i, ".com"));
  const size_t before = AvailabilityCalls();
  v1::CheckAvailabilityResponse reply;
  const grpc::Status status = domains->CheckAvailability(ContextWithDeadline().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(DetailsOf(status)), ::testing::ElementsAre("domains"));
  EXPECT_EQ(AvailabilityCalls(), before);
}

TEST_F(AccountTest, OneFailingBatchFailsTheWholeCheck) {
  ASSERT_TRUE(stack_->InjectFault({{"method", "POST"},
                                   {"path", "/partner/v1/domains/availability"},
                                   {"status", 400},
                                   {"times", 1}})
                  .ok());
  auto domains = v1::DomainService::NewStub(stack_->channel());
  v1::CheckAvailabilityRequest request;
  for (int i = 0; i < 120; ++i) request.add_domains(absl::StrCat("one-fails-", i, ".com"));
  v1::CheckAvailabilityResponse reply;
  const grpc::Status status = domains->CheckAvailability(ContextWithDeadline().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reply.domains_size(), 0);
}

}  // namespace
}  // namespace gateway::testing
