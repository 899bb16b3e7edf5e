#include "server/partner/request_validation.h"

#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"
#include "tests/unit/partner/api_test_util.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ElementsAreArray;

template <typename Request>
void ExpectCase(const Case& c, absl::Status (*validate)(const Request&)) {
  const absl::Status status = validate(Parse<Request>(c.request));
  if (c.fields.empty()) {
    EXPECT_TRUE(status.ok()) << status;
    return;
  }
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAreArray(c.fields)) << status;
  auto info = common::GetDetail<google::rpc::ErrorInfo>(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "INVALID_REQUEST");
}


class CreateBundleValidationTest : public ::testing::TestWithParam<Case> {};
TEST_P(CreateBundleValidationTest, Validates) { ExpectCase(GetParam(), &ValidateCreateBundle); }
INSTANTIATE_TEST_SUITE_P(
    Cases, CreateBundleValidationTest,
    ::testing::Values(
        Case{"Quickstart", R"(name: "Starter" monthly_sending_volume: 25000 send_on_weekends: false
                              google_inboxes_per_domain: 2)", {}},
        Case{"SplitSet", R"(name: "Growth" monthly_sending_volume: 60000 google_percent: 70
                            microsoft_percent: 30)", {}},
        Case{"AllGoogle", R"(name: "G" monthly_sending_volume: 1 google_percent: 100 microsoft_percent: 0)", {}},
        Case{"EmptyName", R"(name: "  " monthly_sending_volume: 1)", {"name"}},
        Case{"ZeroVolume", R"(name: "x" monthly_sending_volume: 0)", {"monthly_sending_volume"}},
        Case{"OnlyGooglePercent", R"(name: "x" monthly_sending_volume: 1 google_percent: 100)",
             {"microsoft_percent"}},
        Case{"OnlyMicrosoftPercent", R"(name: "x" monthly_sending_volume: 1 microsoft_percent: 100)",
             {"google_percent"}},
        Case{"SumNot100", R"(name: "x" monthly_sending_volume: 1 google_percent: 60 microsoft_percent: 30)",
             {"google_percent"}},
        Case{"OutOfRange", R"(name: "x" monthly_sending_volume: 1 google_percent: 120 microsoft_percent: -20)",
             {"google_percent", "microsoft_percent"}},
        Case{"FourInboxes", R"(name: "x" monthly_sending_volume: 1 google_inboxes_per_domain: 4)",
             {"google_inboxes_per_domain"}},
        Case{"EverythingWrong", R"(monthly_sending_volume: -5 google_inboxes_per_domain: 1)",
             {"name", "monthly_sending_volume", "google_inboxes_per_domain"}}),
    Name);

std::string Names(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "domains: \"name" + std::to_string(i) + ".com\" ";
  return text;
}

class CheckAvailabilityValidationTest : public ::testing::TestWithParam<Case> {};
// With the default per-call maximum of the gateway.
absl::Status ValidateAvailabilityUpTo500(const v1::CheckAvailabilityRequest& request) {
  return ValidateCheckAvailability(request, 500);
}
TEST_P(CheckAvailabilityValidationTest, Validates) { ExpectCase(GetParam(), &ValidateAvailabilityUpTo500); }
INSTANTIATE_TEST_SUITE_P(Cases, CheckAvailabilityValidationTest,
                         ::testing::Values(Case{"One", Names(1), {}}, Case{"FiveHundred", Names(500), {}},
                                           Case{"FiveHundredOne", Names(501), {"domains"}},
                                           Case{"None", "", {"domains"}},
                                           // The Partner judges syntax for availability (reason "invalid").
                                           Case{"OddNameIsThePartnersCall", R"(domains: "not a domain")", {}},
                                           Case{"Empty", R"(domains: "a.com" domains: "")", {"domains[1]"}}),
                         Name);

class ImportDomainsValidationTest : public ::testing::TestWithParam<Case> {};
TEST_P(ImportDomainsValidationTest, Validates) { ExpectCase(GetParam(), &ValidateImportDomains); }
INSTANTIATE_TEST_SUITE_P(
    Cases, ImportDomainsValidationTest,
    ::testing::Values(Case{"TwentyFive", Names(25), {}}, Case{"TwentySix", Names(26), {"domains"}},
                      Case{"None", "", {"domains"}},
                      Case{"Subdomain", R"(domains: "mail.acme.com")", {}},  // The Partner reports it per domain.
                      Case{"NoDot", R"(domains: "localhost")", {"domains[0]"}},
                      Case{"Space", R"(domains: "acme .com")", {"domains[0]"}},
                      Case{"LeadingHyphen", R"(domains: "-acme.com")", {"domains[0]"}},
                      Case{"NumericTld", R"(domains: "acme.123")", {"domains[0]"}},
                      Case{"Empty", R"(domains: "")", {"domains[0]"}}),
    Name);

// A valid bundle order; cases edit it.
constexpr char kOrder[] = R"(
  user: "alex@acme.com"
  bundle_id: "bun_1"
  sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD client_id: 366903
              login_email: "peeker@yourcompany.com" login_password: "pw" }
  forwarding_url: "https://acme.com"
  domains { domain: "acme-mail.com" }
  domains { domain: "team-acme.com" forwarding_url: "https://team.acme.com" }
  personas { first_name: "Alex" last_name: "Rivera" profile_picture_url: "" }
)";

std::string Order(const std::string& edits) { return std::string(kOrder) + edits; }

std::string Personas(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += R"(personas { first_name: "A" last_name: "B" profile_picture_url: "" } )";
  return text;
}

class PlaceOrderValidationTest : public ::testing::TestWithParam<Case> {};
TEST_P(PlaceOrderValidationTest, Validates) { ExpectCase(GetParam(), &ValidatePlaceOrder); }
INSTANTIATE_TEST_SUITE_P(
    Cases, PlaceOrderValidationTest,
    ::testing::Values(
        Case{"Valid", Order(""), {}},
        Case{"CustomPlan", Order("custom { google_licenses: 4 }"), {}},
        Case{"TenPersonas", Order(Personas(9)), {}},
        Case{"ElevenPersonas", Order(Personas(10)), {"personas"}},
        Case{"NoUser", Order(R"(user: "")"), {"user"}},
        Case{"NoPlan", Order(R"(bundle_id: "")"), {"bundle_id"}},
        Case{"CustomWithoutLicenses", Order("custom {}"), {"custom"}},
        Case{"NegativeLicenses", Order("custom { google_licenses: -1 microsoft_licenses: 2 }"),
             {"custom.google_licenses"}},
        Case{"NoLoginEmail", Order(R"(sequencer { login_email: "" })"), {"sequencer.login_email"}},
        Case{"NoLoginPassword", Order(R"(sequencer { login_password: "" })"), {"sequencer.login_password"}},
        Case{"NoProvider", Order(R"(sequencer { provider: SEQUENCER_PROVIDER_UNSPECIFIED })"),
             {"sequencer.provider"}},
        Case{"EmptyDomain", Order(R"(domains { domain: "" })"), {"domains[2].domain"}},
        Case{"PictureAbsent", Order(R"(personas { first_name: "Sam" last_name: "Lee" })"),
             {"personas[1].profile_picture_url"}},
        Case{"PersonaNameMissing", Order(R"(personas { profile_picture_url: "https://x.test/a.png" })"),
             {"personas[1].first_name", "personas[1].last_name"}}),
    Name);

TEST(PlaceOrderValidationTest, MissingPiecesAreAllReported) {
  const absl::Status status = ValidatePlaceOrder(v1::PlaceOrderRequest());
  EXPECT_THAT(ViolatedFields(status), ElementsAreArray({"user", "bundle_id", "sequencer", "domains", "personas"}));
}

TEST(PlaceOrderValidationTest, MessageNeverContainsThePassword) {
  v1::PlaceOrderRequest request = Parse<v1::PlaceOrderRequest>(Order(R"(user: "")"));
  request.mutable_sequencer()->set_login_password("hunter2-secret");
  const absl::Status status = ValidatePlaceOrder(request);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.ToString().find("hunter2-secret"), std::string::npos);
}

}  // namespace
}  // namespace gateway::partner
