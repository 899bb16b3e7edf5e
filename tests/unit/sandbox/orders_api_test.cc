// Unit tests for the order endpoints of PartnerEmulator: POST/GET /orders,
// the webhook events of a new order, status transitions on the injected
// clock, GET /orders/pending and POST /orders/{id}/cancel.
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/sandbox/emulator_test_fixture.h"

namespace gateway::sandbox {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

// ------------------------------------------------------------------ orders

TEST_F(PartnerEmulatorTest, BundleOrderHappyPath) {
  const std::string bundle_id = SmallBundleId();
  const json prices = Availability({"avail-alpha.com", "avail-beta.com"});
  const int64_t registration = prices[0]["price_cents"].get<int64_t>() +
                               prices[1]["price_cents"].get<int64_t>();

  const ApiResponse response = PostOrder(ValidOrder(bundle_id));
  ASSERT_EQ(response.status, 200) << response.body;
  const json order = Body(response)["data"];
  EXPECT_THAT(order["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("ord_", kIdBody)));
  EXPECT_THAT(order["user_id"].get<std::string>(),
              MatchesRegex(absl::StrCat("usr_", kIdBody)));
  EXPECT_EQ(order["email"], "ops@client.test");
  EXPECT_EQ(order["bundle_id"], bundle_id);
  EXPECT_EQ(order["status"], "in_progress");
  EXPECT_EQ(order["domain_count"], 2);
  EXPECT_EQ(order["created_at"], "2026-07-01T09:30:00Z");
  EXPECT_EQ(order["renews_at"], "2026-07-31T09:30:00Z");
  // 1 Google domain * 2 inboxes * 300 + 1 Microsoft domain * 1500.
  EXPECT_EQ(order["costs"]["line_items"],
            json::parse(absl::StrCat(
                R"([{"type":"google_license","quantity":2,"amount_cents":600},
                    {"type":"microsoft_license","quantity":1,
                     "amount_cents":1500},
                    {"type":"domain_registration","quantity":2,
                     "amount_cents":)",
                registration, "}]")));
  EXPECT_EQ(order["costs"]["total_cents"], 600 + 1500 + registration);
  EXPECT_EQ(order["costs"]["currency"], "usd");
  EXPECT_THAT(response.body, Not(HasSubstr("hunter2")));
}

TEST_F(PartnerEmulatorTest, CustomOrderWithImportedDomains) {
  Import({"acme-one.com", "acme-two.com", "acme-three.com"});
  json body = ValidOrder("");
  body.erase("bundle_id");
  body["google_licenses"] = 3;  // ceil(3/2) = 2 Google domains
  body["microsoft_licenses"] = 1;
  body["domains"] = {"acme-one.com", "ACME-two.com", "acme-three.com"};
  const ApiResponse response = PostOrder(body);
  ASSERT_EQ(response.status, 200) << response.body;
  const json order = Body(response)["data"];
  EXPECT_TRUE(order["bundle_id"].is_null());
  EXPECT_EQ(order["domain_count"], 3);
  EXPECT_EQ(order["costs"]["line_items"][0]["quantity"], 3);
  EXPECT_EQ(order["costs"]["line_items"][2]["quantity"], 0);
  EXPECT_EQ(order["costs"]["total_cents"], 3 * 300 + 1500);
}

// Each case breaks one rule of an otherwise valid order, listed in the order
// the emulator checks them (OrderEarlierErrorBeatsLaterOnes covers precedence).
struct OrderCase {
  std::string name;
  std::function<void(json&)> mutate;
  int status;
  std::string code;
  std::string field;
};

TEST_F(PartnerEmulatorTest, OrderValidationFirstFailureWins) {
  const std::string bundle_id = SmallBundleId();
  const std::vector<OrderCase> cases = {
      {"user missing", [](json& b) { b.erase("user"); }, 400,
       "invalid_request", "user"},
      {"user not email", [](json& b) { b["user"] = "bob"; }, 400,
       "invalid_request", "user"},
      {"unknown usr id", [](json& b) { b["user"] = "usr_NOPE"; }, 404,
       "not_found", "user"},
      {"shape conflict", [](json& b) { b["google_licenses"] = 2; }, 400,
       "order_shape_conflict", ""},
      {"no plan", [](json& b) { b.erase("bundle_id"); }, 400,
       "invalid_request", "bundle_id"},
      {"unknown bundle", [](json& b) { b["bundle_id"] = "bun_MISSING"; }, 404,
       "not_found", "bundle_id"},
      {"custom all zero",
       [](json& b) {
         b.erase("bundle_id");
         b["google_licenses"] = 0;
         b["microsoft_licenses"] = 0;
       },
       400, "invalid_request", "google_licenses"},
      {"custom negative",
       [](json& b) {
         b.erase("bundle_id");
         b["google_licenses"] = -1;
       },
       400, "invalid_request", "google_licenses"},
      {"sequencer missing", [](json& b) { b.erase("sequencer"); }, 400,
       "invalid_request", "sequencer"},
      {"provider", [](json& b) { b["sequencer"]["provider"] = "instantly"; },
       400, "invalid_request", "sequencer.provider"},
      {"client_id", [](json& b) { b["sequencer"]["client_id"] = "42"; }, 400,
       "invalid_request", "sequencer.client_id"},
      {"login_email", [](json& b) { b["sequencer"].erase("login_email"); },
       400, "invalid_request", "sequencer.login_email"},
      {"login_password", [](json& b) { b["sequencer"]["login_password"] = ""; },
       400, "invalid_request", "sequencer.login_password"},
      {"domains empty", [](json& b) { b["domains"] = json::array(); }, 400,
       "invalid_request", "domains"},
      {"domain item type", [](json& b) { b["domains"][1] = 7; }, 400,
       "invalid_request", "domains[1]"},
      {"forwarding type", [](json& b) { b["forwarding_url"] = 1; }, 400,
       "invalid_request", "forwarding_url"},
      {"personas 0", [](json& b) { b["personas"] = json::array(); }, 400,
       "invalid_request", "personas"},
      {"personas 11",
       [](json& b) {
         json p = b["personas"][0];
         b["personas"] = json::array();
         for (int i = 0; i < 11; ++i) b["personas"].push_back(p);
       },
       400, "invalid_request", "personas"},
      {"persona first_name",
       [](json& b) { b["personas"][0]["first_name"] = ""; }, 400,
       "invalid_request", "personas[0].first_name"},
      {"no picture key",
       [](json& b) { b["personas"][0].erase("profile_picture_url"); }, 400,
       "invalid_request", "personas[0].profile_picture_url"},
      {"picture wrong type",
       [](json& b) { b["personas"][0]["profile_picture_url"] = 3; }, 400,
       "invalid_request", "personas[0].profile_picture_url"},
      {"domain unavailable",
       [](json& b) { b["domains"][1] = "taken-brand.com"; }, 400,
       "domain_unavailable", "domains[1]"},
      {"count mismatch",
       [](json& b) { b["domains"].push_back("avail-gamma.com"); }, 400,
       "domain_count_mismatch", "domains"},
      {"microsoft shortfall",
       [](json& b) {
         b["domains"] = {"googleonly-a.com", "googleonly-b.com"};
       },
       400, "microsoft_domain_shortfall", "domains"},
  };
  for (const OrderCase& c : cases) {
    SCOPED_TRACE(c.name);
    json body = ValidOrder(bundle_id);
    c.mutate(body);
    const ApiResponse response = PostOrder(body);
    ExpectError(response, c.status, c.code, c.field);
    EXPECT_THAT(response.body, Not(HasSubstr("hunter2")));
  }
}

TEST_F(PartnerEmulatorTest, OrderEarlierErrorBeatsLaterOnes) {
  json body = ValidOrder(SmallBundleId());
  body["personas"] = json::array();
  body["domains"] = {"taken-x.com"};
  body["sequencer"]["provider"] = "other";
  ExpectError(PostOrder(body), 400, "invalid_request", "sequencer.provider");
  body["sequencer"]["provider"] = "smartlead";
  ExpectError(PostOrder(body), 400, "invalid_request", "personas");
}

TEST_F(PartnerEmulatorTest, DomainUnavailableDetails) {
  json body = ValidOrder(SmallBundleId());
  body["domains"][0] = "abc.com";
  const json error = Body(PostOrder(body))["error"];
  EXPECT_EQ(error["field"], "domains[0]");
  EXPECT_EQ(error["details"], json({{"domain", "abc.com"}}));
}

TEST_F(PartnerEmulatorTest, DomainCountMismatchDetails) {
  json body = ValidOrder(CreateBundle(
      {{"name", "big"}, {"monthly_sending_volume", 25000}})["id"]);
  const json error = Body(PostOrder(body))["error"];
  EXPECT_EQ(error["code"], "domain_count_mismatch");
  EXPECT_EQ(error["details"], json({{"required_count", 19},
                                    {"submitted_count", 2},
                                    {"missing_count", 17}}));

  body = ValidOrder(SmallBundleId());
  body["domains"] = {"avail-a1.com", "avail-a2.com", "avail-a3.com"};
  EXPECT_EQ(Body(PostOrder(body))["error"]["details"]["missing_count"], -1);
}

TEST_F(PartnerEmulatorTest, MicrosoftShortfallDetails) {
  json body = ValidOrder("");
  body.erase("bundle_id");
  body["microsoft_licenses"] = 2;
  body["domains"] = {"googleonly-a.com", "avail-b.com"};
  const json error = Body(PostOrder(body))["error"];
  EXPECT_EQ(error["code"], "microsoft_domain_shortfall");
  EXPECT_EQ(error["details"],
            json({{"required_microsoft", 2}, {"usable_microsoft", 1}}));
}

TEST_F(PartnerEmulatorTest, UserReusedByEmailAndById) {
  const std::string bundle_id = SmallBundleId();
  const json first = Body(PostOrder(ValidOrder(bundle_id)))["data"];

  json second_body = ValidOrder(bundle_id);
  second_body["user"] = "OPS@client.test";
  second_body["personas"][0]["first_name"] = "Sam";
  const json second = Body(PostOrder(second_body))["data"];
  EXPECT_EQ(second["user_id"], first["user_id"]);
  EXPECT_NE(second["id"], first["id"]);

  json third_body = ValidOrder(bundle_id);
  third_body["user"] = first["user_id"];
  const json third = Body(PostOrder(third_body))["data"];
  EXPECT_EQ(third["user_id"], first["user_id"]);
  EXPECT_EQ(third["email"], "ops@client.test");

  json other = ValidOrder(bundle_id);
  other["user"] = "someone@else.test";
  EXPECT_NE(Body(PostOrder(other))["data"]["user_id"], first["user_id"]);
}

TEST_F(PartnerEmulatorTest, IdenticalOrderWithin24HoursIsDeduped) {
  const std::string body = ValidOrder(SmallBundleId()).dump();
  const json first = Body(Call("POST", "/partner/v1/orders", body))["data"];
  now_ += absl::Hours(23) + absl::Minutes(59);
  const ApiResponse again = Call("POST", "/partner/v1/orders", body);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Body(again)["data"], first);

  // Other key or other bytes: a new order.
  EXPECT_NE(Body(Call("POST", "/partner/v1/orders", body,
                      "pk_test_other"))["data"]["id"],
            first["id"]);
  EXPECT_NE(Body(Call("POST", "/partner/v1/orders", body + " "))["data"]["id"],
            first["id"]);
}

TEST_F(PartnerEmulatorTest, IdenticalOrderAfter24HoursIsNew) {
  const std::string body = ValidOrder(SmallBundleId()).dump();
  const json first = Body(Call("POST", "/partner/v1/orders", body))["data"];
  now_ += absl::Hours(24) + absl::Seconds(1);
  const json second = Body(Call("POST", "/partner/v1/orders", body))["data"];
  EXPECT_NE(second["id"], first["id"]);
  EXPECT_EQ(second["created_at"], "2026-07-02T09:30:01Z");
}

// ---------------------------------------------------------------- webhooks

TEST_F(PartnerEmulatorTest, NewOrderProducesInProgressDomainsCompleted) {
  const json order = Body(PostOrder(ValidOrder(SmallBundleId())))["data"];
  ASSERT_EQ(order_events_.size(), 1u);
  const std::vector<WebhookEvent>& events = order_events_[0];
  // 1 + one per domain (2) + 1.
  ASSERT_EQ(events.size(), 4u);
  std::vector<std::string> types;
  std::set<std::string> ids;
  for (const WebhookEvent& event : events) {
    types.push_back(event.type);
    ids.insert(event.id);
    EXPECT_THAT(event.id, MatchesRegex(absl::StrCat("evt_", kIdBody)));
    EXPECT_EQ(event.order_id, order["id"]);
  }
  EXPECT_THAT(types, ElementsAre("order.in_progress", "domain.connected",
                                 "domain.connected", "order.completed"));
  EXPECT_EQ(ids.size(), events.size());

  const json user = {{"id", order["user_id"]}, {"email", "ops@client.test"}};
  EXPECT_EQ(EventBody(events[0])["data"],
            json({{"order",
                   {{"id", order["id"]},
                    {"status", "in_progress"},
                    {"user", user}}}}));
  // The plan needs 1 Microsoft domain: the first Microsoft-capable one.
  EXPECT_EQ(EventBody(events[1])["data"],
            json({{"domain",
                   {{"name", "avail-alpha.com"},
                    {"order_id", order["id"]},
                    {"provider", "microsoft"},
                    {"status", "connected"}}}}));
  EXPECT_EQ(EventBody(events[2])["data"]["domain"]["name"], "avail-beta.com");
  EXPECT_EQ(EventBody(events[2])["data"]["domain"]["provider"], "google");
  const json completed = EventBody(events[3])["data"]["order"];
  EXPECT_EQ(completed["id"], order["id"]);
  EXPECT_EQ(completed["status"], "completed");
  EXPECT_EQ(completed["user"], user);
  EXPECT_EQ(completed["domains"],
            json::parse(R"([
              {"name":"avail-alpha.com","provider":"microsoft",
               "status":"connected"},
              {"name":"avail-beta.com","provider":"google",
               "status":"connected"}])"));
}

TEST_F(PartnerEmulatorTest, EventCreatedAtIsStrictlyIncreasingWithMillis) {
  PostOrder(ValidOrder(SmallBundleId()));
  ASSERT_EQ(order_events_.size(), 1u);
  const std::vector<WebhookEvent>& events = order_events_[0];
  std::vector<std::string> stamps;
  for (size_t i = 0; i < events.size(); ++i) {
    stamps.push_back(EventBody(events[i])["created_at"]);
    if (i > 0) {
      EXPECT_LT(events[i - 1].created_at, events[i].created_at);
    }
  }
  // Order time + k * the default 200 ms interval.
  EXPECT_THAT(stamps, ElementsAre("2026-07-01T09:30:00.000Z",
                                  "2026-07-01T09:30:00.200Z",
                                  "2026-07-01T09:30:00.400Z",
                                  "2026-07-01T09:30:00.600Z"));
}

TEST_F(PartnerEmulatorTest, EventCreatedAtUsesDelayAndAtLeastOneMillisecond) {
  PartnerEmulator::Options options = MakeOptions(absl::ZeroDuration());
  options.webhook_delay = absl::Seconds(2);
  options.webhook_interval = absl::ZeroDuration();
  PartnerEmulator emulator(options);
  auto post = [&](const std::string& path, const json& body) {
    ApiRequest request{"POST", path, {}, {}, body.dump(), ""};
    request.headers["authorization"] = std::string("Bearer ") + kKey;
    return emulator.Handle(request);
  };
  const json bundle = Body(post("/partner/v1/bundles",
                                {{"name", "s"},
                                 {"monthly_sending_volume", 1000}}))["data"];
  ASSERT_EQ(post("/partner/v1/orders", ValidOrder(bundle["id"])).status, 200);
  ASSERT_EQ(order_events_.size(), 1u);
  std::vector<std::string> stamps;
  for (const WebhookEvent& event : order_events_[0]) {
    stamps.push_back(EventBody(event)["created_at"]);
  }
  EXPECT_THAT(stamps, ElementsAre("2026-07-01T09:30:02.000Z",
                                  "2026-07-01T09:30:02.001Z",
                                  "2026-07-01T09:30:02.002Z",
                                  "2026-07-01T09:30:02.003Z"));
}

TEST_F(PartnerEmulatorTest, FlatDataShapePutsResourceFieldsInData) {
  PartnerEmulator::Options options = MakeOptions(absl::ZeroDuration());
  options.webhook_data = WebhookDataShape::kFlat;
  PartnerEmulator emulator(options);
  auto post = [&](const std::string& path, const json& body) {
    ApiRequest request{"POST", path, {}, {}, body.dump(), ""};
    request.headers["authorization"] = std::string("Bearer ") + kKey;
    return emulator.Handle(request);
  };
  const json bundle = Body(post("/partner/v1/bundles",
                                {{"name", "s"},
                                 {"monthly_sending_volume", 1000}}))["data"];
  const json order =
      Body(post("/partner/v1/orders", ValidOrder(bundle["id"])))["data"];
  ASSERT_EQ(order_events_.size(), 1u);
  const std::vector<WebhookEvent>& events = order_events_[0];
  ASSERT_EQ(events.size(), 4u);
  const json in_progress = EventBody(events[0])["data"];
  EXPECT_EQ(in_progress["id"], order["id"]);
  EXPECT_EQ(in_progress["status"], "in_progress");
  EXPECT_FALSE(in_progress.contains("order"));
  // The order as POST /orders answered it: its customer is `user_id` and
  // `email`, not a `user` object.
  EXPECT_EQ(in_progress["user_id"], order["user_id"]);
  EXPECT_EQ(in_progress["email"], order["email"]);
  EXPECT_FALSE(in_progress.contains("user"));
  const json domain = EventBody(events[1])["data"];
  EXPECT_EQ(domain["name"], "avail-alpha.com");
  EXPECT_EQ(domain["order_id"], order["id"]);
  EXPECT_FALSE(domain.contains("user_id"));
  const json completed = EventBody(events[3])["data"];
  EXPECT_EQ(completed["status"], "completed");
  EXPECT_EQ(completed["user_id"], order["user_id"]);
  EXPECT_EQ(completed["domain_count"], 2);
}

TEST_F(PartnerEmulatorTest, NoEventsForDedupeReplayOrRejectedOrder) {
  const std::string bundle_id = SmallBundleId();
  const std::string body = ValidOrder(bundle_id).dump();
  ASSERT_EQ(Call("POST", "/partner/v1/orders", body).status, 200);
  ASSERT_EQ(order_events_.size(), 1u);

  // The 24-hour replay returns the same order and sends nothing.
  now_ += absl::Hours(1);
  ASSERT_EQ(Call("POST", "/partner/v1/orders", body).status, 200);
  // Rejected orders: validation, count mismatch, unavailable domain.
  json bad = ValidOrder(bundle_id);
  bad.erase("personas");
  EXPECT_EQ(PostOrder(bad).status, 400);
  bad = ValidOrder(bundle_id);
  bad["domains"] = json::array({"avail-gamma.com"});
  EXPECT_EQ(PostOrder(bad).status, 400);
  bad = ValidOrder(bundle_id);
  bad["domains"] = json::array({"avail-gamma.com", "taken-one.com"});
  EXPECT_EQ(PostOrder(bad).status, 400);
  // An injected fault answers instead of the emulator: no order, no events.
  Call("POST", "/_sandbox/faults",
       R"({"method":"POST","path":"/partner/v1/orders","status":200,)"
       R"("body":"{}","times":1})",
       "");
  json other = ValidOrder(bundle_id);
  other["user"] = "fault@client.test";
  EXPECT_EQ(PostOrder(other).status, 200);
  EXPECT_EQ(order_events_.size(), 1u);

  // After the window the same body is a new order again, with new events.
  now_ += absl::Hours(24);
  ASSERT_EQ(Call("POST", "/partner/v1/orders", body).status, 200);
  ASSERT_EQ(order_events_.size(), 2u);
  EXPECT_NE(order_events_[1][0].order_id, order_events_[0][0].order_id);
}

// ------------------------------------------------------------ order status

TEST_F(PartnerEmulatorTest, OrderCompletesWhenItsLastEventIsDue) {
  const json receipt = PlaceOrder(ValidOrder(SmallBundleId()));
  auto listed = [&] { return Data(Get("/partner/v1/orders"))[0]; };
  json expected = receipt;
  EXPECT_EQ(listed(), expected);
  // Events at +0, +200, +400 and +600 ms: order.completed is the last.
  now_ += absl::Milliseconds(599);
  EXPECT_EQ(listed()["status"], "in_progress");
  now_ += absl::Milliseconds(1);
  expected["status"] = "completed";
  EXPECT_EQ(listed(), expected);
}

TEST_F(PartnerEmulatorTest, OrderWithoutEventsCompletesAfterOneSecond) {
  PartnerEmulator::Options options = MakeOptions(absl::ZeroDuration());
  options.on_order_events = nullptr;
  PartnerEmulator emulator(options);
  auto call = [&](const std::string& method, const std::string& path,
                  const std::string& body) {
    ApiRequest request{method, path, {}, {}, body, ""};
    request.headers["authorization"] = std::string("Bearer ") + kKey;
    return emulator.Handle(request);
  };
  const json bundle = Body(call("POST", "/partner/v1/bundles",
                                R"({"name":"s","monthly_sending_volume":1000})"))
                          ["data"];
  ASSERT_EQ(call("POST", "/partner/v1/orders", ValidOrder(bundle["id"]).dump())
                .status,
            200);
  now_ += absl::Milliseconds(999);
  EXPECT_EQ(Body(call("GET", "/partner/v1/orders", ""))["data"][0]["status"],
            "in_progress");
  now_ += absl::Milliseconds(1);
  EXPECT_EQ(Body(call("GET", "/partner/v1/orders", ""))["data"][0]["status"],
            "completed");
}

TEST_F(PartnerEmulatorTest, ListOrdersFilters) {
  const std::string bundle_id = SmallBundleId();
  const json first = PlaceOrder(ValidOrder(bundle_id));
  json custom = ValidOrder("");
  custom.erase("bundle_id");
  custom["microsoft_licenses"] = 2;
  custom["user"] = "Other@Client.test";
  const json second = PlaceOrder(custom);
  now_ += absl::Seconds(1);
  const json third = PlaceOrder(ValidOrder(SmallBundleId()));

  auto ids = [&](const Query& query) {
    std::vector<std::string> out;
    for (const json& row : Data(Get("/partner/v1/orders", query))) {
      out.push_back(row["id"]);
    }
    return out;
  };
  EXPECT_THAT(ids({}), ElementsAre(first["id"], second["id"], third["id"]));
  EXPECT_THAT(ids({{"user_id", first["user_id"]}}),
              ElementsAre(first["id"], third["id"]));
  EXPECT_THAT(ids({{"user_email", "other@CLIENT.test"}}),
              ElementsAre(second["id"]));
  EXPECT_THAT(ids({{"bundle_id", bundle_id}}), ElementsAre(first["id"]));
  EXPECT_THAT(ids({{"status", "completed"}}),
              ElementsAre(first["id"], second["id"]));
  EXPECT_THAT(ids({{"status", "in_progress"}}), ElementsAre(third["id"]));
  EXPECT_THAT(ids({{"status", "failed"}}), IsEmpty());
  EXPECT_THAT(ids({{"status", "completed"}, {"user_id", second["user_id"]}}),
              ElementsAre(second["id"]));
  ExpectError(Get("/partner/v1/orders", {{"status", "done"}}), 400,
              "invalid_request", "status");
}

// ---------------------------------------------------------- pending actions

json PersonaWithPicture(const std::string& first, const json& url) {
  return {{"first_name", first},
          {"last_name", "Okafor"},
          {"profile_picture_url", url}};
}

TEST_F(PartnerEmulatorTest, PrivatePictureMakesTheOrderActionRequired) {
  json body = ValidOrder(SmallBundleId());
  body["personas"] = {PersonaWithPicture("Dana", "http://10.0.0.5/dana.png"),
                      PersonaWithPicture("Sam", nullptr),
                      PersonaWithPicture("Kim", "https://localhost/kim.png")};
  const json order = PlaceOrder(body);
  EXPECT_EQ(order["status"], "in_progress");

  ASSERT_EQ(order_events_.size(), 1u);
  const std::vector<WebhookEvent>& events = order_events_[0];
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3].type, "order.action_required");
  const json last = EventBody(events[3])["data"]["order"];
  EXPECT_EQ(last["status"], "action_required");
  EXPECT_EQ(last["domain_count"], 2);

  // The actions show up with order.action_required, at +600 ms.
  now_ += absl::Milliseconds(599);
  EXPECT_EQ(Data(Get("/partner/v1/orders/pending")), json::array());
  EXPECT_EQ(Data(Get("/partner/v1/orders"))[0]["status"], "in_progress");
  now_ += absl::Milliseconds(1);
  EXPECT_EQ(Data(Get("/partner/v1/orders"))[0]["status"], "action_required");

  json beta;
  for (const json& domain : Data(Get("/partner/v1/domains"))) {
    if (domain["domain"] == "avail-beta.com") beta = domain;
  }
  const json rows = Data(Get("/partner/v1/orders/pending"));
  ASSERT_EQ(rows.size(), 2u) << rows.dump();
  EXPECT_THAT(rows[0]["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("act_", kIdBody)));
  EXPECT_TRUE(rows[0]["message"].is_string());
  json row = rows[0];
  row.erase("id");
  row.erase("message");
  // One action per such persona, on the order's first Google domain.
  EXPECT_EQ(row, json({{"type", "google_profile_picture"},
                       {"reason", "profile_picture_not_accessible"},
                       {"status", "open"},
                       {"domain_id", beta["id"]},
                       {"domain", "avail-beta.com"},
                       {"user",
                        {{"first_name", "Dana"},
                         {"last_name", "Okafor"},
                         {"profile_picture_url", "http://10.0.0.5/dana.png"}}},
                       {"created_at", "2026-07-01T09:30:00Z"}}));
  EXPECT_EQ(rows[1]["user"]["first_name"], "Kim");
  // Still action_required much later: nothing resolves an action.
  now_ += absl::Hours(48);
  EXPECT_EQ(Data(Get("/partner/v1/orders"))[0]["status"], "action_required");
}

TEST_F(PartnerEmulatorTest, PictureReachabilityRules) {
  struct Case {
    json url;
    bool is_private;
  };
  const std::vector<Case> cases = {
      {"http://10.0.0.5/a.png", true},
      {"http://127.0.0.1:8080/a.png", true},
      {"https://192.168.1.20/a.png", true},
      {"http://172.16.0.1/a.png", true},
      {"http://172.31.255.255/a.png", true},
      {"http://LOCALHOST/a.png", true},
      {"http://user@localhost:80/a.png", true},
      {"ftp://cdn.example.test/a.png", true},
      {"file:///tmp/a.png", true},
      {"cdn.example.test/a.png", true},
      {"https://", true},
      {"https://cdn.example.test/a.png", false},
      {"http://172.32.0.1/a.png", false},
      {"http://11.0.0.1/a.png", false},
      {"http://10.0.0.256/a.png", false},
      {"https://10.example.test/a.png", false},
      {"", false},
      {nullptr, false},
  };
  const std::string bundle_id = SmallBundleId();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url.dump());
    json body = ValidOrder(bundle_id);
    body["personas"] = {PersonaWithPicture("Dana", c.url)};
    ASSERT_EQ(PostOrder(body).status, 200);
    EXPECT_EQ(order_events_.back().back().type,
              c.is_private ? "order.action_required" : "order.completed");
  }
}

TEST_F(PartnerEmulatorTest, MicrosoftOnlyOrderOpensNoAction) {
  json body = ValidOrder("");
  body.erase("bundle_id");
  body["microsoft_licenses"] = 2;
  body["personas"] = {PersonaWithPicture("Dana", "http://10.0.0.5/a.png")};
  PlaceOrder(body);
  EXPECT_EQ(order_events_.back().back().type, "order.completed");
  now_ += absl::Seconds(1);
  EXPECT_EQ(Data(Get("/partner/v1/orders/pending")), json::array());
}

TEST_F(PartnerEmulatorTest, PendingActionFilters) {
  json body = ValidOrder(SmallBundleId());
  body["personas"] = {PersonaWithPicture("Dana", "http://10.0.0.5/a.png")};
  const json first = PlaceOrder(body);
  body["user"] = "Other@Client.test";
  body["domains"] = {"avail-gamma.com", "avail-delta.com"};
  const json second = PlaceOrder(body);
  now_ += absl::Seconds(1);

  auto orders_of = [&](const Query& query) {
    std::vector<std::string> out;
    for (const json& row : Data(Get("/partner/v1/orders/pending", query))) {
      out.push_back(row["domain"]);
    }
    return out;
  };
  EXPECT_THAT(orders_of({}), ElementsAre("avail-beta.com", "avail-delta.com"));
  EXPECT_THAT(orders_of({{"order_id", second["id"]}}),
              ElementsAre("avail-delta.com"));
  EXPECT_THAT(orders_of({{"user", first["user_id"]}}),
              ElementsAre("avail-beta.com"));
  EXPECT_THAT(orders_of({{"user", "other@client.TEST"}}),
              ElementsAre("avail-delta.com"));
  const json delta = Data(Get("/partner/v1/domains",
                              {{"user_id", second["user_id"]},
                               {"usable_for", "google"}}))[1];
  EXPECT_THAT(orders_of({{"domain_id", delta["id"]}}),
              ElementsAre("avail-delta.com"));
  EXPECT_THAT(orders_of({{"status", "open"}}), ::testing::SizeIs(2));
  EXPECT_THAT(orders_of({{"status", "resolved"}}), IsEmpty());
  ExpectError(Get("/partner/v1/orders/pending", {{"status", "closed"}}), 400,
              "invalid_request", "status");
  // The default status is echoed into the links.
  EXPECT_EQ(Body(Get("/partner/v1/orders/pending"))["links"]["first"],
            "http://partner-sandbox/partner/v1/orders/pending?status=open&"
            "per_page=25");
}

// ------------------------------------------------------------------ cancel

json DomainsOf(const json& rows, const json& order) {
  json out = json::array();
  for (const json& row : rows) {
    if (row["order_id"] == order["id"]) {
      out.push_back({{"id", row["id"]}, {"domain", row["domain"]}});
    }
  }
  return out;
}

TEST_F(PartnerEmulatorTest, CancelWholeOrderAtRenewal) {
  const json order = PlaceOrder(ValidOrder(SmallBundleId()));
  const std::string path = absl::StrCat("/partner/v1/orders/",
                                        order["id"].get<std::string>(),
                                        "/cancel");
  now_ += absl::Hours(24);
  const json domains = DomainsOf(Data(Get("/partner/v1/domains")), order);
  ASSERT_EQ(domains.size(), 2u);
  EXPECT_EQ(Data(Call("POST", path, "")),
            json({{"id", order["id"]},
                  {"status", "cancel_scheduled"},
                  {"cancellation_scheduled_at", "2026-07-02T09:30:00Z"},
                  {"cancels_at", "2026-07-31T09:30:00Z"},
                  {"domains", domains}}));
  EXPECT_EQ(Data(Get("/partner/v1/orders"))[0]["status"], "cancel_scheduled");
  for (const json& domain : Data(Get("/partner/v1/domains"))) {
    EXPECT_EQ(domain["status"], "cancel_scheduled");
  }
  ExpectError(Call("POST", path, "{}"), 409, "order_not_cancellable");
  ExpectError(Post(path, {{"domains", {"avail-alpha.com"}}}), 409,
              "order_not_cancellable");

  now_ = absl::FromUnixSeconds(1782898200) + absl::Hours(24 * 30);
  EXPECT_EQ(Data(Get("/partner/v1/orders"))[0]["status"], "cancelled");
  EXPECT_EQ(Data(Get("/partner/v1/domains", {{"status", "cancelled"}})).size(),
            2u);
  ExpectError(Call("POST", path, ""), 409, "order_not_cancellable");
}

TEST_F(PartnerEmulatorTest, CancelWithEmptyObjectCancelsTheWholeOrder) {
  const json order = PlaceOrder(ValidOrder(SmallBundleId()));
  const json answer = Data(Call(
      "POST",
      absl::StrCat("/partner/v1/orders/", order["id"].get<std::string>(),
                   "/cancel"),
      "{}"));
  EXPECT_EQ(answer["domains"].size(), 2u);
  EXPECT_EQ(Data(Get("/partner/v1/orders"))[0]["status"], "cancel_scheduled");
}

TEST_F(PartnerEmulatorTest, CancelSomeDomainsByIdOrName) {
  const json order = PlaceOrder(ValidOrder(SmallBundleId()));
  const std::string path = absl::StrCat("/partner/v1/orders/",
                                        order["id"].get<std::string>(),
                                        "/cancel");
  now_ += absl::Seconds(1);
  const json domains = DomainsOf(Data(Get("/partner/v1/domains")), order);
  const json answer = Data(
      Post(path, {{"domains", {" AVAIL-BETA.com", domains[1]["id"]}}}));
  EXPECT_EQ(answer["status"], "cancel_scheduled");
  EXPECT_EQ(answer["cancels_at"], "2026-07-31T09:30:00Z");
  EXPECT_EQ(answer["domains"], json({domains[1]}));
  // The order itself carries on; only that domain is scheduled.
  EXPECT_EQ(Data(Get("/partner/v1/orders"))[0]["status"], "completed");
  EXPECT_EQ(Data(Get("/partner/v1/domains", {{"status", "cancel_scheduled"}}))
                [0]["domain"],
            "avail-beta.com");
  EXPECT_EQ(Data(Get("/partner/v1/domains", {{"status", "active"}}))
                [0]["domain"],
            "avail-alpha.com");
  // The whole order can still be cancelled afterwards.
  EXPECT_EQ(Data(Call("POST", path, ""))["domains"].size(), 2u);
}

TEST_F(PartnerEmulatorTest, CancelValidation) {
  const json order = PlaceOrder(ValidOrder(SmallBundleId()));
  json other_body = ValidOrder(SmallBundleId());
  other_body["user"] = "other@client.test";
  other_body["domains"] = {"avail-gamma.com", "avail-delta.com"};
  PlaceOrder(other_body);
  const std::string path = absl::StrCat("/partner/v1/orders/",
                                        order["id"].get<std::string>(),
                                        "/cancel");
  ExpectError(Post(path, {{"domains", {"avail-alpha.com", "avail-gamma.com"}}}),
              400, "invalid_request", "domains[1]");
  ExpectError(Post(path, {{"domains", {"dom_NOPE"}}}), 400, "invalid_request",
              "domains[0]");
  ExpectError(Post(path, {{"domains", {5}}}), 400, "invalid_request",
              "domains[0]");
  ExpectError(Post(path, {{"domains", json::array()}}), 400, "invalid_request",
              "domains");
  ExpectError(Post(path, {{"domains", "avail-alpha.com"}}), 400,
              "invalid_request", "domains");
  ExpectError(Call("POST", path, "[1]"), 400, "invalid_request");
  ExpectError(Call("POST", "/partner/v1/orders/ord_NOPE/cancel", ""), 404,
              "not_found");
  // Nothing was cancelled by the rejected requests.
  EXPECT_EQ(Data(Get("/partner/v1/domains", {{"status", "active"}})).size(),
            4u);
}

}  // namespace
}  // namespace gateway::sandbox
