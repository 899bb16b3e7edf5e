#include "server/partner/domain_api.h"

#include <string>
#include <utility>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/partner/api_test_util.h"
#include "server/common/status_details.h"

namespace gateway::partner {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Query = std::vector<std::pair<std::string, std::string>>;

// A request holding `count` distinct valid names.
template <typename Request>
Request WithNames(int count) {
  Request request;
  for (int i = 0; i < count; ++i) request.add_domains("name" + std::to_string(i) + ".com");
  return request;
}

TEST(DomainEndpointsTest, OnlyReadsAndDedupedOrRepeatableWritesAreRetried) {
  EXPECT_EQ(kLookupDomainImports.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kGetDomainImport.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kCreateDomainImportJob.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kGetDomainImportJob.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kListDomains.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kSetDomainForwarding.idempotency, Idempotency::kIdempotent);
  EXPECT_EQ(kGetForwardingJob.idempotency, Idempotency::kIdempotent);
}

// LookupDomainImports

TEST(LookupDomainImportsTest, TakesOneToAHundredNonEmptyNamesOfAnyShape) {
  EXPECT_THAT(Violated(kLookupDomainImports, R"(domains: "fabrikam.com" domains: "not a domain")"), IsEmpty());
  EXPECT_THAT(Violated(kLookupDomainImports, WithNames<v1::LookupDomainImportsRequest>(100)), IsEmpty());
  EXPECT_THAT(Violated(kLookupDomainImports, WithNames<v1::LookupDomainImportsRequest>(101)), ElementsAre("domains"));
  EXPECT_THAT(Violated(kLookupDomainImports, ""), ElementsAre("domains"));
  EXPECT_THAT(Violated(kLookupDomainImports, R"(domains: "a.com" domains: "")"), ElementsAre("domains[1]"));
}

TEST(LookupDomainImportsTest, SendsTheNamesAsOneCommaSeparatedParameter) {
  const PartnerRequest request =
      kLookupDomainImports.encode(Parse<v1::LookupDomainImportsRequest>(R"(domains: "b.com" domains: "a.com")"));
  EXPECT_EQ(kLookupDomainImports.method, std::string("GET"));
  EXPECT_EQ(request.path, "/domains/import");
  EXPECT_EQ(request.query, (Query{{"domains", "b.com,a.com"}}));
  EXPECT_TRUE(request.body.is_null());
}

TEST(LookupDomainImportsTest, DecodesEveryImportInThePartnersOrder) {
  absl::StatusOr<v1::LookupDomainImportsResponse> reply = kLookupDomainImports.decode(Data("domains/lookup_imports.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->domain_imports_size(), 2);
  const v1::DomainImport& done = reply->domain_imports(0);
  EXPECT_EQ(done.id(), "imp_01JA00000000000000000000XY");
  EXPECT_EQ(done.status(), v1::DOMAIN_IMPORT_STATUS_COMPLETED);
  EXPECT_THAT(done.nameserver_groups(0).nameservers(), ElementsAre("ana.ns.cloudflare.com", "bob.ns.cloudflare.com"));
  EXPECT_EQ(done.completed_at().seconds(), 1782900004);  // 2026-07-01T10:00:04.250Z
  const v1::DomainImport& running = reply->domain_imports(1);
  EXPECT_EQ(running.id(), "imp_01JA00000000000000000000ZZ");
  EXPECT_EQ(running.status(), v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS);
  ASSERT_EQ(running.domains_size(), 2);
  EXPECT_EQ(running.domains(1).domain(), "contoso.com");
  EXPECT_FALSE(running.has_completed_at());
}

TEST(LookupDomainImportsTest, NoImportIsAnEmptyReply) {
  absl::StatusOr<v1::LookupDomainImportsResponse> reply = kLookupDomainImports.decode(nlohmann::json::array());
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->domain_imports_size(), 0);
}

// GetDomainImport, GetDomainImportJob, GetForwardingJob

TEST(GetByIdTest, RequiresAnIdThatCannotChangeTheRoute) {
  EXPECT_THAT(Violated(kGetDomainImport, R"(import_id: "imp_1")"), IsEmpty());
  EXPECT_THAT(Violated(kGetDomainImport, ""), ElementsAre("import_id"));
  EXPECT_THAT(Violated(kGetDomainImport, R"(import_id: "..")"), ElementsAre("import_id"));
  EXPECT_THAT(Violated(kGetDomainImportJob, R"(job_id: "imp_1")"), IsEmpty());
  EXPECT_THAT(Violated(kGetDomainImportJob, ""), ElementsAre("job_id"));
  EXPECT_THAT(Violated(kGetForwardingJob, R"(job_id: "fwj_1")"), IsEmpty());
  EXPECT_THAT(Violated(kGetForwardingJob, R"(job_id: ".")"), ElementsAre("job_id"));
}

TEST(GetByIdTest, PutsTheEscapedIdInThePathAndSendsNothingElse) {
  const PartnerRequest import = kGetDomainImport.encode(Parse<v1::GetDomainImportRequest>(R"(import_id: "imp_1")"));
  EXPECT_EQ(import.path, "/domains/import/imp_1");
  EXPECT_THAT(import.query, IsEmpty());
  EXPECT_TRUE(import.body.is_null());
  EXPECT_EQ(kGetDomainImport.encode(Parse<v1::GetDomainImportRequest>(R"(import_id: "jobs/x?y")")).path,
            "/domains/import/jobs%2Fx%3Fy");
  const PartnerRequest job = kGetDomainImportJob.encode(Parse<v1::GetDomainImportJobRequest>(R"(job_id: "imp_2")"));
  EXPECT_EQ(job.path, "/domains/import/jobs/imp_2");
  EXPECT_THAT(job.query, IsEmpty());
  EXPECT_TRUE(job.body.is_null());
  const PartnerRequest forwarding =
      kGetForwardingJob.encode(Parse<v1::GetForwardingJobRequest>(R"(job_id: "fwj/../x")"));
  EXPECT_EQ(forwarding.path, "/domains/forwarding/fwj%2F..%2Fx");
  EXPECT_THAT(forwarding.query, IsEmpty());
  EXPECT_TRUE(forwarding.body.is_null());
  for (const char* method : {kGetDomainImport.method, kGetDomainImportJob.method, kGetForwardingJob.method}) {
    EXPECT_EQ(method, std::string("GET"));
  }
}

TEST(GetByIdTest, ImportAndImportJobDecodeTheImport) {
  absl::StatusOr<v1::GetDomainImportResponse> import = kGetDomainImport.decode(Data("domains/lookup_imports.json")[0]);
  ASSERT_TRUE(import.ok()) << import.status();
  EXPECT_EQ(import->domain_import().id(), "imp_01JA00000000000000000000XY");
  EXPECT_EQ(import->domain_import().domains(0).status(), v1::DOMAIN_IMPORT_STATUS_COMPLETED);
  absl::StatusOr<v1::GetDomainImportJobResponse> job = kGetDomainImportJob.decode(Data("domains/import_job.json"));
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ(job->domain_import().id(), "imp_01JA00000000000000000000JB");
  EXPECT_EQ(job->domain_import().status(), v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS);
}

// CreateDomainImportJob

TEST(CreateDomainImportJobTest, TakesOneToFiveHundredDomainNames) {
  EXPECT_THAT(Violated(kCreateDomainImportJob, WithNames<v1::CreateDomainImportJobRequest>(500)), IsEmpty());
  EXPECT_THAT(Violated(kCreateDomainImportJob, WithNames<v1::CreateDomainImportJobRequest>(501)),
              ElementsAre("domains"));
  EXPECT_THAT(Violated(kCreateDomainImportJob, ""), ElementsAre("domains"));
  EXPECT_THAT(Violated(kCreateDomainImportJob, R"(domains: "" domains: "acme.com" domains: "not a domain")"),
              ElementsAre("domains[0]", "domains[2]"));
}

TEST(CreateDomainImportJobTest, PostsTheDomainsInOrder) {
  const PartnerRequest request = kCreateDomainImportJob.encode(
      Parse<v1::CreateDomainImportJobRequest>(R"(domains: "contoso.com" domains: "contoso-mail.com")"));
  EXPECT_EQ(kCreateDomainImportJob.method, std::string("POST"));
  EXPECT_EQ(request.path, "/domains/import/jobs");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"domains":["contoso.com","contoso-mail.com"]})"));
}

TEST(CreateDomainImportJobTest, DecodesTheJobInProgress) {
  absl::StatusOr<v1::CreateDomainImportJobResponse> reply = kCreateDomainImportJob.decode(Data("domains/import_job.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::DomainImport& job = reply->domain_import();
  EXPECT_EQ(job.id(), "imp_01JA00000000000000000000JB");
  EXPECT_EQ(job.status(), v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS);
  ASSERT_EQ(job.domains_size(), 2);
  EXPECT_EQ(job.domains(0).domain(), "contoso.com");
  EXPECT_EQ(job.domains(0).status(), v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS);
  EXPECT_EQ(job.nameserver_groups_size(), 0);
  EXPECT_EQ(job.created_at().seconds(), 1782979200);  // 2026-07-02T08:00:00Z
  EXPECT_FALSE(job.has_completed_at());
}

TEST(CreateDomainImportJobTest, UnknownStatusesAreUnspecified) {
  nlohmann::json data = Data("domains/import_job.json");
  data["status"] = "queued";
  data["domains"][1]["status"] = "waiting_for_dns";
  absl::StatusOr<v1::CreateDomainImportJobResponse> reply = kCreateDomainImportJob.decode(data);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->domain_import().status(), v1::DOMAIN_IMPORT_STATUS_UNSPECIFIED);
  EXPECT_EQ(reply->domain_import().domains(0).status(), v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS);
  EXPECT_EQ(reply->domain_import().domains(1).status(), v1::DOMAIN_IMPORT_STATUS_UNSPECIFIED);
}

// ListDomains

TEST(ListDomainsTest, AcceptsAnyKnownFilterAndRefusesValuesItCannotSend) {
  EXPECT_THAT(Violated(kListDomains, ""), IsEmpty());
  EXPECT_THAT(Violated(kListDomains, R"(category: DOMAIN_CATEGORY_CONNECTED usable_for: MAIL_PROVIDER_MICROSOFT
                                        status: DOMAIN_STATUS_ACTIVE user_id: "usr_1" user_email: "a@b.test")"),
              IsEmpty());
  v1::ListDomainsRequest request;
  request.set_category(static_cast<v1::DomainCategory>(7));
  request.set_usable_for(static_cast<v1::MailProvider>(8));
  request.set_status(static_cast<v1::DomainStatus>(9));
  EXPECT_THAT(Violated(kListDomains, request), ElementsAre("category", "usable_for", "status"));
}

TEST(ListDomainsTest, SendsOnlyTheFiltersThatAreSet) {
  const PartnerRequest none = kListDomains.encode(v1::ListDomainsRequest());
  EXPECT_EQ(kListDomains.method, std::string("GET"));
  EXPECT_EQ(none.path, "/domains");
  EXPECT_THAT(none.query, IsEmpty());
  EXPECT_TRUE(none.body.is_null());
  const PartnerRequest all = kListDomains.encode(Parse<v1::ListDomainsRequest>(
      R"(category: DOMAIN_CATEGORY_INVENTORY user_id: "usr_1" user_email: "a@b.test"
         usable_for: MAIL_PROVIDER_GOOGLE status: DOMAIN_STATUS_AVAILABLE page_size: 10 page_token: "t")"));
  EXPECT_EQ(all.query, (Query{{"category", "inventory"},
                              {"user_id", "usr_1"},
                              {"user_email", "a@b.test"},
                              {"usable_for", "google"},
                              {"status", "available"}}));
  const PartnerRequest some = kListDomains.encode(
      Parse<v1::ListDomainsRequest>(R"(category: DOMAIN_CATEGORY_CONNECTED usable_for: MAIL_PROVIDER_MICROSOFT)"));
  EXPECT_EQ(some.query, (Query{{"category", "connected"}, {"usable_for", "microsoft"}}));
}

TEST(ListDomainsTest, DecodesConnectedAndInventoryDomains) {
  absl::StatusOr<v1::ListDomainsResponse> reply = kListDomains.decode(Data("domains/list_domains.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->domains_size(), 2);
  const v1::Domain& connected = reply->domains(0);
  EXPECT_EQ(connected.id(), "dom_01JA00000000000000000000GH");
  EXPECT_EQ(connected.domain(), "fabrikam-hq.com");
  EXPECT_EQ(connected.category(), v1::DOMAIN_CATEGORY_CONNECTED);
  EXPECT_EQ(connected.status(), v1::DOMAIN_STATUS_ACTIVE);
  EXPECT_EQ(connected.provider(), v1::MAIL_PROVIDER_GOOGLE);
  EXPECT_EQ(connected.user_id(), "usr_01JA00000000000000000000CD");
  EXPECT_EQ(connected.order_id(), "ord_01JA00000000000000000000AB");
  EXPECT_THAT(connected.usable_for(), ElementsAre(v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_MICROSOFT));
  ASSERT_TRUE(connected.has_forwarding_url());
  EXPECT_EQ(connected.forwarding_url(), "https://fabrikam-client.test");
  EXPECT_EQ(connected.created_at().seconds(), 1782898200);  // 2026-07-01T09:30:00Z
  const v1::Domain& inventory = reply->domains(1);
  EXPECT_EQ(inventory.category(), v1::DOMAIN_CATEGORY_INVENTORY);
  EXPECT_EQ(inventory.status(), v1::DOMAIN_STATUS_AVAILABLE);
  EXPECT_EQ(inventory.provider(), v1::MAIL_PROVIDER_UNSPECIFIED);
  EXPECT_EQ(inventory.user_id(), "");
  EXPECT_EQ(inventory.order_id(), "");
  EXPECT_FALSE(inventory.has_forwarding_url());
  EXPECT_EQ(inventory.created_at().nanos(), 250000000);
}

TEST(ListDomainsTest, UnknownEnumValuesAreUnspecified) {
  nlohmann::json data = Data("domains/list_domains.json");
  data[0]["category"] = "parked";
  data[0]["status"] = "suspended";
  data[0]["provider"] = "zoho";
  data[0]["usable_for"] = {"google", "zoho"};
  absl::StatusOr<v1::ListDomainsResponse> reply = kListDomains.decode(data);
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::Domain& domain = reply->domains(0);
  EXPECT_EQ(domain.category(), v1::DOMAIN_CATEGORY_UNSPECIFIED);
  EXPECT_EQ(domain.status(), v1::DOMAIN_STATUS_UNSPECIFIED);
  EXPECT_EQ(domain.provider(), v1::MAIL_PROVIDER_UNSPECIFIED);
  EXPECT_THAT(domain.usable_for(), ElementsAre(v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_UNSPECIFIED));
}

// SetDomainForwarding

TEST(SetDomainForwardingTest, TakesOneToTwentyFiveIdsOrNamesAndATarget) {
  EXPECT_THAT(Violated(kSetDomainForwarding,
                       R"(domains: "dom_01JA00000000000000000000GH" domains: "fabrikam.com"
                          forwarding_url: "https://fabrikam.test")"),
              IsEmpty());
  v1::SetDomainForwardingRequest request = WithNames<v1::SetDomainForwardingRequest>(25);
  request.set_forwarding_url("https://fabrikam.test");
  EXPECT_THAT(Violated(kSetDomainForwarding, request), IsEmpty());
  request.add_domains("one-too-many.com");
  EXPECT_THAT(Violated(kSetDomainForwarding, request), ElementsAre("domains"));
  EXPECT_THAT(Violated(kSetDomainForwarding, R"(forwarding_url: "https://fabrikam.test")"), ElementsAre("domains"));
  EXPECT_THAT(Violated(kSetDomainForwarding, R"(domains: "fabrikam.com" domains: "")"),
              ElementsAre("domains[1]", "forwarding_url"));
  EXPECT_THAT(Violated(kSetDomainForwarding, R"(domains: "fabrikam.com" forwarding_url: "  ")"),
              ElementsAre("forwarding_url"));
}

TEST(SetDomainForwardingTest, PostsTheDomainsAndTheTarget) {
  const PartnerRequest request = kSetDomainForwarding.encode(Parse<v1::SetDomainForwardingRequest>(
      R"(domains: "dom_01JA00000000000000000000GH" domains: "contoso.com"
         forwarding_url: "https://contoso.example/landing")"));
  EXPECT_EQ(kSetDomainForwarding.method, std::string("POST"));
  EXPECT_EQ(request.path, "/domains/forwarding");
  EXPECT_THAT(request.query, IsEmpty());
  EXPECT_EQ(request.body, nlohmann::json::parse(R"({"domains":["dom_01JA00000000000000000000GH","contoso.com"],
                                                    "forwarding_url":"https://contoso.example/landing"})"));
}

TEST(ForwardingJobTest, DecodesTheDocumentedJobInProgress) {
  absl::StatusOr<v1::SetDomainForwardingResponse> reply = kSetDomainForwarding.decode(Data("domains/forwarding_job.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::ForwardingJob& job = reply->forwarding_job();
  EXPECT_EQ(job.id(), "fwj_01JA00000000000000000000JK");
  EXPECT_EQ(job.status(), v1::FORWARDING_JOB_STATUS_IN_PROGRESS);
  EXPECT_EQ(job.completed_count(), 0);
  EXPECT_EQ(job.failed_count(), 0);
  EXPECT_EQ(job.forwarding_url(), "https://contoso.example/landing");
  EXPECT_THAT(job.completed(), IsEmpty());
  EXPECT_THAT(job.failed(), IsEmpty());
  EXPECT_EQ(job.created_at().seconds(), 1782993600);  // 2026-07-02T12:00:00Z
  EXPECT_FALSE(job.has_completed_at());
}

TEST(ForwardingJobTest, DecodesAFinishedJobWithItsFailures) {
  absl::StatusOr<v1::GetForwardingJobResponse> reply = kGetForwardingJob.decode(Data("domains/forwarding_job_done.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  const v1::ForwardingJob& job = reply->forwarding_job();
  EXPECT_EQ(job.status(), v1::FORWARDING_JOB_STATUS_PARTIAL_SUCCESS);
  EXPECT_EQ(job.completed_count(), 2);
  EXPECT_EQ(job.failed_count(), 2);
  EXPECT_THAT(job.completed(), ElementsAre("contoso.com", "contoso-mail.com"));
  ASSERT_EQ(job.failed_size(), 2);
  EXPECT_EQ(job.failed(0).domain(), "contoso-old.com");
  EXPECT_EQ(job.failed(0).reason(), v1::FORWARDING_FAILURE_REASON_DNS_LOOKUP_FAILED);
  EXPECT_EQ(job.failed(1).reason(), v1::FORWARDING_FAILURE_REASON_TARGET_UNREACHABLE);
  EXPECT_EQ(job.completed_at().seconds(), 1782993603);  // 2026-07-02T12:00:03Z
}

TEST(ForwardingJobTest, TheOtherStatusesAndReasonsAndUnknownOnes) {
  nlohmann::json data = Data("domains/forwarding_job_done.json");
  const std::vector<std::pair<const char*, v1::ForwardingJobStatus>> statuses = {
      {"completed", v1::FORWARDING_JOB_STATUS_COMPLETED},
      {"failed", v1::FORWARDING_JOB_STATUS_FAILED},
      {"paused", v1::FORWARDING_JOB_STATUS_UNSPECIFIED}};
  data["failed"][0]["reason"] = "invalid_target";
  data["failed"][1]["reason"] = "certificate_expired";
  for (const auto& [name, status] : statuses) {
    data["status"] = name;
    absl::StatusOr<v1::GetForwardingJobResponse> reply = kGetForwardingJob.decode(data);
    ASSERT_TRUE(reply.ok()) << reply.status();
    EXPECT_EQ(reply->forwarding_job().status(), status) << name;
    EXPECT_EQ(reply->forwarding_job().failed(0).reason(), v1::FORWARDING_FAILURE_REASON_INVALID_TARGET);
    EXPECT_EQ(reply->forwarding_job().failed(1).reason(), v1::FORWARDING_FAILURE_REASON_UNSPECIFIED);
  }
}

// Wrong shapes


class WrongShapeTest : public ::testing::TestWithParam<WrongShape> {};

absl::Status DecodeAny(const std::string& file, const nlohmann::json& data) {
  if (file == "list_domains.json") return kListDomains.decode(data).status();
  if (file == "lookup_imports.json") return kLookupDomainImports.decode(data).status();
  if (file == "import_job.json") return kGetDomainImportJob.decode(data).status();
  return kGetForwardingJob.decode(data).status();
}

TEST_P(WrongShapeTest, IsAnErrorNamingTheField) {
  ExpectDecodingFails(DecodeAny(GetParam().file, Altered("domains/", GetParam())), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    AllReplies, WrongShapeTest,
    ::testing::Values(
        WrongShape{"DomainListIsObject", "list_domains.json", "", "{}", "field `data` is not an array"},
        WrongShape{"DomainIdMissing", "list_domains.json", "/1/id", "-", "in `data[1]`: field `data.id` is missing"},
        WrongShape{"UsableForIsString", "list_domains.json", "/0/usable_for", R"("google")",
                   "`data.usable_for` is not an array"},
        WrongShape{"ForwardingUrlIsObject", "list_domains.json", "/0/forwarding_url", "{}",
                   "`data.forwarding_url` is not a string"},
        WrongShape{"DomainCreatedAtIsNotATime", "list_domains.json", "/0/created_at", R"("today")",
                   "`data.created_at` is not an RFC 3339 time"},
        WrongShape{"LookupIsObject", "lookup_imports.json", "", "{}", "field `data` is not an array"},
        WrongShape{"LookupImportDomainsIsObject", "lookup_imports.json", "/1/domains", "{}",
                   "in `data[1]`: field `data.domains` is not an array"},
        WrongShape{"ImportJobStatusIsNumber", "import_job.json", "/status", "1", "`data.status` is not a string"},
        WrongShape{"CompletedCountIsText", "forwarding_job_done.json", "/completed_count", R"("2")",
                   "`data.completed_count` is not an integer"},
        WrongShape{"CompletedHoldsObject", "forwarding_job_done.json", "/completed/1", "{}",
                   "`data.completed[1]` is not a string"},
        WrongShape{"FailureReasonIsNumber", "forwarding_job_done.json", "/failed/0/reason", "3",
                   "`data.failed[0].reason` is not a string"},
        WrongShape{"FailureIsString", "forwarding_job_done.json", "/failed/1", R"("contoso-new.com")",
                   "`data.failed[1]` is not an object"},
        WrongShape{"JobIdMissing", "forwarding_job.json", "/id", "-", "`data.id` is missing"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

}  // namespace
}  // namespace gateway::partner
