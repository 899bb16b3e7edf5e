// The quickstart flow's RPCs end to end: generated C++ stubs →
// partner-gateway → libcurl → partner-sandbox, all real processes on
// loopback. The examples that run the whole flow, events included, are
// tested by tests/clients.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;

class QuickstartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Stack::Options options;
    options.webhooks = true;
    auto stack = Stack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }
  std::unique_ptr<Stack> stack_;
};

TEST_F(QuickstartTest, BundleImportAvailabilityAndOrder) {
  auto client = stack_->Client();

  v1::CreateBundleRequest bundle_request;
  bundle_request.set_name("Starter - 25k emails/month");
  bundle_request.set_monthly_sending_volume(25000);
  bundle_request.set_send_on_weekends(false);
  bundle_request.set_google_inboxes_per_domain(2);
  v1::CreateBundleResponse bundle;
  ASSERT_TRUE(client.CreateBundle(bundle_request, &bundle).ok());
  EXPECT_THAT(bundle.bundle().id(), ::testing::StartsWith("bun_"));
  EXPECT_EQ(bundle.bundle().status(), v1::BUNDLE_STATUS_ACTIVE);
  EXPECT_FALSE(bundle.bundle().has_google_percent());
  EXPECT_EQ(bundle.bundle().effective().google_percent(), 50);
  EXPECT_EQ(bundle.bundle().required_domains().google(), 15);
  EXPECT_EQ(bundle.bundle().required_domains().microsoft(), 4);
  EXPECT_EQ(bundle.bundle().required_domains().total(), 19);
  EXPECT_GT(bundle.bundle().created_at().seconds(), 0);

  v1::ImportDomainsRequest import_request;
  import_request.add_domains("acme-owned.com");
  import_request.add_domains("mail.acme-owned.com");
  v1::ImportDomainsResponse imported;
  ASSERT_TRUE(client.ImportDomains(import_request, &imported).ok());
  EXPECT_THAT(imported.domain_import().id(), ::testing::StartsWith("imp_"));
  ASSERT_EQ(imported.domain_import().domains_size(), 2);
  EXPECT_EQ(imported.domain_import().domains(0).status(), v1::DOMAIN_IMPORT_STATUS_COMPLETED);
  EXPECT_EQ(imported.domain_import().domains(1).status(), v1::DOMAIN_IMPORT_STATUS_FAILED);
  EXPECT_EQ(imported.domain_import().domains(1).failure_reason(), "not_root_domain");
  ASSERT_GE(imported.domain_import().nameserver_groups_size(), 1);

  // "avail" names are always available for both providers in the sandbox.
  v1::CheckAvailabilityRequest availability_request;
  for (int i = 0; i < 18; ++i) availability_request.add_domains("acme-avail" + std::to_string(i) + ".com");
  availability_request.add_domains("taken-acme.com");
  v1::CheckAvailabilityResponse availability;
  ASSERT_TRUE(client.CheckAvailability(availability_request, &availability).ok());
  ASSERT_EQ(availability.domains_size(), 19);
  EXPECT_EQ(availability.domains(0).domain(), "acme-avail0.com");
  EXPECT_TRUE(availability.domains(0).available());
  EXPECT_TRUE(availability.domains(0).has_price_cents());
  EXPECT_THAT(availability.domains(0).usable_for(),
              ::testing::ElementsAre(v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_MICROSOFT));
  EXPECT_FALSE(availability.domains(18).available());
  EXPECT_EQ(availability.domains(18).reason(), v1::UNAVAILABLE_REASON_TAKEN);

  v1::PlaceOrderRequest order_request;
  order_request.set_user("alex@acme.com");
  order_request.set_bundle_id(bundle.bundle().id());
  order_request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  order_request.mutable_sequencer()->set_client_id(366903);
  order_request.mutable_sequencer()->set_login_email("peeker@yourcompany.com");
  order_request.mutable_sequencer()->set_login_password("integration-login");
  order_request.set_forwarding_url("https://acme.com");
  order_request.add_domains()->set_domain("acme-owned.com");
  for (int i = 0; i < 18; ++i) {
    v1::OrderDomain* domain = order_request.add_domains();
    domain->set_domain(availability.domains(i).domain());
    if (i == 0) domain->set_forwarding_url("https://shop.acme.com");
  }
  v1::Persona* persona = order_request.add_personas();
  persona->set_first_name("Alex");
  persona->set_last_name("Rivera");
  persona->set_profile_picture_url("");
  v1::PlaceOrderResponse order;
  const grpc::Status status = client.PlaceOrder(order_request, &order);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(order.order().id(), ::testing::StartsWith("ord_"));
  EXPECT_THAT(order.order().user_id(), ::testing::StartsWith("usr_"));
  EXPECT_EQ(order.order().email(), "alex@acme.com");
  EXPECT_EQ(order.order().bundle_id(), bundle.bundle().id());
  EXPECT_EQ(order.order().status(), v1::ORDER_STATUS_IN_PROGRESS);
  EXPECT_EQ(order.order().domain_count(), 19);
  EXPECT_GT(order.order().costs().total_cents(), 0);
  EXPECT_EQ(order.order().costs().currency(), "usd");

  // The same request again is the same body upstream: the Partner's 24-hour
  // dedupe returns the original order instead of a second one.
  v1::PlaceOrderResponse again;
  ASSERT_TRUE(client.PlaceOrder(order_request, &again).ok());
  EXPECT_EQ(again.order().id(), order.order().id());
}

}  // namespace
}  // namespace gateway::testing
