// The Partner key and the sequencer password never leave the gateway: not in
// its output (at debug level), not in any reply, status or detail.
#include <signal.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "sequencer-password-never-shown-42";

TEST(SecretsTest, KeyAndPasswordAppearNowhere) {
  Stack::Options options;
  options.gateway_args = {"--log-level", "debug"};
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  auto client = (*stack)->Client();
  std::string everything_returned;
  auto record = [&](const grpc::Status& status, const google::protobuf::Message& reply) {
    everything_returned += status.error_message() + status.error_details() + reply.SerializeAsString();
  };

  v1::PlaceOrderRequest order;
  order.set_user("secret@acme.test");
  order.mutable_custom()->set_google_licenses(2);
  order.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  order.mutable_sequencer()->set_login_email("sl@acme.test");
  order.mutable_sequencer()->set_login_password(kPassword);
  order.add_domains()->set_domain("acme-avail-secret.com");
  v1::Persona* persona = order.add_personas();
  persona->set_first_name("Sam");
  persona->set_last_name("Lee");
  persona->set_profile_picture_url("");
  v1::PlaceOrderResponse reply;
  record(client.PlaceOrder(order, &reply), reply);  // Succeeds.
  order.add_domains()->set_domain("acme-avail-extra.com");
  record(client.PlaceOrder(order, &reply), reply);  // Partner error: domain count.
  order.clear_personas();
  record(client.PlaceOrder(order, &reply), reply);  // Gateway validation error.
  ASSERT_TRUE((*stack)->InjectFault({{"method", "POST"}, {"path", "/partner/v1/orders"}, {"status", 401}}).ok());
  *order.add_personas() = *persona;
  record(client.PlaceOrder(order, &reply), reply);  // Rejected key.
  ASSERT_TRUE((*stack)->InjectFault({{"method", "POST"}, {"path", "/partner/v1/orders"}, {"status", 500}}).ok());
  record(client.PlaceOrder(order, &reply), reply);  // Partner outage.

  (*stack)->gateway().Signal(SIGTERM);
  EXPECT_EQ((*stack)->gateway().Wait(absl::Seconds(10)), 0);
  const std::string gateway_output = (*stack)->gateway().Output();
  EXPECT_THAT(gateway_output, HasSubstr("method=PlaceOrder"));  // It did log the calls…
  for (const char* secret : {Stack::kSandboxKey, kPassword}) {
    EXPECT_THAT(gateway_output, Not(HasSubstr(secret)));  // …but not the secrets.
    EXPECT_THAT(everything_returned, Not(HasSubstr(secret)));
  }
}

}  // namespace
}  // namespace gateway::testing
