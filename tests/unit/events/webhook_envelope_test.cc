#include "server/events/webhook_envelope.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway::events {
namespace {

using ::testing::HasSubstr;

TEST(WebhookEnvelopeTest, NestedOrderEvent) {
  auto event = ParseEnvelope(R"({"id":"evt_1","type":"order.in_progress","created_at":"2026-07-01T11:00:00.250Z",
    "data":{"order":{"id":"ord_9","status":"in_progress","user":{"id":"usr_1","email":"alex@acme.com"}}}})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->id, "evt_1");
  EXPECT_EQ(event->type, "order.in_progress");
  EXPECT_EQ(event->created_at, absl::FromUnixMillis(1782903600250));
  EXPECT_EQ(event->order_id, "ord_9");
  EXPECT_EQ(event->user_id, "usr_1");
  EXPECT_EQ(event->user_email, "alex@acme.com");
  EXPECT_THAT(event->data, HasSubstr(R"("status":"in_progress")"));
}

TEST(WebhookEnvelopeTest, TheOrderAsDataAsOnTheQuickstartPage) {
  auto event = ParseEnvelope(R"({"id":"evt_01HZX0EV2A2B3C4D5E6F7G8H","type":"order.completed",
    "created_at":"2026-05-08T12:14:33Z","data":{"id":"ord_01HZX0OR1A2B3C4D5E6F7G8H","user_id":"usr_01HZX0C6Z3K4M5N6P7Q8R9S0",
    "email":"alex@acme.com","status":"completed","domain_count":2}})");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->order_id, "ord_01HZX0OR1A2B3C4D5E6F7G8H");
  EXPECT_EQ(event->user_id, "usr_01HZX0C6Z3K4M5N6P7Q8R9S0");
  EXPECT_EQ(event->user_email, "alex@acme.com");
}

TEST(WebhookEnvelopeTest, TheCustomerInEveryShape) {
  const struct {
    const char* data;
    const char* id;
    const char* email;
  } kCases[] = {
      {R"({"order":{"id":"ord_1","user":{"id":"usr_1","email":"a@b.test"}}})", "usr_1", "a@b.test"},
      {R"({"order":{"id":"ord_1","user_id":"usr_1","email":"a@b.test"}})", "usr_1", "a@b.test"},
      {R"({"id":"ord_1","user_id":"usr_1","email":"a@b.test"})", "usr_1", "a@b.test"},
      {R"({"id":"ord_1","user":{"id":"usr_1","email":"a@b.test"}})", "usr_1", "a@b.test"},
      {R"({"id":"ord_1","user":"usr_1"})", "usr_1", ""},
      {R"({"id":"ord_1","user":"a@b.test"})", "", "a@b.test"},
      {R"({"order":{"id":"ord_1","user":"a@b.test"},"user_id":"usr_1"})", "usr_1", "a@b.test"},
      {R"({"id":"ord_1","user":{"id":7},"email":["a@b.test"]})", "", ""},
      {R"({"domain":{"name":"acme.com","order_id":"ord_1"}})", "", ""},
  };
  for (const auto& c : kCases) {
    const Customer customer = CustomerOf(nlohmann::json::parse(c.data));
    EXPECT_EQ(customer.id, c.id) << c.data;
    EXPECT_EQ(customer.email, c.email) << c.data;
  }
}

TEST(WebhookEnvelopeTest, FlatOrderEventAndDomainEvent) {
  auto flat = ParseEnvelope(
      R"({"id":"evt_2","type":"order.completed","created_at":"2026-07-01T11:00:00Z","data":{"id":"ord_9","user":"usr_1"}})");
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_EQ(flat->order_id, "ord_9");
  EXPECT_EQ(flat->user_id, "usr_1");
  auto domain = ParseEnvelope(R"({"id":"evt_3","type":"domain.connected","created_at":"2026-07-01T11:00:00Z",
    "data":{"domain":{"name":"acme.com","order_id":"ord_9"}}})");
  ASSERT_TRUE(domain.ok()) << domain.status();
  EXPECT_EQ(domain->order_id, "ord_9");
  EXPECT_EQ(domain->user_id, "");
  EXPECT_EQ(domain->user_email, "");
  // A flat `id` of a domain event is the domain's, not an order's.
  auto other = ParseEnvelope(
      R"({"id":"evt_4","type":"domain.action_required","created_at":"2026-07-01T11:00:00Z","data":{"id":"dom_1"}})");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->order_id, "");
}

TEST(WebhookEnvelopeTest, DomainNameInEveryDocumentedShape) {
  EXPECT_EQ(DomainNameOf(nlohmann::json::parse(R"({"domain":{"name":"a.com"}})")), "a.com");
  EXPECT_EQ(DomainNameOf(nlohmann::json::parse(R"({"domain":"b.com"})")), "b.com");
  EXPECT_EQ(DomainNameOf(nlohmann::json::parse(R"({"name":"c.com","provider":"google"})")), "c.com");
  EXPECT_EQ(DomainNameOf(nlohmann::json("d.com")), "d.com");
  EXPECT_EQ(DomainNameOf(nlohmann::json::parse(R"({"domain":{"name":7}})")), "");
  EXPECT_EQ(DomainNameOf(nlohmann::json::parse("[1]")), "");
}

TEST(WebhookEnvelopeTest, EachBrokenFieldIsNamed) {
  const struct {
    const char* body;
    const char* message;
  } kCases[] = {
      {"not json", "not JSON"},
      {"[1]", "not a JSON object"},
      {R"({"type":"order.completed","created_at":"2026-07-01T11:00:00Z","data":{}})", "`id`"},
      {R"({"id":"x1","type":"order.completed","created_at":"2026-07-01T11:00:00Z","data":{}})", "evt_"},
      {R"({"id":"evt_1","type":7,"created_at":"2026-07-01T11:00:00Z","data":{}})", "`type`"},
      {R"({"id":"evt_1","type":"order.completed","created_at":"yesterday","data":{}})", "`created_at`"},
      {R"({"id":"evt_1","type":"order.completed","created_at":"2026-07-01T11:00:00Z"})", "`data`"},
      {R"({"id":"evt_1","type":"order.completed","created_at":"2026-07-01T11:00:00Z","data":[]})", "`data`"},
  };
  for (const auto& test_case : kCases) {
    auto event = ParseEnvelope(test_case.body);
    ASSERT_FALSE(event.ok()) << test_case.body;
    EXPECT_THAT(event.status().message(), HasSubstr(test_case.message)) << test_case.body;
  }
}

}  // namespace
}  // namespace gateway::events
