#include "server/partner/swap_api.h"

#include <string>
#include <utility>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"
#include "tests/unit/partner/api_test_util.h"

namespace gateway::partner {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Query = std::vector<std::pair<std::string, std::string>>;



class CreateSwapValidationTest : public ::testing::TestWithParam<Case> {};
TEST_P(CreateSwapValidationTest, Validates) {
  EXPECT_THAT(Violated(kCreateSwap, GetParam().request), ElementsAreArray(GetParam().fields));
}
INSTANTIATE_TEST_SUITE_P(
    Cases, CreateSwapValidationTest,
    ::testing::Values(
        Case{"Standard", R"(type: SWAP_TYPE_STANDARD domain_id: "dom_1" replacement_domain: "acme-new.com")", {}},
        Case{"Premium", R"(type: SWAP_TYPE_PREMIUM domain_id: "dom_1" replacement_domain: "acme-new.com")", {}},
        Case{"UserNames", R"(type: SWAP_TYPE_USER_NAMES domain_id: "dom_1" replacement_domain: "acme-new.com")",
             {"type"}},
        Case{"NoType", R"(domain_id: "dom_1" replacement_domain: "acme-new.com")", {"type"}},
        Case{"NoDomainId", R"(type: SWAP_TYPE_STANDARD replacement_domain: "acme-new.com")", {"domain_id"}},
        Case{"DotDomainId", R"(type: SWAP_TYPE_STANDARD domain_id: "." replacement_domain: "acme-new.com")",
             {"domain_id"}},
        Case{"NoReplacement", R"(type: SWAP_TYPE_STANDARD domain_id: "dom_1")", {"replacement_domain"}},
        Case{"Empty", "", {"type", "domain_id", "replacement_domain"}}),
    Name);

TEST(CreateSwapValidationTest, UserNamesPointsToItsOwnRpc) {
  const absl::Status status = kCreateSwap.validate(Parse<v1::CreateSwapRequest>(
      R"(type: SWAP_TYPE_USER_NAMES domain_id: "dom_1" replacement_domain: "acme-new.com")"));
  EXPECT_THAT(status.message(), HasSubstr("CreateUserNameSwap"));
}

std::string Personas(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += R"(personas { first_name: "A" last_name: "B" profile_picture_url: "" } )";
  return text;
}

class CreateUserNameSwapValidationTest : public ::testing::TestWithParam<Case> {};
TEST_P(CreateUserNameSwapValidationTest, Validates) {
  EXPECT_THAT(Violated(kCreateUserNameSwap, GetParam().request), ElementsAreArray(GetParam().fields));
}
INSTANTIATE_TEST_SUITE_P(
    Cases, CreateUserNameSwapValidationTest,
    ::testing::Values(
        Case{"OnePersona", R"(domain_id: "dom_1" )" + Personas(1), {}},
        Case{"TenPersonas", R"(domain_id: "dom_1" )" + Personas(10), {}},
        Case{"ElevenPersonas", R"(domain_id: "dom_1" )" + Personas(11), {"personas"}},
        Case{"NoPersonas", R"(domain_id: "dom_1")", {"personas"}},
        Case{"NoDomainId", Personas(1), {"domain_id"}},
        Case{"DotDotDomainId", R"(domain_id: ".." )" + Personas(1), {"domain_id"}},
        Case{"PictureKeyAbsent", R"(domain_id: "dom_1" personas { first_name: "A" last_name: "B" })",
             {"personas[0].profile_picture_url"}},
        Case{"NamesMissing",
             R"(domain_id: "dom_1" )" + Personas(1) + R"(personas { profile_picture_url: "https://x.test/a.png" })",
             {"personas[1].first_name", "personas[1].last_name"}}),
    Name);

TEST(SwapIdValidationTest, GetSwapNeedsAUsableId) {
  for (const char* bad : {"", ".", ".."}) {
    EXPECT_THAT(Violated(kGetSwap, std::string("swap_id: \"") + bad + "\""), ElementsAre("swap_id")) << bad;
  }
  EXPECT_THAT(Violated(kGetSwap, R"(swap_id: "swp_1")"), IsEmpty());
}

TEST(ListSwapsValidationTest, EveryFilterIsAccepted) {
  EXPECT_THAT(Violated(kListSwaps, ""), IsEmpty());
  EXPECT_THAT(Violated(kListSwaps, R"(user_id: "usr_1" order_id: "ord_1" domain_id: "dom_1"
                                      status: SWAP_STATUS_FAILED)"),
              IsEmpty());
}

TEST(SwapEndpointTest, RoutesAndRetrySafetyFollowTheContract) {
  ExpectEndpoint(kCreateSwap, "POST", "/swaps", Idempotency::kNotIdempotent);
  ExpectEndpoint(kListSwaps, "GET", "/swaps", Idempotency::kIdempotent);
  ExpectEndpoint(kGetSwap, "GET", "/swaps/{id}", Idempotency::kIdempotent);
  ExpectEndpoint(kCreateUserNameSwap, "POST", "/swaps/user_names", Idempotency::kNotIdempotent);
}

TEST(EncodeSwapTest, CreateSwapSendsTheThreeFields) {
  PartnerRequest request = kCreateSwap.encode(Parse<v1::CreateSwapRequest>(
      R"(type: SWAP_TYPE_STANDARD domain_id: "dom_1" replacement_domain: "acme-new.com")"));
  EXPECT_EQ(request.path, "/swaps");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_EQ(request.body, nlohmann::json::parse(
                              R"({"type":"standard","domain_id":"dom_1","replacement_domain":"acme-new.com"})"));
  request = kCreateSwap.encode(Parse<v1::CreateSwapRequest>(
      R"(type: SWAP_TYPE_PREMIUM domain_id: "dom_2" replacement_domain: "acme-warm.com")"));
  EXPECT_EQ(request.body, nlohmann::json::parse(
                              R"({"type":"premium","domain_id":"dom_2","replacement_domain":"acme-warm.com"})"));
}

TEST(EncodeSwapTest, CreateUserNameSwapSendsEveryPictureKey) {
  const PartnerRequest request = kCreateUserNameSwap.encode(Parse<v1::CreateUserNameSwapRequest>(R"(
      domain_id: "dom_1"
      personas { first_name: "Dana" last_name: "Okafor" profile_picture_url: "https://cdn.acme.test/dana.png" }
      personas { first_name: "Sam" last_name: "Lee" profile_picture_url: "" })"));
  EXPECT_EQ(request.path, "/swaps/user_names");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"domain_id":"dom_1","personas":[
      {"first_name":"Dana","last_name":"Okafor","profile_picture_url":"https://cdn.acme.test/dana.png"},
      {"first_name":"Sam","last_name":"Lee","profile_picture_url":""}]})"));
}

TEST(EncodeSwapTest, GetSwapIdIsOnePathSegment) {
  const PartnerRequest request = kGetSwap.encode(Parse<v1::GetSwapRequest>(R"(swap_id: "swp_1/../../me")"));
  EXPECT_EQ(request.path, "/swaps/swp_1%2F..%2F..%2Fme");
  EXPECT_TRUE(request.body.is_null());
  EXPECT_THAT(request.query, IsEmpty());
}

TEST(EncodeSwapTest, ListSwapsSendsOnlyTheFiltersSet) {
  PartnerRequest request = kListSwaps.encode(Parse<v1::ListSwapsRequest>(R"(page_size: 5 page_token: "t")"));
  EXPECT_EQ(request.path, "/swaps");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_TRUE(request.body.is_null());
  request = kListSwaps.encode(Parse<v1::ListSwapsRequest>(
      R"(user_id: "usr_1" order_id: "ord_1" domain_id: "dom_1" status: SWAP_STATUS_ACTION_REQUIRED)"));
  EXPECT_EQ(request.query, (Query{{"user_id", "usr_1"},
                                  {"order_id", "ord_1"},
                                  {"domain_id", "dom_1"},
                                  {"status", "action_required"}}));
  request = kListSwaps.encode(Parse<v1::ListSwapsRequest>(R"(order_id: "ord_2")"));
  EXPECT_EQ(request.query, (Query{{"order_id", "ord_2"}}));
  request = kListSwaps.encode(Parse<v1::ListSwapsRequest>("status: SWAP_STATUS_IN_PROGRESS"));
  EXPECT_EQ(request.query, (Query{{"status", "in_progress"}}));
}

TEST(DecodeSwapTest, Swap) {
  absl::StatusOr<v1::GetSwapResponse> reply = kGetSwap.decode(Data("swaps/swap.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::DomainSwap& swap = reply->swap();
  EXPECT_EQ(swap.id(), "swp_01JA00000000000000000000KL");
  EXPECT_EQ(swap.type(), v1::SWAP_TYPE_PREMIUM);
  EXPECT_EQ(swap.domain_id(), "dom_01JA00000000000000000000GH");
  ASSERT_TRUE(swap.has_replacement_domain());
  EXPECT_EQ(swap.replacement_domain(), "acme-outreach.com");
  EXPECT_EQ(swap.status(), v1::SWAP_STATUS_CREATED);
  EXPECT_EQ(swap.created_at().seconds(), 1783065600);  // 2026-07-03T08:00:00Z
}

TEST(DecodeSwapTest, CreateSwapRepliesWithTheSwap) {
  absl::StatusOr<v1::CreateSwapResponse> reply = kCreateSwap.decode(Data("swaps/swap.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->swap().id(), "swp_01JA00000000000000000000KL");
  EXPECT_EQ(reply->swap().type(), v1::SWAP_TYPE_PREMIUM);
}

TEST(DecodeSwapTest, EveryDocumentedTypeAndStatus) {
  nlohmann::json data = Data("swaps/swap.json");
  for (const auto& [name, type] : {std::pair{"standard", v1::SWAP_TYPE_STANDARD},
                                   std::pair{"premium", v1::SWAP_TYPE_PREMIUM},
                                   std::pair{"user_names", v1::SWAP_TYPE_USER_NAMES}}) {
    data["type"] = name;
    absl::StatusOr<v1::GetSwapResponse> reply = kGetSwap.decode(data);
    ASSERT_TRUE(reply.ok()) << reply.status();
    EXPECT_EQ(reply->swap().type(), type) << name;
  }
  for (const auto& [name, status] : {std::pair{"created", v1::SWAP_STATUS_CREATED},
                                     std::pair{"in_progress", v1::SWAP_STATUS_IN_PROGRESS},
                                     std::pair{"completed", v1::SWAP_STATUS_COMPLETED},
                                     std::pair{"failed", v1::SWAP_STATUS_FAILED},
                                     std::pair{"action_required", v1::SWAP_STATUS_ACTION_REQUIRED}}) {
    data["status"] = name;
    absl::StatusOr<v1::GetSwapResponse> reply = kGetSwap.decode(data);
    ASSERT_TRUE(reply.ok()) << reply.status();
    EXPECT_EQ(reply->swap().status(), status) << name;
  }
}

TEST(DecodeSwapTest, UnknownTypeAndStatusAreUnspecified) {
  absl::StatusOr<v1::GetSwapResponse> reply = kGetSwap.decode(Data("swaps/swap_unknown_enums.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->swap().type(), v1::SWAP_TYPE_UNSPECIFIED);
  EXPECT_EQ(reply->swap().status(), v1::SWAP_STATUS_UNSPECIFIED);
  EXPECT_EQ(reply->swap().replacement_domain(), "acme-outreach.com");
}

TEST(DecodeSwapTest, ReplacementThatIsNotAStringIsAnErrorNamingIt) {
  const absl::Status status = kGetSwap.decode(Data("swaps/swap_replacement_not_string.json")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("`data.replacement_domain` is not a string"));
}

TEST(DecodeSwapTest, ListSwapsKeepsANullReplacementAbsent) {
  absl::StatusOr<v1::ListSwapsResponse> reply = kListSwaps.decode(Data("swaps/swap_list.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->swaps_size(), 2);
  EXPECT_EQ(reply->swaps(0).type(), v1::SWAP_TYPE_STANDARD);
  EXPECT_EQ(reply->swaps(0).status(), v1::SWAP_STATUS_COMPLETED);
  EXPECT_TRUE(reply->swaps(0).has_replacement_domain());
  EXPECT_EQ(reply->swaps(1).type(), v1::SWAP_TYPE_USER_NAMES);
  EXPECT_EQ(reply->swaps(1).status(), v1::SWAP_STATUS_ACTION_REQUIRED);
  EXPECT_FALSE(reply->swaps(1).has_replacement_domain());
}

TEST(DecodeSwapTest, UserNameSwapsAreOneRowPerInbox) {
  absl::StatusOr<v1::CreateUserNameSwapResponse> reply = kCreateUserNameSwap.decode(Data("swaps/user_name_swaps.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->swaps_size(), 2);
  EXPECT_EQ(reply->swaps(0).id(), "swp_01JA00000000000000000000MN");
  EXPECT_EQ(reply->swaps(0).type(), v1::SWAP_TYPE_USER_NAMES);
  EXPECT_EQ(reply->swaps(0).domain_id(), "dom_01JA00000000000000000000GH");
  EXPECT_FALSE(reply->swaps(0).has_replacement_domain());
  EXPECT_EQ(reply->swaps(0).status(), v1::SWAP_STATUS_CREATED);
  EXPECT_EQ(reply->swaps(1).status(), v1::SWAP_STATUS_IN_PROGRESS);
}

TEST(DecodeSwapTest, UserNameSwapRowOfTheWrongTypeNamesItsPath) {
  const absl::Status status = kCreateUserNameSwap.decode(Data("swaps/user_name_swaps_bad_status.json")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("`data.swaps[1].status` is not a string"));
}

TEST(DecodeSwapTest, UserNameSwapsThatAreNotAnArrayAreAnError) {
  EXPECT_THAT(kCreateUserNameSwap.decode(nlohmann::json::parse(R"({"swaps":{}})")).status().message(),
              HasSubstr("`data.swaps` is not an array"));
}

}  // namespace
}  // namespace gateway::partner
