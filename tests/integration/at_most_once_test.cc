// What the Partner receives through the real stack when it acts on a request
// and then closes the connection without a status line, as a server does
// when it drops an idle keep-alive connection just as a request arrives:
// a write reaches it exactly once and the caller learns that its outcome is
// unknown; a call that is safe to repeat is tried again by the gateway
// alone, within its attempts, and every attempt is counted.
#include <csignal>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "peeker/partner/v1/account.grpc.pb.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "peeker/partner/v1/swap.grpc.pb.h"
#include "peeker/partner/v1/user.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;
using ::testing::SizeIs;

constexpr char kApi[] = "/partner/v1";
constexpr int kMaxAttempts = 3;  // The gateway's default.

class AtMostOnceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Stack::Options options;
    // The test's own GetAccount calls are then the only GET /me after the
    // check at start.
    options.gateway_args = {"--readiness-interval", "1h"};
    auto stack = Stack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }

  // Runs one RPC of any service with the client's deadline and environment.
  template <typename Stub, typename Request, typename Reply>
  grpc::Status Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*), const Request& request,
                    Reply* reply) {
    Stub stub(stack_->channel());
    std::unique_ptr<grpc::ClientContext> context = stack_->Client().NewContext();
    return (stub.*rpc)(context.get(), request, reply);
  }

  // The attempts the gateway counted for `endpoint` ("POST /bundles"), by
  // their outcome, from its /metrics.
  std::map<std::string, int> Attempts(const std::string& endpoint) {
    httplib::Client admin("127.0.0.1", stack_->admin_port());
    auto metrics = admin.Get("/metrics");
    EXPECT_TRUE(metrics && metrics->status == 200);
    std::map<std::string, int> attempts;
    if (!metrics) return attempts;
    const std::string series = absl::StrCat("endpoint=\"", endpoint, "\",status=\"");
    for (absl::string_view line : absl::StrSplit(metrics->body, '\n')) {
      if (!absl::StartsWith(line, "gateway_partner_requests_total{")) continue;
      const size_t at = line.find(series);
      if (at == absl::string_view::npos) continue;
      absl::string_view rest = line.substr(at + series.size());
      const size_t quote = rest.find('"');
      int count = 0;
      EXPECT_TRUE(absl::SimpleAtoi(rest.substr(rest.rfind(' ') + 1), &count)) << line;
      attempts[std::string(rest.substr(0, quote))] += count;
    }
    return attempts;
  }

  // A GetAccount that answers, leaving the gateway a keep-alive connection
  // to the sandbox; the client addresses of every connection the gateway
  // has used so far (the readiness check may have opened another meanwhile).
  std::set<std::string> OpenAConnection() {
    v1::GetAccountResponse account;
    const grpc::Status status = Call(&v1::AccountService::Stub::GetAccount, v1::GetAccountRequest(), &account);
    EXPECT_TRUE(status.ok()) << Describe(status);
    auto requests = stack_->SandboxRequests(/*with_readiness_checks=*/true);
    EXPECT_TRUE(requests.ok()) << requests.status();
    std::set<std::string> clients;
    for (const nlohmann::json& request : requests.value_or(std::vector<nlohmann::json>())) {
      clients.insert(request.value("client", ""));
    }
    return clients;
  }

  // Cuts the next `method path` after the sandbox acted on it, runs `call`
  // after a call that leaves a connection open, and checks what a write
  // must give: one request on a connection of its own, counted once, and
  // an outcome the caller is told is unknown, without RetryInfo.
  void ExpectOneRequestAndAnUnknownOutcome(const std::string& method, const std::string& route,
                                           const std::string& path, const std::string& resource_type,
                                           const std::function<grpc::Status()>& call) {
    const std::string endpoint = absl::StrCat(method, " ", route);
    SCOPED_TRACE(endpoint);
    const size_t before = stack_->SandboxRequestsTo(method, path).size();
    const std::set<std::string> warm = OpenAConnection();
    ASSERT_TRUE(stack_
                    ->InjectFault({{"method", method},
                                   {"path", absl::StrCat(kApi, path)},
                                   {"cut", "close"},
                                   {"times", 1}})
                    .ok());
    const grpc::Status status = call();

    const std::vector<nlohmann::json> received = stack_->SandboxRequestsTo(method, path);
    ASSERT_THAT(received, SizeIs(before + 1));
    EXPECT_FALSE(warm.contains(received.back().value("client", ""))) << "a write goes on a connection of its own";
    EXPECT_EQ(Attempts(endpoint)["no_answer"], 1);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
    const Details details = DetailsOf(status);
    ASSERT_TRUE(details.error_info.has_value()) << Describe(status);
    EXPECT_EQ(details.error_info->reason(), "PARTNER_OUTCOME_UNKNOWN");
    EXPECT_EQ(details.error_info->metadata().at("endpoint"), endpoint);
    EXPECT_EQ(details.error_info->metadata().at("resource_type"), resource_type);
    EXPECT_FALSE(details.retry_info.has_value()) << "retrying could act twice";
    EXPECT_TRUE(stack_->gateway().WaitForOutput("sent=maybe", absl::Seconds(5)).ok());
  }

  v1::Bundle NewBundle(const std::string& name) {
    v1::CreateBundleRequest request;
    request.set_name(name);
    request.set_monthly_sending_volume(1000);
    v1::CreateBundleResponse reply;
    const grpc::Status status = Call(&v1::BundleService::Stub::CreateBundle, request, &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.bundle();
  }

  v1::User NewUser(const std::string& email) {
    v1::CreateUserRequest request;
    request.set_email(email);
    request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
    v1::CreateUserResponse reply;
    const grpc::Status status = Call(&v1::UserService::Stub::CreateUser, request, &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.user();
  }

  v1::Order NewOrder(const std::string& user, const std::string& domain) {
    v1::PlaceOrderResponse reply;
    const grpc::Status status = Call(&v1::OrderService::Stub::PlaceOrder, CustomOrder(user, {domain}), &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.order();
  }

  // The id of the one domain of a new order.
  std::string NewDomain(const std::string& user, const std::string& domain) {
    const v1::Order order = NewOrder(user, domain);
    v1::ListDomainsRequest request;
    request.set_user_id(order.user_id());
    v1::ListDomainsResponse reply;
    const grpc::Status status = Call(&v1::DomainService::Stub::ListDomains, request, &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_THAT(reply.domains(), SizeIs(1));
    return reply.domains().empty() ? "" : reply.domains(0).id();
  }

  std::vector<v1::DomainSwap> SwapsOf(const std::string& domain_id) {
    v1::ListSwapsRequest request;
    request.set_domain_id(domain_id);
    v1::ListSwapsResponse reply;
    const grpc::Status status = Call(&v1::SwapService::Stub::ListSwaps, request, &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return {reply.swaps().begin(), reply.swaps().end()};
  }

  std::unique_ptr<Stack> stack_;
};

TEST_F(AtMostOnceTest, CreateBundleIsSentOnceAndOneBundleExists) {
  v1::CreateBundleRequest request;
  request.set_name("cut-bundle");
  request.set_monthly_sending_volume(1000);
  ExpectOneRequestAndAnUnknownOutcome("POST", "/bundles", "/bundles", "bundle", [&] {
    v1::CreateBundleResponse reply;
    return Call(&v1::BundleService::Stub::CreateBundle, request, &reply);
  });
  v1::ListBundlesResponse bundles;
  ASSERT_TRUE(Call(&v1::BundleService::Stub::ListBundles, v1::ListBundlesRequest(), &bundles).ok());
  int named = 0;
  for (const v1::Bundle& bundle : bundles.bundles()) named += bundle.name() == "cut-bundle";
  EXPECT_EQ(named, 1);
}

TEST_F(AtMostOnceTest, DeleteBundleIsSentOnceAndTheBundleIsGone) {
  const v1::Bundle bundle = NewBundle("doomed-bundle");
  v1::DeleteBundleRequest request;
  request.set_bundle_id(bundle.id());
  ExpectOneRequestAndAnUnknownOutcome("DELETE", "/bundles/{id}", absl::StrCat("/bundles/", bundle.id()), "bundle",
                                      [&] {
                                        v1::DeleteBundleResponse reply;
                                        return Call(&v1::BundleService::Stub::DeleteBundle, request, &reply);
                                      });
  v1::GetBundleRequest get;
  get.set_bundle_id(bundle.id());
  v1::GetBundleResponse fetched;
  EXPECT_EQ(Call(&v1::BundleService::Stub::GetBundle, get, &fetched).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(AtMostOnceTest, CreateUserIsSentOnceAndOneUserExists) {
  v1::CreateUserRequest request;
  request.set_email("cut@users.at-most-once.example");
  request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  ExpectOneRequestAndAnUnknownOutcome("POST", "/users", "/users", "user", [&] {
    v1::CreateUserResponse reply;
    return Call(&v1::UserService::Stub::CreateUser, request, &reply);
  });
  v1::ListUsersRequest list;
  list.set_email("cut@users.at-most-once.example");
  v1::ListUsersResponse users;
  ASSERT_TRUE(Call(&v1::UserService::Stub::ListUsers, list, &users).ok());
  EXPECT_THAT(users.users(), SizeIs(1));
}

TEST_F(AtMostOnceTest, DeleteUserIsSentOnceAndTheUserIsDeleted) {
  const v1::User user = NewUser("doomed@users.at-most-once.example");
  v1::DeleteUserRequest request;
  request.set_user_id(user.id());
  ExpectOneRequestAndAnUnknownOutcome("DELETE", "/users/{id}", absl::StrCat("/users/", user.id()), "user", [&] {
    v1::DeleteUserResponse reply;
    return Call(&v1::UserService::Stub::DeleteUser, request, &reply);
  });
  v1::GetUserRequest get;
  get.set_user_id(user.id());
  v1::GetUserResponse fetched;
  ASSERT_TRUE(Call(&v1::UserService::Stub::GetUser, get, &fetched).ok());
  EXPECT_EQ(fetched.user().status(), v1::USER_STATUS_DELETED);
}

TEST_F(AtMostOnceTest, CreateSwapIsSentOnceAndOneSwapExists) {
  const std::string domain_id = NewDomain("swap@at-most-once.example", "amo-swap-avail1.com");
  v1::CreateSwapRequest request;
  request.set_type(v1::SWAP_TYPE_STANDARD);
  request.set_domain_id(domain_id);
  request.set_replacement_domain("amo-swap-avail2.com");
  ExpectOneRequestAndAnUnknownOutcome("POST", "/swaps", "/swaps", "swap", [&] {
    v1::CreateSwapResponse reply;
    return Call(&v1::SwapService::Stub::CreateSwap, request, &reply);
  });
  EXPECT_THAT(SwapsOf(domain_id), SizeIs(1));
}

TEST_F(AtMostOnceTest, CreateUserNameSwapIsSentOnceAndOneSwapExists) {
  const std::string domain_id = NewDomain("rename@at-most-once.example", "amo-rename-avail1.com");
  v1::CreateUserNameSwapRequest request;
  request.set_domain_id(domain_id);
  v1::Persona* persona = request.add_personas();
  persona->set_first_name("Jordan");
  persona->set_last_name("Blake");
  persona->set_profile_picture_url("");
  ExpectOneRequestAndAnUnknownOutcome("POST", "/swaps/user_names", "/swaps/user_names", "swap", [&] {
    v1::CreateUserNameSwapResponse reply;
    return Call(&v1::SwapService::Stub::CreateUserNameSwap, request, &reply);
  });
  EXPECT_THAT(SwapsOf(domain_id), SizeIs(2));  // One per inbox of the domain: a Google domain has two.
}

TEST_F(AtMostOnceTest, CancelOrderIsSentOnceAndTheOrderIsScheduledToEnd) {
  const v1::Order order = NewOrder("cancel@at-most-once.example", "amo-cancel-avail1.com");
  v1::CancelOrderRequest request;
  request.set_order_id(order.id());
  ExpectOneRequestAndAnUnknownOutcome("POST", "/orders/{id}/cancel", absl::StrCat("/orders/", order.id(), "/cancel"),
                                      "order", [&] {
                                        v1::CancelOrderResponse reply;
                                        return Call(&v1::OrderService::Stub::CancelOrder, request, &reply);
                                      });
  v1::ListOrdersRequest list;
  list.set_user_id(order.user_id());
  v1::ListOrdersResponse orders;
  ASSERT_TRUE(Call(&v1::OrderService::Stub::ListOrders, list, &orders).ok());
  ASSERT_THAT(orders.orders(), SizeIs(1));
  EXPECT_EQ(orders.orders(0).status(), v1::ORDER_STATUS_CANCEL_SCHEDULED);
}

// A call that is safe to repeat, the HTTP request it makes, and how to make
// it with a request the gateway accepts (the Partner's answer does not
// matter: the sandbox cuts it whatever it is).
struct SafeCall {
  const char* rpc;
  const char* method;
  const char* route;
  const char* path;
  std::function<grpc::Status(AtMostOnceTest&)> call;
};

void PrintTo(const SafeCall& safe, std::ostream* out) { *out << safe.rpc; }

class SafeCallTest : public AtMostOnceTest, public ::testing::WithParamInterface<SafeCall> {
 public:
  template <typename Stub, typename Request, typename Reply>
  static std::function<grpc::Status(AtMostOnceTest&)> Making(
      grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*), Request request) {
    return [rpc, request](AtMostOnceTest& test) {
      Reply reply;
      return static_cast<SafeCallTest&>(test).Call(rpc, request, &reply);
    };
  }
};

// Every attempt the gateway makes on a fresh stack (a full retry budget)
// reaches the Partner once: the first on the connection the previous call
// left open, which libcurl would silently have sent again, the retries on
// new ones.
TEST_P(SafeCallTest, EachAttemptReachesThePartnerOnceAndIsCounted) {
  const SafeCall& safe = GetParam();
  const std::string endpoint = absl::StrCat(safe.method, " ", safe.route);
  const std::set<std::string> warm = OpenAConnection();
  const size_t before = stack_->SandboxRequestsTo(safe.method, safe.path).size();
  ASSERT_TRUE(
      stack_->InjectFault({{"method", safe.method}, {"path", absl::StrCat(kApi, safe.path)}, {"cut", "close"}}).ok());
  const grpc::Status status = safe.call(*this);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
  const Details details = DetailsOf(status);
  EXPECT_FALSE(details.error_info.has_value()) << "repeating it is safe: " << Describe(status);
  EXPECT_TRUE(details.retry_info.has_value());

  const std::vector<nlohmann::json> all = stack_->SandboxRequestsTo(safe.method, safe.path);
  ASSERT_THAT(all, SizeIs(before + kMaxAttempts));
  const std::vector<nlohmann::json> attempts(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
  EXPECT_TRUE(warm.contains(attempts.front().value("client", ""))) << "the first attempt reuses a connection";
  const std::map<std::string, int> counted = Attempts(endpoint);
  int counted_total = 0;
  for (const auto& [outcome, count] : counted) counted_total += count;
  EXPECT_EQ(static_cast<size_t>(counted_total), all.size());
  EXPECT_EQ(counted.at("no_answer"), kMaxAttempts);
  EXPECT_TRUE(stack_->gateway().WaitForOutput("partner call retried", absl::Seconds(5)).ok());
}

std::vector<SafeCall> SafeCalls() {
  using T = SafeCallTest;
  v1::GetUserRequest get_user;
  get_user.set_user_id("usr_amo");
  v1::UpdateUserRequest update_user;
  update_user.set_user_id("usr_amo");
  update_user.set_first_name("Sam");
  v1::GetBundleRequest get_bundle;
  get_bundle.set_bundle_id("bun_amo");
  v1::UpdateBundleRequest update_bundle;
  update_bundle.set_bundle_id("bun_amo");
  update_bundle.set_name("renamed");
  v1::CheckAvailabilityRequest availability;
  availability.add_domains("amo-avail.com");
  v1::ImportDomainsRequest import;
  import.add_domains("amo-import.com");
  v1::LookupDomainImportsRequest lookup;
  lookup.add_domains("amo-import.com");
  v1::GetDomainImportRequest get_import;
  get_import.set_import_id("imp_amo");
  v1::CreateDomainImportJobRequest import_job;
  import_job.add_domains("amo-import.com");
  v1::GetDomainImportJobRequest get_import_job;
  get_import_job.set_job_id("job_amo");
  v1::SetDomainForwardingRequest forwarding;
  forwarding.add_domains("amo-avail.com");
  forwarding.set_forwarding_url("https://example.com");
  v1::GetForwardingJobRequest get_forwarding;
  get_forwarding.set_job_id("fwd_amo");
  v1::GetSwapRequest get_swap;
  get_swap.set_swap_id("swp_amo");
  return {
      {"GetAccount", "GET", "/me", "/me", T::Making(&v1::AccountService::Stub::GetAccount, v1::GetAccountRequest())},
      {"ListUsers", "GET", "/users", "/users", T::Making(&v1::UserService::Stub::ListUsers, v1::ListUsersRequest())},
      {"GetUser", "GET", "/users/{id}", "/users/usr_amo", T::Making(&v1::UserService::Stub::GetUser, get_user)},
      {"UpdateUser", "PATCH", "/users/{id}", "/users/usr_amo",
       T::Making(&v1::UserService::Stub::UpdateUser, update_user)},
      {"ListBundles", "GET", "/bundles", "/bundles",
       T::Making(&v1::BundleService::Stub::ListBundles, v1::ListBundlesRequest())},
      {"GetBundle", "GET", "/bundles/{id}", "/bundles/bun_amo",
       T::Making(&v1::BundleService::Stub::GetBundle, get_bundle)},
      {"UpdateBundle", "PATCH", "/bundles/{id}", "/bundles/bun_amo",
       T::Making(&v1::BundleService::Stub::UpdateBundle, update_bundle)},
      {"CheckAvailability", "POST", "/domains/availability", "/domains/availability",
       T::Making(&v1::DomainService::Stub::CheckAvailability, availability)},
      {"ImportDomains", "POST", "/domains/import", "/domains/import",
       T::Making(&v1::DomainService::Stub::ImportDomains, import)},
      {"LookupDomainImports", "GET", "/domains/import", "/domains/import",
       T::Making(&v1::DomainService::Stub::LookupDomainImports, lookup)},
      {"GetDomainImport", "GET", "/domains/import/{id}", "/domains/import/imp_amo",
       T::Making(&v1::DomainService::Stub::GetDomainImport, get_import)},
      {"CreateDomainImportJob", "POST", "/domains/import/jobs", "/domains/import/jobs",
       T::Making(&v1::DomainService::Stub::CreateDomainImportJob, import_job)},
      {"GetDomainImportJob", "GET", "/domains/import/jobs/{id}", "/domains/import/jobs/job_amo",
       T::Making(&v1::DomainService::Stub::GetDomainImportJob, get_import_job)},
      {"ListDomains", "GET", "/domains", "/domains",
       T::Making(&v1::DomainService::Stub::ListDomains, v1::ListDomainsRequest())},
      {"SetDomainForwarding", "POST", "/domains/forwarding", "/domains/forwarding",
       T::Making(&v1::DomainService::Stub::SetDomainForwarding, forwarding)},
      {"GetForwardingJob", "GET", "/domains/forwarding/{id}", "/domains/forwarding/fwd_amo",
       T::Making(&v1::DomainService::Stub::GetForwardingJob, get_forwarding)},
      {"PlaceOrder", "POST", "/orders", "/orders",
       T::Making(&v1::OrderService::Stub::PlaceOrder, CustomOrder("place@at-most-once.example", {"amo-place-avail.com"}))},
      {"ListOrders", "GET", "/orders", "/orders",
       T::Making(&v1::OrderService::Stub::ListOrders, v1::ListOrdersRequest())},
      {"ListPendingActions", "GET", "/orders/pending", "/orders/pending",
       T::Making(&v1::OrderService::Stub::ListPendingActions, v1::ListPendingActionsRequest())},
      {"ListSwaps", "GET", "/swaps", "/swaps", T::Making(&v1::SwapService::Stub::ListSwaps, v1::ListSwapsRequest())},
      {"GetSwap", "GET", "/swaps/{id}", "/swaps/swp_amo", T::Making(&v1::SwapService::Stub::GetSwap, get_swap)},
  };
}

INSTANTIATE_TEST_SUITE_P(EveryRepeatableCall, SafeCallTest, ::testing::ValuesIn(SafeCalls()),
                         [](const ::testing::TestParamInfo<SafeCall>& param) { return std::string(param.param.rpc); });

}  // namespace
}  // namespace gateway::testing
