#include "server/partner/order_api.h"

#include <string>
#include <utility>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/partner/api_test_util.h"
#include "server/common/status_details.h"

namespace gateway::partner {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Query = std::vector<std::pair<std::string, std::string>>;

TEST(OrderEndpointsTest, ReadsAreRetriedButACancelIsNot) {
  EXPECT_EQ(kListOrders.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kListPendingActions.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kCancelOrder.idempotency, Idempotency::kNotIdempotent);
}

// ListOrders

TEST(ListOrdersTest, AcceptsAnyKnownStatusAndRefusesOneItCannotSend) {
  EXPECT_THAT(Violated(kListOrders, ""), IsEmpty());
  EXPECT_THAT(Violated(kListOrders, R"(status: ORDER_STATUS_CANCELLED user_id: "usr_1" bundle_id: "bun_1")"),
              IsEmpty());
  v1::ListOrdersRequest request;
  request.set_status(static_cast<v1::OrderStatus>(42));
  EXPECT_THAT(Violated(kListOrders, request), ElementsAre("status"));
}

TEST(ListOrdersTest, SendsOnlyTheFiltersThatAreSet) {
  const PartnerRequest none = kListOrders.encode(Parse<v1::ListOrdersRequest>("page_size: 5"));
  EXPECT_EQ(kListOrders.method, std::string("GET"));
  EXPECT_EQ(none.path, "/orders");
  EXPECT_THAT(none.query, IsEmpty());
  EXPECT_TRUE(none.body.is_null());
  const PartnerRequest all = kListOrders.encode(Parse<v1::ListOrdersRequest>(
      R"(user_id: "usr_1" user_email: "ops@fabrikam.test" bundle_id: "bun_1" status: ORDER_STATUS_ACTION_REQUIRED)"));
  EXPECT_EQ(all.query, (Query{{"user_id", "usr_1"},
                              {"user_email", "ops@fabrikam.test"},
                              {"bundle_id", "bun_1"},
                              {"status", "action_required"}}));
  EXPECT_EQ(kListOrders.encode(Parse<v1::ListOrdersRequest>("status: ORDER_STATUS_CANCEL_SCHEDULED")).query,
            (Query{{"status", "cancel_scheduled"}}));
}

TEST(ListOrdersTest, DecodesEachReceipt) {
  absl::StatusOr<v1::ListOrdersResponse> reply = kListOrders.decode(Data("orders/list_orders.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->orders_size(), 2);
  const v1::Order& bundled = reply->orders(0);
  EXPECT_EQ(bundled.id(), "ord_01JA00000000000000000000AB");
  EXPECT_EQ(bundled.user_id(), "usr_01JA00000000000000000000CD");
  EXPECT_EQ(bundled.email(), "ops@fabrikam-client.test");
  EXPECT_EQ(bundled.bundle_id(), "bun_01JA0000000000000000000001");
  EXPECT_EQ(bundled.status(), v1::ORDER_STATUS_COMPLETED);
  EXPECT_EQ(bundled.domain_count(), 2);
  EXPECT_EQ(bundled.costs().total_cents(), 9150);
  EXPECT_EQ(bundled.costs().currency(), "usd");
  EXPECT_EQ(bundled.renews_at().seconds(), 1785576600);  // 2026-08-01T09:30:00Z
  const v1::Order& custom = reply->orders(1);
  EXPECT_EQ(custom.id(), "ord_01JA00000000000000000000AC");
  EXPECT_FALSE(custom.has_bundle_id());
  EXPECT_EQ(custom.status(), v1::ORDER_STATUS_CANCEL_SCHEDULED);
  EXPECT_FALSE(custom.has_renews_at());
  EXPECT_EQ(custom.created_at().seconds(), 1783071000);  // 2026-07-03T09:30:00Z
}

TEST(ListOrdersTest, UnknownStatusIsUnspecified) {
  nlohmann::json data = Data("orders/list_orders.json");
  data[1]["status"] = "refunded";
  absl::StatusOr<v1::ListOrdersResponse> reply = kListOrders.decode(data);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->orders(0).status(), v1::ORDER_STATUS_COMPLETED);
  EXPECT_EQ(reply->orders(1).status(), v1::ORDER_STATUS_UNSPECIFIED);
}

// ListPendingActions

TEST(ListPendingActionsTest, AcceptsAnyKnownStatusAndRefusesOneItCannotSend) {
  EXPECT_THAT(Violated(kListPendingActions, ""), IsEmpty());
  EXPECT_THAT(Violated(kListPendingActions, "status: PENDING_ACTION_STATUS_RESOLVED"), IsEmpty());
  v1::ListPendingActionsRequest request;
  request.set_status(static_cast<v1::PendingActionStatus>(3));
  EXPECT_THAT(Violated(kListPendingActions, request), ElementsAre("status"));
}

TEST(ListPendingActionsTest, SendsOnlyTheFiltersThatAreSetAndLeavesTheOpenDefaultToThePartner) {
  const PartnerRequest none = kListPendingActions.encode(
      Parse<v1::ListPendingActionsRequest>("status: PENDING_ACTION_STATUS_UNSPECIFIED page_token: \"t\""));
  EXPECT_EQ(kListPendingActions.method, std::string("GET"));
  EXPECT_EQ(none.path, "/orders/pending");
  EXPECT_THAT(none.query, IsEmpty());
  EXPECT_TRUE(none.body.is_null());
  const PartnerRequest all = kListPendingActions.encode(Parse<v1::ListPendingActionsRequest>(
      R"(order_id: "ord_1" user: "dana@fabrikam.test" domain_id: "dom_1" status: PENDING_ACTION_STATUS_RESOLVED)"));
  EXPECT_EQ(all.query, (Query{{"order_id", "ord_1"},
                              {"user", "dana@fabrikam.test"},
                              {"domain_id", "dom_1"},
                              {"status", "resolved"}}));
  EXPECT_EQ(kListPendingActions.encode(Parse<v1::ListPendingActionsRequest>("status: PENDING_ACTION_STATUS_OPEN"))
                .query,
            (Query{{"status", "open"}}));
}

TEST(ListPendingActionsTest, DecodesTheDocumentedRow) {
  absl::StatusOr<v1::ListPendingActionsResponse> reply = kListPendingActions.decode(Data("orders/pending_actions.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->pending_actions_size(), 2);
  const v1::PendingAction& open = reply->pending_actions(0);
  EXPECT_EQ(open.id(), "act_01JA00000000000000000000EF");
  EXPECT_EQ(open.type(), v1::PENDING_ACTION_TYPE_GOOGLE_PROFILE_PICTURE);
  EXPECT_EQ(open.reason(), "profile_picture_not_accessible");
  EXPECT_EQ(open.status(), v1::PENDING_ACTION_STATUS_OPEN);
  EXPECT_EQ(open.domain_id(), "dom_01JA00000000000000000000GH");
  EXPECT_EQ(open.domain(), "fabrikam-hq.com");
  EXPECT_EQ(open.user().first_name(), "Dana");
  EXPECT_EQ(open.user().last_name(), "Okafor");
  ASSERT_TRUE(open.user().has_profile_picture_url());
  EXPECT_EQ(open.user().profile_picture_url(), "http://10.0.0.5/dana.png");
  EXPECT_EQ(open.message(), "human-readable explanation");
  EXPECT_EQ(open.created_at().seconds(), 1782900000);  // 2026-07-01T10:00:00Z
  const v1::PendingAction& resolved = reply->pending_actions(1);
  EXPECT_EQ(resolved.status(), v1::PENDING_ACTION_STATUS_RESOLVED);
  EXPECT_EQ(resolved.reason(), "profile_picture_too_large");
  EXPECT_FALSE(resolved.user().has_profile_picture_url());
}

TEST(ListPendingActionsTest, UnknownTypeAndStatusAreUnspecified) {
  nlohmann::json data = Data("orders/pending_actions.json");
  data[0]["type"] = "microsoft_profile_picture";
  data[0]["status"] = "dismissed";
  absl::StatusOr<v1::ListPendingActionsResponse> reply = kListPendingActions.decode(data);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->pending_actions(0).type(), v1::PENDING_ACTION_TYPE_UNSPECIFIED);
  EXPECT_EQ(reply->pending_actions(0).status(), v1::PENDING_ACTION_STATUS_UNSPECIFIED);
}

// CancelOrder

TEST(CancelOrderTest, RequiresTheOrderAndNoEmptyDomain) {
  EXPECT_THAT(Violated(kCancelOrder, R"(order_id: "ord_1")"), IsEmpty());
  EXPECT_THAT(Violated(kCancelOrder, R"(order_id: "ord_1" domains: "dom_1" domains: "fabrikam.com")"), IsEmpty());
  EXPECT_THAT(Violated(kCancelOrder, R"(domains: "dom_1")"), ElementsAre("order_id"));
  EXPECT_THAT(Violated(kCancelOrder, R"(order_id: ".." domains: "dom_1")"), ElementsAre("order_id"));
  EXPECT_THAT(Violated(kCancelOrder, R"(order_id: "ord_1" domains: "" domains: "dom_1" domains: "")"),
              ElementsAre("domains[0]", "domains[2]"));
}

TEST(CancelOrderTest, AWholeOrderSendsNoBody) {
  const PartnerRequest request = kCancelOrder.encode(Parse<v1::CancelOrderRequest>(R"(order_id: "ord_1")"));
  EXPECT_EQ(kCancelOrder.method, std::string("POST"));
  EXPECT_EQ(request.path, "/orders/ord_1/cancel");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_TRUE(request.body.is_null());
}

TEST(CancelOrderTest, SomeDomainsAreSentInOrder) {
  const PartnerRequest request = kCancelOrder.encode(
      Parse<v1::CancelOrderRequest>(R"(order_id: "ord/1" domains: "fabrikam.com" domains: "dom_1")"));
  EXPECT_EQ(request.path, "/orders/ord%2F1/cancel");
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"domains":["fabrikam.com","dom_1"]})"));
}

TEST(CancelOrderTest, DecodesTheDocumentedSchedule) {
  absl::StatusOr<v1::CancelOrderResponse> reply = kCancelOrder.decode(Data("orders/cancellation.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::OrderCancellation& cancellation = reply->cancellation();
  EXPECT_EQ(cancellation.order_id(), "ord_01JA00000000000000000000AB");
  EXPECT_EQ(cancellation.status(), v1::ORDER_STATUS_CANCEL_SCHEDULED);
  EXPECT_EQ(cancellation.cancellation_scheduled_at().seconds(), 1783670400);  // 2026-07-10T08:00:00Z
  EXPECT_EQ(cancellation.cancels_at().seconds(), 1785576600);                 // 2026-08-01T09:30:00Z
  ASSERT_EQ(cancellation.domains_size(), 1);
  EXPECT_EQ(cancellation.domains(0).id(), "dom_01JA00000000000000000000GH");
  EXPECT_EQ(cancellation.domains(0).domain(), "fabrikam-hq.com");
}

TEST(CancelOrderTest, UnknownStatusIsUnspecified) {
  nlohmann::json data = Data("orders/cancellation.json");
  data["status"] = "cancel_pending_review";
  absl::StatusOr<v1::CancelOrderResponse> reply = kCancelOrder.decode(data);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->cancellation().status(), v1::ORDER_STATUS_UNSPECIFIED);
}

// Wrong shapes


class WrongShapeTest : public ::testing::TestWithParam<WrongShape> {};

absl::Status DecodeAny(const std::string& file, const nlohmann::json& data) {
  if (file == "list_orders.json") return kListOrders.decode(data).status();
  if (file == "pending_actions.json") return kListPendingActions.decode(data).status();
  return kCancelOrder.decode(data).status();
}

TEST_P(WrongShapeTest, IsAnErrorNamingTheField) {
  ExpectDecodingFails(DecodeAny(GetParam().file, Altered("orders/", GetParam())), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    AllReplies, WrongShapeTest,
    ::testing::Values(
        WrongShape{"OrderListIsObject", "list_orders.json", "", "{}", "field `data` is not an array"},
        WrongShape{"OrderIsArray", "list_orders.json", "/1", "[]", "in `data[1]`: field `data` is not an object"},
        WrongShape{"DomainCountIsText", "list_orders.json", "/0/domain_count", R"("2")",
                   "in `data[0]`: field `data.domain_count` is not an integer"},
        WrongShape{"ActionIdMissing", "pending_actions.json", "/0/id", "-", "`data.id` is missing"},
        WrongShape{"ActionUserIsString", "pending_actions.json", "/0/user", R"("Dana Okafor")",
                   "`data.user` is not an object"},
        WrongShape{"PictureIsBoolean", "pending_actions.json", "/1/user/profile_picture_url", "false",
                   "in `data[1]`: field `data.user.profile_picture_url` is not a string"},
        WrongShape{"ActionCreatedAtIsNumber", "pending_actions.json", "/0/created_at", "1782900000",
                   "`data.created_at` is not a string"},
        WrongShape{"CancelledOrderIdMissing", "cancellation.json", "/id", "-", "`data.id` is missing"},
        WrongShape{"CancelsAtIsNotATime", "cancellation.json", "/cancels_at", R"("at renewal")",
                   "`data.cancels_at` is not an RFC 3339 time"},
        WrongShape{"CancelledDomainIdIsNumber", "cancellation.json", "/domains/0/id", "7",
                   "`data.domains[0].id` is not a string"},
        WrongShape{"CancelledDomainsIsObject", "cancellation.json", "/domains", "{}",
                   "`data.domains` is not an array"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

}  // namespace
}  // namespace gateway::partner
