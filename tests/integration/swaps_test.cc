// SwapService through the real stack: generated stubs → partner-gateway →
// partner-sandbox. The suite places one order and swaps its domains; each
// test works on domains no other test swaps.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/swap.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAreArray;


// The sandbox's custom plans put two Google inboxes on each Google domain.
constexpr int kGoogleInboxesPerDomain = 2;
constexpr int kGoogleDomains = 4;
constexpr int kMicrosoftDomains = 2;

v1::CreateSwapRequest SwapOf(const std::string& domain_id, v1::SwapType type, const std::string& replacement) {
  v1::CreateSwapRequest request;
  request.set_type(type);
  request.set_domain_id(domain_id);
  request.set_replacement_domain(replacement);
  return request;
}

v1::CreateUserNameSwapRequest RenameOn(const std::string& domain_id, const std::string& picture_url) {
  v1::CreateUserNameSwapRequest request;
  request.set_domain_id(domain_id);
  v1::Persona* persona = request.add_personas();
  persona->set_first_name("Jordan");
  persona->set_last_name("Blake");
  persona->set_profile_picture_url(picture_url);
  return request;
}

template <typename Swaps>
std::vector<std::string> Ids(const Swaps& swaps) {
  std::vector<std::string> ids;
  for (const v1::DomainSwap& swap : swaps) ids.push_back(swap.id());
  return ids;
}

class SwapsTest : public ::testing::Test {
 protected:
  // One order with Google and Microsoft domains, all connected at once.
  static void SetUpTestSuite() {
    auto stack = Stack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    swaps_ = v1::SwapService::NewStub(stack_->channel());
    auto client = stack_->Client();

    v1::PlaceOrderRequest order_request;
    order_request.set_user("owner@swaps-test.example");
    order_request.mutable_custom()->set_google_licenses(kGoogleDomains * kGoogleInboxesPerDomain);
    order_request.mutable_custom()->set_microsoft_licenses(kMicrosoftDomains);
    order_request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
    order_request.mutable_sequencer()->set_login_email("sl@swaps-test.example");
    order_request.mutable_sequencer()->set_login_password("swaps-test-login");
    for (int i = 0; i < kGoogleDomains + kMicrosoftDomains; ++i) {
      order_request.add_domains()->set_domain(absl::StrCat("swaps-avail", i, ".com"));
    }
    v1::Persona* persona = order_request.add_personas();
    persona->set_first_name("Alex");
    persona->set_last_name("Rivera");
    persona->set_profile_picture_url("");
    v1::PlaceOrderResponse placed;
    const grpc::Status ordered = client.PlaceOrder(order_request, &placed);
    ASSERT_TRUE(ordered.ok()) << Describe(ordered);
    order_ = placed.order();

    v1::ListDomainsRequest domains_request;
    domains_request.set_user_id(order_.user_id());
    domains_request.set_category(v1::DOMAIN_CATEGORY_CONNECTED);
    domains_request.set_page_size(100);
    v1::ListDomainsResponse domains;
    auto domain_service = v1::DomainService::NewStub(stack_->channel());
    const grpc::Status listed = domain_service->ListDomains(client.NewContext().get(), domains_request, &domains);
    ASSERT_TRUE(listed.ok()) << Describe(listed);
    for (const v1::Domain& domain : domains.domains()) {
      ASSERT_EQ(domain.order_id(), order_.id());
      (domain.provider() == v1::MAIL_PROVIDER_MICROSOFT ? microsoft_ : google_).push_back(domain.id());
    }
    ASSERT_EQ(google_.size(), size_t{kGoogleDomains});
    ASSERT_EQ(microsoft_.size(), size_t{kMicrosoftDomains});
  }

  static void TearDownTestSuite() {
    swaps_.reset();
    stack_.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(google_.size() == size_t{kGoogleDomains} && microsoft_.size() == size_t{kMicrosoftDomains})
        << "the suite's order and its domains are not in place";
  }

  // Runs one RPC with the client's deadline and environment.
  template <typename Request, typename Reply>
  static grpc::Status Call(grpc::Status (v1::SwapService::Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
                           const Request& request, Reply* reply) {
    std::unique_ptr<grpc::ClientContext> context = stack_->Client().NewContext();
    return (swaps_.get()->*rpc)(context.get(), request, reply);
  }

  static v1::DomainSwap Create(const v1::CreateSwapRequest& request) {
    v1::CreateSwapResponse reply;
    const grpc::Status status = Call(&v1::SwapService::Stub::CreateSwap, request, &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.swap();
  }

  static std::vector<v1::DomainSwap> ListAll(v1::ListSwapsRequest request) {
    std::vector<v1::DomainSwap> swaps;
    int pages = 0;
    do {
      v1::ListSwapsResponse page;
      const grpc::Status status = Call(&v1::SwapService::Stub::ListSwaps, request, &page);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok() || ++pages > 100) break;
      swaps.insert(swaps.end(), page.swaps().begin(), page.swaps().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return swaps;
  }

  static size_t PartnerCalls() {
    auto requests = stack_->SandboxRequests();
    EXPECT_TRUE(requests.ok()) << requests.status();
    return requests.ok() ? requests->size() : 0;
  }

  static inline std::unique_ptr<Stack> stack_;
  static inline std::unique_ptr<v1::SwapService::Stub> swaps_;
  static inline v1::Order order_;
  static inline std::vector<std::string> google_;
  static inline std::vector<std::string> microsoft_;
};

TEST_F(SwapsTest, CreateSwapReplacesADomain) {
  const v1::DomainSwap swap = Create(SwapOf(google_[0], v1::SWAP_TYPE_STANDARD, "swaps-avail-next0.com"));
  EXPECT_THAT(swap.id(), StartsWith("swp_"));
  EXPECT_EQ(swap.type(), v1::SWAP_TYPE_STANDARD);
  EXPECT_EQ(swap.domain_id(), google_[0]);
  EXPECT_EQ(swap.replacement_domain(), "swaps-avail-next0.com");
  EXPECT_EQ(swap.status(), v1::SWAP_STATUS_CREATED);
  EXPECT_GT(swap.created_at().seconds(), 0);
}

TEST_F(SwapsTest, PremiumSwapsOfOneDomainHaveACooldown) {
  const v1::DomainSwap swap = Create(SwapOf(microsoft_[0], v1::SWAP_TYPE_PREMIUM, "swaps-avail-warm0.com"));
  EXPECT_EQ(swap.type(), v1::SWAP_TYPE_PREMIUM);
  EXPECT_EQ(swap.domain_id(), microsoft_[0]);

  v1::CreateSwapResponse reply;
  const grpc::Status status = Call(&v1::SwapService::Stub::CreateSwap,
                                   SwapOf(microsoft_[0], v1::SWAP_TYPE_PREMIUM, "swaps-avail-warm1.com"), &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::FAILED_PRECONDITION, "swap_cooldown", {}, "domain_id"}))
      << Describe(status);
}

TEST_F(SwapsTest, PremiumSwapOfAGoogleDomainIsRejected) {
  v1::CreateSwapResponse reply;
  const grpc::Status status = Call(&v1::SwapService::Stub::CreateSwap,
                                   SwapOf(google_[1], v1::SWAP_TYPE_PREMIUM, "swaps-avail-warm2.com"), &reply);
  EXPECT_EQ(FailureOf(status),
            (Failure{grpc::StatusCode::INVALID_ARGUMENT, "premium_swap_not_allowed", {"type"}, "type"}))
      << Describe(status);
}

TEST_F(SwapsTest, ReplacementThatIsNeitherAvailableNorImportedIsRejected) {
  v1::CreateSwapResponse reply;
  const grpc::Status status = Call(&v1::SwapService::Stub::CreateSwap,
                                   SwapOf(google_[1], v1::SWAP_TYPE_STANDARD, "taken-swaps.com"), &reply);
  EXPECT_EQ(FailureOf(status),
            (Failure{
                grpc::StatusCode::INVALID_ARGUMENT, "invalid_request", {"replacement_domain"}, "replacement_domain"}))
      << Describe(status);
}

TEST_F(SwapsTest, SwapOfAnUnknownDomainIsNotFound) {
  v1::CreateSwapResponse reply;
  const grpc::Status status =
      Call(&v1::SwapService::Stub::CreateSwap,
           SwapOf("dom_00000000000000000000000000", v1::SWAP_TYPE_STANDARD, "swaps-avail-next9.com"), &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::NOT_FOUND, "not_found", {}, "domain_id"}))
      << Describe(status);
}

TEST_F(SwapsTest, CreateSwapIsValidatedBeforeAnyPartnerCall) {
  const size_t calls = PartnerCalls();
  v1::CreateSwapResponse reply;
  const grpc::Status status =
      Call(&v1::SwapService::Stub::CreateSwap, SwapOf(google_[1], v1::SWAP_TYPE_USER_NAMES, ""), &reply);
  EXPECT_EQ(FailureOf(status),
            (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", {"type", "replacement_domain"}, ""}))
      << Describe(status);
  EXPECT_EQ(PartnerCalls(), calls);
}

TEST_F(SwapsTest, GetSwapReturnsTheSwap) {
  const v1::DomainSwap created = Create(SwapOf(google_[1], v1::SWAP_TYPE_STANDARD, "swaps-avail-next1.com"));
  v1::GetSwapRequest request;
  request.set_swap_id(created.id());
  v1::GetSwapResponse reply;
  const grpc::Status status = Call(&v1::SwapService::Stub::GetSwap, request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(reply.swap().id(), created.id());
  EXPECT_EQ(reply.swap().type(), v1::SWAP_TYPE_STANDARD);
  EXPECT_EQ(reply.swap().domain_id(), google_[1]);
  EXPECT_EQ(reply.swap().replacement_domain(), "swaps-avail-next1.com");
  // The sandbox completes a swap a moment after it is made.
  EXPECT_THAT(reply.swap().status(), AnyOf(v1::SWAP_STATUS_CREATED, v1::SWAP_STATUS_COMPLETED));
  EXPECT_EQ(reply.swap().created_at().seconds(), created.created_at().seconds());
}

TEST_F(SwapsTest, GetSwapOfAnUnknownIdIsNotFound) {
  v1::GetSwapRequest request;
  request.set_swap_id("swp_00000000000000000000000000");
  v1::GetSwapResponse reply;
  const grpc::Status status = Call(&v1::SwapService::Stub::GetSwap, request, &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::NOT_FOUND, "not_found", {}, ""})) << Describe(status);

  request.set_swap_id("");
  const grpc::Status bad = Call(&v1::SwapService::Stub::GetSwap, request, &reply);
  EXPECT_EQ(FailureOf(bad), (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", {"swap_id"}, ""}))
      << Describe(bad);
}

TEST_F(SwapsTest, UserNameSwapHasOneRowPerInbox) {
  v1::CreateUserNameSwapResponse reply;
  grpc::Status status = Call(&v1::SwapService::Stub::CreateUserNameSwap,
                             RenameOn(google_[2], "https://cdn.swaps-test.example/jordan.png"), &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(reply.swaps_size(), kGoogleInboxesPerDomain);
  for (const v1::DomainSwap& swap : reply.swaps()) {
    EXPECT_THAT(swap.id(), StartsWith("swp_"));
    EXPECT_EQ(swap.type(), v1::SWAP_TYPE_USER_NAMES);
    EXPECT_EQ(swap.domain_id(), google_[2]);
    EXPECT_FALSE(swap.has_replacement_domain());
    EXPECT_EQ(swap.status(), v1::SWAP_STATUS_CREATED);
  }
  EXPECT_NE(reply.swaps(0).id(), reply.swaps(1).id());

  status = Call(&v1::SwapService::Stub::CreateUserNameSwap, RenameOn(microsoft_[1], ""), &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(reply.swaps_size(), 1);
  EXPECT_EQ(reply.swaps(0).domain_id(), microsoft_[1]);
}

TEST_F(SwapsTest, UserNameSwapOfAnUnknownDomainIsNotFound) {
  v1::CreateUserNameSwapResponse reply;
  const grpc::Status status =
      Call(&v1::SwapService::Stub::CreateUserNameSwap, RenameOn("dom_00000000000000000000000000", ""), &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::NOT_FOUND, "not_found", {}, "domain_id"}))
      << Describe(status);
}

TEST_F(SwapsTest, UserNameSwapIsValidatedBeforeAnyPartnerCall) {
  const size_t calls = PartnerCalls();
  v1::CreateUserNameSwapRequest request = RenameOn(google_[2], "");
  request.mutable_personas(0)->clear_profile_picture_url();
  v1::CreateUserNameSwapResponse reply;
  const grpc::Status status = Call(&v1::SwapService::Stub::CreateUserNameSwap, request, &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::INVALID_ARGUMENT,
                                        "INVALID_REQUEST",
                                        {"personas[0].profile_picture_url"},
                                        ""}))
      << Describe(status);
  EXPECT_EQ(PartnerCalls(), calls);
}

TEST_F(SwapsTest, ListSwapsFiltersByDomainOrderUserAndStatus) {
  const v1::DomainSwap standard = Create(SwapOf(google_[3], v1::SWAP_TYPE_STANDARD, "swaps-avail-next3.com"));
  // A private picture holds the renamed inboxes in action_required.
  v1::CreateUserNameSwapResponse renamed;
  const grpc::Status status =
      Call(&v1::SwapService::Stub::CreateUserNameSwap, RenameOn(google_[3], "http://localhost/jordan.png"), &renamed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(renamed.swaps_size(), kGoogleInboxesPerDomain);
  for (const v1::DomainSwap& swap : renamed.swaps()) EXPECT_EQ(swap.status(), v1::SWAP_STATUS_ACTION_REQUIRED);
  std::vector<std::string> on_domain = Ids(renamed.swaps());
  on_domain.push_back(standard.id());

  v1::ListSwapsRequest request;
  request.set_domain_id(google_[3]);
  request.set_page_size(1);
  const std::vector<v1::DomainSwap> by_domain = ListAll(request);
  EXPECT_THAT(Ids(by_domain), UnorderedElementsAreArray(on_domain));

  request.set_status(v1::SWAP_STATUS_ACTION_REQUIRED);
  EXPECT_THAT(Ids(ListAll(request)), UnorderedElementsAreArray(Ids(renamed.swaps())));

  std::vector<std::string> order_domains = google_;
  order_domains.insert(order_domains.end(), microsoft_.begin(), microsoft_.end());
  v1::ListSwapsRequest by_order;
  by_order.set_order_id(order_.id());
  v1::ListSwapsRequest by_user;
  by_user.set_user_id(order_.user_id());
  for (const v1::ListSwapsRequest& scoped : {by_order, by_user}) {
    std::vector<std::string> ids;
    for (const v1::DomainSwap& swap : ListAll(scoped)) {
      ids.push_back(swap.id());
      EXPECT_THAT(order_domains, Contains(swap.domain_id()));
    }
    for (const std::string& id : on_domain) EXPECT_THAT(ids, Contains(id));
  }
  v1::ListSwapsRequest by_stranger;
  by_stranger.set_user_id("usr_00000000000000000000000000");
  EXPECT_THAT(ListAll(by_stranger), ::testing::IsEmpty());
}

TEST_F(SwapsTest, ListSwapsRejectsAPageTokenOfOtherFilters) {
  Create(SwapOf(google_[0], v1::SWAP_TYPE_STANDARD, "swaps-avail-token0.com"));
  Create(SwapOf(google_[0], v1::SWAP_TYPE_STANDARD, "swaps-avail-token1.com"));
  v1::ListSwapsRequest request;
  request.set_domain_id(google_[0]);
  request.set_page_size(1);
  v1::ListSwapsResponse page;
  ASSERT_TRUE(Call(&v1::SwapService::Stub::ListSwaps, request, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());

  const size_t calls = PartnerCalls();
  request.set_page_token(page.next_page_token());
  request.set_domain_id(google_[1]);
  const grpc::Status status = Call(&v1::SwapService::Stub::ListSwaps, request, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(FailureOf(status).fields, std::vector<std::string>{"page_token"});
  EXPECT_EQ(PartnerCalls(), calls);
}

}  // namespace
}  // namespace gateway::testing
