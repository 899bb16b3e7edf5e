#include "server/partner/bundle_api.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"
#include "server/partner/account_api.h"
#include "tests/unit/partner/api_test_util.h"

namespace gateway::partner {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(ListBundlesTest, StatusFilterBecomesAQueryParameterAndDeletedIsRefused) {
  EXPECT_THAT(kListBundles.encode(v1::ListBundlesRequest()).query, IsEmpty());
  EXPECT_THAT(kListBundles.encode(Parse<v1::ListBundlesRequest>("status: BUNDLE_STATUS_ARCHIVED")).query,
              ElementsAre(Pair("status", "archived")));
  EXPECT_EQ(kListBundles.encode(v1::ListBundlesRequest()).path, "/bundles");
  EXPECT_THAT(ViolatedFields(kListBundles.validate(Parse<v1::ListBundlesRequest>("status: BUNDLE_STATUS_DELETED"))),
              ElementsAre("status"));
}

TEST(ListBundlesTest, DecodesAPageInOrder) {
  auto reply = kListBundles.decode(Data("bundles/list_page.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->bundles_size(), 2);
  EXPECT_EQ(reply->bundles(0).id(), "bun_01JA0000000000000000000001");
  EXPECT_EQ(reply->bundles(0).required_domains().total(), 12);
  EXPECT_EQ(reply->bundles(1).status(), v1::BUNDLE_STATUS_ARCHIVED);
  EXPECT_FALSE(reply->bundles(1).has_google_percent());
  EXPECT_EQ(reply->next_page_token(), "") << "paging is PartnerClient's job";
}

TEST(ListBundlesTest, ABadElementNamesItsIndex) {
  nlohmann::json data = Data("bundles/list_page.json");
  data[1]["monthly_sending_volume"] = "lots";
  auto reply = kListBundles.decode(data);
  EXPECT_THAT(reply.status().message(), HasSubstr("data[1]"));
  EXPECT_THAT(reply.status().message(), HasSubstr("monthly_sending_volume"));
  EXPECT_FALSE(kListBundles.decode(nlohmann::json::object()).ok());
}

TEST(GetBundleTest, IdIsRequiredAndEscaped) {
  EXPECT_THAT(ViolatedFields(kGetBundle.validate(v1::GetBundleRequest())), ElementsAre("bundle_id"));
  EXPECT_THAT(ViolatedFields(kGetBundle.validate(Parse<v1::GetBundleRequest>(R"(bundle_id: "..")"))),
              ElementsAre("bundle_id"));
  EXPECT_EQ(kGetBundle.encode(Parse<v1::GetBundleRequest>(R"(bundle_id: "bun_1/x")")).path, "/bundles/bun_1%2Fx");
  EXPECT_TRUE(kGetBundle.encode(Parse<v1::GetBundleRequest>(R"(bundle_id: "bun_1")")).body.is_null());
  auto reply = kGetBundle.decode(Data("bundle.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->bundle().name(), "Growth 60k");
}

struct UpdateCase {
  const char* name;
  const char* request;
  std::vector<std::string> fields;  // empty: valid
};

class UpdateBundleValidationTest : public ::testing::TestWithParam<UpdateCase> {};

TEST_P(UpdateBundleValidationTest, Validates) {
  const absl::Status status = kUpdateBundle.validate(Parse<v1::UpdateBundleRequest>(GetParam().request));
  EXPECT_EQ(ViolatedFields(status), GetParam().fields) << status;
  EXPECT_EQ(status.ok(), GetParam().fields.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UpdateBundleValidationTest,
    ::testing::Values(
        UpdateCase{"Name", R"(bundle_id: "bun_1" name: "New")", {}},
        UpdateCase{"Split", R"(bundle_id: "bun_1" split { google_percent: 60 microsoft_percent: 40 })", {}},
        UpdateCase{"Recommended", R"(bundle_id: "bun_1" use_recommended_split: true)", {}},
        UpdateCase{"NoId", R"(name: "New")", {"bundle_id"}},
        UpdateCase{"NothingToChange", R"(bundle_id: "bun_1")", {"bundle_id"}},
        UpdateCase{"BlankName", R"(bundle_id: "bun_1" name: " ")", {"name"}},
        UpdateCase{"ZeroVolume", R"(bundle_id: "bun_1" monthly_sending_volume: 0)", {"monthly_sending_volume"}},
        UpdateCase{"SplitNot100", R"(bundle_id: "bun_1" split { google_percent: 60 microsoft_percent: 30 })",
                   {"split.google_percent"}},
        UpdateCase{"RecommendedFalse", R"(bundle_id: "bun_1" use_recommended_split: false)",
                   {"use_recommended_split"}},
        UpdateCase{"FourInboxes", R"(bundle_id: "bun_1" google_inboxes_per_domain: 4)",
                   {"google_inboxes_per_domain"}}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(UpdateBundleTest, SendsOnlyWhatChanges) {
  const PartnerRequest name = kUpdateBundle.encode(Parse<v1::UpdateBundleRequest>(R"(bundle_id: "bun_1" name: "N")"));
  EXPECT_EQ(name.path, "/bundles/bun_1");
  EXPECT_EQ(name.body, nlohmann::json::parse(R"({"name":"N"})"));
  EXPECT_EQ(kUpdateBundle
                .encode(Parse<v1::UpdateBundleRequest>(
                    R"(bundle_id: "bun_1" split { google_percent: 100 } send_on_weekends: false
                       google_inboxes_per_domain: 3 monthly_sending_volume: 9)"))
                .body,
            nlohmann::json::parse(R"({"google_percent":100,"microsoft_percent":0,"send_on_weekends":false,
                                      "google_inboxes_per_domain":3,"monthly_sending_volume":9})"));
  EXPECT_EQ(kUpdateBundle.encode(Parse<v1::UpdateBundleRequest>(R"(bundle_id: "bun_1" use_recommended_split: true)"))
                .body,
            nlohmann::json::parse(R"({"google_percent":null,"microsoft_percent":null})"));
}

TEST(DeleteBundleTest, DecodesDeletedOrArchived) {
  auto archived = kDeleteBundle.decode(Data("bundles/delete_archived.json"));
  ASSERT_TRUE(archived.ok()) << archived.status();
  EXPECT_EQ(archived->bundle_id(), "bun_01JA0000000000000000000001");
  EXPECT_EQ(archived->status(), v1::BUNDLE_STATUS_ARCHIVED);
  auto deleted = kDeleteBundle.decode(nlohmann::json::parse(R"({"id":"bun_2","status":"deleted"})"));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->status(), v1::BUNDLE_STATUS_DELETED);
  EXPECT_THAT(kDeleteBundle.decode(nlohmann::json::parse(R"({"status":"deleted"})")).status().message(),
              HasSubstr("data.id"));
  EXPECT_EQ(kDeleteBundle.method, std::string("DELETE"));
  EXPECT_EQ(kDeleteBundle.idempotency, Idempotency::kNotIdempotent);
}

TEST(GetAccountTest, DecodesMe) {
  EXPECT_EQ(kGetAccount.encode(v1::GetAccountRequest()).path, "/me");
  auto reply = kGetAccount.decode(Data("account/me.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->environment(), v1::ENVIRONMENT_SANDBOX);
  EXPECT_EQ(reply->permission_preset(), v1::PERMISSION_PRESET_LIMITED);
  EXPECT_EQ(reply->partner().id(), "org_01J9ZQ4M7T2W8X5Y3V6B1N0C4D");
  EXPECT_EQ(reply->partner().name(), "Northwind Resellers");
}

TEST(GetAccountTest, UnknownPresetIsUnspecifiedAndMissingPartnerIdIsAnError) {
  nlohmann::json data = Data("account/me.json");
  data["api_key"]["permission_preset"] = "admin";
  data["api_key"]["environment"] = "live";
  auto reply = kGetAccount.decode(data);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->permission_preset(), v1::PERMISSION_PRESET_UNSPECIFIED);
  EXPECT_EQ(reply->environment(), v1::ENVIRONMENT_LIVE);
  data["partner"].erase("id");
  EXPECT_THAT(kGetAccount.decode(data).status().message(), HasSubstr("data.partner.id"));
}

}  // namespace
}  // namespace gateway::partner
