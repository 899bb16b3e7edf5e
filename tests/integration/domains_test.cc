// DomainService's imports, listing and forwarding through the real stack:
// generated stubs → partner-gateway → partner-sandbox. One stack serves the
// suite, so every test uses domain names no other test uses.
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using google::protobuf::util::MessageDifferencer;
using peeker::partner::client::Describe;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::StartsWith;


template <typename Request>
Request WithDomains(const std::vector<std::string>& names) {
  Request request;
  for (const std::string& name : names) request.add_domains(name);
  return request;
}

std::optional<v1::Domain> Named(const std::vector<v1::Domain>& domains, const std::string& name) {
  const auto it =
      std::find_if(domains.begin(), domains.end(), [&](const v1::Domain& domain) { return domain.domain() == name; });
  if (it == domains.end()) return std::nullopt;
  return *it;
}

std::vector<std::string> ImportIds(const v1::LookupDomainImportsResponse& reply) {
  std::vector<std::string> ids;
  for (const v1::DomainImport& domain_import : reply.domain_imports()) ids.push_back(domain_import.id());
  return ids;
}

class DomainsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto stack = Stack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    domains_ = v1::DomainService::NewStub(stack_->channel());
    orders_ = v1::OrderService::NewStub(stack_->channel());
  }

  static void TearDownTestSuite() {
    orders_.reset();
    domains_.reset();
    stack_.reset();
  }

  void SetUp() override { ASSERT_NE(stack_, nullptr) << "the stack did not start"; }

  // Runs one RPC with the client's deadline and environment.
  template <typename Stub, typename Request, typename Reply>
  static grpc::Status Call(const std::unique_ptr<Stub>& stub,
                           grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
                           const Request& request, Reply* reply) {
    std::unique_ptr<grpc::ClientContext> context = stack_->Client().NewContext();
    return (stub.get()->*rpc)(context.get(), request, reply);
  }

  template <typename Request, typename Reply>
  static grpc::Status Call(grpc::Status (v1::DomainService::Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
                           const Request& request, Reply* reply) {
    return Call(domains_, rpc, request, reply);
  }

  static v1::DomainImport Import(const std::vector<std::string>& names) {
    v1::ImportDomainsResponse reply;
    const grpc::Status status =
        Call(&v1::DomainService::Stub::ImportDomains, WithDomains<v1::ImportDomainsRequest>(names), &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.domain_import();
  }

  static v1::DomainImport CreateImportJob(const std::vector<std::string>& names) {
    v1::CreateDomainImportJobResponse reply;
    const grpc::Status status = Call(&v1::DomainService::Stub::CreateDomainImportJob,
                                     WithDomains<v1::CreateDomainImportJobRequest>(names), &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.domain_import();
  }

  // Every domain ListDomains returns for `filter`, following the pages.
  static std::vector<v1::Domain> AllDomains(v1::ListDomainsRequest filter) {
    std::vector<v1::Domain> domains;
    do {
      v1::ListDomainsResponse page;
      const grpc::Status status = Call(&v1::DomainService::Stub::ListDomains, filter, &page);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok()) break;
      domains.insert(domains.end(), page.domains().begin(), page.domains().end());
      filter.set_page_token(page.next_page_token());
    } while (!filter.page_token().empty());
    return domains;
  }

  static v1::ListDomainsRequest InInventory() {
    v1::ListDomainsRequest request;
    request.set_category(v1::DOMAIN_CATEGORY_INVENTORY);
    return request;
  }

  // Polls `get` until `done` holds, for at most 10 s.
  template <typename Reply>
  static Reply Await(const std::function<grpc::Status(Reply*)>& get, const std::function<bool(const Reply&)>& done) {
    Reply reply;
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (true) {
      const grpc::Status status = get(&reply);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok() || done(reply) || absl::Now() > give_up) return reply;
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  static size_t PartnerCalls() {
    auto requests = stack_->SandboxRequests();
    EXPECT_TRUE(requests.ok()) << requests.status();
    return requests.ok() ? requests->size() : 0;
  }

  static inline std::unique_ptr<Stack> stack_;
  static inline std::unique_ptr<v1::DomainService::Stub> domains_;
  static inline std::unique_ptr<v1::OrderService::Stub> orders_;
};

// The names the Partner's quickstart and CONTRACT.md §9.5 show come back as
// shown there, so the documented flow can be followed word for word.
TEST_F(DomainsTest, CheckAvailabilityAnswersTheDocumentedExamplesAsDocumented) {
  v1::CheckAvailabilityResponse reply;
  const grpc::Status status =
      Call(&v1::DomainService::Stub::CheckAvailability,
           WithDomains<v1::CheckAvailabilityRequest>({"acme-mail.com", "team-acme.com", "contoso-outreach.com",
                                                      "contoso.com"}),
           &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(reply.domains_size(), 4);
  struct Documented {
    const char* domain;
    int64_t price_cents;
    int64_t renewal_price_cents;
    std::vector<v1::MailProvider> usable_for;
  };
  const Documented available[] = {
      {"acme-mail.com", 1300, 1500, {v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_MICROSOFT}},
      {"team-acme.com", 1300, 1500, {v1::MAIL_PROVIDER_GOOGLE}},
      {"contoso-outreach.com", 1199, 1399, {v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_MICROSOFT}},
  };
  for (int i = 0; i < 3; ++i) {
    const v1::DomainAvailability& row = reply.domains(i);
    SCOPED_TRACE(row.domain());
    EXPECT_EQ(row.domain(), available[i].domain);
    EXPECT_TRUE(row.available());
    EXPECT_EQ(row.price_cents(), available[i].price_cents);
    EXPECT_EQ(row.renewal_price_cents(), available[i].renewal_price_cents);
    EXPECT_EQ(row.currency(), "usd");
    EXPECT_THAT(row.usable_for(), ElementsAreArray(available[i].usable_for));
  }
  const v1::DomainAvailability& taken = reply.domains(3);
  EXPECT_EQ(taken.domain(), "contoso.com");
  EXPECT_FALSE(taken.available());
  EXPECT_EQ(taken.reason(), v1::UNAVAILABLE_REASON_TAKEN);
  EXPECT_THAT(taken.usable_for(), IsEmpty());
}

TEST_F(DomainsTest, LookupDomainImportsFindsEveryImportHoldingAnyOfTheNames) {
  const v1::DomainImport single = Import({"lookup-one.com"});
  const v1::DomainImport job = CreateImportJob({"lookup-one.com", "lookup-two.com"});
  ASSERT_THAT(single.id(), StartsWith("imp_"));
  ASSERT_THAT(job.id(), StartsWith("imp_"));

  v1::LookupDomainImportsResponse both;
  const grpc::Status status = Call(&v1::DomainService::Stub::LookupDomainImports,
                                   WithDomains<v1::LookupDomainImportsRequest>({"lookup-none.com", "lookup-one.com"}),
                                   &both);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(ImportIds(both), ElementsAre(single.id(), job.id()));
  EXPECT_EQ(both.domain_imports(0).status(), v1::DOMAIN_IMPORT_STATUS_COMPLETED);

  v1::LookupDomainImportsResponse second_name_only;
  ASSERT_TRUE(Call(&v1::DomainService::Stub::LookupDomainImports,
                   WithDomains<v1::LookupDomainImportsRequest>({"lookup-two.com"}), &second_name_only)
                  .ok());
  EXPECT_THAT(ImportIds(second_name_only), ElementsAre(job.id()));

  v1::LookupDomainImportsResponse none;
  ASSERT_TRUE(Call(&v1::DomainService::Stub::LookupDomainImports,
                   WithDomains<v1::LookupDomainImportsRequest>({"lookup-never.com"}), &none)
                  .ok());
  EXPECT_THAT(none.domain_imports(), IsEmpty());
}

TEST_F(DomainsTest, GetDomainImportReturnsTheImport) {
  const v1::DomainImport imported = Import({"get-owned.com", "mail.get-owned.com"});
  v1::GetDomainImportRequest request;
  request.set_import_id(imported.id());
  v1::GetDomainImportResponse reply;
  const grpc::Status status = Call(&v1::DomainService::Stub::GetDomainImport, request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(MessageDifferencer::Equals(reply.domain_import(), imported)) << reply.DebugString();
  ASSERT_EQ(reply.domain_import().domains_size(), 2);
  EXPECT_EQ(reply.domain_import().domains(1).status(), v1::DOMAIN_IMPORT_STATUS_FAILED);
  EXPECT_EQ(reply.domain_import().domains(1).failure_reason(), "not_root_domain");
  EXPECT_TRUE(reply.domain_import().has_completed_at());
}

TEST_F(DomainsTest, AnImportJobStartsInProgressIsDedupedAndFinishesLater) {
  const v1::DomainImport job = CreateImportJob({"job-one.com", "job-two.com", "mail.job-one.com"});
  ASSERT_THAT(job.id(), StartsWith("imp_"));
  EXPECT_EQ(job.status(), v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS);
  ASSERT_EQ(job.domains_size(), 3);
  EXPECT_EQ(job.domains(0).status(), v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS);
  EXPECT_FALSE(job.has_completed_at());

  // The same set, in another order and case: the Partner's existing job.
  EXPECT_EQ(CreateImportJob({"JOB-two.com", "mail.job-one.com", "job-one.com"}).id(), job.id());

  v1::GetDomainImportJobRequest request;
  request.set_job_id(job.id());
  const auto finished = Await<v1::GetDomainImportJobResponse>(
      [&](v1::GetDomainImportJobResponse* reply) {
        return Call(&v1::DomainService::Stub::GetDomainImportJob, request, reply);
      },
      [](const v1::GetDomainImportJobResponse& reply) {
        return reply.domain_import().status() != v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS;
      });
  const v1::DomainImport& done = finished.domain_import();
  EXPECT_EQ(done.id(), job.id());
  EXPECT_EQ(done.status(), v1::DOMAIN_IMPORT_STATUS_COMPLETED);
  EXPECT_TRUE(done.has_completed_at());
  ASSERT_EQ(done.domains_size(), 3);
  EXPECT_EQ(done.domains(0).status(), v1::DOMAIN_IMPORT_STATUS_COMPLETED);
  EXPECT_EQ(done.domains(2).domain(), "mail.job-one.com");
  EXPECT_EQ(done.domains(2).status(), v1::DOMAIN_IMPORT_STATUS_FAILED);
  EXPECT_EQ(done.domains(2).failure_reason(), "not_root_domain");
  ASSERT_EQ(done.nameserver_groups_size(), 1);
  EXPECT_THAT(done.nameserver_groups(0).domains(), ElementsAre("job-one.com", "job-two.com"));
}

TEST_F(DomainsTest, AnImportJobWhoseAnswerIsLostIsRetriedAndExistsOnce) {
  ASSERT_TRUE(stack_
                  ->InjectFault(
                      {{"method", "POST"}, {"path", "/partner/v1/domains/import/jobs"}, {"cut", "reset"}, {"times", 1}})
                  .ok());
  const size_t before = PartnerCalls();
  const v1::DomainImport job = CreateImportJob({"lost-answer.com"});
  EXPECT_THAT(job.id(), StartsWith("imp_"));
  EXPECT_EQ(PartnerCalls(), before + 2);
  v1::LookupDomainImportsResponse found;
  ASSERT_TRUE(Call(&v1::DomainService::Stub::LookupDomainImports,
                   WithDomains<v1::LookupDomainImportsRequest>({"lost-answer.com"}), &found)
                  .ok());
  EXPECT_THAT(ImportIds(found), ElementsAre(job.id()));
}

TEST_F(DomainsTest, ListDomainsShowsAnOrdersDomainsPageByPage) {
  v1::PlaceOrderRequest order_request;
  order_request.set_user("lister@domains-test.example");
  order_request.mutable_custom()->set_google_licenses(6);  // Three Google domains.
  order_request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  order_request.mutable_sequencer()->set_login_email("sl@domains-test.example");
  order_request.mutable_sequencer()->set_login_password("domains-test-login");
  for (const char* name : {"list-avail1.com", "list-avail2.com", "list-avail3.com"}) {
    order_request.add_domains()->set_domain(name);
  }
  v1::Persona* persona = order_request.add_personas();
  persona->set_first_name("Lee");
  persona->set_last_name("Park");
  persona->set_profile_picture_url("");
  v1::PlaceOrderResponse order;
  const grpc::Status placed = Call(orders_, &v1::OrderService::Stub::PlaceOrder, order_request, &order);
  ASSERT_TRUE(placed.ok()) << Describe(placed);

  v1::ListDomainsRequest request;
  request.set_user_email("lister@domains-test.example");
  request.set_category(v1::DOMAIN_CATEGORY_CONNECTED);
  request.set_page_size(2);
  v1::ListDomainsResponse first;
  const grpc::Status status = Call(&v1::DomainService::Stub::ListDomains, request, &first);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(first.domains_size(), 2);
  EXPECT_FALSE(first.next_page_token().empty());
  const v1::Domain& domain = first.domains(0);
  EXPECT_THAT(domain.id(), StartsWith("dom_"));
  EXPECT_EQ(domain.domain(), "list-avail1.com");
  EXPECT_EQ(domain.category(), v1::DOMAIN_CATEGORY_CONNECTED);
  EXPECT_EQ(domain.status(), v1::DOMAIN_STATUS_ACTIVE);
  EXPECT_EQ(domain.provider(), v1::MAIL_PROVIDER_GOOGLE);
  EXPECT_EQ(domain.user_id(), order.order().user_id());
  EXPECT_EQ(domain.order_id(), order.order().id());
  EXPECT_GT(domain.created_at().seconds(), 0);

  request.set_page_token(first.next_page_token());
  v1::ListDomainsResponse second;
  ASSERT_TRUE(Call(&v1::DomainService::Stub::ListDomains, request, &second).ok());
  ASSERT_EQ(second.domains_size(), 1);
  EXPECT_EQ(second.domains(0).domain(), "list-avail3.com");
  EXPECT_TRUE(second.next_page_token().empty());

  v1::ListDomainsRequest inventory = InInventory();
  inventory.set_user_email("lister@domains-test.example");
  EXPECT_THAT(AllDomains(inventory), IsEmpty());
}

TEST_F(DomainsTest, ImportedDomainsAreListedInInventory) {
  Import({"stock-owned.com"});
  v1::ListDomainsRequest request = InInventory();
  request.set_status(v1::DOMAIN_STATUS_AVAILABLE);
  request.set_usable_for(v1::MAIL_PROVIDER_MICROSOFT);
  request.set_page_size(5);
  const std::vector<v1::Domain> listed = AllDomains(request);
  for (const v1::Domain& domain : listed) EXPECT_EQ(domain.category(), v1::DOMAIN_CATEGORY_INVENTORY);
  const std::optional<v1::Domain> stock = Named(listed, "stock-owned.com");
  ASSERT_TRUE(stock.has_value());
  EXPECT_THAT(stock->id(), StartsWith("dom_"));
  EXPECT_EQ(stock->status(), v1::DOMAIN_STATUS_AVAILABLE);
  EXPECT_EQ(stock->provider(), v1::MAIL_PROVIDER_UNSPECIFIED);
  EXPECT_EQ(stock->user_id(), "");
  EXPECT_EQ(stock->order_id(), "");
  EXPECT_FALSE(stock->has_forwarding_url());
  EXPECT_THAT(stock->usable_for(), ElementsAre(v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_MICROSOFT));
  EXPECT_GT(stock->created_at().seconds(), 0);
}

TEST_F(DomainsTest, SetDomainForwardingRunsAsAJobWithPerDomainOutcomes) {
  Import({"fwd-by-name.com", "fwd-by-id.com"});
  const std::optional<v1::Domain> target = Named(AllDomains(InInventory()), "fwd-by-id.com");
  ASSERT_TRUE(target.has_value());
  const std::string by_id = target->id();

  v1::SetDomainForwardingRequest request =
      WithDomains<v1::SetDomainForwardingRequest>({"fwd-by-name.com", by_id, "fwd-nowhere.com"});
  request.set_forwarding_url("https://fwd.domains-test.example/landing");
  v1::SetDomainForwardingResponse started;
  const grpc::Status status = Call(&v1::DomainService::Stub::SetDomainForwarding, request, &started);
  ASSERT_TRUE(status.ok()) << Describe(status);
  const v1::ForwardingJob& job = started.forwarding_job();
  EXPECT_THAT(job.id(), StartsWith("fwj_"));
  EXPECT_EQ(job.status(), v1::FORWARDING_JOB_STATUS_IN_PROGRESS);
  EXPECT_EQ(job.forwarding_url(), "https://fwd.domains-test.example/landing");
  EXPECT_FALSE(job.has_completed_at());

  v1::GetForwardingJobRequest get;
  get.set_job_id(job.id());
  const auto finished = Await<v1::GetForwardingJobResponse>(
      [&](v1::GetForwardingJobResponse* reply) {
        return Call(&v1::DomainService::Stub::GetForwardingJob, get, reply);
      },
      [](const v1::GetForwardingJobResponse& reply) {
        return reply.forwarding_job().status() != v1::FORWARDING_JOB_STATUS_IN_PROGRESS;
      });
  const v1::ForwardingJob& done = finished.forwarding_job();
  EXPECT_EQ(done.status(), v1::FORWARDING_JOB_STATUS_PARTIAL_SUCCESS);
  EXPECT_EQ(done.completed_count(), 2);
  EXPECT_EQ(done.failed_count(), 1);
  EXPECT_THAT(done.completed(), ElementsAre("fwd-by-name.com", "fwd-by-id.com"));
  ASSERT_EQ(done.failed_size(), 1);
  EXPECT_EQ(done.failed(0).domain(), "fwd-nowhere.com");
  EXPECT_EQ(done.failed(0).reason(), v1::FORWARDING_FAILURE_REASON_DNS_LOOKUP_FAILED);
  EXPECT_TRUE(done.has_completed_at());

  const std::optional<v1::Domain> forwarded = Named(AllDomains(InInventory()), "fwd-by-id.com");
  ASSERT_TRUE(forwarded.has_value());
  EXPECT_EQ(forwarded->forwarding_url(), "https://fwd.domains-test.example/landing");
}

TEST_F(DomainsTest, AForwardingTargetThePartnerCannotUseFailsTheJob) {
  Import({"fwd-bad-target.com"});
  v1::SetDomainForwardingRequest request = WithDomains<v1::SetDomainForwardingRequest>({"fwd-bad-target.com"});
  request.set_forwarding_url("ftp://files.domains-test.example");
  v1::SetDomainForwardingResponse started;
  const grpc::Status status = Call(&v1::DomainService::Stub::SetDomainForwarding, request, &started);
  ASSERT_TRUE(status.ok()) << Describe(status);
  v1::GetForwardingJobRequest get;
  get.set_job_id(started.forwarding_job().id());
  const auto finished = Await<v1::GetForwardingJobResponse>(
      [&](v1::GetForwardingJobResponse* reply) {
        return Call(&v1::DomainService::Stub::GetForwardingJob, get, reply);
      },
      [](const v1::GetForwardingJobResponse& reply) {
        return reply.forwarding_job().status() != v1::FORWARDING_JOB_STATUS_IN_PROGRESS;
      });
  EXPECT_EQ(finished.forwarding_job().status(), v1::FORWARDING_JOB_STATUS_FAILED);
  ASSERT_EQ(finished.forwarding_job().failed_size(), 1);
  EXPECT_EQ(finished.forwarding_job().failed(0).reason(), v1::FORWARDING_FAILURE_REASON_INVALID_TARGET);
  EXPECT_THAT(finished.forwarding_job().completed(), IsEmpty());
}

TEST_F(DomainsTest, UnknownIdsAreNotFound) {
  const Failure not_found{grpc::StatusCode::NOT_FOUND, "not_found", {}, ""};
  v1::GetDomainImportRequest import;
  import.set_import_id("imp_DOESNOTEXIST");
  v1::GetDomainImportResponse import_reply;
  EXPECT_EQ(FailureOf(Call(&v1::DomainService::Stub::GetDomainImport, import, &import_reply)), not_found);
  v1::GetDomainImportJobRequest job;
  job.set_job_id("imp_DOESNOTEXIST");
  v1::GetDomainImportJobResponse job_reply;
  EXPECT_EQ(FailureOf(Call(&v1::DomainService::Stub::GetDomainImportJob, job, &job_reply)), not_found);
  v1::GetForwardingJobRequest forwarding;
  forwarding.set_job_id("fwj_DOESNOTEXIST");
  v1::GetForwardingJobResponse forwarding_reply;
  EXPECT_EQ(FailureOf(Call(&v1::DomainService::Stub::GetForwardingJob, forwarding, &forwarding_reply)), not_found);
}

TEST_F(DomainsTest, InvalidRequestsAreRefusedBeforeThePartner) {
  struct Case {
    const char* name;
    std::function<grpc::Status()> call;
    std::vector<std::string> fields;
  };
  std::vector<std::string> hundred_and_one;
  for (int i = 0; i <= 100; ++i) hundred_and_one.push_back(absl::StrCat("many", i, ".com"));
  const std::vector<Case> cases = {
      {"lookup of 101 names",
       [&] {
         v1::LookupDomainImportsResponse reply;
         return Call(&v1::DomainService::Stub::LookupDomainImports,
                     WithDomains<v1::LookupDomainImportsRequest>(hundred_and_one), &reply);
       },
       {"domains"}},
      {"import job of a non-domain",
       [&] {
         v1::CreateDomainImportJobResponse reply;
         return Call(&v1::DomainService::Stub::CreateDomainImportJob,
                     WithDomains<v1::CreateDomainImportJobRequest>({"fine.com", "not a domain"}), &reply);
       },
       {"domains[1]"}},
      {"import id that climbs the route",
       [&] {
         v1::GetDomainImportRequest request;
         request.set_import_id("..");
         v1::GetDomainImportResponse reply;
         return Call(&v1::DomainService::Stub::GetDomainImport, request, &reply);
       },
       {"import_id"}},
      {"import job without id",
       [&] {
         v1::GetDomainImportJobResponse reply;
         return Call(&v1::DomainService::Stub::GetDomainImportJob, v1::GetDomainImportJobRequest(), &reply);
       },
       {"job_id"}},
      {"forwarding job without id",
       [&] {
         v1::GetForwardingJobResponse reply;
         return Call(&v1::DomainService::Stub::GetForwardingJob, v1::GetForwardingJobRequest(), &reply);
       },
       {"job_id"}},
      {"domain status this gateway cannot send",
       [&] {
         v1::ListDomainsRequest request;
         request.set_status(static_cast<v1::DomainStatus>(9));
         v1::ListDomainsResponse reply;
         return Call(&v1::DomainService::Stub::ListDomains, request, &reply);
       },
       {"status"}},
      {"forwarding without target",
       [&] {
         v1::SetDomainForwardingResponse reply;
         return Call(&v1::DomainService::Stub::SetDomainForwarding,
                     WithDomains<v1::SetDomainForwardingRequest>({"dom_01JA00000000000000000000GH"}), &reply);
       },
       {"forwarding_url"}},
  };
  const size_t before = PartnerCalls();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FailureOf(c.call()), (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", c.fields, ""}));
  }
  EXPECT_EQ(PartnerCalls(), before);
}

}  // namespace
}  // namespace gateway::testing
