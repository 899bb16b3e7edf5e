// Unit tests for paging, which every list endpoint of PartnerEmulator shares:
// per_page, opaque page tokens tied to one list and its filters, links and
// meta, and the 400s for bad paging or filter values.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/sandbox/emulator_test_fixture.h"

namespace gateway::sandbox {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PagingTest : public PartnerEmulatorTest {
 protected:
  void CreateUsers(int count, const std::string& prefix = "user") {
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(Post("/partner/v1/users",
                     {{"email", absl::StrCat(prefix, i, "@x.test")},
                      {"sequencer", {{"provider", "smartlead"}}}})
                    .status,
                201);
    }
  }

  // page_token of a links.next URL.
  static std::string TokenOf(const json& next) {
    const std::string url = next;
    return url.substr(url.find("page_token=") + 11);
  }
};

TEST_F(PagingTest, TwoHundredSixtyUsersInThreePagesOfAHundred) {
  CreateUsers(260);
  std::set<std::string> seen;
  std::vector<size_t> returned;
  Query query = {{"per_page", "100"}};
  json page;
  for (int i = 0; i < 3; ++i) {
    page = Body(Get("/partner/v1/users", query));
    returned.push_back(page["meta"]["returned"]);
    EXPECT_EQ(page["data"].size(), page["meta"]["returned"].get<size_t>());
    EXPECT_EQ(page["meta"]["per_page"], 100);
    EXPECT_EQ(page["meta"]["path"],
              "http://partner-sandbox/partner/v1/users");
    EXPECT_EQ(page["links"]["first"],
              "http://partner-sandbox/partner/v1/users?per_page=100");
    for (const json& user : page["data"]) {
      EXPECT_TRUE(seen.insert(user["email"]).second) << user["email"];
    }
    if (i < 2) {
      ASSERT_TRUE(page["links"]["next"].is_string());
      EXPECT_THAT(page["links"]["next"].get<std::string>(),
                  HasSubstr("/partner/v1/users?per_page=100&page_token="));
      query["page_token"] = TokenOf(page["links"]["next"]);
    }
  }
  EXPECT_THAT(returned, ElementsAre(100, 100, 60));
  EXPECT_TRUE(page["links"]["next"].is_null());
  EXPECT_EQ(seen.size(), 260u);
  // Creation order across pages.
  EXPECT_EQ(page["data"][59]["email"], "user259@x.test");
}

TEST_F(PagingTest, DefaultPageSizeIsTwentyFive) {
  CreateUsers(26);
  const json page = Body(Get("/partner/v1/users"));
  EXPECT_EQ(page["meta"]["per_page"], 25);
  EXPECT_EQ(page["meta"]["returned"], 25);
  EXPECT_EQ(page["links"]["first"],
            "http://partner-sandbox/partner/v1/users?per_page=25");
  int pages = 0;
  EXPECT_EQ(AllPages("/partner/v1/users", {}, &pages).size(), 26u);
  EXPECT_EQ(pages, 2);
}

TEST_F(PagingTest, ExactMultipleEndsWithNullNext) {
  CreateUsers(4);
  const json page = Body(Get("/partner/v1/users", {{"per_page", "4"}}));
  EXPECT_EQ(page["meta"]["returned"], 4);
  EXPECT_TRUE(page["links"]["next"].is_null());
  const json empty = Body(Get("/partner/v1/swaps"));
  EXPECT_EQ(empty["data"], json::array());
  EXPECT_EQ(empty["meta"]["returned"], 0);
  EXPECT_TRUE(empty["links"]["next"].is_null());
}

TEST_F(PagingTest, FiltersAreEchoedEscapedOnTheHostHeader) {
  CreateUsers(3);
  const json page = Body(Call("GET", "/partner/v1/users", "", kKey,
                              {{"email", "user1+a b@x.test"},
                               {"status", "active"},
                               {"per_page", "1"}}));
  EXPECT_EQ(page["links"]["first"],
            "http://partner-sandbox/partner/v1/users?"
            "email=user1%2Ba%20b%40x.test&status=active&per_page=1");

  ApiRequest request{"GET", "/partner/v1/users", {{"per_page", "2"}}, {}, "", ""};
  request.headers["authorization"] = std::string("Bearer ") + kKey;
  request.headers["host"] = "127.0.0.1:8081";
  const json hosted = Body(emulator_.Handle(request));
  EXPECT_EQ(hosted["meta"]["path"], "http://127.0.0.1:8081/partner/v1/users");
  const std::string next = hosted["links"]["next"];
  EXPECT_THAT(next, ::testing::StartsWith(
                        "http://127.0.0.1:8081/partner/v1/users?per_page=2&"
                        "page_token="));
}

TEST_F(PagingTest, FilteredListsPageThroughMatchesOnly) {
  CreateUsers(5, "keep");
  CreateUsers(5, "drop");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Delete(absl::StrCat("/partner/v1/users/",
                                  Data(Get("/partner/v1/users",
                                           {{"email", absl::StrCat(
                                                          "drop", i,
                                                          "@x.test")}}))[0]
                                      ["id"]
                                          .get<std::string>()))
                  .status,
              200);
  }
  int pages = 0;
  const json deleted = AllPages(
      "/partner/v1/users", {{"status", "deleted"}, {"per_page", "2"}}, &pages);
  ASSERT_EQ(deleted.size(), 5u);
  EXPECT_EQ(pages, 3);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(deleted[i]["email"], absl::StrCat("drop", i, "@x.test"));
  }
}

TEST_F(PagingTest, RecordsAddedBetweenPagesAreNotRepeated) {
  CreateUsers(3);
  const json first = Body(Get("/partner/v1/users", {{"per_page", "2"}}));
  CreateUsers(1, "late");
  const json second = Body(Get(
      "/partner/v1/users",
      {{"per_page", "2"}, {"page_token", TokenOf(first["links"]["next"])}}));
  ASSERT_EQ(second["data"].size(), 2u);
  EXPECT_EQ(second["data"][0]["email"], "user2@x.test");
  EXPECT_EQ(second["data"][1]["email"], "late0@x.test");
}

TEST_F(PagingTest, BadPerPageIs400) {
  for (const std::string value :
       {"0", "101", "-1", "abc", "", "10.5", " 5", "1000"}) {
    SCOPED_TRACE(value);
    ExpectError(Get("/partner/v1/users", {{"per_page", value}}), 400,
                "invalid_request", "per_page");
  }
  EXPECT_EQ(Get("/partner/v1/users", {{"per_page", "1"}}).status, 200);
  EXPECT_EQ(Get("/partner/v1/users", {{"per_page", "100"}}).status, 200);
}

TEST_F(PagingTest, ForgedTokenIs400) {
  CreateUsers(3);
  for (const std::string& token :
       {std::string("garbage!"), std::string(""),
        absl::WebSafeBase64Escape("1:deadbeef"),
        absl::WebSafeBase64Escape("1"), absl::WebSafeBase64Escape("x:y")}) {
    SCOPED_TRACE(token);
    ExpectError(Get("/partner/v1/users", {{"page_token", token}}), 400,
                "invalid_request", "page_token");
  }
}

TEST_F(PagingTest, TokenOnlyFitsItsListAndFilters) {
  CreateUsers(3);
  for (int i = 0; i < 3; ++i) {
    CreateBundle({{"name", absl::StrCat("b", i)},
                  {"monthly_sending_volume", 1000}});
  }
  const std::string token = TokenOf(
      Body(Get("/partner/v1/users", {{"status", "active"}, {"per_page", "1"}}))
          ["links"]["next"]);
  // The same filters, even with another page size: fine.
  EXPECT_EQ(Get("/partner/v1/users", {{"status", "active"},
                                      {"per_page", "2"},
                                      {"page_token", token}})
                .status,
            200);
  const std::vector<std::pair<std::string, Query>> misuses = {
      {"/partner/v1/users", {{"page_token", token}}},
      {"/partner/v1/users", {{"status", "deleted"}, {"page_token", token}}},
      {"/partner/v1/users",
       {{"status", "active"}, {"email", "user1@x.test"}, {"page_token", token}}},
      {"/partner/v1/bundles", {{"status", "active"}, {"page_token", token}}},
  };
  for (const auto& [path, query] : misuses) {
    SCOPED_TRACE(path);
    ExpectError(Get(path, query), 400, "invalid_request", "page_token");
  }
}

TEST_F(PagingTest, EveryListRejectsUnknownEnumValues) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/partner/v1/users", "status"},
      {"/partner/v1/bundles", "status"},
      {"/partner/v1/orders", "status"},
      {"/partner/v1/orders/pending", "status"},
      {"/partner/v1/domains", "category"},
      {"/partner/v1/domains", "usable_for"},
      {"/partner/v1/domains", "status"},
      {"/partner/v1/swaps", "status"},
  };
  for (const auto& [path, field] : cases) {
    SCOPED_TRACE(path + " " + field);
    ExpectError(Get(path, {{field, "Bogus"}}), 400, "invalid_request", field);
  }
}

TEST_F(PagingTest, EveryListIsPaged) {
  for (const std::string path :
       {"/partner/v1/users", "/partner/v1/bundles", "/partner/v1/orders",
        "/partner/v1/orders/pending", "/partner/v1/domains",
        "/partner/v1/swaps"}) {
    SCOPED_TRACE(path);
    const json page = Body(Get(path, {{"per_page", "7"}}));
    EXPECT_TRUE(page["data"].is_array());
    EXPECT_EQ(page["meta"]["per_page"], 7);
    EXPECT_EQ(page["meta"]["path"], absl::StrCat("http://partner-sandbox", path));
    EXPECT_TRUE(page["links"].contains("next"));
    ExpectError(Get(path, {{"per_page", "0"}}), 400, "invalid_request",
                "per_page");
  }
}

}  // namespace
}  // namespace gateway::sandbox
