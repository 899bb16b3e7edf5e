#include "server/partner/partner_client.h"

#include <fstream>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/common/status_details.h"
#include "tests/fakes/fake_http_client.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kSandboxKey[] = "pk_test_unitSandboxKey000001";
constexpr char kLiveKey[] = "pk_live_unitLiveKey0000000002";

constexpr char kBundleBody[] = R"({"data":{
  "id":"bun_01","name":"Starter","monthly_sending_volume":25000,"google_percent":null,"microsoft_percent":null,
  "send_on_weekends":false,"google_inboxes_per_domain":2,"effective":{"google_percent":50,"microsoft_percent":50},
  "required_domains":{"google":15,"microsoft":4,"total":19},"status":"active","created_at":"2026-05-08T12:00:00Z"}})";

std::string WriteKeyFile(const std::string& name, const std::string& key) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::trunc) << key << "\n";
  return path;
}

std::shared_ptr<common::SecretFile> KeyFile(const std::string& name, const std::string& key) {
  // Zero recheck interval: every call sees a rotated file.
  return *common::SecretFile::Open(WriteKeyFile(name, key), absl::ZeroDuration());
}

v1::CreateBundleRequest QuickstartBundle() {
  v1::CreateBundleRequest request;
  request.set_name("Starter");
  request.set_monthly_sending_volume(25000);
  return request;
}

class PartnerClientTest : public ::testing::Test {
 protected:
  PartnerClientTest()
      : client_(&http_, PartnerKeys{KeyFile("sandbox.key", kSandboxKey), nullptr},
                PartnerClient::Options{"http://127.0.0.1:9/partner/v1", absl::Seconds(15)}) {}

  template <typename Reply, typename Request>
  absl::StatusOr<Reply> Run(void (PartnerClient::*method)(v1::Environment, const Request&, absl::Time,
                                                          PartnerClient::Callback<Reply>),
                            const Request& request, v1::Environment env = v1::ENVIRONMENT_SANDBOX,
                            absl::Time deadline = absl::InfiniteFuture()) {
    std::optional<absl::StatusOr<Reply>> result;
    (client_.*method)(env, request, deadline, [&result](absl::StatusOr<Reply> r) { result = std::move(r); });
    EXPECT_TRUE(result.has_value()) << "the fake client answers synchronously";
    return result.value_or(absl::InternalError("no answer"));
  }

  testing::FakeHttpClient http_;
  PartnerClient client_;
};

TEST_F(PartnerClientTest, SendsTheDocumentedRequestWithTheKeyAndDecodesTheReply) {
  http_.RespondWith(201, kBundleBody);
  auto reply = Run(&PartnerClient::CreateBundle, QuickstartBundle());
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->bundle().id(), "bun_01");
  EXPECT_EQ(reply->bundle().required_domains().total(), 19);

  ASSERT_EQ(http_.requests().size(), 1u);
  const http::HttpRequest& sent = http_.requests()[0].request;
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/partner/v1/bundles");
  EXPECT_THAT(sent.headers, UnorderedElementsAre(Pair("Authorization", std::string("Bearer ") + kSandboxKey),
                                                 Pair("Accept", "application/json"),
                                                 Pair("Content-Type", "application/json")));
  EXPECT_EQ(nlohmann::json::parse(sent.body),
            nlohmann::json::parse(R"({"name":"Starter","monthly_sending_volume":25000})"));
}

TEST_F(PartnerClientTest, InvalidRequestIsRejectedWithoutAnyPartnerCall) {
  v1::CreateBundleRequest request = QuickstartBundle();
  request.set_google_percent(80);
  auto reply = Run(&PartnerClient::CreateBundle, request);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(PartnerClientTest, UnconfiguredEnvironmentFailsWithoutAnyPartnerCall) {
  auto reply = Run(&PartnerClient::CreateBundle, QuickstartBundle(), v1::ENVIRONMENT_LIVE);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reply.status().message(), HasSubstr("live"));
  EXPECT_TRUE(http_.requests().empty());
}

TEST(PartnerClientEnvironmentTest, EachEnvironmentUsesItsOwnKeyAndUnspecifiedMeansSandbox) {
  testing::FakeHttpClient http;
  http.RespondWith(201, kBundleBody);
  PartnerClient client(&http, PartnerKeys{KeyFile("s.key", kSandboxKey), KeyFile("l.key", kLiveKey)},
                       PartnerClient::Options{"https://api.example.test/partner/v1", absl::Seconds(15)});
  for (v1::Environment env : {v1::ENVIRONMENT_LIVE, v1::ENVIRONMENT_SANDBOX, v1::ENVIRONMENT_UNSPECIFIED}) {
    client.CreateBundle(env, QuickstartBundle(), absl::InfiniteFuture(), [](auto reply) { ASSERT_TRUE(reply.ok()); });
  }
  ASSERT_EQ(http.requests().size(), 3u);
  EXPECT_EQ(http.requests()[0].request.headers[0].second, std::string("Bearer ") + kLiveKey);
  EXPECT_EQ(http.requests()[1].request.headers[0].second, std::string("Bearer ") + kSandboxKey);
  EXPECT_EQ(http.requests()[2].request.headers[0].second, std::string("Bearer ") + kSandboxKey);
}

TEST_F(PartnerClientTest, RotatedKeyFileTakesEffectWithoutRestart) {
  http_.RespondWith(201, kBundleBody);
  ASSERT_TRUE(Run(&PartnerClient::CreateBundle, QuickstartBundle()).ok());
  WriteKeyFile("sandbox.key", "pk_test_rotatedKey0000000003");
  ASSERT_TRUE(Run(&PartnerClient::CreateBundle, QuickstartBundle()).ok());
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(http_.requests()[1].request.headers[0].second, "Bearer pk_test_rotatedKey0000000003");
}

TEST_F(PartnerClientTest, DeadlineIsTheCallersWhenShorterAndTheDefaultOtherwise) {
  http_.RespondWith(201, kBundleBody);
  const absl::Time before = absl::Now();
  ASSERT_TRUE(Run(&PartnerClient::CreateBundle, QuickstartBundle(), v1::ENVIRONMENT_SANDBOX, absl::InfiniteFuture()).ok());
  const absl::Time caller = absl::Now() + absl::Seconds(2);
  ASSERT_TRUE(Run(&PartnerClient::CreateBundle, QuickstartBundle(), v1::ENVIRONMENT_SANDBOX, caller).ok());
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_GE(http_.requests()[0].deadline, before + absl::Seconds(15));
  EXPECT_LE(http_.requests()[0].deadline, absl::Now() + absl::Seconds(15));
  EXPECT_EQ(http_.requests()[1].deadline, caller);
}

struct BadBody {
  const char* name;
  int status;
  const char* body;
  const char* message;
};

class PartnerClientBadResponseTest : public PartnerClientTest, public ::testing::WithParamInterface<BadBody> {};

TEST_P(PartnerClientBadResponseTest, IsInternalWithReasonAndRequestId) {
  http_.RespondWith(GetParam().status, GetParam().body);
  auto reply = Run(&PartnerClient::CreateBundle, QuickstartBundle());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(reply.status().message(), HasSubstr(GetParam().message));
  auto info = common::GetDetail<google::rpc::ErrorInfo>(reply.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "PARTNER_BAD_RESPONSE");
  EXPECT_EQ(common::GetDetail<google::rpc::RequestInfo>(reply.status())->request_id(), "req_FAKE");
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, PartnerClientBadResponseTest,
    ::testing::Values(BadBody{"NotJson", 201, "<html>", "not JSON"},
                      BadBody{"Truncated", 201, R"({"data":{"id":"bun_)", "not JSON"},
                      BadBody{"NoData", 201, R"({"bundle":{}})", "no \"data\" object"},
                      BadBody{"DataNotObject", 200, R"({"data":[1,2]})", "no \"data\" object"},
                      BadBody{"WrongType", 201, R"({"data":{"id":"bun_1","monthly_sending_volume":"lots"}})",
                              "monthly_sending_volume"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST_F(PartnerClientTest, PartnerErrorsGoThroughTheErrorEdge) {
  http_.RespondWith(400, R"({"error":{"code":"invalid_request","message":"name is bad","field":"name"}})");
  auto reply = Run(&PartnerClient::CreateBundle, QuickstartBundle());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(common::GetDetail<google::rpc::BadRequest>(reply.status()).has_value());
}

TEST_F(PartnerClientTest, TransportErrorsBecomeUnavailableWithoutTheKey) {
  http_.SetHandler([](const http::HttpRequest&) -> absl::StatusOr<http::HttpResponse> {
    return absl::UnavailableError("connection refused");
  });
  auto reply = Run(&PartnerClient::CreateBundle, QuickstartBundle());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(reply.status().ToString().find(kSandboxKey), std::string::npos);
}

TEST_F(PartnerClientTest, EveryRpcHitsItsDocumentedRoute) {
  http_.SetHandler([](const http::HttpRequest&) -> absl::StatusOr<http::HttpResponse> {
    return absl::UnavailableError("not answering");
  });
  v1::CheckAvailabilityRequest availability;
  availability.add_domains("acme-mail.com");
  EXPECT_EQ(Run(&PartnerClient::CheckAvailability, availability).status().code(), absl::StatusCode::kUnavailable);
  v1::ImportDomainsRequest import;
  import.add_domains("acme.com");
  EXPECT_EQ(Run(&PartnerClient::ImportDomains, import).status().code(), absl::StatusCode::kUnavailable);
  v1::PlaceOrderRequest order;
  order.set_user("alex@acme.com");
  order.set_bundle_id("bun_1");
  order.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  order.mutable_sequencer()->set_login_email("a@b.test");
  order.mutable_sequencer()->set_login_password("pw");
  order.add_domains()->set_domain("acme-mail.com");
  auto* persona = order.add_personas();
  persona->set_first_name("A");
  persona->set_last_name("B");
  persona->set_profile_picture_url("");
  EXPECT_EQ(Run(&PartnerClient::PlaceOrder, order).status().code(), absl::StatusCode::kUnavailable);
  ASSERT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(http_.requests()[0].request.url, "http://127.0.0.1:9/partner/v1/domains/availability");
  EXPECT_EQ(http_.requests()[1].request.url, "http://127.0.0.1:9/partner/v1/domains/import");
  EXPECT_EQ(http_.requests()[2].request.url, "http://127.0.0.1:9/partner/v1/orders");
}

}  // namespace
}  // namespace gateway::partner
