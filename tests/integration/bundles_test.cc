// BundleService through the real stack, and paging as every list RPC does
// it (bundles are the cheapest resource to make many of).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ElementsAre;

class BundlesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    // Hundreds of bundles in a few seconds.
    options.gateway_args = {"--partner-rate-limit", "100000"};
    options.sandbox_args = {"--rate-limit", "0"};
    auto stack = Stack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    bundles_ = v1::BundleService::NewStub(stack_->channel());
  }
  static void TearDownTestSuite() {
    bundles_.reset();
    stack_.reset();
  }

  static v1::Bundle Create(const std::string& name) {
    v1::CreateBundleRequest request;
    request.set_name(name);
    request.set_monthly_sending_volume(25000);
    v1::CreateBundleResponse reply;
    const grpc::Status status = bundles_->CreateBundle(ContextWithDeadline().get(), request, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.bundle();
  }

  static inline std::unique_ptr<Stack> stack_;
  static inline std::unique_ptr<v1::BundleService::Stub> bundles_;
};

TEST_F(BundlesTest, GetReturnsWhatCreateMade) {
  const v1::Bundle created = Create("get-me");
  v1::GetBundleRequest request;
  request.set_bundle_id(created.id());
  v1::GetBundleResponse reply;
  const grpc::Status status = bundles_->GetBundle(ContextWithDeadline().get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.bundle().SerializeAsString(), created.SerializeAsString());
}

TEST_F(BundlesTest, GetOfAnUnknownIdIsNotFound) {
  v1::GetBundleRequest request;
  request.set_bundle_id("bun_00000000000000000000000000");
  v1::GetBundleResponse reply;
  const grpc::Status status = bundles_->GetBundle(ContextWithDeadline().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(DetailsOf(status).error_info.has_value());
  EXPECT_EQ(DetailsOf(status).error_info->reason(), "not_found");
}

TEST_F(BundlesTest, UpdateChangesTheSplitAndRecomputesTheRequiredDomains) {
  const v1::Bundle created = Create("update-me");
  v1::UpdateBundleRequest request;
  request.set_bundle_id(created.id());
  request.mutable_split()->set_google_percent(100);
  request.mutable_split()->set_microsoft_percent(0);
  request.set_name("all google");
  v1::UpdateBundleResponse reply;
  grpc::Status status = bundles_->UpdateBundle(ContextWithDeadline().get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.bundle().name(), "all google");
  EXPECT_EQ(reply.bundle().effective().google_percent(), 100);
  EXPECT_EQ(reply.bundle().required_domains().microsoft(), 0);
  EXPECT_EQ(reply.bundle().monthly_sending_volume(), 25000);

  request.Clear();
  request.set_bundle_id(created.id());
  request.set_use_recommended_split(true);
  status = bundles_->UpdateBundle(ContextWithDeadline().get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(reply.bundle().has_google_percent());
  EXPECT_EQ(reply.bundle().effective().google_percent(), created.effective().google_percent());
}

TEST_F(BundlesTest, UpdateWithABadSplitIsRejectedBeforeThePartner) {
  const v1::Bundle created = Create("bad-split");
  v1::UpdateBundleRequest request;
  request.set_bundle_id(created.id());
  request.mutable_split()->set_google_percent(70);
  request.mutable_split()->set_microsoft_percent(20);
  v1::UpdateBundleResponse reply;
  const grpc::Status status = bundles_->UpdateBundle(ContextWithDeadline().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Fields(DetailsOf(status)), ElementsAre("split.google_percent"));
}

TEST_F(BundlesTest, DeleteRemovesAnUnusedBundle) {
  const v1::Bundle created = Create("delete-me");
  v1::DeleteBundleRequest request;
  request.set_bundle_id(created.id());
  v1::DeleteBundleResponse reply;
  grpc::Status status = bundles_->DeleteBundle(ContextWithDeadline().get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.bundle_id(), created.id());
  EXPECT_EQ(reply.status(), v1::BUNDLE_STATUS_DELETED);
  status = bundles_->DeleteBundle(ContextWithDeadline().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(BundlesTest, DeleteArchivesABundleAnOrderUsed) {
  v1::CreateBundleRequest create;
  create.set_name("one google domain");
  create.set_monthly_sending_volume(100);
  create.set_google_percent(100);
  create.set_microsoft_percent(0);
  v1::CreateBundleResponse created;
  ASSERT_TRUE(bundles_->CreateBundle(ContextWithDeadline().get(), create, &created).ok());
  ASSERT_EQ(created.bundle().required_domains().total(), 1);

  v1::PlaceOrderRequest order;
  order.set_user("archive@bundles.test");
  order.set_bundle_id(created.bundle().id());
  order.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  order.mutable_sequencer()->set_login_email("sl@bundles.test");
  order.mutable_sequencer()->set_login_password("bundles-test-login");
  order.add_domains()->set_domain("bundles-avail-archive.com");
  v1::Persona* persona = order.add_personas();
  persona->set_first_name("Ada");
  persona->set_last_name("Lane");
  persona->set_profile_picture_url("");
  v1::PlaceOrderResponse placed;
  const grpc::Status ordered =
      v1::OrderService::NewStub(stack_->channel())->PlaceOrder(ContextWithDeadline().get(), order, &placed);
  ASSERT_TRUE(ordered.ok()) << ordered.error_message();

  v1::DeleteBundleRequest request;
  request.set_bundle_id(created.bundle().id());
  v1::DeleteBundleResponse reply;
  const grpc::Status status = bundles_->DeleteBundle(ContextWithDeadline().get(), request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.status(), v1::BUNDLE_STATUS_ARCHIVED);

  v1::GetBundleRequest get;
  get.set_bundle_id(created.bundle().id());
  v1::GetBundleResponse got;
  ASSERT_TRUE(bundles_->GetBundle(ContextWithDeadline().get(), get, &got).ok());
  EXPECT_EQ(got.bundle().status(), v1::BUNDLE_STATUS_ARCHIVED);
}

TEST_F(BundlesTest, EveryBundleIsListedExactlyOnceAcrossPages) {
  std::map<std::string, int> seen;
  for (int i = 0; i < 260; ++i) seen[Create(absl::StrCat("paged-", i)).id()] = 0;
  ASSERT_EQ(seen.size(), 260u);

  peeker::partner::client::GatewayClient client = stack_->Client();
  v1::ListBundlesRequest request;
  request.set_page_size(100);
  auto pages = client.Pages(&v1::BundleService::Stub::ListBundles, request);
  int page_count = 0;
  int listed = 0;
  for (v1::ListBundlesResponse page; pages.Next(&page);) {
    ++page_count;
    EXPECT_LE(page.bundles_size(), 100);
    for (const v1::Bundle& bundle : page.bundles()) {
      ++listed;
      if (auto it = seen.find(bundle.id()); it != seen.end()) ++it->second;
    }
  }
  ASSERT_TRUE(pages.status().ok()) << pages.status().error_message();
  EXPECT_GE(page_count, 3);
  EXPECT_GE(listed, 260);
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
}

TEST_F(BundlesTest, AForgedOrForeignPageTokenIsInvalidArgument) {
  Create("token-1");
  Create("token-2");
  v1::ListBundlesRequest request;
  request.set_page_size(1);
  request.set_status(v1::BUNDLE_STATUS_ACTIVE);
  v1::ListBundlesResponse first;
  grpc::Status status = bundles_->ListBundles(ContextWithDeadline().get(), request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(first.next_page_token().empty());

  std::string forged = first.next_page_token();
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'x' ? 'y' : 'x';
  v1::ListBundlesRequest edited = request;
  edited.set_page_token(forged);
  v1::ListBundlesRequest other_filter = request;
  other_filter.set_status(v1::BUNDLE_STATUS_ARCHIVED);
  other_filter.set_page_token(first.next_page_token());
  for (const v1::ListBundlesRequest& bad : {edited, other_filter}) {
    v1::ListBundlesResponse reply;
    status = bundles_->ListBundles(ContextWithDeadline().get(), bad, &reply);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.ShortDebugString();
    EXPECT_THAT(Fields(DetailsOf(status)), ElementsAre("page_token"));
  }
}

}  // namespace
}  // namespace gateway::testing
