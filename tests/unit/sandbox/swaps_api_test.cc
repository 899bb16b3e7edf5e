// Unit tests for the swap endpoints of PartnerEmulator: POST/GET /swaps,
// GET /swaps/{id} and POST /swaps/user_names, with the injected clock
// driving their status.
#include <string>
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
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

class SwapsTest : public PartnerEmulatorTest {
 protected:
  // An order of one Microsoft (avail-alpha.com) and one Google
  // (avail-beta.com, 3 inboxes) domain.
  void SetUp() override {
    const json bundle = CreateBundle({{"name", "small"},
                                      {"monthly_sending_volume", 1000},
                                      {"google_inboxes_per_domain", 3}});
    order_ = PlaceOrder(ValidOrder(bundle["id"]));
    for (const json& domain : Data(Get("/partner/v1/domains"))) {
      (domain["provider"] == "microsoft" ? microsoft_ : google_) =
          domain["id"];
    }
  }

  ApiResponse PostSwap(const std::string& type, const std::string& domain_id,
                   const std::string& replacement = "avail-new.com") {
    return Post("/partner/v1/swaps", {{"type", type},
                                      {"domain_id", domain_id},
                                      {"replacement_domain", replacement}});
  }

  json order_;
  std::string microsoft_;
  std::string google_;
};

TEST_F(SwapsTest, StandardSwapShapeAndCompletion) {
  const json swap = Data(PostSwap("standard", google_), 201);
  EXPECT_THAT(swap["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("swp_", kIdBody)));
  EXPECT_EQ(swap, json({{"id", swap["id"]},
                        {"type", "standard"},
                        {"domain_id", google_},
                        {"replacement_domain", "avail-new.com"},
                        {"status", "created"},
                        {"created_at", "2026-07-01T09:30:00Z"}}));
  const std::string path =
      absl::StrCat("/partner/v1/swaps/", swap["id"].get<std::string>());
  now_ += absl::Milliseconds(999);
  EXPECT_EQ(Data(Get(path)), swap);
  now_ += absl::Milliseconds(1);
  EXPECT_EQ(Data(Get(path))["status"], "completed");
  ExpectError(Get("/partner/v1/swaps/swp_NOPE"), 404, "not_found");
}

TEST_F(SwapsTest, PremiumSwapsAreMicrosoftOnlyWithCooldown) {
  ExpectError(PostSwap("premium", google_), 400, "premium_swap_not_allowed",
              "type");
  EXPECT_EQ(PostSwap("premium", microsoft_).status, 201);
  now_ += absl::Hours(24 * 30) - absl::Seconds(1);
  const ApiResponse refused = PostSwap("premium", microsoft_, "avail-newer.com");
  ExpectError(refused, 409, "swap_cooldown", "domain_id");
  EXPECT_EQ(Body(refused)["error"]["details"]["available_at"],
            "2026-07-31T09:30:00Z");
  EXPECT_EQ(PostSwap("standard", microsoft_).status, 201);  // not limited
  now_ += absl::Seconds(1);
  EXPECT_EQ(PostSwap("premium", microsoft_).status, 201);
}

TEST_F(SwapsTest, ReplacementMustBeAvailableOrImported) {
  ExpectError(PostSwap("standard", google_, "taken-brand.com"), 400,
              "invalid_request", "replacement_domain");
  ExpectError(PostSwap("standard", google_, "abc.com"), 400, "invalid_request",
              "replacement_domain");
  ExpectError(PostSwap("standard", google_, "not a domain"), 400,
              "invalid_request", "replacement_domain");
  Import({"taken-mine.com"});
  EXPECT_EQ(PostSwap("standard", google_, "Taken-Mine.com").status, 201);
}

TEST_F(SwapsTest, CreateSwapValidation) {
  const json valid = {{"type", "standard"},
                      {"domain_id", google_},
                      {"replacement_domain", "avail-new.com"}};
  struct Case {
    json patch;
    int status;
    std::string code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"type", nullptr}}, 400, "invalid_request", "type"},
      {{{"type", "deluxe"}}, 400, "invalid_request", "type"},
      {{{"type", "user_names"}}, 400, "invalid_request", "type"},
      {{{"domain_id", nullptr}}, 400, "invalid_request", "domain_id"},
      {{{"domain_id", 5}}, 400, "invalid_request", "domain_id"},
      {{{"replacement_domain", nullptr}}, 400, "invalid_request",
       "replacement_domain"},
      {{{"replacement_domain", ""}}, 400, "invalid_request",
       "replacement_domain"},
      {{{"domain_id", "dom_NOPE"}}, 404, "not_found", "domain_id"},
  };
  for (const Case& c : cases) {
    json body = valid;
    body.merge_patch(c.patch);
    SCOPED_TRACE(body.dump());
    ExpectError(Post("/partner/v1/swaps", body), c.status, c.code, c.field);
  }
  // An inventory domain is not on an order: not swappable.
  Import({"acme-inv.com"});
  const std::string inventory =
      Data(Get("/partner/v1/domains", {{"category", "inventory"}}))[0]["id"];
  ExpectError(PostSwap("standard", inventory), 404, "not_found", "domain_id");
  ExpectError(Call("POST", "/partner/v1/swaps", "1"), 400, "invalid_request");
}

TEST_F(SwapsTest, ListSwapsFilters) {
  const json first = Data(PostSwap("standard", google_), 201);
  const json second = Data(PostSwap("premium", microsoft_), 201);
  json body = ValidOrder(SmallBundleId());
  body["user"] = "other@client.test";
  body["domains"] = {"avail-gamma.com", "avail-delta.com"};
  const json other_order = PlaceOrder(body);
  const std::string other_domain =
      Data(Get("/partner/v1/domains", {{"user_id", other_order["user_id"]}}))
          [0]["id"];
  now_ += absl::Seconds(1);
  const json third = Data(PostSwap("standard", other_domain), 201);

  auto ids = [&](const Query& query) {
    std::vector<std::string> out;
    for (const json& row : Data(Get("/partner/v1/swaps", query))) {
      out.push_back(row["id"]);
    }
    return out;
  };
  EXPECT_THAT(ids({}), ElementsAre(first["id"], second["id"], third["id"]));
  EXPECT_THAT(ids({{"user_id", order_["user_id"]}}),
              ElementsAre(first["id"], second["id"]));
  EXPECT_THAT(ids({{"order_id", other_order["id"]}}), ElementsAre(third["id"]));
  EXPECT_THAT(ids({{"domain_id", microsoft_}}), ElementsAre(second["id"]));
  EXPECT_THAT(ids({{"status", "completed"}}),
              ElementsAre(first["id"], second["id"]));
  EXPECT_THAT(ids({{"status", "created"}}), ElementsAre(third["id"]));
  EXPECT_THAT(ids({{"status", "failed"}}), IsEmpty());
  ExpectError(Get("/partner/v1/swaps", {{"status", "done"}}), 400,
              "invalid_request", "status");
}

json NewPersona(const std::string& first, const json& url) {
  return {{"first_name", first},
          {"last_name", "Lee"},
          {"profile_picture_url", url}};
}

TEST_F(SwapsTest, UserNamesOneRowPerInboxRoundRobin) {
  const ApiResponse response = Post(
      "/partner/v1/swaps/user_names",
      {{"domain_id", google_},
       {"personas",
        {NewPersona("Ann", "https://cdn.example.test/ann.png"),
         NewPersona("Bo", "http://192.168.0.7/bo.png")}}});
  const json swaps = Data(response, 201)["swaps"];
  // A Google domain of a 3-inbox bundle: Ann, Bo, Ann.
  ASSERT_EQ(swaps.size(), 3u) << swaps.dump();
  std::vector<std::string> statuses;
  for (const json& swap : swaps) {
    EXPECT_EQ(swap["type"], "user_names");
    EXPECT_EQ(swap["domain_id"], google_);
    EXPECT_TRUE(swap["replacement_domain"].is_null());
    statuses.push_back(swap["status"]);
  }
  EXPECT_THAT(statuses, ElementsAre("created", "action_required", "created"));

  const json pending = Data(Get("/partner/v1/orders/pending",
                                {{"domain_id", google_}}));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["type"], "google_profile_picture");
  EXPECT_EQ(pending[0]["user"], NewPersona("Bo", "http://192.168.0.7/bo.png"));
  EXPECT_EQ(Data(Get("/partner/v1/orders/pending",
                     {{"order_id", order_["id"]}}))
                .size(),
            1u);

  now_ += absl::Seconds(1);
  std::vector<std::string> later;
  for (const json& swap : Data(Get("/partner/v1/swaps"))) {
    later.push_back(swap["status"]);
  }
  EXPECT_THAT(later, ElementsAre("completed", "action_required", "completed"));
}

TEST_F(SwapsTest, UserNamesOnMicrosoftDomainIsOneRow) {
  const json swaps =
      Data(Post("/partner/v1/swaps/user_names",
                {{"domain_id", microsoft_},
                 {"personas",
                  {NewPersona("Ann", "http://localhost/a.png"),
                   NewPersona("Bo", nullptr)}}}),
           201)["swaps"];
  ASSERT_EQ(swaps.size(), 1u);
  EXPECT_EQ(swaps[0]["status"], "action_required");
  EXPECT_EQ(Data(Get("/partner/v1/orders/pending"))[0]["type"],
            "google_profile_picture");
}

TEST_F(SwapsTest, UserNamesValidation) {
  const json personas = {NewPersona("Ann", nullptr), NewPersona("Bo", ""),
                         NewPersona("Cy", nullptr)};
  auto post = [&](const json& body) {
    return Post("/partner/v1/swaps/user_names", body);
  };
  json missing_picture = personas;
  missing_picture[2].erase("profile_picture_url");
  ExpectError(post({{"domain_id", google_}, {"personas", missing_picture}}),
              400, "invalid_request", "personas[2].profile_picture_url");
  json bad_name = personas;
  bad_name[1]["last_name"] = "";
  ExpectError(post({{"domain_id", google_}, {"personas", bad_name}}), 400,
              "invalid_request", "personas[1].last_name");
  ExpectError(post({{"domain_id", google_},
                    {"personas", json(std::vector<json>(11, personas[0]))}}),
              400, "invalid_request", "personas");
  ExpectError(post({{"domain_id", google_}, {"personas", json::array()}}), 400,
              "invalid_request", "personas");
  ExpectError(post({{"personas", personas}}), 400, "invalid_request",
              "domain_id");
  ExpectError(post({{"domain_id", "dom_NOPE"}, {"personas", personas}}), 404,
              "not_found", "domain_id");
  EXPECT_THAT(Data(Get("/partner/v1/swaps")), IsEmpty());
  EXPECT_EQ(post({{"domain_id", google_},
                  {"personas", json(std::vector<json>(10, personas[0]))}})
                .status,
            201);
}

}  // namespace
}  // namespace gateway::sandbox
