#include "server/auth/audit.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/order.pb.h"
#include "peeker/partner/v1/user.pb.h"
#include "tests/fakes/captured_log.h"

namespace gateway::auth {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

v1::PlaceOrderRequest Order() {
  v1::PlaceOrderRequest request;
  request.set_user("alex@acme.com");
  request.set_bundle_id("bun_1");
  request.mutable_sequencer()->set_login_email("ops@acme.com");
  request.mutable_sequencer()->set_login_password("pw_NEVER_LOGGED");
  request.add_domains()->set_domain("acme-mail.com");
  return request;
}

v1::PlaceOrderResponse Placed() {
  v1::PlaceOrderResponse reply;
  reply.mutable_order()->set_id("ord_1");
  reply.mutable_order()->set_user_id("usr_1");
  reply.mutable_order()->set_email("alex@acme.com");
  reply.mutable_order()->set_bundle_id("bun_1");
  return reply;
}

TEST(TouchedIdsTest, NamesTheIdsOfTheRequestThenOfTheReplyEachOnce) {
  const v1::PlaceOrderResponse reply = Placed();
  EXPECT_THAT(TouchedIds(Order(), &reply),
              ElementsAre(Pair("bundle_id", "bun_1"), Pair("order_id", "ord_1"), Pair("user_id", "usr_1")));
}

TEST(TouchedIdsTest, AFailedCallNamesWhatItsRequestNamed) {
  v1::DeleteUserRequest request;
  request.set_user_id("usr_9");
  EXPECT_THAT(TouchedIds(request, nullptr), ElementsAre(Pair("user_id", "usr_9")));
  EXPECT_THAT(TouchedIds(v1::CreateUserRequest(), nullptr), ElementsAre());
}

TEST(AuditLineTest, AWriteHasEveryFieldAndNothingElseOfTheRequest) {
  const v1::PlaceOrderResponse reply = Placed();
  AuditRecord record;
  record.principal = "spiffe://acme.test/ns/orders/sa/checkout";
  record.method = "/peeker.partner.v1.OrderService/PlaceOrder";
  record.environment = "live";
  record.partner_request_id = "req_01";
  record.ids = TouchedIds(Order(), &reply);
  const std::string line = testing::CapturedLog([&] { WriteAuditLine(record); });
  EXPECT_THAT(line, HasSubstr("level=info msg=write log=audit principal=spiffe://acme.test/ns/orders/sa/checkout "
                              "method=/peeker.partner.v1.OrderService/PlaceOrder environment=live code=OK "
                              "partner_request_id=req_01 bundle_id=bun_1 order_id=ord_1 user_id=usr_1\n"));
  EXPECT_THAT(line, Not(HasSubstr("pw_NEVER_LOGGED")));
  EXPECT_THAT(line, Not(HasSubstr("alex@acme.com")));
}

TEST(AuditLineTest, ARefusalSaysWhyAndIsAWarning) {
  AuditRecord record;
  record.principal = "unauthenticated";
  record.method = "/peeker.partner.v1.UserService/DeleteUser";
  record.environment = "sandbox";
  record.code = absl::StatusCode::kPermissionDenied;
  record.reason = "no allow rule matches";
  const std::string line = testing::CapturedLog([&] { WriteAuditLine(record); });
  EXPECT_THAT(line, HasSubstr("level=warning msg=denied log=audit principal=unauthenticated "
                              "method=/peeker.partner.v1.UserService/DeleteUser environment=sandbox "
                              "code=PERMISSION_DENIED reason=\"no allow rule matches\"\n"));
}

}  // namespace
}  // namespace gateway::auth
