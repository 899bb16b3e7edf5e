#include "server/partner/user_api.h"

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



class CreateUserValidationTest : public ::testing::TestWithParam<Case> {};
TEST_P(CreateUserValidationTest, Validates) {
  EXPECT_THAT(Violated(kCreateUser, GetParam().request), ElementsAreArray(GetParam().fields));
}
INSTANTIATE_TEST_SUITE_P(
    Cases, CreateUserValidationTest,
    ::testing::Values(
        Case{"Minimal", R"(email: "alex@acme.test" sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD })", {}},
        Case{"Full", R"(email: "alex@acme.test" first_name: "Alex" last_name: "Rivera"
                        sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD client_id: 366903 })", {}},
        Case{"NoEmail", R"(sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD })", {"email"}},
        Case{"EmailWithoutAt", R"(email: "alex.acme.test" sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD })",
             {"email"}},
        Case{"NoSequencer", R"(email: "alex@acme.test")", {"sequencer"}},
        Case{"SequencerWithoutProvider", R"(email: "alex@acme.test" sequencer { client_id: 1 })",
             {"sequencer.provider"}},
        Case{"Empty", "", {"email", "sequencer"}}),
    Name);

class UpdateUserValidationTest : public ::testing::TestWithParam<Case> {};
TEST_P(UpdateUserValidationTest, Validates) {
  EXPECT_THAT(Violated(kUpdateUser, GetParam().request), ElementsAreArray(GetParam().fields));
}
INSTANTIATE_TEST_SUITE_P(
    Cases, UpdateUserValidationTest,
    ::testing::Values(
        Case{"Email", R"(user_id: "usr_1" email: "new@acme.test")", {}},
        // Clearing a name is a change.
        Case{"EmptyFirstName", R"(user_id: "usr_1" first_name: "")", {}},
        Case{"LastName", R"(user_id: "usr_1" last_name: "Lee")", {}},
        Case{"DefaultRoute", R"(user_id: "usr_1" sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD })", {}},
        Case{"NoUserId", R"(email: "new@acme.test")", {"user_id"}},
        Case{"DotDotUserId", R"(user_id: ".." email: "new@acme.test")", {"user_id"}},
        Case{"NothingToChange", R"(user_id: "usr_1")", {"user_id"}},
        Case{"EmailWithoutAt", R"(user_id: "usr_1" email: "new")", {"email"}},
        Case{"EmptyEmail", R"(user_id: "usr_1" email: "")", {"email"}},
        Case{"SequencerWithoutProvider", R"(user_id: "usr_1" sequencer { client_id: 5 })", {"sequencer.provider"}},
        Case{"Empty", "", {"user_id", "user_id"}}),
    Name);

TEST(UserIdValidationTest, GetAndDeleteNeedAUsableId) {
  for (const char* bad : {"", ".", ".."}) {
    const std::string request = std::string("user_id: \"") + bad + "\"";
    EXPECT_THAT(Violated(kGetUser, request), ElementsAre("user_id")) << bad;
    EXPECT_THAT(Violated(kDeleteUser, request), ElementsAre("user_id")) << bad;
  }
  EXPECT_THAT(Violated(kGetUser, R"(user_id: "usr_1")"), IsEmpty());
  EXPECT_THAT(Violated(kDeleteUser, R"(user_id: "usr_1")"), IsEmpty());
}

TEST(ListUsersValidationTest, EveryFilterIsAccepted) {
  EXPECT_THAT(Violated(kListUsers, ""), IsEmpty());
  EXPECT_THAT(Violated(kListUsers, R"(email: "alex@acme.test" status: USER_STATUS_DELETED)"), IsEmpty());
}

TEST(UserEndpointTest, RoutesAndRetrySafetyFollowTheContract) {
  ExpectEndpoint(kCreateUser, "POST", "/users", Idempotency::kNotIdempotent);
  ExpectEndpoint(kListUsers, "GET", "/users", Idempotency::kIdempotent);
  ExpectEndpoint(kGetUser, "GET", "/users/{id}", Idempotency::kIdempotent);
  ExpectEndpoint(kUpdateUser, "PATCH", "/users/{id}", Idempotency::kIdempotent);
  EXPECT_STREQ(kDeleteUser.method, "DELETE");
  EXPECT_STREQ(kDeleteUser.route, "/users/{id}");
  // A second delete is NOT_FOUND: a retry would turn success into an error.
  EXPECT_EQ(kDeleteUser.idempotency, Idempotency::kNotIdempotent);
}

TEST(EncodeUserTest, CreateUserWithoutClientIdSendsNullAndNoNames) {
  const PartnerRequest request = kCreateUser.encode(
      Parse<v1::CreateUserRequest>(R"(email: "alex@acme.test" sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD })"));
  EXPECT_EQ(request.path, "/users");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_EQ(request.body, nlohmann::json::parse(
                              R"({"email":"alex@acme.test","sequencer":{"provider":"smartlead","client_id":null}})"));
}

TEST(EncodeUserTest, CreateUserSendsEverythingSet) {
  const PartnerRequest request = kCreateUser.encode(Parse<v1::CreateUserRequest>(
      R"(email: "alex@acme.test" first_name: "Alex" last_name: "Rivera"
         sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD client_id: 366903 })"));
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"email":"alex@acme.test","first_name":"Alex",
      "last_name":"Rivera","sequencer":{"provider":"smartlead","client_id":366903}})"));
}

TEST(EncodeUserTest, UpdateUserSendsOnlyTheFieldsSet) {
  PartnerRequest request = kUpdateUser.encode(Parse<v1::UpdateUserRequest>(R"(user_id: "usr_1" first_name: "")"));
  EXPECT_EQ(request.path, "/users/usr_1");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"first_name":""})"));

  request = kUpdateUser.encode(Parse<v1::UpdateUserRequest>(R"(user_id: "usr_1" email: "new@acme.test")"));
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"email":"new@acme.test"})"));
}

TEST(EncodeUserTest, UpdateUserSendsTheRouteWhole) {
  PartnerRequest request = kUpdateUser.encode(Parse<v1::UpdateUserRequest>(
      R"(user_id: "usr_1" last_name: "Lee" sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD })"));
  EXPECT_EQ(request.body, nlohmann::json::parse(
                              R"({"last_name":"Lee","sequencer":{"provider":"smartlead","client_id":null}})"));
  request = kUpdateUser.encode(Parse<v1::UpdateUserRequest>(
      R"(user_id: "usr_1" email: "a@b.test" first_name: "A" last_name: "B"
         sequencer { provider: SEQUENCER_PROVIDER_SMARTLEAD client_id: 9 })"));
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"email":"a@b.test","first_name":"A","last_name":"B",
      "sequencer":{"provider":"smartlead","client_id":9}})"));
}

TEST(EncodeUserTest, IdsAreOnePathSegmentAndReadsHaveNoBody) {
  const PartnerRequest get = kGetUser.encode(Parse<v1::GetUserRequest>(R"(user_id: "usr_1/../me?x")"));
  EXPECT_EQ(get.path, "/users/usr_1%2F..%2Fme%3Fx");
  EXPECT_TRUE(get.body.is_null());
  EXPECT_THAT(get.query, IsEmpty());
  const PartnerRequest remove = kDeleteUser.encode(Parse<v1::DeleteUserRequest>(R"(user_id: "usr_2")"));
  EXPECT_EQ(remove.path, "/users/usr_2");
  EXPECT_TRUE(remove.body.is_null());
  EXPECT_EQ(kUpdateUser.encode(Parse<v1::UpdateUserRequest>(R"(user_id: "a b" email: "x@y")")).path,
            "/users/a%20b");
}

TEST(EncodeUserTest, ListUsersSendsOnlyTheFiltersSet) {
  PartnerRequest request = kListUsers.encode(Parse<v1::ListUsersRequest>("page_size: 10 page_token: \"t\""));
  EXPECT_EQ(request.path, "/users");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_TRUE(request.body.is_null());
  request = kListUsers.encode(Parse<v1::ListUsersRequest>(R"(email: "alex@acme.test" status: USER_STATUS_DELETED)"));
  EXPECT_EQ(request.query, (Query{{"email", "alex@acme.test"}, {"status", "deleted"}}));
  request = kListUsers.encode(Parse<v1::ListUsersRequest>("status: USER_STATUS_ACTIVE"));
  EXPECT_EQ(request.query, (Query{{"status", "active"}}));
}

TEST(DecodeUserTest, User) {
  absl::StatusOr<v1::GetUserResponse> reply = kGetUser.decode(Data("users/user.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::User& user = reply->user();
  EXPECT_EQ(user.id(), "usr_01JA0000000000000000000010");
  EXPECT_EQ(user.email(), "alex@acme.test");
  EXPECT_EQ(user.first_name(), "Alex");
  EXPECT_EQ(user.last_name(), "Rivera");
  EXPECT_EQ(user.status(), v1::USER_STATUS_ACTIVE);
  EXPECT_EQ(user.sequencer().provider(), v1::SEQUENCER_PROVIDER_SMARTLEAD);
  ASSERT_TRUE(user.sequencer().has_client_id());
  EXPECT_EQ(user.sequencer().client_id(), 366903);
  EXPECT_EQ(user.created_at().seconds(), 1782898200);  // 2026-07-01T09:30:00Z
}

TEST(DecodeUserTest, NullClientIdIsTheDefaultRoute) {
  absl::StatusOr<v1::DeleteUserResponse> reply = kDeleteUser.decode(Data("users/user_default_route.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->user().status(), v1::USER_STATUS_DELETED);
  EXPECT_EQ(reply->user().sequencer().provider(), v1::SEQUENCER_PROVIDER_SMARTLEAD);
  EXPECT_FALSE(reply->user().sequencer().has_client_id());
  EXPECT_EQ(reply->user().created_at().nanos(), 250000000);
}

TEST(DecodeUserTest, EveryWriteRepliesWithTheUser) {
  const nlohmann::json data = Data("users/user.json");
  absl::StatusOr<v1::CreateUserResponse> created = kCreateUser.decode(data);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->user().id(), "usr_01JA0000000000000000000010");
  absl::StatusOr<v1::UpdateUserResponse> updated = kUpdateUser.decode(data);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->user().email(), "alex@acme.test");
  absl::StatusOr<v1::DeleteUserResponse> deleted = kDeleteUser.decode(data);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  // Decoded as sent: the documented delete example still says `active`.
  EXPECT_EQ(deleted->user().status(), v1::USER_STATUS_ACTIVE);
}

TEST(DecodeUserTest, UnknownStatusAndProviderAreUnspecified) {
  absl::StatusOr<v1::GetUserResponse> reply = kGetUser.decode(Data("users/user_unknown_enums.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->user().status(), v1::USER_STATUS_UNSPECIFIED);
  EXPECT_EQ(reply->user().sequencer().provider(), v1::SEQUENCER_PROVIDER_UNSPECIFIED);
  EXPECT_EQ(reply->user().sequencer().client_id(), 7);
  EXPECT_EQ(reply->user().first_name(), "");
}

TEST(DecodeUserTest, ClientIdThatIsNotAnIntegerIsAnErrorNamingIt) {
  const absl::Status status = kGetUser.decode(Data("users/user_client_id_not_integer.json")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("`data.sequencer.client_id` is not an integer"));
}

TEST(DecodeUserTest, MissingIdIsAnError) {
  nlohmann::json data = Data("users/user.json");
  data.erase("id");
  EXPECT_THAT(kGetUser.decode(data).status().message(), HasSubstr("`data.id` is missing"));
}

TEST(DecodeUserTest, ListUsers) {
  absl::StatusOr<v1::ListUsersResponse> reply = kListUsers.decode(Data("users/user_list.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->users_size(), 2);
  EXPECT_EQ(reply->users(0).sequencer().client_id(), 366903);
  EXPECT_EQ(reply->users(1).id(), "usr_01JA0000000000000000000011");
  EXPECT_EQ(reply->users(1).status(), v1::USER_STATUS_DELETED);
  EXPECT_FALSE(reply->users(1).sequencer().has_client_id());
  EXPECT_TRUE(reply->next_page_token().empty());
}

TEST(DecodeUserTest, ListRowOfTheWrongTypeNamesItsIndexAndField) {
  const absl::Status status = kListUsers.decode(Data("users/user_list_bad_email.json")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("in `data[1]`: field `data.email` is not a string"));
}

}  // namespace
}  // namespace gateway::partner
