// Order events end to end: PlaceOrder through the gateway → partner-sandbox
// delivers signed webhooks → the gateway verifies, stores and streams them →
// StreamOrderEvents / WatchOrder through the generated C++ stubs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "server/events/webhook_verifier.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Places a two-domain bundle order for `user`.
v1::Order PlaceOrder(Stack& stack, const std::string& domain_prefix, const std::string& user = "alex@acme.com") {
  auto client = stack.Client();
  v1::CreateBundleRequest bundle_request;
  bundle_request.set_name("Tiny");
  bundle_request.set_monthly_sending_volume(1000);  // 1 Google + 1 Microsoft domain.
  v1::CreateBundleResponse bundle;
  EXPECT_TRUE(client.CreateBundle(bundle_request, &bundle).ok());
  v1::PlaceOrderRequest request;
  request.set_user(user);
  request.set_bundle_id(bundle.bundle().id());
  request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  request.mutable_sequencer()->set_login_email("peeker@acme.com");
  request.mutable_sequencer()->set_login_password("events-login");
  request.add_domains()->set_domain(domain_prefix + "-avail0.com");
  request.add_domains()->set_domain(domain_prefix + "-avail1.com");
  v1::Persona* persona = request.add_personas();
  persona->set_first_name("Alex");
  persona->set_last_name("Rivera");
  persona->set_profile_picture_url("");
  v1::PlaceOrderResponse order;
  const grpc::Status status = client.PlaceOrder(request, &order);
  EXPECT_TRUE(status.ok()) << Describe(status);
  return order.order();
}

std::unique_ptr<grpc::ClientContext> StreamContext(absl::Duration timeout = absl::Seconds(30)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

std::vector<std::string> Types(const std::vector<v1::OrderEvent>& events) {
  std::vector<std::string> types;
  for (const v1::OrderEvent& event : events) types.push_back(event.type());
  return types;
}

// Sends `request` on a fresh loopback connection and returns everything the
// server answers until it closes.
std::string SendRaw(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;) answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::unique_ptr<Stack> StartStack(std::vector<std::string> sandbox_args = {}, std::string event_log = "") {
  Stack::Options options;
  options.webhooks = true;
  options.sandbox_args = std::move(sandbox_args);
  options.event_log = std::move(event_log);
  auto stack = Stack::Start(options);
  EXPECT_TRUE(stack.ok()) << stack.status();
  return stack.ok() ? *std::move(stack) : nullptr;
}

TEST(OrderEventsTest, ASubscriberSeesTheWholeSequenceOfAnOrder) {
  auto stack = StartStack();
  ASSERT_NE(stack, nullptr);
  const std::string order_id = PlaceOrder(*stack, "seq").id();
  auto stub = v1::OrderEventService::NewStub(stack->channel());
  v1::StreamOrderEventsRequest request;
  request.add_order_ids(order_id);
  request.set_resume_after("0");  // Everything stored for the order, then live.
  auto context = StreamContext();
  auto reader = stub->StreamOrderEvents(context.get(), request);
  const std::vector<v1::OrderEvent> events = ReadEvents(*reader, 4);
  ASSERT_THAT(Types(events), ElementsAre("order.in_progress", "domain.connected", "domain.connected",
                                         "order.completed"));
  uint64_t previous = 0;
  for (const v1::OrderEvent& event : events) {
    uint64_t cursor = 0;
    ASSERT_TRUE(absl::SimpleAtoi(event.cursor(), &cursor));
    EXPECT_GT(cursor, previous);
    previous = cursor;
    EXPECT_EQ(event.order_id(), order_id);
    EXPECT_EQ(event.environment(), v1::ENVIRONMENT_SANDBOX);
    EXPECT_THAT(event.id(), ::testing::StartsWith("evt_"));
  }
  EXPECT_EQ(events[0].user(), "alex@acme.com");
  EXPECT_TRUE(events[1].data().fields().contains("domain"));
  for (ChildProcess* process : {&stack->gateway(), &stack->sandbox()}) {
    EXPECT_THAT(process->Output(), ::testing::Not(HasSubstr(Stack::kWebhookSecret)));
  }
}

// The `user` filter finds a customer's order events by user id or by email
// in any case, whichever shape the Partner gives `data`, and never another
// customer's. Domain events name no customer, so none match.
TEST(OrderEventsTest, TheUserFilterFindsTheCustomerInEitherDataShape) {
  for (const char* shape : {"nested", "flat"}) {
    SCOPED_TRACE(shape);
    auto stack = StartStack({"--webhook-data", shape});
    ASSERT_NE(stack, nullptr);
    auto stub = v1::OrderEventService::NewStub(stack->channel());
    // Every event of `order_id`, once stored.
    auto all_events_of = [&](const std::string& order_id) {
      v1::StreamOrderEventsRequest request;
      request.add_order_ids(order_id);
      request.set_resume_after("0");
      auto context = StreamContext();
      auto reader = stub->StreamOrderEvents(context.get(), request);
      return ReadEvents(*reader, 4);
    };
    const v1::Order first = PlaceOrder(*stack, "first", "alex@acme.com");
    ASSERT_THAT(all_events_of(first.id()), ::testing::SizeIs(4));
    // Another customer's events are stored between the two orders of the first.
    const v1::Order other = PlaceOrder(*stack, "other", "blair@contoso.com");
    ASSERT_THAT(all_events_of(other.id()), ::testing::SizeIs(4));
    const v1::Order second = PlaceOrder(*stack, "second", "alex@acme.com");
    ASSERT_THAT(all_events_of(second.id()), ::testing::SizeIs(4));
    ASSERT_EQ(first.user_id(), second.user_id());
    ASSERT_NE(first.user_id(), other.user_id());

    for (const std::string& user : {first.user_id(), std::string("ALEX@Acme.com")}) {
      SCOPED_TRACE(user);
      v1::StreamOrderEventsRequest request;
      request.set_user(user);
      request.set_resume_after("0");
      auto context = StreamContext();
      auto reader = stub->StreamOrderEvents(context.get(), request);
      const std::vector<v1::OrderEvent> events = ReadEvents(*reader, 4);
      ASSERT_THAT(Types(events),
                  ElementsAre("order.in_progress", "order.completed", "order.in_progress", "order.completed"));
      for (size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].order_id(), i < 2 ? first.id() : second.id());
        EXPECT_EQ(events[i].user(), "alex@acme.com");
      }
    }
  }
}

TEST(OrderEventsTest, DuplicatedAndReorderedDeliveriesGiveEachEventOnceAndAMonotonicWatch) {
  auto stack = StartStack({"--webhook-duplicate", "--webhook-reorder"});
  ASSERT_NE(stack, nullptr);
  const std::string order_id = PlaceOrder(*stack, "dupe").id();
  auto stub = v1::OrderEventService::NewStub(stack->channel());

  v1::WatchOrderRequest watch_request;
  watch_request.set_order_id(order_id);
  auto watch_context = StreamContext();
  auto watch = stub->WatchOrder(watch_context.get(), watch_request);
  std::vector<v1::OrderStatus> statuses;
  size_t connected = 0;
  v1::WatchOrderResponse progress;
  while (watch->Read(&progress)) {
    if (!progress.has_progress()) continue;
    statuses.push_back(progress.progress().status());
    EXPECT_GE(static_cast<size_t>(progress.progress().connected_domains_size()), connected);
    connected = static_cast<size_t>(progress.progress().connected_domains_size());
  }
  const grpc::Status watch_status = watch->Finish();
  EXPECT_TRUE(watch_status.ok()) << Describe(watch_status);  // Ends by itself at the terminal state.
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.back(), v1::ORDER_STATUS_COMPLETED);
  EXPECT_EQ(connected, 2u);
  for (size_t i = 1; i < statuses.size(); ++i) {
    // COMPLETED (2) never goes back to IN_PROGRESS (1) or UNSPECIFIED (0).
    EXPECT_FALSE(statuses[i - 1] == v1::ORDER_STATUS_COMPLETED && statuses[i] != v1::ORDER_STATUS_COMPLETED);
  }

  // Every delivery came twice; every event is stored and streamed once.
  v1::StreamOrderEventsRequest request;
  request.add_order_ids(order_id);
  request.set_resume_after("0");
  auto context = StreamContext(absl::Seconds(2));
  auto reader = stub->StreamOrderEvents(context.get(), request);
  const std::vector<v1::OrderEvent> events = ReadEvents(*reader, 100);  // Until the deadline.
  std::set<std::string> ids;
  for (const v1::OrderEvent& event : events) ids.insert(event.id());
  EXPECT_EQ(events.size(), 4u);
  EXPECT_EQ(ids.size(), 4u);
}

TEST(OrderEventsTest, AResumingSubscriberGetsExactlyTheMissedEvents) {
  auto stack = StartStack();
  ASSERT_NE(stack, nullptr);
  const std::string order_id = PlaceOrder(*stack, "resume").id();
  auto stub = v1::OrderEventService::NewStub(stack->channel());
  v1::StreamOrderEventsRequest request;
  request.add_order_ids(order_id);
  request.set_resume_after("0");
  std::string cursor;
  {
    auto context = StreamContext();
    auto reader = stub->StreamOrderEvents(context.get(), request);
    const std::vector<v1::OrderEvent> first = ReadEvents(*reader, 2);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_THAT(Types(first), ElementsAre("order.in_progress", "domain.connected"));
    cursor = first.back().cursor();
    context->TryCancel();  // Disconnect mid-order.
  }
  request.set_resume_after(cursor);
  auto context = StreamContext();
  auto reader = stub->StreamOrderEvents(context.get(), request);
  EXPECT_THAT(Types(ReadEvents(*reader, 2)), ElementsAre("domain.connected", "order.completed"));
}

TEST(OrderEventsTest, AnAcknowledgedEventSurvivesSigkill) {
  const std::string event_log = ::testing::TempDir() + "/order-events-crash.db";
  auto stack = StartStack({}, event_log);
  ASSERT_NE(stack, nullptr);
  const WebhookAnswer answer = PostWebhook(stack->webhook_port(), "evt_crash0000000000000000000001", "ord_crash");
  ASSERT_EQ(answer.status, 200) << answer.body;
  stack->gateway().Signal(SIGKILL);  // Right after the acknowledgement.
  ASSERT_TRUE(stack->gateway().Wait(absl::Seconds(10)).has_value());

  ASSERT_TRUE(stack->StartGateway().ok());
  auto stub = v1::OrderEventService::NewStub(stack->channel());
  v1::StreamOrderEventsRequest request;
  request.add_order_ids("ord_crash");
  request.set_resume_after("0");
  auto context = StreamContext();
  auto reader = stub->StreamOrderEvents(context.get(), request);
  const std::vector<v1::OrderEvent> events = ReadEvents(*reader, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id(), "evt_crash0000000000000000000001");
}

TEST(OrderEventsTest, EveryRefusedDeliveryStoresNothingAndMovesItsCounter) {
  auto stack = StartStack();
  ASSERT_NE(stack, nullptr);
  const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(absl::Now()));
  const std::string stale = absl::StrCat(absl::ToUnixSeconds(absl::Now() - absl::Minutes(10)));
  auto body_for = [](const std::string& id) {
    return absl::StrCat(R"({"id":")", id,
                        R"(","type":"order.in_progress","created_at":"2026-07-01T11:00:00Z","data":{"order":{"id":"ord_refused"}}})");
  };
  auto sign = [](const std::string& ts, const std::string& body) {
    return events::WebhookVerifier::Sign(Stack::kWebhookSecret, events::SignedPayload::kTimestampAndBody, ts, body);
  };
  const std::string good = body_for("evt_refused1");
  const struct {
    const char* reason;
    int status;
    httplib::Headers headers;
    std::string body;
  } kCases[] = {
      {"missing_header", 400, {{"Peeker-Timestamp", timestamp}, {"Peeker-Signature", sign(timestamp, good)}}, good},
      {"bad_timestamp", 400,
       {{"Peeker-Event-Id", "evt_refused1"}, {"Peeker-Timestamp", "soon"}, {"Peeker-Signature", sign("soon", good)}},
       good},
      {"timestamp_outside_window", 401,
       {{"Peeker-Event-Id", "evt_refused1"}, {"Peeker-Timestamp", stale}, {"Peeker-Signature", sign(stale, good)}},
       good},
      {"bad_signature_header", 400,
       {{"Peeker-Event-Id", "evt_refused1"}, {"Peeker-Timestamp", timestamp}, {"Peeker-Signature", "sha256=x"}},
       good},
      {"signature_mismatch", 401,
       {{"Peeker-Event-Id", "evt_refused1"},
        {"Peeker-Timestamp", timestamp},
        {"Peeker-Signature", sign(timestamp, good + " ")}},
       good},
      {"bad_envelope", 400,
       {{"Peeker-Event-Id", "evt_refused1"}, {"Peeker-Timestamp", timestamp}, {"Peeker-Signature", sign(timestamp, "{}")}},
       "{}"},
      {"event_id_mismatch", 400,
       {{"Peeker-Event-Id", "evt_other"}, {"Peeker-Timestamp", timestamp}, {"Peeker-Signature", sign(timestamp, good)}},
       good},
  };
  httplib::Client partner("127.0.0.1", stack->webhook_port());
  httplib::Client admin("127.0.0.1", stack->admin_port());
  for (const auto& test_case : kCases) {
    auto result = partner.Post("/webhooks/peeker", test_case.headers, test_case.body, "application/json");
    ASSERT_TRUE(result) << test_case.reason;
    EXPECT_EQ(result->status, test_case.status) << test_case.reason << ": " << result->body;
    EXPECT_THAT(result->body, HasSubstr(test_case.reason));
    auto metrics = admin.Get("/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_THAT(metrics->body, HasSubstr(absl::StrCat("reason=\"", test_case.reason, "\"} 1"))) << metrics->body;
  }
  // Over 1 MiB: refused from the declared length, before any body byte.
  const std::string answer = SendRaw(stack->webhook_port(),
                                     "POST /webhooks/peeker HTTP/1.1\r\nHost: gateway\r\nPeeker-Event-Id: evt_big\r\n"
                                     "Content-Type: application/json\r\nContent-Length: 1048577\r\n\r\n");
  EXPECT_THAT(answer, ::testing::StartsWith("HTTP/1.1 413"));
  EXPECT_THAT(answer, HasSubstr("body_too_large"));
  auto metrics = admin.Get("/metrics");
  EXPECT_THAT(metrics->body, HasSubstr("reason=\"body_too_large\"} 1"));
  EXPECT_THAT(metrics->body, HasSubstr("gateway_webhooks_total{outcome=\"stored\"} 0"));
  EXPECT_THAT(metrics->body, HasSubstr("gateway_partner_tolerated_total{kind=\"unknown_field\"} "));
  // Nothing reached the log: a stream from the beginning has no event.
  auto stub = v1::OrderEventService::NewStub(stack->channel());
  v1::StreamOrderEventsRequest request;
  request.set_resume_after("0");
  auto context = StreamContext(absl::Milliseconds(500));
  auto reader = stub->StreamOrderEvents(context.get(), request);
  EXPECT_TRUE(ReadEvents(*reader, 1).empty());
}

TEST(OrderEventsTest, BadCursorsAreRefusedPrecisely) {
  auto stack = StartStack();
  ASSERT_NE(stack, nullptr);
  auto stub = v1::OrderEventService::NewStub(stack->channel());
  for (const char* cursor : {"abc", "999"}) {
    v1::StreamOrderEventsRequest request;
    request.set_resume_after(cursor);
    auto context = StreamContext();
    auto reader = stub->StreamOrderEvents(context.get(), request);
    v1::StreamOrderEventsResponse response;
    EXPECT_FALSE(reader->Read(&response));
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << cursor << ": " << Describe(status);
  }
  v1::WatchOrderRequest empty;
  auto context = StreamContext();
  auto watch = stub->WatchOrder(context.get(), empty);
  v1::WatchOrderResponse response;
  EXPECT_FALSE(watch->Read(&response));
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace gateway::testing
