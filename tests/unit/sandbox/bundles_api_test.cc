// Unit tests for the bundle endpoints of PartnerEmulator: POST/GET /bundles,
// GET/PATCH/DELETE /bundles/{id}, and orders on archived or deleted bundles.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/sandbox/emulator_test_fixture.h"

namespace gateway::sandbox {
namespace {

using ::testing::MatchesRegex;

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

TEST_F(PartnerEmulatorTest, GetBundleReturnsWhatCreateReturned) {
  const json created =
      CreateBundle({{"name", "Growth"}, {"monthly_sending_volume", 25000}});
  EXPECT_EQ(Data(Get(absl::StrCat("/partner/v1/bundles/",
                                  created["id"].get<std::string>()))),
            created);
  ExpectError(Get("/partner/v1/bundles/bun_NOPE"), 404, "not_found");
}

TEST_F(PartnerEmulatorTest, ListBundlesFiltersByStatus) {
  const std::string used = SmallBundleId();
  const std::string active = SmallBundleId();
  PlaceOrder(ValidOrder(used));
  ASSERT_EQ(Delete(absl::StrCat("/partner/v1/bundles/", used)).status, 200);

  auto ids = [&](const Query& query) {
    std::vector<std::string> out;
    for (const json& row : Data(Get("/partner/v1/bundles", query))) {
      out.push_back(row["id"]);
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<std::string>{used, active}));
  EXPECT_EQ(ids({{"status", "active"}}), std::vector<std::string>{active});
  EXPECT_EQ(ids({{"status", "archived"}}), std::vector<std::string>{used});
  ExpectError(Get("/partner/v1/bundles", {{"status", "deleted"}}), 400,
              "invalid_request", "status");
}

TEST_F(PartnerEmulatorTest, PatchBundleRecomputesRequiredDomains) {
  const json created =
      CreateBundle({{"name", "Growth"}, {"monthly_sending_volume", 25000}});
  const std::string path =
      absl::StrCat("/partner/v1/bundles/", created["id"].get<std::string>());
  // The documented 60k example, reached by patching.
  const json patched = Data(Patch(path, {{"name", "Growth 60k"},
                                         {"monthly_sending_volume", 60000},
                                         {"google_percent", 70},
                                         {"microsoft_percent", 30},
                                         {"send_on_weekends", true},
                                         {"google_inboxes_per_domain", 3}}));
  EXPECT_EQ(patched["id"], created["id"]);
  EXPECT_EQ(patched["name"], "Growth 60k");
  EXPECT_EQ(patched["created_at"], created["created_at"]);
  EXPECT_EQ(patched["required_domains"],
            json({{"google", 24}, {"microsoft", 4}, {"total", 28}}));
  EXPECT_EQ(patched["effective"],
            json({{"google_percent", 70}, {"microsoft_percent", 30}}));
  EXPECT_EQ(Data(Get(path)), patched);

  // Fields not sent keep their value.
  const json renamed = Data(Patch(path, {{"name", "Renamed"}}));
  EXPECT_EQ(renamed["google_percent"], 70);
  EXPECT_EQ(renamed["required_domains"]["total"], 28);

  // Both null: back to the recommended split.
  const json reset = Data(
      Patch(path, {{"google_percent", nullptr}, {"microsoft_percent", nullptr}}));
  EXPECT_TRUE(reset["google_percent"].is_null());
  EXPECT_TRUE(reset["microsoft_percent"].is_null());
  EXPECT_EQ(reset["effective"],
            json({{"google_percent", 50}, {"microsoft_percent", 50}}));
  // google = ceil(60000*50 / (30*100*20*3)) = 17, microsoft = 7.
  EXPECT_EQ(reset["required_domains"],
            json({{"google", 17}, {"microsoft", 7}, {"total", 24}}));
}

TEST_F(PartnerEmulatorTest, PatchBundleValidationNamesTheField) {
  const std::string path = absl::StrCat("/partner/v1/bundles/", SmallBundleId());
  struct Case {
    json body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"google_percent", 60}}, "google_percent"},
      {{{"microsoft_percent", 40}}, "google_percent"},
      {{{"google_percent", 60}, {"microsoft_percent", nullptr}},
       "google_percent"},
      {{{"google_percent", 60}, {"microsoft_percent", 30}}, "google_percent"},
      {{{"google_percent", 50}, {"microsoft_percent", "50"}},
       "microsoft_percent"},
      {{{"name", ""}}, "name"},
      {{{"name", nullptr}}, "name"},
      {{{"monthly_sending_volume", -5}}, "monthly_sending_volume"},
      {{{"send_on_weekends", 1}}, "send_on_weekends"},
      {{{"google_inboxes_per_domain", 1}}, "google_inboxes_per_domain"},
  };
  const json before = Data(Get(path));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body.dump());
    ExpectError(Patch(path, c.body), 400, "invalid_request", c.field);
  }
  EXPECT_EQ(Data(Get(path)), before);  // nothing half-applied
  ExpectError(Call("PATCH", path, "[]"), 400, "invalid_request");
  ExpectError(Patch("/partner/v1/bundles/bun_NOPE", {{"name", "x"}}), 404,
              "not_found");
}

TEST_F(PartnerEmulatorTest, DeleteUnusedBundleRemovesIt) {
  const std::string id = SmallBundleId();
  const std::string path = absl::StrCat("/partner/v1/bundles/", id);
  EXPECT_EQ(Data(Delete(path)), json({{"id", id}, {"status", "deleted"}}));
  ExpectError(Get(path), 404, "not_found");
  ExpectError(Delete(path), 404, "not_found");
  ExpectError(Patch(path, {{"name", "x"}}), 404, "not_found");
  EXPECT_EQ(Data(Get("/partner/v1/bundles")), json::array());
  ExpectError(PostOrder(ValidOrder(id)), 404, "not_found", "bundle_id");
}

TEST_F(PartnerEmulatorTest, DeleteUsedBundleArchivesIt) {
  const std::string id = SmallBundleId();
  const std::string path = absl::StrCat("/partner/v1/bundles/", id);
  const std::string body = ValidOrder(id).dump();
  const json order = Data(Call("POST", "/partner/v1/orders", body));
  EXPECT_EQ(Data(Delete(path)), json({{"id", id}, {"status", "archived"}}));
  EXPECT_EQ(Data(Get(path))["status"], "archived");
  // Archived bundles take no new orders; a replay still returns the old one.
  json again = ValidOrder(id);
  again["user"] = "new@client.test";
  ExpectError(PostOrder(again), 400, "invalid_request", "bundle_id");
  EXPECT_EQ(Data(Call("POST", "/partner/v1/orders", body))["id"], order["id"]);
  // Deleting again keeps it archived.
  EXPECT_EQ(Data(Delete(path))["status"], "archived");
}

}  // namespace
}  // namespace gateway::sandbox
