// Unit tests for PartnerEmulator: the deterministic Partner API rules the
// integration tests rely on, driven through Handle() with an injected clock
// and sleeper (no sockets, no real sleeps), including the webhook events a
// new order produces and the /_sandbox/webhooks log.
#include "sandbox/partner_emulator.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace gateway::sandbox {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kKey[] = "pk_test_abc123";
constexpr char kIdBody[] = "[0-9A-Z]{26}";

// Independent oracle for the hash rule (FNV-1a 32-bit).
uint32_t Fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

class PartnerEmulatorTest : public ::testing::Test {
 protected:
  PartnerEmulatorTest() : emulator_(MakeOptions(absl::ZeroDuration())) {}

  PartnerEmulator::Options MakeOptions(absl::Duration latency) {
    PartnerEmulator::Options options;
    options.clock = [this] { return now_; };
    options.sleep = [this](absl::Duration d) { sleeps_.push_back(d); };
    options.latency = latency;
    options.on_order_events = [this](std::vector<WebhookEvent> events) {
      order_events_.push_back(std::move(events));
    };
    return options;
  }

  ApiResponse Call(const std::string& method, const std::string& path,
                   const std::string& body = "",
                   const std::string& key = kKey) {
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    if (!key.empty()) request.headers["authorization"] = "Bearer " + key;
    return emulator_.Handle(request);
  }

  ApiResponse Post(const std::string& path, const json& body) {
    return Call("POST", path, body.dump());
  }

  static json Body(const ApiResponse& response) {
    json parsed = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << response.body;
    return parsed;
  }

  // Asserts an error envelope; an empty `field` means "no field key".
  static void ExpectError(const ApiResponse& response, int status,
                          const std::string& code,
                          const std::string& field = "") {
    EXPECT_EQ(response.status, status) << response.body;
    const json body = Body(response);
    ASSERT_TRUE(body.contains("error")) << response.body;
    EXPECT_EQ(body["error"]["code"], code) << response.body;
    EXPECT_TRUE(body["error"]["message"].is_string());
    if (field.empty()) {
      EXPECT_FALSE(body["error"].contains("field")) << response.body;
    } else {
      EXPECT_EQ(body["error"].value("field", ""), field) << response.body;
    }
  }

  json CreateBundle(const json& body) {
    const ApiResponse response = Post("/partner/v1/bundles", body);
    EXPECT_EQ(response.status, 201) << response.body;
    return Body(response)["data"];
  }

  // A bundle needing 1 Google + 1 Microsoft domain (1000/month, 50/50).
  std::string SmallBundleId() {
    return CreateBundle({{"name", "small"}, {"monthly_sending_volume", 1000}})
        ["id"];
  }

  json Availability(const std::vector<std::string>& names) {
    const ApiResponse response =
        Post("/partner/v1/domains/availability", {{"domains", names}});
    EXPECT_EQ(response.status, 200) << response.body;
    return Body(response)["data"]["domains"];
  }

  json Import(const std::vector<std::string>& names) {
    const ApiResponse response =
        Post("/partner/v1/domains/import", {{"domains", names}});
    EXPECT_EQ(response.status, 200) << response.body;
    return Body(response)["data"];
  }

  static json ValidOrder(const std::string& bundle_id) {
    return {
        {"user", "ops@client.test"},
        {"bundle_id", bundle_id},
        {"sequencer",
         {{"provider", "smartlead"},
          {"client_id", 42},
          {"login_email", "sl@client.test"},
          {"login_password", "hunter2-secret"}}},
        {"forwarding_url", "https://client.test"},
        {"domains",
         {"avail-alpha.com",
          {{"domain", "avail-beta.com"},
           {"forwarding_url", "https://shop.client.test"}}}},
        {"personas",
         {{{"first_name", "Dana"},
           {"last_name", "Okafor"},
           {"profile_picture_url", nullptr}}}},
    };
  }

  ApiResponse PostOrder(const json& body) {
    return Post("/partner/v1/orders", body);
  }

  absl::Time now_ = absl::FromUnixSeconds(1782898200);  // 2026-07-01T09:30:00Z
  std::vector<absl::Duration> sleeps_;
  // One entry per on_order_events call.
  std::vector<std::vector<WebhookEvent>> order_events_;
  PartnerEmulator emulator_;
};

// ----------------------------------------------------------------- general

TEST_F(PartnerEmulatorTest, MeReturnsSandboxPartner) {
  const ApiResponse response = Call("GET", "/partner/v1/me");
  ASSERT_EQ(response.status, 200);
  const json data = Body(response)["data"];
  EXPECT_EQ(data["api_key"]["environment"], "test");
  EXPECT_EQ(data["api_key"]["permission_preset"], "full");
  EXPECT_EQ(data["partner"]["id"], PartnerEmulator::kPartnerId);
  EXPECT_EQ(data["partner"]["name"], "Sandbox Partner");
}

TEST_F(PartnerEmulatorTest, EveryResponseHasRequestIdAndJsonContentType) {
  const std::vector<ApiResponse> responses = {
      Call("GET", "/partner/v1/me"),
      Call("GET", "/partner/v1/me", "", ""),
      Call("GET", "/partner/v1/nope"),
      Call("DELETE", "/partner/v1/orders"),
      Call("GET", "/_sandbox/requests", "", ""),
      Call("DELETE", "/_sandbox/faults", "", ""),
      Call("POST", "/_sandbox/faults", "{}", ""),
  };
  std::vector<std::string> ids;
  for (const ApiResponse& response : responses) {
    ASSERT_TRUE(response.headers.contains("Peeker-Request-Id"));
    const std::string id = response.headers.at("Peeker-Request-Id");
    EXPECT_THAT(id, MatchesRegex(absl::StrCat("req_", kIdBody)));
    EXPECT_EQ(response.headers.at("Content-Type"), "application/json");
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "ids repeat";
}

TEST_F(PartnerEmulatorTest, MissingAuthorizationIs401) {
  ExpectError(Call("GET", "/partner/v1/me", "", ""), 401, "unauthorized");
}

TEST_F(PartnerEmulatorTest, LiveKeyIs401MentioningTestKeys) {
  const ApiResponse response = Call("GET", "/partner/v1/me", "", "pk_live_abc");
  ExpectError(response, 401, "unauthorized");
  EXPECT_THAT(Body(response)["error"]["message"].get<std::string>(),
              ::testing::HasSubstr("test keys"));
  EXPECT_THAT(response.body, Not(::testing::HasSubstr("pk_live_abc")));
}

TEST_F(PartnerEmulatorTest, MalformedAuthorizationIs401) {
  for (const std::string header :
       {"pk_test_abc", "Basic pk_test_abc", "Bearer pk_test_", "Bearer sk_1",
        "bearer pk_test_abc"}) {
    ApiRequest request{"GET", "/partner/v1/me", {}, {}, ""};
    request.headers["authorization"] = header;
    ExpectError(emulator_.Handle(request), 401, "unauthorized");
  }
}

TEST_F(PartnerEmulatorTest, UnknownPathIs404) {
  ExpectError(Call("GET", "/partner/v1/widgets"), 404, "not_found");
}

TEST_F(PartnerEmulatorTest, WrongMethodIs405) {
  ExpectError(Call("GET", "/partner/v1/bundles"), 405, "method_not_allowed");
  ExpectError(Call("POST", "/partner/v1/me", "{}"), 405, "method_not_allowed");
}

TEST_F(PartnerEmulatorTest, NonObjectBodyIsInvalidRequestWithoutField) {
  ExpectError(Call("POST", "/partner/v1/bundles", "not json"), 400,
              "invalid_request");
  ExpectError(Call("POST", "/partner/v1/orders", "[1,2]"), 400,
              "invalid_request");
}

// ----------------------------------------------------------------- bundles

TEST_F(PartnerEmulatorTest, BundleDocumentedExample) {
  const json bundle = CreateBundle({{"name", "Growth 25k"},
                                    {"monthly_sending_volume", 25000},
                                    {"google_percent", 50},
                                    {"microsoft_percent", 50}});
  EXPECT_THAT(bundle["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("bun_", kIdBody)));
  EXPECT_EQ(bundle["name"], "Growth 25k");
  EXPECT_EQ(bundle["monthly_sending_volume"], 25000);
  EXPECT_EQ(bundle["send_on_weekends"], false);
  EXPECT_EQ(bundle["google_inboxes_per_domain"], 2);
  EXPECT_EQ(bundle["status"], "active");
  EXPECT_EQ(bundle["required_domains"],
            json({{"google", 15}, {"microsoft", 4}, {"total", 19}}));
  EXPECT_EQ(bundle["created_at"], "2026-07-01T09:30:00Z");
}

TEST_F(PartnerEmulatorTest, BundleWeekendsThreeInboxes) {
  // google = ceil(60000*70 / (30*100*20*3)) = ceil(23.3) = 24
  // microsoft = ceil(60000*30 / (30*100*150)) = 4
  const json bundle = CreateBundle({{"name", "Growth 60k"},
                                    {"monthly_sending_volume", 60000},
                                    {"google_percent", 70},
                                    {"microsoft_percent", 30},
                                    {"send_on_weekends", true},
                                    {"google_inboxes_per_domain", 3}});
  EXPECT_EQ(bundle["required_domains"],
            json({{"google", 24}, {"microsoft", 4}, {"total", 28}}));
  EXPECT_EQ(bundle["effective"],
            json({{"google_percent", 70}, {"microsoft_percent", 30}}));
}

TEST_F(PartnerEmulatorTest, BundleAllMicrosoftNeedsNoGoogleDomains) {
  const json bundle = CreateBundle({{"name", "MS"},
                                    {"monthly_sending_volume", 33000},
                                    {"google_percent", 0},
                                    {"microsoft_percent", 100}});
  EXPECT_EQ(bundle["required_domains"],
            json({{"google", 0}, {"microsoft", 10}, {"total", 10}}));
}

TEST_F(PartnerEmulatorTest, BundleWithoutSplitUsesRecommendedAndEchoesNull) {
  const json bundle =
      CreateBundle({{"name", "Default"}, {"monthly_sending_volume", 25000}});
  EXPECT_TRUE(bundle["google_percent"].is_null());
  EXPECT_TRUE(bundle["microsoft_percent"].is_null());
  EXPECT_EQ(bundle["effective"],
            json({{"google_percent", 50}, {"microsoft_percent", 50}}));
  EXPECT_EQ(bundle["required_domains"]["total"], 19);
}

TEST_F(PartnerEmulatorTest, BundleValidationNamesTheField) {
  const json base = {{"name", "x"}, {"monthly_sending_volume", 1000}};
  struct Case {
    json patch;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"name", ""}}, "name"},
      {{{"name", 5}}, "name"},
      {{{"monthly_sending_volume", 0}}, "monthly_sending_volume"},
      {{{"monthly_sending_volume", 10.5}}, "monthly_sending_volume"},
      {{{"monthly_sending_volume", "1000"}}, "monthly_sending_volume"},
      {{{"google_percent", 60}}, "google_percent"},
      {{{"google_percent", 60}, {"microsoft_percent", 30}}, "google_percent"},
      {{{"google_percent", 120}, {"microsoft_percent", -20}}, "google_percent"},
      {{{"google_percent", "50"}, {"microsoft_percent", 50}}, "google_percent"},
      {{{"google_percent", 50}, {"microsoft_percent", 50.5}},
       "microsoft_percent"},
      {{{"send_on_weekends", "yes"}}, "send_on_weekends"},
      {{{"google_inboxes_per_domain", 4}}, "google_inboxes_per_domain"},
  };
  for (const Case& c : cases) {
    json body = base;
    body.merge_patch(c.patch);
    SCOPED_TRACE(body.dump());
    ExpectError(Post("/partner/v1/bundles", body), 400, "invalid_request",
                c.field);
  }
  json missing_name = base;
  missing_name.erase("name");
  ExpectError(Post("/partner/v1/bundles", missing_name), 400,
              "invalid_request", "name");
}

// ------------------------------------------------------------ availability

TEST_F(PartnerEmulatorTest, AvailabilityNamedRulesInRequestOrder) {
  const json rows =
      Availability({"bad_name.com", "taken-brand.com", "abc.com",
                    "googleonly-brand.com", "Avail-Brand.COM", "nodot"});
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0], json({{"domain", "bad_name.com"},
                           {"available", false},
                           {"premium", false},
                           {"reason", "invalid"}}));
  EXPECT_EQ(rows[1], json({{"domain", "taken-brand.com"},
                           {"available", false},
                           {"premium", false},
                           {"reason", "taken"}}));
  EXPECT_EQ(rows[2], json({{"domain", "abc.com"},
                           {"available", false},
                           {"premium", true},
                           {"reason", "premium"}}));
  EXPECT_EQ(rows[3]["available"], true);
  EXPECT_EQ(rows[3]["usable_for"], json({"google"}));
  EXPECT_EQ(rows[4]["domain"], "Avail-Brand.COM");
  EXPECT_EQ(rows[4]["available"], true);
  EXPECT_EQ(rows[4]["usable_for"], json({"google", "microsoft"}));
  EXPECT_EQ(rows[5]["reason"], "invalid");
}

TEST_F(PartnerEmulatorTest, AvailableRowShape) {
  const json row = Availability({"avail-brand.com"})[0];
  const int64_t price = 1100 + (Fnv1a("avail-brand.com") % 5) * 100;
  EXPECT_EQ(row, json({{"domain", "avail-brand.com"},
                       {"available", true},
                       {"premium", false},
                       {"price_cents", price},
                       {"renewal_price_cents", price + 200},
                       {"currency", "usd"},
                       {"usable_for", {"google", "microsoft"}}}));
}

TEST_F(PartnerEmulatorTest, AvailabilityInvalidSyntaxRules) {
  const std::string long_label(64, 'a');
  const json rows = Availability(
      {"-lead.com", "trail-.com", "a..com", "brand.c", "brand.c0m",
       long_label + ".com", "brand.com.", "good-brand.co.uk"});
  for (size_t i = 0; i + 1 < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["reason"], "invalid") << rows[i].dump();
  }
  EXPECT_NE(rows.back().value("reason", ""), "invalid");
}

TEST_F(PartnerEmulatorTest, AvailabilityHashRule) {
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back(absl::StrCat("brand", i, ".io"));
  const json rows = Availability(names);
  ASSERT_EQ(rows.size(), names.size());
  bool saw_taken = false;
  bool saw_google_only = false;
  for (size_t i = 0; i < names.size(); ++i) {
    const uint32_t h = Fnv1a(names[i]);
    SCOPED_TRACE(names[i]);
    if (h % 10 == 0) {
      saw_taken = true;
      EXPECT_EQ(rows[i]["reason"], "taken");
      EXPECT_FALSE(rows[i].contains("usable_for"));
      continue;
    }
    EXPECT_EQ(rows[i]["available"], true);
    EXPECT_EQ(rows[i]["price_cents"], 1100 + (h % 5) * 100);
    if (h % 3 == 0) {
      saw_google_only = true;
      EXPECT_EQ(rows[i]["usable_for"], json({"google"}));
    } else {
      EXPECT_EQ(rows[i]["usable_for"], json({"google", "microsoft"}));
    }
  }
  EXPECT_TRUE(saw_taken);
  EXPECT_TRUE(saw_google_only);
}

TEST_F(PartnerEmulatorTest, AvailabilityBatchLimits) {
  std::vector<std::string> fifty(50, "avail-x.com");
  EXPECT_EQ(Availability(fifty).size(), 50u);
  std::vector<std::string> fifty_one(51, "avail-x.com");
  ExpectError(Post("/partner/v1/domains/availability",
                   {{"domains", fifty_one}}),
              400, "invalid_request", "domains");
  ExpectError(Post("/partner/v1/domains/availability",
                   {{"domains", json::array()}}),
              400, "invalid_request", "domains");
  ExpectError(Post("/partner/v1/domains/availability", {{"names", {"a.com"}}}),
              400, "invalid_request", "domains");
}

// ------------------------------------------------------------------ import

TEST_F(PartnerEmulatorTest, ImportRootSubdomainAndInvalid) {
  const json data = Import({"acme-owned.com", "mail.acme-owned.com",
                            "not a domain", "acme-owned.co.uk"});
  EXPECT_THAT(data["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("imp_", kIdBody)));
  EXPECT_EQ(data["status"], "completed");
  EXPECT_EQ(data["created_at"], "2026-07-01T09:30:00Z");
  EXPECT_EQ(data["completed_at"], "2026-07-01T09:30:00Z");
  EXPECT_EQ(data["domains"],
            json::parse(R"([
      {"domain":"acme-owned.com","status":"completed","failure_reason":null},
      {"domain":"mail.acme-owned.com","status":"failed",
       "failure_reason":"not_root_domain"},
      {"domain":"not a domain","status":"failed",
       "failure_reason":"invalid_domain"},
      {"domain":"acme-owned.co.uk","status":"completed","failure_reason":null}
    ])"));
  EXPECT_EQ(data["nameserver_groups"],
            json::parse(R"([{
              "nameservers":["ana.ns.sandbox.peeker.test",
                             "bob.ns.sandbox.peeker.test"],
              "domains":["acme-owned.com","acme-owned.co.uk"]}])"));
}

TEST_F(PartnerEmulatorTest, ImportWithNoSuccessIsFailed) {
  const json data = Import({"a.b.example.com"});
  EXPECT_EQ(data["status"], "failed");
  EXPECT_EQ(data["nameserver_groups"], json::array());
}

TEST_F(PartnerEmulatorTest, ImportBatchLimit) {
  ExpectError(Post("/partner/v1/domains/import",
                   {{"domains", std::vector<std::string>(26, "x-y.com")}}),
              400, "invalid_request", "domains");
}

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
  EXPECT_THAT(response.body, Not(::testing::HasSubstr("hunter2")));
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
    EXPECT_THAT(response.body, Not(::testing::HasSubstr("hunter2")));
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

// Parses an event body and checks the envelope matches the event's fields.
json EventBody(const WebhookEvent& event) {
  json body = json::parse(event.body, nullptr, false);
  EXPECT_TRUE(body.is_object()) << event.body;
  if (!body.is_object()) return json::object();
  EXPECT_EQ(body.size(), 4u) << event.body;
  EXPECT_EQ(body.value("id", ""), event.id);
  EXPECT_EQ(body.value("type", ""), event.type);
  EXPECT_TRUE(body["data"].is_object()) << event.body;
  return body;
}

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
    ApiRequest request{"POST", path, {}, {}, body.dump()};
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
    ApiRequest request{"POST", path, {}, {}, body.dump()};
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
  const json domain = EventBody(events[1])["data"];
  EXPECT_EQ(domain["name"], "avail-alpha.com");
  EXPECT_EQ(domain["order_id"], order["id"]);
  EXPECT_EQ(EventBody(events[3])["data"]["status"], "completed");
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

TEST_F(PartnerEmulatorTest, WebhookLogServesRecordedAttempts) {
  WebhookAttempt ok;
  ok.event_id = "evt_1";
  ok.type = "order.in_progress";
  ok.order_id = "ord_1";
  ok.attempt = 1;
  ok.status = 200;
  ok.outcome = WebhookOutcome::kDelivered;
  ok.at = now_ + absl::Milliseconds(5);
  WebhookAttempt failed = ok;
  failed.attempt = 2;
  failed.duplicate = true;
  failed.status = 0;
  failed.error = "connection failed";
  failed.outcome = WebhookOutcome::kWillRetry;
  emulator_.RecordWebhookAttempt(ok);
  emulator_.RecordWebhookAttempt(failed);

  const ApiResponse log = Call("GET", "/_sandbox/webhooks", "", "");
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(Body(log), json::parse(R"({"data":[
    {"event_id":"evt_1","type":"order.in_progress","order_id":"ord_1",
     "attempt":1,"duplicate":false,"status":200,"error":null,
     "outcome":"delivered","at":"2026-07-01T09:30:00.005Z"},
    {"event_id":"evt_1","type":"order.in_progress","order_id":"ord_1",
     "attempt":2,"duplicate":true,"status":null,"error":"connection failed",
     "outcome":"will_retry","at":"2026-07-01T09:30:00.005Z"}]})"));
  // Not a Partner API request: not in the request log.
  EXPECT_THAT(emulator_.RecordedRequests(), IsEmpty());

  EXPECT_EQ(Call("DELETE", "/_sandbox/webhooks", "", "").status, 204);
  EXPECT_THAT(emulator_.WebhookAttempts(), IsEmpty());
  ExpectError(Call("POST", "/_sandbox/webhooks", "", ""), 405,
              "method_not_allowed");
}

TEST_F(PartnerEmulatorTest, WebhookLogDropsOldestBeyondCap) {
  const size_t total = PartnerEmulator::kMaxRecordedWebhookAttempts + 3;
  for (size_t i = 0; i < total; ++i) {
    WebhookAttempt attempt;
    attempt.event_id = absl::StrCat("evt_", i);
    emulator_.RecordWebhookAttempt(attempt);
  }
  const std::vector<WebhookAttempt> log = emulator_.WebhookAttempts();
  ASSERT_EQ(log.size(), PartnerEmulator::kMaxRecordedWebhookAttempts);
  EXPECT_EQ(log.front().event_id, "evt_3");
}

// ------------------------------------------------------------------ faults

TEST_F(PartnerEmulatorTest, FaultStatusCountsDownTimes) {
  const ApiResponse created = Call(
      "POST", "/_sandbox/faults",
      R"({"method":"POST","path":"/partner/v1/bundles",)"
      R"("status":503,"times":2})",
      "");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_THAT(Body(created)["data"]["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("flt_", kIdBody)));

  const json bundle = {{"name", "x"}, {"monthly_sending_volume", 10}};
  // Faults apply before auth.
  ExpectError(Call("POST", "/partner/v1/bundles", bundle.dump(), ""), 503,
              "internal_error");
  ExpectError(Post("/partner/v1/bundles", bundle), 503, "internal_error");
  EXPECT_EQ(Post("/partner/v1/bundles", bundle).status, 201);
  // Other methods/paths never matched.
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
}

TEST_F(PartnerEmulatorTest, RateLimitCountsEachKeyOverAnySixtySeconds) {
  PartnerEmulator::Options options = MakeOptions(absl::ZeroDuration());
  options.rate_limit_per_minute = 3;
  PartnerEmulator limited(options);
  auto me = [&limited](const std::string& key) {
    ApiRequest request;
    request.method = "GET";
    request.path = "/partner/v1/me";
    request.headers["authorization"] = "Bearer " + key;
    return limited.Handle(request);
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(me(kKey).status, 200);
  ApiResponse refused = me(kKey);
  ExpectError(refused, 429, "rate_limited");
  EXPECT_EQ(Body(refused)["error"]["details"]["retry_after_seconds"], 60);
  EXPECT_EQ(me("pk_test_anotherKey").status, 200);  // Per key.
  now_ += absl::Seconds(30);
  refused = me(kKey);
  EXPECT_EQ(Body(refused)["error"]["details"]["retry_after_seconds"], 30);
  now_ += absl::Seconds(30);
  EXPECT_EQ(me(kKey).status, 200);  // The first three left the window.
}

TEST_F(PartnerEmulatorTest, RateLimitCanBeSetAtRuntime) {
  EXPECT_EQ(Body(Call("GET", "/_sandbox/rate-limit", "", ""))["data"]["per_minute"], 0);
  ASSERT_EQ(Call("PUT", "/_sandbox/rate-limit", R"({"per_minute":1})", "").status, 200);
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  ExpectError(Call("GET", "/partner/v1/me"), 429, "rate_limited");
  ASSERT_EQ(Call("PUT", "/_sandbox/rate-limit", R"({"per_minute":0})", "").status, 200);
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  ExpectError(Call("PUT", "/_sandbox/rate-limit", R"({"per_minute":-1})", ""), 400, "invalid_request", "per_minute");
}

TEST_F(PartnerEmulatorTest, FaultCutsAResponseThatStillTookEffect) {
  ASSERT_EQ(Post("/_sandbox/faults", json{{"method", "POST"}, {"path", "/partner/v1/bundles"},
                                           {"cut", "reset"}, {"times", 1}})
                .status,
            201);
  const ApiResponse cut = Post("/partner/v1/bundles", json{{"name", "A"}, {"monthly_sending_volume", 1000}});
  EXPECT_EQ(cut.cut, ResponseCut::kReset);
  EXPECT_EQ(cut.status, 201);  // Created: the transport loses the answer.
  const ApiResponse next = Post("/partner/v1/bundles", json{{"name", "B"}, {"monthly_sending_volume", 1000}});
  EXPECT_EQ(next.cut, ResponseCut::kNone);
  ExpectError(Post("/_sandbox/faults", json{{"method", "GET"}, {"path", "/x"}, {"cut", "sometimes"}}), 400,
              "invalid_request", "cut");
}

TEST_F(PartnerEmulatorTest, FaultRateLimitedTakesItsRetryAfter) {
  ASSERT_EQ(Post("/_sandbox/faults", json{{"method", "GET"}, {"path", "/partner/v1/me"}, {"status", 429},
                                           {"retry_after_seconds", 5}})
                .status,
            201);
  EXPECT_EQ(Body(Call("GET", "/partner/v1/me"))["error"]["details"]["retry_after_seconds"], 5);
  ExpectError(Post("/_sandbox/faults", json{{"method", "GET"}, {"path", "/x"}, {"retry_after_seconds", -1}}), 400,
              "invalid_request", "retry_after_seconds");
}

TEST_F(PartnerEmulatorTest, FaultRateLimitedHasRetryAfter) {
  Call("POST", "/_sandbox/faults",
       R"({"method":"get","path":"/partner/v1/me","status":429})", "");
  const ApiResponse response = Call("GET", "/partner/v1/me");
  ExpectError(response, 429, "rate_limited");
  EXPECT_EQ(Body(response)["error"]["details"]["retry_after_seconds"], 1);
  // No times = forever.
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 429);
  EXPECT_EQ(Call("DELETE", "/_sandbox/faults", "", "").status, 204);
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
}

TEST_F(PartnerEmulatorTest, FaultRawBody) {
  Call("POST", "/_sandbox/faults",
       R"({"method":"GET","path":"/partner/v1/me","status":502,)"
       R"("body":"<html>bad gateway</html>","times":1})",
       "");
  Call("POST", "/_sandbox/faults",
       R"({"method":"GET","path":"/partner/v1/me",)"
       R"("body":"{not json","times":1})",
       "");
  const ApiResponse first = Call("GET", "/partner/v1/me");
  EXPECT_EQ(first.status, 502);
  EXPECT_EQ(first.body, "<html>bad gateway</html>");
  EXPECT_TRUE(first.headers.contains("Peeker-Request-Id"));
  const ApiResponse second = Call("GET", "/partner/v1/me");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "{not json");
  EXPECT_EQ(Body(Call("GET", "/partner/v1/me"))["data"]["partner"]["name"],
            "Sandbox Partner");
}

TEST_F(PartnerEmulatorTest, FaultDelayOnlyDelaysThenAnswersNormally) {
  Call("POST", "/_sandbox/faults",
       R"({"method":"GET","path":"/partner/v1/me","delay_ms":250,"times":1})",
       "");
  EXPECT_THAT(sleeps_, IsEmpty());  // control endpoints are never delayed
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(250)));
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(250)));
}

TEST_F(PartnerEmulatorTest, LatencyAppliesToApiNotControl) {
  PartnerEmulator slow(MakeOptions(absl::Milliseconds(40)));
  ApiRequest request{"GET", "/partner/v1/me", {}, {}, ""};
  request.headers["authorization"] = std::string("Bearer ") + kKey;
  EXPECT_EQ(slow.Handle(request).status, 200);
  EXPECT_EQ(slow.Handle({"GET", "/_sandbox/requests", {}, {}, ""}).status,
            200);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(40)));
}

TEST_F(PartnerEmulatorTest, FaultValidationNamesTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"path":"/partner/v1/me"})", "method"},
      {R"({"method":"GET"})", "path"},
      {R"({"method":"GET","path":"partner"})", "path"},
      {R"({"method":"GET","path":"/x","status":99})", "status"},
      {R"({"method":"GET","path":"/x","status":"503"})", "status"},
      {R"({"method":"GET","path":"/x","body":5})", "body"},
      {R"({"method":"GET","path":"/x","delay_ms":-1})", "delay_ms"},
      {R"({"method":"GET","path":"/x","times":0})", "times"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    ExpectError(Call("POST", "/_sandbox/faults", body, ""), 400,
                "invalid_request", field);
  }
  ExpectError(Call("POST", "/_sandbox/faults", "nope", ""), 400,
              "invalid_request");
}

// ------------------------------------------------------------- request log

TEST_F(PartnerEmulatorTest, RequestLogRecordsApiRequestsOnly) {
  const ApiResponse me = Call("GET", "/partner/v1/me");
  const ApiResponse unauthorized = Call("GET", "/partner/v1/me", "", "");
  Call("POST", "/_sandbox/faults", "{}", "");
  const ApiResponse missing = Call("GET", "/partner/v1/nothing");

  const ApiResponse log = Call("GET", "/_sandbox/requests", "", "");
  ASSERT_EQ(log.status, 200);
  const json rows = Body(log)["data"];
  ASSERT_EQ(rows.size(), 3u) << rows.dump();
  const std::string me_id = me.headers.at("Peeker-Request-Id");
  EXPECT_EQ(rows[0], json({{"method", "GET"},
                           {"path", "/partner/v1/me"},
                           {"status", 200},
                           {"request_id", me_id}}));
  EXPECT_EQ(rows[1]["status"], 401);
  EXPECT_EQ(rows[1]["request_id"],
            unauthorized.headers.at("Peeker-Request-Id"));
  EXPECT_EQ(rows[2]["status"], 404);
  EXPECT_EQ(rows[2]["request_id"], missing.headers.at("Peeker-Request-Id"));

  EXPECT_EQ(Call("DELETE", "/_sandbox/requests", "", "").status, 204);
  EXPECT_THAT(emulator_.RecordedRequests(), IsEmpty());
}

TEST_F(PartnerEmulatorTest, RequestLogDropsOldestBeyondCap) {
  const size_t total = PartnerEmulator::kMaxRecordedRequests + 5;
  std::string fifth_id;
  for (size_t i = 0; i < total; ++i) {
    const ApiResponse response = Call("GET", "/partner/v1/me");
    if (i == 5) fifth_id = response.headers.at("Peeker-Request-Id");
  }
  const std::vector<RecordedRequest> log = emulator_.RecordedRequests();
  ASSERT_EQ(log.size(), PartnerEmulator::kMaxRecordedRequests);
  EXPECT_EQ(log.front().request_id, fifth_id);
}

TEST_F(PartnerEmulatorTest, UnknownControlEndpoint) {
  ExpectError(Call("GET", "/_sandbox/nope", "", ""), 404, "not_found");
  ExpectError(Call("PUT", "/_sandbox/requests", "", ""), 405,
              "method_not_allowed");
}

}  // namespace
}  // namespace gateway::sandbox
