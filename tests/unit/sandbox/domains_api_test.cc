// Unit tests for the domain endpoints of PartnerEmulator: availability,
// GET /domains, synchronous imports, import jobs and lookups, and forwarding
// jobs (time-based transitions driven by the injected clock).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/sandbox/emulator_test_fixture.h"

namespace gateway::sandbox {
namespace {

using ::testing::ElementsAre;
using ::testing::MatchesRegex;

// ------------------------------------------------------------ availability

TEST_F(PartnerEmulatorTest, AvailabilityNamedRulesInRequestOrder) {
  const json rows =
      Availability({"bad_name.com", "taken-brand.com", "abc.com",
                    "googleonly-brand.com", "Avail-Brand.COM", "nodot"});
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0], json({{"domain", "bad_name.com"},
                           {"available", false},
                           {"premium", false},
                           {"reason", "invalid"}}));
  EXPECT_EQ(rows[1], json({{"domain", "taken-brand.com"},
                           {"available", false},
                           {"premium", false},
                           {"reason", "taken"}}));
  EXPECT_EQ(rows[2], json({{"domain", "abc.com"},
                           {"available", false},
                           {"premium", true},
                           {"reason", "premium"}}));
  EXPECT_EQ(rows[3]["available"], true);
  EXPECT_EQ(rows[3]["usable_for"], json({"google"}));
  EXPECT_EQ(rows[4]["domain"], "Avail-Brand.COM");
  EXPECT_EQ(rows[4]["available"], true);
  EXPECT_EQ(rows[4]["usable_for"], json({"google", "microsoft"}));
  EXPECT_EQ(rows[5]["reason"], "invalid");
}

TEST_F(PartnerEmulatorTest, AvailableRowShape) {
  const json row = Availability({"avail-brand.com"})[0];
  const int64_t price = 1100 + (Fnv1a("avail-brand.com") % 5) * 100;
  EXPECT_EQ(row, json({{"domain", "avail-brand.com"},
                       {"available", true},
                       {"premium", false},
                       {"price_cents", price},
                       {"renewal_price_cents", price + 200},
                       {"currency", "usd"},
                       {"usable_for", {"google", "microsoft"}}}));
}

// The rows the Partner's documentation shows win over the rules (which
// would price these names by hash and find no "taken" in contoso.com).
TEST_F(PartnerEmulatorTest, AvailabilityAnswersTheDocumentedExamplesAsShown) {
  const json rows = Availability(
      {"acme-mail.com", "team-acme.com", "contoso-outreach.com", "contoso.com"});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], json({{"domain", "acme-mail.com"},
                           {"available", true},
                           {"premium", false},
                           {"price_cents", 1300},
                           {"renewal_price_cents", 1500},
                           {"currency", "usd"},
                           {"usable_for", {"google", "microsoft"}}}));
  EXPECT_EQ(rows[1]["price_cents"], 1300);
  EXPECT_EQ(rows[1]["renewal_price_cents"], 1500);
  EXPECT_EQ(rows[1]["usable_for"], json({"google"}));
  EXPECT_EQ(rows[2]["price_cents"], 1199);
  EXPECT_EQ(rows[2]["renewal_price_cents"], 1399);
  EXPECT_EQ(rows[2]["usable_for"], json({"google", "microsoft"}));
  EXPECT_EQ(rows[3], json({{"domain", "contoso.com"},
                           {"available", false},
                           {"premium", false},
                           {"reason", "taken"}}));
}

TEST_F(PartnerEmulatorTest, AvailabilityInvalidSyntaxRules) {
  const std::string long_label(64, 'a');
  const json rows = Availability(
      {"-lead.com", "trail-.com", "a..com", "brand.c", "brand.c0m",
       long_label + ".com", "brand.com.", "good-brand.co.uk"});
  for (size_t i = 0; i + 1 < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["reason"], "invalid") << rows[i].dump();
  }
  EXPECT_NE(rows.back().value("reason", ""), "invalid");
}

TEST_F(PartnerEmulatorTest, AvailabilityHashRule) {
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back(absl::StrCat("brand", i, ".io"));
  const json rows = Availability(names);
  ASSERT_EQ(rows.size(), names.size());
  bool saw_taken = false;
  bool saw_google_only = false;
  for (size_t i = 0; i < names.size(); ++i) {
    const uint32_t h = Fnv1a(names[i]);
    SCOPED_TRACE(names[i]);
    if (h % 10 == 0) {
      saw_taken = true;
      EXPECT_EQ(rows[i]["reason"], "taken");
      EXPECT_FALSE(rows[i].contains("usable_for"));
      continue;
    }
    EXPECT_EQ(rows[i]["available"], true);
    EXPECT_EQ(rows[i]["price_cents"], 1100 + (h % 5) * 100);
    if (h % 3 == 0) {
      saw_google_only = true;
      EXPECT_EQ(rows[i]["usable_for"], json({"google"}));
    } else {
      EXPECT_EQ(rows[i]["usable_for"], json({"google", "microsoft"}));
    }
  }
  EXPECT_TRUE(saw_taken);
  EXPECT_TRUE(saw_google_only);
}

TEST_F(PartnerEmulatorTest, AvailabilityBatchLimits) {
  std::vector<std::string> fifty(50, "avail-x.com");
  EXPECT_EQ(Availability(fifty).size(), 50u);
  std::vector<std::string> fifty_one(51, "avail-x.com");
  ExpectError(Post("/partner/v1/domains/availability",
                   {{"domains", fifty_one}}),
              400, "invalid_request", "domains");
  ExpectError(Post("/partner/v1/domains/availability",
                   {{"domains", json::array()}}),
              400, "invalid_request", "domains");
  ExpectError(Post("/partner/v1/domains/availability", {{"names", {"a.com"}}}),
              400, "invalid_request", "domains");
}

// ------------------------------------------------------------------ import

TEST_F(PartnerEmulatorTest, ImportRootSubdomainAndInvalid) {
  const json data = Import({"acme-owned.com", "mail.acme-owned.com",
                            "not a domain", "acme-owned.co.uk"});
  EXPECT_THAT(data["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("imp_", kIdBody)));
  EXPECT_EQ(data["status"], "completed");
  EXPECT_EQ(data["created_at"], "2026-07-01T09:30:00Z");
  EXPECT_EQ(data["completed_at"], "2026-07-01T09:30:00Z");
  EXPECT_EQ(data["domains"],
            json::parse(R"([
      {"domain":"acme-owned.com","status":"completed","failure_reason":null},
      {"domain":"mail.acme-owned.com","status":"failed",
       "failure_reason":"not_root_domain"},
      {"domain":"not a domain","status":"failed",
       "failure_reason":"invalid_domain"},
      {"domain":"acme-owned.co.uk","status":"completed","failure_reason":null}
    ])"));
  EXPECT_EQ(data["nameserver_groups"],
            json::parse(R"([{
              "nameservers":["ana.ns.sandbox.peeker.test",
                             "bob.ns.sandbox.peeker.test"],
              "domains":["acme-owned.com","acme-owned.co.uk"]}])"));
}

TEST_F(PartnerEmulatorTest, ImportWithNoSuccessIsFailed) {
  const json data = Import({"a.b.example.com"});
  EXPECT_EQ(data["status"], "failed");
  EXPECT_EQ(data["nameserver_groups"], json::array());
}

TEST_F(PartnerEmulatorTest, ImportBatchLimit) {
  ExpectError(Post("/partner/v1/domains/import",
                   {{"domains", std::vector<std::string>(26, "x-y.com")}}),
              400, "invalid_request", "domains");
}

TEST_F(PartnerEmulatorTest, ImportIsRetrievableById) {
  const json created = Import({"acme-owned.com", "mail.acme-owned.com"});
  EXPECT_EQ(Data(Get(absl::StrCat("/partner/v1/domains/import/",
                                  created["id"].get<std::string>()))),
            created);
  ExpectError(Get("/partner/v1/domains/import/imp_NOPE"), 404, "not_found");
}

// ----------------------------------------------------------------- domains

json Row(const json& rows, const std::string& name) {
  for (const json& row : rows) {
    if (row["domain"] == name) return row;
  }
  ADD_FAILURE() << name << " not in " << rows.dump();
  return json::object();
}

TEST_F(PartnerEmulatorTest, OrderedDomainsAreConnectedRecords) {
  const json order = PlaceOrder(ValidOrder(SmallBundleId()));
  const json rows = Data(Get("/partner/v1/domains"));
  ASSERT_EQ(rows.size(), 2u) << rows.dump();
  const json alpha = Row(rows, "avail-alpha.com");
  EXPECT_THAT(alpha["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("dom_", kIdBody)));
  EXPECT_EQ(alpha, json({{"id", alpha["id"]},
                         {"domain", "avail-alpha.com"},
                         {"category", "connected"},
                         {"status", "active"},
                         {"provider", "microsoft"},
                         {"user_id", order["user_id"]},
                         {"order_id", order["id"]},
                         {"usable_for", {"google", "microsoft"}},
                         {"forwarding_url", "https://client.test"},
                         {"created_at", "2026-07-01T09:30:00Z"}}));
  const json beta = Row(rows, "avail-beta.com");
  EXPECT_EQ(beta["provider"], "google");
  EXPECT_EQ(beta["forwarding_url"], "https://shop.client.test");

  // No forwarding anywhere: null. A Google-only name is usable for Google.
  json body = ValidOrder(SmallBundleId());
  body.erase("forwarding_url");
  body["user"] = "other@client.test";
  body["domains"] = {"avail-gamma.com", "googleonly-delta.com"};
  PlaceOrder(body);
  const json delta = Row(Data(Get("/partner/v1/domains")), "googleonly-delta.com");
  EXPECT_TRUE(delta["forwarding_url"].is_null());
  EXPECT_EQ(delta["usable_for"], json({"google"}));
  EXPECT_EQ(delta["provider"], "google");
}

TEST_F(PartnerEmulatorTest, ImportedDomainIsInventoryUntilAnOrderUsesIt) {
  Import({"acme-one.com", "mail.acme-one.com"});
  const json inventory = Data(Get("/partner/v1/domains"));
  ASSERT_EQ(inventory.size(), 1u) << inventory.dump();
  const json record = inventory[0];
  EXPECT_EQ(record, json({{"id", record["id"]},
                          {"domain", "acme-one.com"},
                          {"category", "inventory"},
                          {"status", "available"},
                          {"provider", nullptr},
                          {"user_id", nullptr},
                          {"order_id", nullptr},
                          {"usable_for", {"google", "microsoft"}},
                          {"forwarding_url", nullptr},
                          {"created_at", "2026-07-01T09:30:00Z"}}));
  // Importing it again does not duplicate the record.
  Import({"ACME-one.com"});
  EXPECT_EQ(Data(Get("/partner/v1/domains")).size(), 1u);

  json body = ValidOrder(SmallBundleId());
  body["domains"] = {"Acme-One.com", "avail-beta.com"};
  const json order = PlaceOrder(body);
  const json connected = Row(Data(Get("/partner/v1/domains")), "acme-one.com");
  EXPECT_EQ(connected["id"], record["id"]);
  EXPECT_EQ(connected["category"], "connected");
  EXPECT_EQ(connected["status"], "active");
  EXPECT_EQ(connected["order_id"], order["id"]);
  EXPECT_EQ(connected["provider"], "microsoft");
  EXPECT_EQ(connected["forwarding_url"], "https://client.test");
}

TEST_F(PartnerEmulatorTest, ListDomainsFilters) {
  Import({"acme-inv.com"});
  const json first = PlaceOrder(ValidOrder(SmallBundleId()));
  json body = ValidOrder(SmallBundleId());
  body["user"] = "Second@Client.test";
  body["domains"] = {"avail-gamma.com", "googleonly-delta.com"};
  const json second = PlaceOrder(body);

  auto names = [&](const Query& query) {
    std::vector<std::string> out;
    for (const json& row : Data(Get("/partner/v1/domains", query))) {
      out.push_back(row["domain"]);
    }
    return out;
  };
  EXPECT_THAT(names({{"category", "inventory"}}), ElementsAre("acme-inv.com"));
  EXPECT_THAT(names({{"category", "connected"}}),
              ElementsAre("avail-alpha.com", "avail-beta.com",
                          "avail-gamma.com", "googleonly-delta.com"));
  EXPECT_THAT(names({{"user_id", second["user_id"]}}),
              ElementsAre("avail-gamma.com", "googleonly-delta.com"));
  EXPECT_THAT(names({{"user_email", "second@client.TEST"}}),
              ElementsAre("avail-gamma.com", "googleonly-delta.com"));
  EXPECT_THAT(names({{"user_id", first["user_id"]},
                     {"usable_for", "microsoft"}}),
              ElementsAre("avail-alpha.com", "avail-beta.com"));
  EXPECT_THAT(names({{"usable_for", "microsoft"}, {"user_id", second["user_id"]}}),
              ElementsAre("avail-gamma.com"));
  EXPECT_THAT(names({{"status", "available"}}), ElementsAre("acme-inv.com"));
  EXPECT_EQ(names({{"status", "active"}}).size(), 4u);
  for (const std::string field : {"category", "usable_for", "status"}) {
    SCOPED_TRACE(field);
    ExpectError(Get("/partner/v1/domains", {{field, "bogus"}}), 400,
                "invalid_request", field);
  }
}

// ------------------------------------------------------------- import jobs

TEST_F(PartnerEmulatorTest, ImportJobCompletesTwoSecondsLater) {
  const ApiResponse created = Post(
      "/partner/v1/domains/import/jobs",
      {{"domains", {"acme-owned.com", " Mail.Acme-Owned.com", "not a domain",
                    "acme-owned.co.uk", "acme-owned.com"}}});
  const json job = Data(created, 202);
  EXPECT_THAT(job["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("imp_", kIdBody)));
  // The normalized set (trimmed, lower-cased, sorted, unique), in progress.
  EXPECT_EQ(job, json::parse(absl::StrCat(R"({"id":")", job["id"].get<std::string>(), R"(",
    "status":"in_progress","created_at":"2026-07-01T09:30:00Z",
    "nameserver_groups":[],
    "domains":[
      {"domain":"acme-owned.co.uk","status":"in_progress","failure_reason":null},
      {"domain":"acme-owned.com","status":"in_progress","failure_reason":null},
      {"domain":"mail.acme-owned.com","status":"in_progress","failure_reason":null},
      {"domain":"not a domain","status":"in_progress","failure_reason":null}]})")));
  const std::string path = absl::StrCat("/partner/v1/domains/import/jobs/",
                                        job["id"].get<std::string>());
  now_ += absl::Milliseconds(1999);
  EXPECT_EQ(Data(Get(path))["status"], "in_progress");
  EXPECT_EQ(Data(Get("/partner/v1/domains")), json::array());

  now_ += absl::Milliseconds(1);
  const json done = Data(Get(path));
  EXPECT_EQ(done["status"], "completed");
  EXPECT_EQ(done["completed_at"], "2026-07-01T09:30:02Z");
  EXPECT_EQ(done["domains"], json::parse(R"([
    {"domain":"acme-owned.co.uk","status":"completed","failure_reason":null},
    {"domain":"acme-owned.com","status":"completed","failure_reason":null},
    {"domain":"mail.acme-owned.com","status":"failed",
     "failure_reason":"not_root_domain"},
    {"domain":"not a domain","status":"failed",
     "failure_reason":"invalid_domain"}])"));
  EXPECT_EQ(done["nameserver_groups"], json::parse(R"([{
    "nameservers":["ana.ns.sandbox.peeker.test","bob.ns.sandbox.peeker.test"],
    "domains":["acme-owned.co.uk","acme-owned.com"]}])"));
  // Same object on both paths; the imported domains are now inventory.
  EXPECT_EQ(Data(Get(absl::StrCat("/partner/v1/domains/import/",
                                  job["id"].get<std::string>()))),
            done);
  EXPECT_EQ(Data(Get("/partner/v1/domains", {{"category", "inventory"}})).size(),
            2u);
  ExpectError(Get("/partner/v1/domains/import/jobs/imp_NOPE"), 404,
              "not_found");
}

TEST_F(PartnerEmulatorTest, ImportJobWithNothingImportableFails) {
  const json job = Data(Post("/partner/v1/domains/import/jobs",
                             {{"domains", {"a.b.example.com"}}}),
                        202);
  now_ += absl::Seconds(2);
  const json done = Data(Get(absl::StrCat("/partner/v1/domains/import/jobs/",
                                          job["id"].get<std::string>())));
  EXPECT_EQ(done["status"], "failed");
  EXPECT_EQ(done["nameserver_groups"], json::array());
}

TEST_F(PartnerEmulatorTest, ImportJobSameNormalizedSetReturnsTheJob) {
  const json first = Data(Post("/partner/v1/domains/import/jobs",
                               {{"domains", {"b-brand.com", "a-brand.com"}}}),
                          202);
  now_ += absl::Seconds(5);
  const ApiResponse again =
      Post("/partner/v1/domains/import/jobs",
           {{"domains", {" A-Brand.com", "b-brand.com", "a-brand.com"}}});
  const json repeat = Data(again, 202);
  EXPECT_EQ(repeat["id"], first["id"]);
  EXPECT_EQ(repeat["status"], "completed");
  const json other = Data(Post("/partner/v1/domains/import/jobs",
                               {{"domains", {"a-brand.com"}}}),
                          202);
  EXPECT_NE(other["id"], first["id"]);
}

TEST_F(PartnerEmulatorTest, ImportJobValidation) {
  const std::string path = "/partner/v1/domains/import/jobs";
  EXPECT_EQ(Post(path, {{"domains", std::vector<std::string>(500, "x.com")}})
                .status,
            202);
  ExpectError(Post(path, {{"domains", std::vector<std::string>(501, "x.com")}}),
              400, "invalid_request", "domains");
  ExpectError(Post(path, {{"domains", json::array()}}), 400, "invalid_request",
              "domains");
  ExpectError(Post(path, {{"domains", {"a.com", 3}}}), 400, "invalid_request",
              "domains[1]");
  ExpectError(Call("POST", path, "nope"), 400, "invalid_request");
}

TEST_F(PartnerEmulatorTest, ImportLookupByDomainNames) {
  const json sync = Import({"Acme-One.com", "acme-two.com"});
  const json job = Data(Post("/partner/v1/domains/import/jobs",
                             {{"domains", {"acme-two.com", "acme-three.com"}}}),
                        202);
  Import({"unrelated.com"});
  auto lookup = [&](const std::string& names) {
    std::vector<std::string> ids;
    for (const json& row :
         Data(Get("/partner/v1/domains/import", {{"domains", names}}))) {
      ids.push_back(row["id"]);
    }
    return ids;
  };
  EXPECT_THAT(lookup("acme-one.com"), ElementsAre(sync["id"]));
  EXPECT_THAT(lookup("ACME-TWO.com"), ElementsAre(sync["id"], job["id"]));
  EXPECT_THAT(lookup("acme-three.com, nothing.com"), ElementsAre(job["id"]));
  EXPECT_THAT(lookup("nothing.com"), ::testing::IsEmpty());
  // Rows are whole import objects.
  EXPECT_EQ(Data(Get("/partner/v1/domains/import",
                     {{"domains", "acme-one.com"}}))[0],
            sync);

  ExpectError(Get("/partner/v1/domains/import"), 400, "invalid_request",
              "domains");
  ExpectError(Get("/partner/v1/domains/import", {{"domains", ""}}), 400,
              "invalid_request", "domains");
  ExpectError(Get("/partner/v1/domains/import", {{"domains", "a.com,,b.com"}}),
              400, "invalid_request", "domains");
  std::vector<std::string> many(100, "x.com");
  EXPECT_EQ(Get("/partner/v1/domains/import",
                {{"domains", absl::StrJoin(many, ",")}})
                .status,
            200);
  many.push_back("y.com");
  ExpectError(Get("/partner/v1/domains/import",
                  {{"domains", absl::StrJoin(many, ",")}}),
              400, "invalid_request", "domains");
}

// -------------------------------------------------------------- forwarding

TEST_F(PartnerEmulatorTest, ForwardingJobShapeAndOutcome) {
  PlaceOrder(ValidOrder(SmallBundleId()));
  const std::string alpha_id =
      Row(Data(Get("/partner/v1/domains")), "avail-alpha.com")["id"];
  const ApiResponse created =
      Post("/partner/v1/domains/forwarding",
           {{"domains", {alpha_id, "AVAIL-BETA.com", "unknown-brand.com"}},
            {"forwarding_url", "https://new.client.test/landing"}});
  const json job = Data(created, 202);
  EXPECT_THAT(job["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("fwj_", kIdBody)));
  EXPECT_EQ(job, json({{"id", job["id"]},
                       {"status", "in_progress"},
                       {"completed_count", 0},
                       {"failed_count", 0},
                       {"forwarding_url", "https://new.client.test/landing"},
                       {"completed", json::array()},
                       {"failed", json::array()},
                       {"created_at", "2026-07-01T09:30:00Z"}}));
  const std::string path = absl::StrCat("/partner/v1/domains/forwarding/",
                                        job["id"].get<std::string>());
  now_ += absl::Milliseconds(999);
  EXPECT_EQ(Data(Get(path)), job);

  now_ += absl::Milliseconds(1);
  EXPECT_EQ(Data(Get(path)),
            json({{"id", job["id"]},
                  {"status", "partial_success"},
                  {"completed_count", 2},
                  {"failed_count", 1},
                  {"forwarding_url", "https://new.client.test/landing"},
                  {"completed", {"avail-alpha.com", "avail-beta.com"}},
                  {"failed",
                   {{{"domain", "unknown-brand.com"},
                     {"reason", "dns_lookup_failed"}}}},
                  {"created_at", "2026-07-01T09:30:00Z"},
                  {"completed_at", "2026-07-01T09:30:01Z"}}));
  for (const json& domain : Data(Get("/partner/v1/domains"))) {
    EXPECT_EQ(domain["forwarding_url"], "https://new.client.test/landing");
  }

  // Already pointing there: listed under completed again.
  const json repeat = Data(Post("/partner/v1/domains/forwarding",
                                {{"domains", {"avail-beta.com"}},
                                 {"forwarding_url",
                                  "https://new.client.test/landing"}}),
                           202);
  now_ += absl::Seconds(1);
  const json repeated = Data(Get(absl::StrCat(
      "/partner/v1/domains/forwarding/", repeat["id"].get<std::string>())));
  EXPECT_EQ(repeated["status"], "completed");
  EXPECT_EQ(repeated["completed"], json({"avail-beta.com"}));
  ExpectError(Get("/partner/v1/domains/forwarding/fwj_NOPE"), 404,
              "not_found");
}

TEST_F(PartnerEmulatorTest, ForwardingTargetRulesFailEveryDomain) {
  PlaceOrder(ValidOrder(SmallBundleId()));
  struct Case {
    std::string url;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"ftp://client.test/x", "invalid_target"},
      {"not a url", "invalid_target"},
      {"https://", "invalid_target"},
      {"", "invalid_target"},
      {"https://unreachable.client.test/x", "target_unreachable"},
      {"http://www.UNREACHABLE-host.test", "target_unreachable"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    const json job = Data(Post("/partner/v1/domains/forwarding",
                               {{"domains", {"avail-alpha.com", "nope.com"}},
                                {"forwarding_url", c.url}}),
                          202);
    now_ += absl::Seconds(1);
    const json done = Data(Get(absl::StrCat("/partner/v1/domains/forwarding/",
                                            job["id"].get<std::string>())));
    EXPECT_EQ(done["status"], "failed");
    EXPECT_EQ(done["completed_count"], 0);
    EXPECT_EQ(done["failed"],
              json({{{"domain", "avail-alpha.com"}, {"reason", c.reason}},
                    {{"domain", "nope.com"}, {"reason", c.reason}}}));
  }
  EXPECT_EQ(Row(Data(Get("/partner/v1/domains")), "avail-alpha.com")
                ["forwarding_url"],
            "https://client.test");
}

TEST_F(PartnerEmulatorTest, ForwardingValidation) {
  const std::string path = "/partner/v1/domains/forwarding";
  const json url = "https://client.test";
  EXPECT_EQ(Post(path, {{"domains", std::vector<std::string>(25, "a.com")},
                        {"forwarding_url", url}})
                .status,
            202);
  ExpectError(Post(path, {{"domains", std::vector<std::string>(26, "a.com")},
                          {"forwarding_url", url}}),
              400, "invalid_request", "domains");
  ExpectError(Post(path, {{"domains", json::array()}, {"forwarding_url", url}}),
              400, "invalid_request", "domains");
  ExpectError(Post(path, {{"forwarding_url", url}}), 400, "invalid_request",
              "domains");
  ExpectError(Post(path, {{"domains", {"a.com", "b.com", "c.com", nullptr}},
                          {"forwarding_url", url}}),
              400, "invalid_request", "domains[3]");
  ExpectError(Post(path, {{"domains", {"a.com"}}}), 400, "invalid_request",
              "forwarding_url");
  ExpectError(Post(path, {{"domains", {"a.com"}}, {"forwarding_url", 7}}), 400,
              "invalid_request", "forwarding_url");
}

}  // namespace
}  // namespace gateway::sandbox
