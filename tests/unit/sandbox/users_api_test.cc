// Unit tests for the user endpoints of PartnerEmulator: POST/GET /users,
// GET/PATCH/DELETE /users/{id}, and the users POST /orders creates.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/sandbox/emulator_test_fixture.h"

namespace gateway::sandbox {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

json NewUser(const std::string& email) {
  return {{"email", email},
          {"first_name", "Dana"},
          {"last_name", "Okafor"},
          {"sequencer", {{"provider", "smartlead"}, {"client_id", 481516}}}};
}

std::string UserPath(const json& user) {
  return absl::StrCat("/partner/v1/users/", user["id"].get<std::string>());
}

TEST_F(PartnerEmulatorTest, CreateUserShape) {
  const json user = Data(Post("/partner/v1/users", NewUser("ops@client.test")),
                         201);
  EXPECT_THAT(user["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("usr_", kIdBody)));
  EXPECT_EQ(user, json({{"id", user["id"]},
                        {"email", "ops@client.test"},
                        {"first_name", "Dana"},
                        {"last_name", "Okafor"},
                        {"status", "active"},
                        {"sequencer",
                         {{"provider", "smartlead"}, {"client_id", 481516}}},
                        {"created_at", "2026-07-01T09:30:00Z"}}));
  EXPECT_EQ(Data(Get(UserPath(user))), user);
  ExpectError(Get("/partner/v1/users/usr_NOPE"), 404, "not_found");
}

TEST_F(PartnerEmulatorTest, CreateUserOptionalFieldsAndDefaultRoute) {
  for (const json& client_id : {json(nullptr), json("")}) {
    SCOPED_TRACE(client_id.dump());
    const json user = Data(
        Post("/partner/v1/users",
             {{"email", absl::StrCat("u", client_id.dump().size(), "@x.test")},
              {"sequencer",
               {{"provider", "smartlead"}, {"client_id", client_id}}}}),
        201);
    EXPECT_EQ(user["first_name"], "");
    EXPECT_EQ(user["last_name"], "");
    EXPECT_TRUE(user["sequencer"]["client_id"].is_null());
  }
  const json user = Data(Post("/partner/v1/users",
                              {{"email", "nokey@x.test"},
                               {"sequencer", {{"provider", "smartlead"}}}}),
                         201);
  EXPECT_TRUE(user["sequencer"]["client_id"].is_null());
}

TEST_F(PartnerEmulatorTest, CreateUserValidationNamesTheField) {
  struct Case {
    json patch;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"email", nullptr}}, "email"},
      {{{"email", "no-at-sign"}}, "email"},
      {{{"email", 5}}, "email"},
      {{{"sequencer", nullptr}}, "sequencer"},
      {{{"sequencer", "smartlead"}}, "sequencer"},
      {{{"sequencer", {{"provider", "instantly"}}}}, "sequencer.provider"},
      {{{"sequencer", {{"provider", nullptr}}}}, "sequencer.provider"},
      {{{"sequencer", {{"provider", "smartlead"}, {"client_id", "42"}}}},
       "sequencer.client_id"},
      {{{"sequencer", {{"provider", "smartlead"}, {"client_id", 4.2}}}},
       "sequencer.client_id"},
      {{{"first_name", 7}}, "first_name"},
      {{{"last_name", json::array()}}, "last_name"},
  };
  for (const Case& c : cases) {
    json body = NewUser("ops@client.test");
    body.merge_patch(c.patch);  // a null removes the key
    SCOPED_TRACE(body.dump());
    ExpectError(Post("/partner/v1/users", body), 400, "invalid_request",
                c.field);
  }
  ExpectError(Call("POST", "/partner/v1/users", "[]"), 400, "invalid_request");
  EXPECT_THAT(Data(Get("/partner/v1/users")), IsEmpty());
}

TEST_F(PartnerEmulatorTest, EmailTakenIgnoresCase) {
  Data(Post("/partner/v1/users", NewUser("ops@client.test")), 201);
  ExpectError(Post("/partner/v1/users", NewUser("OPS@Client.TEST")), 409,
              "email_taken", "email");
}

TEST_F(PartnerEmulatorTest, ListUsersFilters) {
  const json a = Data(Post("/partner/v1/users", NewUser("a@x.test")), 201);
  const json b = Data(Post("/partner/v1/users", NewUser("B@x.test")), 201);
  ASSERT_EQ(Delete(UserPath(a)).status, 200);
  auto ids = [&](const Query& query) {
    std::vector<std::string> out;
    for (const json& row : Data(Get("/partner/v1/users", query))) {
      out.push_back(row["id"]);
    }
    return out;
  };
  EXPECT_THAT(ids({}), ElementsAre(a["id"], b["id"]));
  EXPECT_THAT(ids({{"email", "b@X.test"}}), ElementsAre(b["id"]));
  EXPECT_THAT(ids({{"email", "b@x"}}), IsEmpty());
  EXPECT_THAT(ids({{"status", "active"}}), ElementsAre(b["id"]));
  EXPECT_THAT(ids({{"status", "deleted"}}), ElementsAre(a["id"]));
  ExpectError(Get("/partner/v1/users", {{"status", "gone"}}), 400,
              "invalid_request", "status");
}

TEST_F(PartnerEmulatorTest, PatchUserChangesOnlyWhatIsSent) {
  const json user = Data(Post("/partner/v1/users", NewUser("ops@client.test")),
                         201);
  const json renamed = Data(Patch(UserPath(user), {{"last_name", "Lee"}}));
  json expected = user;
  expected["last_name"] = "Lee";
  EXPECT_EQ(renamed, expected);

  const json rerouted = Data(Patch(
      UserPath(user), {{"email", "OPS@client.test"},
                       {"sequencer", {{"provider", "smartlead"},
                                      {"client_id", nullptr}}}}));
  EXPECT_EQ(rerouted["email"], "OPS@client.test");  // its own, new case
  EXPECT_TRUE(rerouted["sequencer"]["client_id"].is_null());
  EXPECT_EQ(Data(Get(UserPath(user))), rerouted);

  const json moved = Data(Patch(UserPath(user), {{"email", "new@client.test"}}));
  EXPECT_EQ(moved["email"], "new@client.test");
  // The old email is free again.
  Data(Post("/partner/v1/users", NewUser("ops@client.test")), 201);
}

TEST_F(PartnerEmulatorTest, PatchUserErrors) {
  const json user = Data(Post("/partner/v1/users", NewUser("ops@client.test")),
                         201);
  Data(Post("/partner/v1/users", NewUser("taken@client.test")), 201);
  ExpectError(Patch(UserPath(user), {{"email", "Taken@client.test"}}), 409,
              "email_taken", "email");
  ExpectError(Patch(UserPath(user), {{"email", "nope"}}), 400,
              "invalid_request", "email");
  ExpectError(Patch(UserPath(user), {{"sequencer", {{"provider", "x"}}}}), 400,
              "invalid_request", "sequencer.provider");
  ExpectError(Patch(UserPath(user), {{"first_name", nullptr}}), 400,
              "invalid_request", "first_name");
  ExpectError(Call("PATCH", UserPath(user), "nope"), 400, "invalid_request");
  ExpectError(Patch("/partner/v1/users/usr_NOPE", {{"first_name", "x"}}), 404,
              "not_found");
  EXPECT_EQ(Data(Get(UserPath(user)))["email"], "ops@client.test");
}

TEST_F(PartnerEmulatorTest, DeleteUserIsSoft) {
  const json user = Data(Post("/partner/v1/users", NewUser("ops@client.test")),
                         201);
  json expected = user;
  expected["status"] = "deleted";
  EXPECT_EQ(Data(Delete(UserPath(user))), expected);
  EXPECT_EQ(Data(Get(UserPath(user))), expected);
  ExpectError(Delete(UserPath(user)), 404, "not_found");
  ExpectError(Patch(UserPath(user), {{"first_name", "x"}}), 404, "not_found");
  // Orders cannot name a deleted user; its email makes a new user.
  json order = ValidOrder(SmallBundleId());
  order["user"] = user["id"];
  ExpectError(PostOrder(order), 404, "not_found", "user");
  order["user"] = "ops@client.test";
  EXPECT_NE(PlaceOrder(order)["user_id"], user["id"]);
}

TEST_F(PartnerEmulatorTest, OrdersCreateAndReuseUserRecords) {
  const json order = PlaceOrder(ValidOrder(SmallBundleId()));
  const json user = Data(Get(absl::StrCat(
      "/partner/v1/users/", order["user_id"].get<std::string>())));
  EXPECT_EQ(user, json({{"id", order["user_id"]},
                        {"email", "ops@client.test"},
                        {"first_name", ""},
                        {"last_name", ""},
                        {"status", "active"},
                        {"sequencer",
                         {{"provider", "smartlead"}, {"client_id", 42}}},
                        {"created_at", "2026-07-01T09:30:00Z"}}));
  ExpectError(Post("/partner/v1/users", NewUser("Ops@Client.test")), 409,
              "email_taken", "email");

  // A user made with POST /users is the one an order by email uses.
  const json made = Data(Post("/partner/v1/users", NewUser("made@x.test")), 201);
  json body = ValidOrder(SmallBundleId());
  body["user"] = "MADE@x.test";
  EXPECT_EQ(PlaceOrder(body)["user_id"], made["id"]);
  body["user"] = made["id"];
  body["personas"][0]["first_name"] = "Other";
  const json by_id = PlaceOrder(body);
  EXPECT_EQ(by_id["email"], "made@x.test");
}

TEST_F(PartnerEmulatorTest, OrderSequencerClientIdMayBeEmpty) {
  json body = ValidOrder(SmallBundleId());
  body["sequencer"]["client_id"] = "";
  const json order = PlaceOrder(body);
  EXPECT_TRUE(Data(Get(absl::StrCat("/partner/v1/users/",
                                    order["user_id"].get<std::string>())))
                  ["sequencer"]["client_id"]
                      .is_null());
}

}  // namespace
}  // namespace gateway::sandbox
