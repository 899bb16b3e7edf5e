// The fixture the PartnerEmulator unit tests share: an emulator with an
// injected clock and sleeper (no sockets, no real sleeps), request helpers
// and builders for valid bundles, imports and orders.
#ifndef GATEWAY_TESTS_UNIT_SANDBOX_EMULATOR_TEST_FIXTURE_H_
#define GATEWAY_TESTS_UNIT_SANDBOX_EMULATOR_TEST_FIXTURE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "sandbox/partner_emulator.h"

namespace gateway::sandbox {

using json = nlohmann::json;
using Query = std::map<std::string, std::string>;

inline constexpr char kKey[] = "pk_test_abc123";
inline constexpr char kIdBody[] = "[0-9A-Z]{26}";

// Independent oracle for the hash rule (FNV-1a 32-bit).
inline uint32_t Fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

// Parses an event body and checks the envelope matches the event's fields.
inline json EventBody(const WebhookEvent& event) {
  json body = json::parse(event.body, nullptr, false);
  EXPECT_TRUE(body.is_object()) << event.body;
  if (!body.is_object()) return json::object();
  EXPECT_EQ(body.size(), 4u) << event.body;
  EXPECT_EQ(body.value("id", ""), event.id);
  EXPECT_EQ(body.value("type", ""), event.type);
  EXPECT_TRUE(body["data"].is_object()) << event.body;
  return body;
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
                   const std::string& key = kKey, const Query& query = {}) {
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.query = query;
    request.body = body;
    if (!key.empty()) request.headers["authorization"] = "Bearer " + key;
    return emulator_.Handle(request);
  }

  ApiResponse Post(const std::string& path, const json& body) {
    return Call("POST", path, body.dump());
  }

  ApiResponse Patch(const std::string& path, const json& body) {
    return Call("PATCH", path, body.dump());
  }

  ApiResponse Get(const std::string& path, const Query& query = {}) {
    return Call("GET", path, "", kKey, query);
  }

  ApiResponse Delete(const std::string& path) { return Call("DELETE", path); }

  static json Body(const ApiResponse& response) {
    json parsed = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << response.body;
    return parsed;
  }

  // `data` of a response that must have `status`.
  static json Data(const ApiResponse& response, int status = 200) {
    EXPECT_EQ(response.status, status) << response.body;
    return Body(response)["data"];
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

  // Every row of a list, following links.next; `pages` counts the requests.
  json AllPages(const std::string& path, Query query, int* pages = nullptr) {
    json rows = json::array();
    for (int page = 1;; ++page) {
      const json body = Body(Get(path, query));
      for (const json& row : body["data"]) rows.push_back(row);
      if (pages != nullptr) *pages = page;
      if (body["links"]["next"].is_null()) return rows;
      const std::string next = body["links"]["next"];
      query["page_token"] = next.substr(next.find("page_token=") + 11);
    }
  }

  json CreateBundle(const json& body) {
    return Data(Post("/partner/v1/bundles", body), 201);
  }

  // A bundle needing 1 Google + 1 Microsoft domain (1000/month, 50/50).
  std::string SmallBundleId() {
    return CreateBundle({{"name", "small"}, {"monthly_sending_volume", 1000}})
        ["id"];
  }

  json Availability(const std::vector<std::string>& names) {
    return Data(Post("/partner/v1/domains/availability", {{"domains", names}}))
        ["domains"];
  }

  json Import(const std::vector<std::string>& names) {
    return Data(Post("/partner/v1/domains/import", {{"domains", names}}));
  }

  // A valid order on `bundle_id` (1 Google + 1 Microsoft domain): the
  // Microsoft one is avail-alpha.com, the Google one avail-beta.com.
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

  // Places `body` and returns the receipt.
  json PlaceOrder(const json& body) { return Data(PostOrder(body)); }

  absl::Time now_ = absl::FromUnixSeconds(1782898200);  // 2026-07-01T09:30:00Z
  std::vector<absl::Duration> sleeps_;
  // One entry per on_order_events call.
  std::vector<std::vector<WebhookEvent>> order_events_;
  PartnerEmulator emulator_;
};

}  // namespace gateway::sandbox

#endif  // GATEWAY_TESTS_UNIT_SANDBOX_EMULATOR_TEST_FIXTURE_H_
