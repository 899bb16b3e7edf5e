// OrderService's listing, pending actions and cancellation through the real
// stack: generated stubs → partner-gateway → partner-sandbox. One stack
// serves the suite, so every test places orders for its own customer and
// domain names.
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;


std::vector<std::string> OrderIds(const v1::ListOrdersResponse& page) {
  std::vector<std::string> ids;
  for (const v1::Order& order : page.orders()) ids.push_back(order.id());
  return ids;
}

class OrdersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto stack = Stack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    orders_ = v1::OrderService::NewStub(stack_->channel());
  }

  static void TearDownTestSuite() {
    orders_.reset();
    stack_.reset();
  }

  void SetUp() override { ASSERT_NE(stack_, nullptr) << "the stack did not start"; }

  // Runs one RPC with the client's deadline and environment.
  template <typename Request, typename Reply>
  static grpc::Status Call(grpc::Status (v1::OrderService::Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
                           const Request& request, Reply* reply) {
    std::unique_ptr<grpc::ClientContext> context = stack_->Client().NewContext();
    return (orders_.get()->*rpc)(context.get(), request, reply);
  }

  static v1::Order Place(const v1::PlaceOrderRequest& request) {
    v1::PlaceOrderResponse reply;
    const grpc::Status status = Call(&v1::OrderService::Stub::PlaceOrder, request, &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.order();
  }

  static grpc::Status Cancel(const std::string& order_id, const std::vector<std::string>& domains,
                             v1::CancelOrderResponse* reply) {
    v1::CancelOrderRequest request;
    request.set_order_id(order_id);
    for (const std::string& domain : domains) request.add_domains(domain);
    return Call(&v1::OrderService::Stub::CancelOrder, request, reply);
  }

  static std::vector<v1::PendingAction> PendingActions(const v1::ListPendingActionsRequest& request) {
    v1::ListPendingActionsResponse reply;
    const grpc::Status status = Call(&v1::OrderService::Stub::ListPendingActions, request, &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return {reply.pending_actions().begin(), reply.pending_actions().end()};
  }

  static size_t PartnerCalls() {
    auto requests = stack_->SandboxRequests();
    EXPECT_TRUE(requests.ok()) << requests.status();
    return requests.ok() ? requests->size() : 0;
  }

  static inline std::unique_ptr<Stack> stack_;
  static inline std::unique_ptr<v1::OrderService::Stub> orders_;
};

TEST_F(OrdersTest, ListOrdersFiltersByCustomerAndPages) {
  const v1::Order first = Place(CustomOrder("lister@orders-test.example", {"list-avail1.com"}));
  const v1::Order second = Place(CustomOrder("lister@orders-test.example", {"list-avail2.com", "list-avail3.com"}));
  Place(CustomOrder("someone-else@orders-test.example", {"list-avail4.com"}));
  ASSERT_THAT(first.id(), StartsWith("ord_"));
  ASSERT_THAT(second.id(), StartsWith("ord_"));

  v1::ListOrdersRequest request;
  request.set_user_email("lister@orders-test.example");
  v1::ListOrdersResponse all;
  const grpc::Status status = Call(&v1::OrderService::Stub::ListOrders, request, &all);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(OrderIds(all), ElementsAre(first.id(), second.id()));
  EXPECT_TRUE(all.next_page_token().empty());
  const v1::Order& listed = all.orders(1);
  EXPECT_EQ(listed.user_id(), second.user_id());
  EXPECT_EQ(listed.email(), "lister@orders-test.example");
  EXPECT_FALSE(listed.has_bundle_id());
  EXPECT_EQ(listed.domain_count(), 2);
  EXPECT_EQ(listed.costs().total_cents(), second.costs().total_cents());
  EXPECT_EQ(listed.created_at().seconds(), second.created_at().seconds());

  request.set_page_size(1);
  v1::ListOrdersResponse page_one;
  ASSERT_TRUE(Call(&v1::OrderService::Stub::ListOrders, request, &page_one).ok());
  EXPECT_THAT(OrderIds(page_one), ElementsAre(first.id()));
  ASSERT_FALSE(page_one.next_page_token().empty());
  request.set_page_token(page_one.next_page_token());
  v1::ListOrdersResponse page_two;
  ASSERT_TRUE(Call(&v1::OrderService::Stub::ListOrders, request, &page_two).ok());
  EXPECT_THAT(OrderIds(page_two), ElementsAre(second.id()));
  EXPECT_TRUE(page_two.next_page_token().empty());

  v1::ListOrdersRequest by_user_id;
  by_user_id.set_user_id(first.user_id());
  v1::ListOrdersResponse same;
  ASSERT_TRUE(Call(&v1::OrderService::Stub::ListOrders, by_user_id, &same).ok());
  EXPECT_THAT(OrderIds(same), ElementsAre(first.id(), second.id()));
}

TEST_F(OrdersTest, ListOrdersFiltersByStatus) {
  const v1::Order order = Place(CustomOrder("status@orders-test.example", {"status-avail1.com"}));
  v1::CancelOrderResponse cancelled;
  ASSERT_TRUE(Cancel(order.id(), {}, &cancelled).ok());
  v1::ListOrdersRequest request;
  request.set_user_email("status@orders-test.example");
  request.set_status(v1::ORDER_STATUS_CANCEL_SCHEDULED);
  v1::ListOrdersResponse scheduled;
  const grpc::Status status = Call(&v1::OrderService::Stub::ListOrders, request, &scheduled);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(OrderIds(scheduled), ElementsAre(order.id()));
  EXPECT_EQ(scheduled.orders(0).status(), v1::ORDER_STATUS_CANCEL_SCHEDULED);
  request.set_status(v1::ORDER_STATUS_COMPLETED);
  v1::ListOrdersResponse completed;
  ASSERT_TRUE(Call(&v1::OrderService::Stub::ListOrders, request, &completed).ok());
  EXPECT_THAT(completed.orders(), IsEmpty());
}

TEST_F(OrdersTest, APrivatePictureRaisesAnOpenPendingAction) {
  const v1::Order order = Place(
      CustomOrder("pictures@orders-test.example", {"picture-avail1.com", "picture-avail2.com"}, "http://10.0.0.5/a.png"));
  v1::ListPendingActionsRequest request;
  request.set_order_id(order.id());
  // The Partner raises the action once provisioning reaches the picture.
  std::vector<v1::PendingAction> actions;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while ((actions = PendingActions(request)).empty() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(actions.size(), 1u);
  const v1::PendingAction& action = actions[0];
  EXPECT_THAT(action.id(), StartsWith("act_"));
  EXPECT_EQ(action.type(), v1::PENDING_ACTION_TYPE_GOOGLE_PROFILE_PICTURE);
  EXPECT_EQ(action.reason(), "profile_picture_not_accessible");
  EXPECT_EQ(action.status(), v1::PENDING_ACTION_STATUS_OPEN);
  EXPECT_THAT(action.domain_id(), StartsWith("dom_"));
  EXPECT_EQ(action.domain(), "picture-avail1.com");
  EXPECT_EQ(action.user().first_name(), "Dana");
  EXPECT_EQ(action.user().last_name(), "Okafor");
  EXPECT_EQ(action.user().profile_picture_url(), "http://10.0.0.5/a.png");
  EXPECT_FALSE(action.message().empty());
  EXPECT_GE(action.created_at().seconds(), order.created_at().seconds());

  // The same action by customer and by domain; none among resolved ones.
  v1::ListPendingActionsRequest by_user;
  by_user.set_user("pictures@orders-test.example");
  by_user.set_status(v1::PENDING_ACTION_STATUS_OPEN);
  ASSERT_EQ(PendingActions(by_user).size(), 1u);
  EXPECT_EQ(PendingActions(by_user)[0].id(), action.id());
  v1::ListPendingActionsRequest by_domain;
  by_domain.set_domain_id(action.domain_id());
  ASSERT_EQ(PendingActions(by_domain).size(), 1u);
  v1::ListPendingActionsRequest resolved = request;
  resolved.set_status(v1::PENDING_ACTION_STATUS_RESOLVED);
  EXPECT_THAT(PendingActions(resolved), IsEmpty());

  v1::ListOrdersRequest list;
  list.set_user_email("pictures@orders-test.example");
  list.set_status(v1::ORDER_STATUS_ACTION_REQUIRED);
  v1::ListOrdersResponse waiting;
  ASSERT_TRUE(Call(&v1::OrderService::Stub::ListOrders, list, &waiting).ok());
  EXPECT_THAT(OrderIds(waiting), ElementsAre(order.id()));
}

TEST_F(OrdersTest, APublicPictureRaisesNoPendingAction) {
  const v1::Order order =
      Place(CustomOrder("public@orders-test.example", {"public-avail1.com"}, "https://cdn.orders-test.example/a.png"));
  v1::ListOrdersRequest list;
  list.set_user_email("public@orders-test.example");
  list.set_status(v1::ORDER_STATUS_COMPLETED);
  v1::ListOrdersResponse settled;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (Call(&v1::OrderService::Stub::ListOrders, list, &settled).ok() && settled.orders().empty() &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(OrderIds(settled), ElementsAre(order.id()));
  v1::ListPendingActionsRequest request;
  request.set_order_id(order.id());
  EXPECT_THAT(PendingActions(request), IsEmpty());
}

TEST_F(OrdersTest, CancelOrderSchedulesSomeDomainsThenTheWholeOrder) {
  const v1::Order order = Place(CustomOrder("cancel@orders-test.example", {"cancel-avail1.com", "cancel-avail2.com"}));
  v1::CancelOrderResponse some;
  const grpc::Status status = Cancel(order.id(), {"cancel-avail2.com"}, &some);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(some.cancellation().order_id(), order.id());
  EXPECT_EQ(some.cancellation().status(), v1::ORDER_STATUS_CANCEL_SCHEDULED);
  EXPECT_GT(some.cancellation().cancellation_scheduled_at().seconds(), 0);
  EXPECT_EQ(some.cancellation().cancels_at().seconds(), order.renews_at().seconds());
  ASSERT_EQ(some.cancellation().domains_size(), 1);
  EXPECT_THAT(some.cancellation().domains(0).id(), StartsWith("dom_"));
  EXPECT_EQ(some.cancellation().domains(0).domain(), "cancel-avail2.com");

  // By id as well as by name; no body then cancels every domain.
  v1::CancelOrderResponse by_id;
  ASSERT_TRUE(Cancel(order.id(), {some.cancellation().domains(0).id()}, &by_id).ok());
  EXPECT_EQ(by_id.cancellation().domains(0).domain(), "cancel-avail2.com");
  v1::CancelOrderResponse whole;
  ASSERT_TRUE(Cancel(order.id(), {}, &whole).ok());
  ASSERT_EQ(whole.cancellation().domains_size(), 2);
  EXPECT_EQ(whole.cancellation().domains(0).domain(), "cancel-avail1.com");
  EXPECT_EQ(whole.cancellation().domains(1).domain(), "cancel-avail2.com");

  v1::CancelOrderResponse again;
  EXPECT_EQ(FailureOf(Cancel(order.id(), {}, &again)),
            (Failure{grpc::StatusCode::FAILED_PRECONDITION, "order_not_cancellable", {}, ""}));
}

TEST_F(OrdersTest, CancelOrderErrorsFromThePartner) {
  const v1::Order order = Place(CustomOrder("cancel-errors@orders-test.example", {"cancel-errors-avail1.com"}));
  v1::CancelOrderResponse reply;
  EXPECT_EQ(FailureOf(Cancel(order.id(), {"cancel-errors-avail1.com", "not-on-this-order.com"}, &reply)),
            (Failure{grpc::StatusCode::INVALID_ARGUMENT, "invalid_request", {"domains[1]"}, "domains[1]"}));
  EXPECT_EQ(FailureOf(Cancel("ord_DOESNOTEXIST", {}, &reply)),
            (Failure{grpc::StatusCode::NOT_FOUND, "not_found", {}, ""}));
}

TEST_F(OrdersTest, ACancelWhoseAnswerIsLostIsNotRepeated) {
  const v1::Order order = Place(CustomOrder("cancel-lost@orders-test.example", {"cancel-lost-avail1.com"}));
  ASSERT_TRUE(stack_
                  ->InjectFault({{"method", "POST"},
                                 {"path", absl::StrCat("/partner/v1/orders/", order.id(), "/cancel")},
                                 {"cut", "reset"},
                                 {"times", 1}})
                  .ok());
  const size_t before = PartnerCalls();
  v1::CancelOrderResponse reply;
  EXPECT_EQ(Cancel(order.id(), {}, &reply).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(PartnerCalls(), before + 1);
  // The Partner did act: a caller that asks again learns so.
  EXPECT_EQ(FailureOf(Cancel(order.id(), {}, &reply)).reason, "order_not_cancellable");
}

TEST_F(OrdersTest, InvalidRequestsAreRefusedBeforeThePartner) {
  struct Case {
    const char* name;
    std::function<grpc::Status()> call;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"order status this gateway cannot send",
       [] {
         v1::ListOrdersRequest request;
         request.set_status(static_cast<v1::OrderStatus>(42));
         v1::ListOrdersResponse reply;
         return Call(&v1::OrderService::Stub::ListOrders, request, &reply);
       },
       {"status"}},
      {"negative page size",
       [] {
         v1::ListOrdersRequest request;
         request.set_page_size(-1);
         v1::ListOrdersResponse reply;
         return Call(&v1::OrderService::Stub::ListOrders, request, &reply);
       },
       {"page_size"}},
      {"action status this gateway cannot send",
       [] {
         v1::ListPendingActionsRequest request;
         request.set_status(static_cast<v1::PendingActionStatus>(3));
         v1::ListPendingActionsResponse reply;
         return Call(&v1::OrderService::Stub::ListPendingActions, request, &reply);
       },
       {"status"}},
      {"cancel without order",
       [] {
         v1::CancelOrderResponse reply;
         return Cancel("", {"cancel-avail1.com"}, &reply);
       },
       {"order_id"}},
      {"cancel of an empty domain",
       [] {
         v1::CancelOrderResponse reply;
         return Cancel("ord_1", {"cancel-avail1.com", ""}, &reply);
       },
       {"domains[1]"}},
  };
  const size_t before = PartnerCalls();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FailureOf(c.call()), (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", c.fields, ""}));
  }
  EXPECT_EQ(PartnerCalls(), before);
}

}  // namespace
}  // namespace gateway::testing
