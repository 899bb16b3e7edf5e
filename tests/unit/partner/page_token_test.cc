#include "server/partner/page_token.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);
const common::Secret kKey("pk_test_FAKE_page_tokens");

PageTokens Tokens(const std::string& status = "active", v1::Environment env = v1::ENVIRONMENT_SANDBOX,
                  const common::Secret& key = kKey) {
  return PageTokens("/bundles", env, {{"status", status}}, key);
}

TEST(PageTokenTest, RoundTripsThePartnersTokenByteForByte) {
  const std::string partner_token = std::string("opaque/+=\0token", 15);
  const std::string token = Tokens().Seal(partner_token, kNow);
  EXPECT_EQ(token.find("opaque"), std::string::npos);
  auto opened = Tokens().Open(token, kNow + absl::Hours(1));
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, partner_token);
}

TEST(PageTokenTest, EmptyMeansTheFirstPage) {
  auto opened = Tokens().Open("", kNow);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
}

TEST(PageTokenTest, AnotherListFilterEnvironmentOrKeyRejectsIt) {
  const std::string token = Tokens().Seal("t", kNow);
  EXPECT_EQ(Tokens("archived").Open(token, kNow).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Tokens("active", v1::ENVIRONMENT_LIVE).Open(token, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Tokens("active", v1::ENVIRONMENT_SANDBOX, common::Secret("pk_test_FAKE_other")).Open(token, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PageTokens("/users", v1::ENVIRONMENT_SANDBOX, {{"status", "active"}}, kKey).Open(token, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PageTokenTest, FilterBoundariesCannotBeShifted) {
  // "a=bc" and "ab=c" must not seal alike.
  const std::string token = PageTokens("/x", v1::ENVIRONMENT_SANDBOX, {{"a", "bc"}}, kKey).Seal("t", kNow);
  EXPECT_FALSE(PageTokens("/x", v1::ENVIRONMENT_SANDBOX, {{"ab", "c"}}, kKey).Open(token, kNow).ok());
}

TEST(PageTokenTest, ExpiresAfterItsLifetime) {
  const std::string token = Tokens().Seal("t", kNow);
  EXPECT_TRUE(Tokens().Open(token, kNow + kPageTokenLifetime).ok());
  auto stale = Tokens().Open(token, kNow + kPageTokenLifetime + absl::Seconds(1));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(stale.status().message(), ::testing::HasSubstr("expired"));
}

TEST(PageTokenTest, EveryEditedByteIsDetected) {
  const std::string token = Tokens().Seal("partner-token", kNow);
  for (size_t i = 0; i < token.size(); ++i) {
    std::string edited = token;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(Tokens().Open(edited, kNow).ok()) << "byte " << i;
  }
  EXPECT_FALSE(Tokens().Open(token.substr(0, token.size() - 4), kNow).ok());
}

TEST(PageTokenTest, NextLiftsTheTokenOutOfTheNextLink) {
  const PageTokens tokens = Tokens();
  auto next = tokens.Next(nlohmann::json::parse(
                              R"({"links":{"next":"https://api.peeker.ai/partner/v1/bundles?status=active&page_token=a%20b+c&per_page=10"}})"),
                          kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*tokens.Open(*next, kNow), "a b c");
  EXPECT_EQ(*tokens.Next(nlohmann::json::parse(R"({"links":{"next":null}})"), kNow), "");
  EXPECT_EQ(*tokens.Next(nlohmann::json::parse(R"({"data":[]})"), kNow), "");
  EXPECT_FALSE(tokens.Next(nlohmann::json::parse(R"({"links":{"next":42}})"), kNow).ok());
}

}  // namespace
}  // namespace gateway::partner
