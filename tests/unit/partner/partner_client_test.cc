#include "server/partner/partner_client.h"

#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/common/status_details.h"
#include "server/partner/bundle_api.h"
#include "server/partner/domain_api.h"
#include "server/partner/order_api.h"
#include "tests/fakes/fake_http_client.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kSandboxKey[] = "pk_test_FAKE_unit_sandbox";
constexpr char kLiveKey[] = "pk_live_FAKE_unit_live";

constexpr char kBundleBody[] = R"({"data":{
  "id":"bun_01","name":"Starter","monthly_sending_volume":25000,"google_percent":null,"microsoft_percent":null,
  "send_on_weekends":false,"google_inboxes_per_domain":2,"effective":{"google_percent":50,"microsoft_percent":50},
  "required_domains":{"google":15,"microsoft":4,"total":19},"status":"active","created_at":"2026-05-08T12:00:00Z"}})";

// The fake answers at once, so spacing calls only shifts their not_before;
// tests of the rate budget and of the breaker set their own limits.
PartnerClient::Options ClientOptions(std::string base_url, int rate_limit_per_minute = 60'000'000,
                                     int breaker_failures = 1000) {
  PartnerClient::Options options;
  options.base_url = std::move(base_url);
  options.rate_limit_per_minute = rate_limit_per_minute;
  options.breaker.failure_threshold = breaker_failures;
  return options;
}

std::string WriteKeyFile(const std::string& name, const std::string& key) {
  // Per process: test binaries run in parallel and share the temp dir.
  const std::string path = absl::StrCat(::testing::TempDir(), "/", ::getpid(), "-", name);
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

v1::PlaceOrderRequest SmallOrder() {
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
  return order;
}

class PartnerClientTest : public ::testing::Test {
 protected:
  PartnerClientTest()
      : client_(&http_, PartnerKeys{KeyFile("sandbox.key", kSandboxKey), nullptr},
                ClientOptions("http://127.0.0.1:9/partner/v1"), &metrics_) {}

  template <typename Request, typename Reply>
  absl::StatusOr<Reply> Run(const Endpoint<Request, Reply>& endpoint, const Request& request,
                            v1::Environment env = v1::ENVIRONMENT_SANDBOX,
                            absl::Time deadline = absl::InfiniteFuture()) {
    std::optional<absl::StatusOr<Reply>> result;
    client_.Call(env, endpoint, request, deadline, [this, &result](absl::StatusOr<Reply> r, absl::string_view id) {
      result = std::move(r);
      request_id_ = std::string(id);
    });
    EXPECT_TRUE(result.has_value()) << "the fake client answers synchronously";
    return result.value_or(absl::InternalError("no answer"));
  }

  testing::FakeHttpClient http_;
  common::Metrics metrics_;
  PartnerClient client_;
  // The Peeker-Request-Id that came with Run's last result.
  std::string request_id_;
};

TEST_F(PartnerClientTest, SendsTheDocumentedRequestWithTheKeyAndDecodesTheReply) {
  http_.RespondWith(201, kBundleBody);
  auto reply = Run(kCreateBundle, QuickstartBundle());
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->bundle().id(), "bun_01");
  EXPECT_EQ(reply->bundle().required_domains().total(), 19);
  EXPECT_EQ(request_id_, "req_FAKE");

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
  auto reply = Run(kCreateBundle, request);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_.requests().empty());
  EXPECT_EQ(request_id_, "");
}

TEST_F(PartnerClientTest, UnconfiguredEnvironmentFailsWithoutAnyPartnerCall) {
  auto reply = Run(kCreateBundle, QuickstartBundle(), v1::ENVIRONMENT_LIVE);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reply.status().message(), HasSubstr("live"));
  EXPECT_TRUE(http_.requests().empty());
}

TEST(PartnerClientEnvironmentTest, EachEnvironmentUsesItsOwnKeyAndUnspecifiedMeansSandbox) {
  testing::FakeHttpClient http;
  http.RespondWith(201, kBundleBody);
  common::Metrics metrics;
  PartnerClient client(&http, PartnerKeys{KeyFile("s.key", kSandboxKey), KeyFile("l.key", kLiveKey)},
                       ClientOptions("https://api.example.test/partner/v1"), &metrics);
  for (v1::Environment env : {v1::ENVIRONMENT_LIVE, v1::ENVIRONMENT_SANDBOX, v1::ENVIRONMENT_UNSPECIFIED}) {
    client.Call(env, kCreateBundle, QuickstartBundle(), absl::InfiniteFuture(),
                [](auto reply, auto) { ASSERT_TRUE(reply.ok()); });
  }
  ASSERT_EQ(http.requests().size(), 3u);
  EXPECT_EQ(http.requests()[0].request.headers[0].second, std::string("Bearer ") + kLiveKey);
  EXPECT_EQ(http.requests()[1].request.headers[0].second, std::string("Bearer ") + kSandboxKey);
  EXPECT_EQ(http.requests()[2].request.headers[0].second, std::string("Bearer ") + kSandboxKey);
}

TEST_F(PartnerClientTest, RotatedKeyFileTakesEffectWithoutRestart) {
  http_.RespondWith(201, kBundleBody);
  ASSERT_TRUE(Run(kCreateBundle, QuickstartBundle()).ok());
  WriteKeyFile("sandbox.key", "pk_test_FAKE_rotated");
  ASSERT_TRUE(Run(kCreateBundle, QuickstartBundle()).ok());
  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(http_.requests()[1].request.headers[0].second, "Bearer pk_test_FAKE_rotated");
}

TEST_F(PartnerClientTest, DeadlineIsTheCallersWhenShorterAndTheDefaultOtherwise) {
  http_.RespondWith(201, kBundleBody);
  const absl::Time before = absl::Now();
  ASSERT_TRUE(Run(kCreateBundle, QuickstartBundle(), v1::ENVIRONMENT_SANDBOX, absl::InfiniteFuture()).ok());
  const absl::Time caller = absl::Now() + absl::Seconds(2);
  ASSERT_TRUE(Run(kCreateBundle, QuickstartBundle(), v1::ENVIRONMENT_SANDBOX, caller).ok());
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
  auto reply = Run(kCreateBundle, QuickstartBundle());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(reply.status().message(), HasSubstr(GetParam().message));
  auto info = common::GetDetail<google::rpc::ErrorInfo>(reply.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "PARTNER_BAD_RESPONSE");
  EXPECT_EQ(common::GetDetail<google::rpc::RequestInfo>(reply.status())->request_id(), "req_FAKE");
  EXPECT_EQ(request_id_, "req_FAKE");
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, PartnerClientBadResponseTest,
    ::testing::Values(BadBody{"NotJson", 201, "<html>", "not JSON"},
                      BadBody{"Truncated", 201, R"({"data":{"id":"bun_)", "not JSON"},
                      BadBody{"NoData", 201, R"({"bundle":{}})", "no \"data\" member"},
                      BadBody{"DataNotObject", 200, R"({"data":[1,2]})", "`data` is not an object"},
                      BadBody{"WrongType", 201, R"({"data":{"id":"bun_1","monthly_sending_volume":"lots"}})",
                              "monthly_sending_volume"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST_F(PartnerClientTest, PartnerErrorsGoThroughTheErrorEdge) {
  http_.RespondWith(400, R"({"error":{"code":"invalid_request","message":"name is bad","field":"name"}})");
  auto reply = Run(kCreateBundle, QuickstartBundle());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(common::GetDetail<google::rpc::BadRequest>(reply.status()).has_value());
}

TEST_F(PartnerClientTest, TransportErrorsBecomeUnavailableWithoutTheKey) {
  http_.SetHandler([](const http::HttpRequest&) -> absl::StatusOr<http::HttpResponse> {
    return absl::UnavailableError("connection refused");
  });
  auto reply = Run(kCreateBundle, QuickstartBundle());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(reply.status().ToString().find(kSandboxKey), std::string::npos);
}

TEST_F(PartnerClientTest, EveryRpcHitsItsDocumentedRoute) {
  http_.RespondWith(404, R"({"error":{"code":"not_found","message":"no such thing"}})");
  v1::CheckAvailabilityRequest availability;
  availability.add_domains("acme-mail.com");
  EXPECT_EQ(Run(kCheckAvailabilityBatch, availability).status().code(), absl::StatusCode::kNotFound);
  v1::ImportDomainsRequest import;
  import.add_domains("acme.com");
  EXPECT_EQ(Run(kImportDomains, import).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Run(kPlaceOrder, SmallOrder()).status().code(), absl::StatusCode::kNotFound);
  ASSERT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(http_.requests()[0].request.url, "http://127.0.0.1:9/partner/v1/domains/availability");
  EXPECT_EQ(http_.requests()[1].request.url, "http://127.0.0.1:9/partner/v1/domains/import");
  EXPECT_EQ(http_.requests()[2].request.url, "http://127.0.0.1:9/partner/v1/orders");
}

// Answers the n-th request (0-based) with `answers[n]`, the last one after.
testing::FakeHttpClient::Handler Sequence(std::vector<absl::StatusOr<http::HttpResponse>> answers) {
  auto next = std::make_shared<size_t>(0);
  return [answers = std::move(answers), next](const http::HttpRequest&) {
    return answers[std::min((*next)++, answers.size() - 1)];
  };
}

http::HttpResponse Response(int status, std::string body) {
  http::HttpResponse response;
  response.status = status;
  response.headers["peeker-request-id"] = "req_FAKE";
  response.body = std::move(body);
  return response;
}

const http::HttpResponse kServerError =
    Response(503, R"({"error":{"code":"service_unavailable","message":"try again"}})");

constexpr char kOrderBody[] = R"({"data":{"id":"ord_1","status":"in_progress","domain_count":1,
  "costs":{"total_cents":300,"currency":"usd"},"created_at":"2026-05-08T12:00:00Z"}})";

TEST_F(PartnerClientTest, IdempotentCallsAreRetriedWithGrowingJitteredBackoff) {
  http_.SetHandler(Sequence({kServerError, kServerError, Response(200, kOrderBody)}));
  auto reply = Run(kPlaceOrder, SmallOrder());
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->order().id(), "ord_1");
  ASSERT_EQ(http_.requests().size(), 3u);
  // The fake answers at once, so each wait counts from the first attempt.
  const absl::Time first = http_.requests()[0].request.not_before;
  const absl::Duration first_wait = http_.requests()[1].request.not_before - first;
  const absl::Duration second_wait = http_.requests()[2].request.not_before - first;
  EXPECT_GE(first_wait, absl::Milliseconds(250));  // 0.5 s × [0.5, 1]
  EXPECT_LE(first_wait, absl::Milliseconds(520));
  EXPECT_GE(second_wait, absl::Milliseconds(500));  // 1 s × [0.5, 1]
  EXPECT_LE(second_wait, absl::Milliseconds(1020));
  // The same bytes every time: the Partner dedupes identical order bodies.
  EXPECT_EQ(http_.requests()[0].request.body, http_.requests()[2].request.body);
}

TEST_F(PartnerClientTest, AttemptsAreCapped) {
  http_.SetHandler(Sequence({kServerError}));
  auto reply = Run(kPlaceOrder, SmallOrder());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http_.requests().size(), 3u);
}

TEST_F(PartnerClientTest, ASideEffectIsRetriedOnlyWhenNothingWasSent) {
  http_.SetHandler(Sequence({kServerError, Response(201, kBundleBody)}));
  EXPECT_EQ(Run(kCreateBundle, QuickstartBundle()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http_.requests().size(), 1u);  // The Partner may have created it.

  http_.SetHandler(Sequence({http::NotSentError(absl::UnavailableError("connection refused")), Response(201, kBundleBody)}));
  EXPECT_TRUE(Run(kCreateBundle, QuickstartBundle()).ok());
  EXPECT_EQ(http_.requests().size(), 3u);
  // Such writes never go on a pooled connection; repeatable requests do.
  EXPECT_FALSE(http_.requests()[2].request.repeatable);
  http_.RespondWith(200, kOrderBody);
  ASSERT_TRUE(Run(kPlaceOrder, SmallOrder()).ok());
  EXPECT_TRUE(http_.requests()[3].request.repeatable);
}

TEST_F(PartnerClientTest, ASideEffectWithoutAnAnswerHasAnUnknownOutcome) {
  const absl::Status lost = absl::UnavailableError("Empty reply from server");
  for (const absl::Status& first : {lost, http::NotSentError(absl::UnavailableError("connection refused"))}) {
    http_.SetHandler(Sequence({first, lost}));
    const size_t before = http_.requests().size();
    const absl::Status status = Run(kCreateBundle, QuickstartBundle()).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
    auto info = common::GetDetail<google::rpc::ErrorInfo>(status);
    ASSERT_TRUE(info.has_value()) << status;
    EXPECT_EQ(info->reason(), "PARTNER_OUTCOME_UNKNOWN");
    EXPECT_EQ(info->metadata().at("resource_type"), "bundle");
    EXPECT_FALSE(common::GetDetail<google::rpc::RetryInfo>(status).has_value());
    // Retried only after the attempt that was not sent.
    EXPECT_EQ(http_.requests().size() - before, http::WasNotSent(first) ? 2u : 1u);
  }
  // The gateway's own per-attempt timeout, inside the caller's deadline.
  http_.SetHandler(Sequence({absl::DeadlineExceededError("no answer before the deadline")}));
  const absl::Status timed_out =
      Run(kCreateBundle, QuickstartBundle(), v1::ENVIRONMENT_SANDBOX, absl::Now() + absl::Seconds(30)).status();
  EXPECT_EQ(timed_out.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(common::GetDetail<google::rpc::ErrorInfo>(timed_out)->reason(), "PARTNER_OUTCOME_UNKNOWN");
  // A read that fails the same way stays retryable.
  http_.SetHandler(Sequence({lost}));
  const absl::Status read = Run(kPlaceOrder, SmallOrder()).status();
  EXPECT_EQ(read.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(common::GetDetail<google::rpc::RetryInfo>(read).has_value());
  EXPECT_FALSE(common::GetDetail<google::rpc::ErrorInfo>(read).has_value());
}

TEST_F(PartnerClientTest, EveryAttemptIsCountedWithItsOutcome) {
  http_.SetHandler(Sequence({kServerError, absl::UnavailableError("reset"), Response(200, kOrderBody)}));
  ASSERT_TRUE(Run(kPlaceOrder, SmallOrder()).ok());
  http_.SetHandler(Sequence({http::NotSentError(absl::UnavailableError("refused")), Response(201, kBundleBody)}));
  ASSERT_TRUE(Run(kCreateBundle, QuickstartBundle()).ok());
  for (const auto& [endpoint, status] : std::vector<std::pair<std::string, std::string>>{
           {"POST /orders", "503"},
           {"POST /orders", "no_answer"},
           {"POST /orders", "200"},
           {"POST /bundles", "not_sent"},
           {"POST /bundles", "201"},
       }) {
    EXPECT_EQ(metrics_.Value("gateway_partner_requests_total", {"sandbox", endpoint, status}), 1)
        << endpoint << " " << status;
  }
}

TEST_F(PartnerClientTest, NoRetryOfACallerErrorOrABadAnswer) {
  http_.SetHandler(Sequence({Response(422, R"({"error":{"code":"invalid_request","message":"no"}})")}));
  EXPECT_EQ(Run(kPlaceOrder, SmallOrder()).status().code(), absl::StatusCode::kInvalidArgument);
  http_.SetHandler(Sequence({Response(200, "<html>")}));
  EXPECT_EQ(Run(kPlaceOrder, SmallOrder()).status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(PartnerClientTest, A429IsWaitedOutWhenItFitsTheDeadline) {
  const http::HttpResponse limited =
      Response(429, R"({"error":{"code":"rate_limited","message":"slow down","details":{"retry_after_seconds":2}}})");
  http_.SetHandler(Sequence({limited, Response(201, kBundleBody)}));
  // Even a call with side effects: a 429 means the Partner did nothing.
  EXPECT_TRUE(Run(kCreateBundle, QuickstartBundle(), v1::ENVIRONMENT_SANDBOX,
                  absl::Now() + absl::Seconds(10))
                  .ok());
  ASSERT_EQ(http_.requests().size(), 2u);
  const absl::Duration wait = http_.requests()[1].request.not_before - http_.requests()[0].request.not_before;
  EXPECT_GE(wait, absl::Seconds(2));
  EXPECT_LE(wait, absl::Milliseconds(3020));

  // It does not fit in 1 s: RESOURCE_EXHAUSTED at once, saying when to return.
  http_.SetHandler(Sequence({limited}));
  const absl::Time start = absl::Now();
  auto reply = Run(kCreateBundle, QuickstartBundle(), v1::ENVIRONMENT_SANDBOX, start + absl::Seconds(1));
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(100));
  auto retry = common::GetDetail<google::rpc::RetryInfo>(reply.status());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->retry_delay().seconds(), 2);
  EXPECT_EQ(http_.requests().size(), 3u);
}

TEST_F(PartnerClientTest, NoBackoffOutlivesTheDeadline) {
  http_.SetHandler(Sequence({kServerError, Response(200, kOrderBody)}));
  auto reply =
      Run(kPlaceOrder, SmallOrder(), v1::ENVIRONMENT_SANDBOX, absl::Now() + absl::Milliseconds(200));
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);  // The 250–500 ms backoff does not fit.
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(PartnerClientTest, RetriesStopWhileMostCallsFail) {
  http_.SetHandler(Sequence({kServerError}));
  // Every failed attempt costs one of 10 tokens; below 5, no more retries.
  EXPECT_EQ(Run(kPlaceOrder, SmallOrder()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Run(kPlaceOrder, SmallOrder()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http_.requests().size(), 5u);  // 3 attempts, then 2 (the budget ran out).
  EXPECT_EQ(Run(kPlaceOrder, SmallOrder()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http_.requests().size(), 6u);  // No retry at all.
  // Successes earn the budget back, 0.1 token each: 4 + 3 = 7 tokens.
  http_.SetHandler(Sequence({Response(200, kOrderBody)}));
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(Run(kPlaceOrder, SmallOrder()).ok());
  http_.SetHandler(Sequence({kServerError, Response(200, kOrderBody)}));
  EXPECT_TRUE(Run(kPlaceOrder, SmallOrder()).ok());
}

TEST(PartnerClientRateTest, ACallWithNoRoomBeforeItsDeadlineNeverReachesThePartner) {
  testing::FakeHttpClient http;
  http.RespondWith(200, kOrderBody);
  common::Metrics metrics;
  PartnerClient client(&http, PartnerKeys{KeyFile("rate.key", kSandboxKey), nullptr},
                       ClientOptions("http://127.0.0.1:9/partner/v1", 2), &metrics);
  std::vector<absl::StatusOr<v1::PlaceOrderResponse>> results;
  const absl::Time start = absl::Now();
  for (int i = 0; i < 3; ++i) {
    client.Call(v1::ENVIRONMENT_SANDBOX, kPlaceOrder, SmallOrder(), absl::Now() + absl::Milliseconds(1500),
                [&results](absl::StatusOr<v1::PlaceOrderResponse> r, absl::string_view) {
                  results.push_back(std::move(r));
                });
  }
  ASSERT_EQ(results.size(), 3u);
  // Two in any 60 s: the first two go at once, the third would have to wait
  // a minute, long after its deadline.
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].ok());
  EXPECT_EQ(results[2].status().code(), absl::StatusCode::kResourceExhausted);
  auto retry = common::GetDetail<google::rpc::RetryInfo>(results[2].status());
  ASSERT_TRUE(retry.has_value());
  EXPECT_GE(retry->retry_delay().seconds(), 59);
  ASSERT_EQ(http.requests().size(), 2u);
  for (const auto& sent : http.requests()) EXPECT_LE(sent.request.not_before - start, absl::Milliseconds(100));
}

TEST(PartnerClientBreakerTest, ASickPartnerIsNotCalledUntilTheCooldownEnds) {
  testing::FakeHttpClient http;
  http.SetHandler(Sequence({kServerError}));
  PartnerClient::Options options = ClientOptions("http://127.0.0.1:9/partner/v1", 60'000'000, 3);
  options.breaker.cooldown = absl::Milliseconds(200);
  common::Metrics metrics;
  PartnerClient client(&http, PartnerKeys{KeyFile("breaker.key", kSandboxKey), nullptr}, options, &metrics);
  auto place = [&client] {
    std::optional<absl::StatusOr<v1::PlaceOrderResponse>> result;
    client.Call(v1::ENVIRONMENT_SANDBOX, kPlaceOrder, SmallOrder(), absl::InfiniteFuture(),
                [&result](absl::StatusOr<v1::PlaceOrderResponse> r, absl::string_view) { result = std::move(r); });
    return *result;
  };
  EXPECT_EQ(place().status().code(), absl::StatusCode::kUnavailable);  // 3 attempts: the breaker opens.
  EXPECT_EQ(http.requests().size(), 3u);
  const absl::StatusOr<v1::PlaceOrderResponse> fast = place();
  EXPECT_EQ(fast.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http.requests().size(), 3u);  // Not called.
  auto info = common::GetDetail<google::rpc::ErrorInfo>(fast.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "PARTNER_CIRCUIT_OPEN");
  EXPECT_TRUE(common::GetDetail<google::rpc::RetryInfo>(fast.status()).has_value());
  // After the cooldown one probe goes; the Partner is well again.
  absl::SleepFor(absl::Milliseconds(250));
  http.SetHandler(Sequence({Response(200, kOrderBody)}));
  EXPECT_TRUE(place().ok());
  EXPECT_TRUE(place().ok());
  EXPECT_EQ(http.requests().size(), 5u);
}

namespace paging {

// A Partner list page: `items` bundles and, unless empty, a `links.next`
// carrying `next_token`.
std::string BundlePage(int items, const std::string& next_token) {
  nlohmann::json data = nlohmann::json::array();
  for (int i = 0; i < items; ++i) data.push_back({{"id", absl::StrCat("bun_", i)}, {"name", "b"}});
  nlohmann::json body = {{"data", data},
                         {"links", {{"first", "http://partner/partner/v1/bundles"}, {"next", nullptr}}},
                         {"meta", {{"per_page", 100}, {"returned", items}}}};
  if (!next_token.empty()) {
    body["links"]["next"] = "http://partner/partner/v1/bundles?status=active&per_page=100&page_token=" + next_token;
  }
  return body.dump();
}

TEST_F(PartnerClientTest, ListCarriesThePartnersPageTokenInsideItsOwn) {
  http_.RespondWith(200, BundlePage(2, "opaque%2Btoken"));
  v1::ListBundlesRequest request;
  request.set_page_size(100);
  request.set_status(v1::BUNDLE_STATUS_ACTIVE);
  auto first = Run(kListBundles, request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->bundles_size(), 2);
  ASSERT_FALSE(first->next_page_token().empty());
  EXPECT_THAT(first->next_page_token(), ::testing::Not(HasSubstr("opaque")));
  EXPECT_EQ(http_.requests()[0].request.url, "http://127.0.0.1:9/partner/v1/bundles?status=active&per_page=100");

  http_.RespondWith(200, BundlePage(1, ""));
  request.set_page_token(first->next_page_token());
  auto last = Run(kListBundles, request);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->next_page_token(), "");
  // The Partner's token goes back exactly as it came (decoded from the URL,
  // encoded again).
  EXPECT_EQ(http_.requests()[1].request.url,
            "http://127.0.0.1:9/partner/v1/bundles?status=active&per_page=100&page_token=opaque%2Btoken");
}

TEST_F(PartnerClientTest, PageSizeIsCappedAndZeroMeansThePartnersDefault) {
  http_.RespondWith(200, BundlePage(0, ""));
  v1::ListBundlesRequest request;
  ASSERT_TRUE(Run(kListBundles, request).ok());
  request.set_page_size(5000);
  ASSERT_TRUE(Run(kListBundles, request).ok());
  EXPECT_EQ(http_.requests()[0].request.url, "http://127.0.0.1:9/partner/v1/bundles");
  EXPECT_EQ(http_.requests()[1].request.url, "http://127.0.0.1:9/partner/v1/bundles?per_page=100");
}

TEST_F(PartnerClientTest, BadPageSizeOrTokenIsInvalidArgumentWithoutAnyPartnerCall) {
  http_.RespondWith(200, BundlePage(1, "t1"));
  v1::ListBundlesRequest active;
  active.set_status(v1::BUNDLE_STATUS_ACTIVE);
  auto first = Run(kListBundles, active);
  ASSERT_TRUE(first.ok()) << first.status();
  const size_t calls = http_.requests().size();

  v1::ListBundlesRequest negative;
  negative.set_page_size(-1);
  v1::ListBundlesRequest forged = active;
  std::string token = first->next_page_token();
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  forged.set_page_token(token);
  v1::ListBundlesRequest garbage = active;
  garbage.set_page_token("not-a-token");
  v1::ListBundlesRequest other_filters;
  other_filters.set_status(v1::BUNDLE_STATUS_ARCHIVED);
  other_filters.set_page_token(first->next_page_token());
  for (const auto& [name, request] : {std::pair{"negative size", negative}, std::pair{"forged", forged},
                                      std::pair{"garbage", garbage}, std::pair{"other filters", other_filters}}) {
    auto reply = Run(kListBundles, request);
    EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument) << name << ": " << reply.status();
    auto bad_request = common::GetDetail<google::rpc::BadRequest>(reply.status());
    ASSERT_TRUE(bad_request.has_value()) << name;
    EXPECT_EQ(bad_request->field_violations(0).field(),
              std::string(name) == "negative size" ? "page_size" : "page_token") << name;
  }
  EXPECT_EQ(http_.requests().size(), calls);
}

TEST_F(PartnerClientTest, NextLinkWithoutATokenIsABadPartnerAnswer) {
  http_.RespondWith(200, R"({"data":[],"links":{"next":"http://partner/partner/v1/bundles?per_page=10"}})");
  auto reply = Run(kListBundles, v1::ListBundlesRequest());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(reply.status().message(), HasSubstr("links.next"));
}

TEST_F(PartnerClientTest, IdsAreEscapedIntoOnePathSegment) {
  http_.RespondWith(200, kBundleBody);
  v1::GetBundleRequest request;
  request.set_bundle_id("../me?x=1");
  ASSERT_TRUE(Run(kGetBundle, request).ok());
  EXPECT_EQ(http_.requests()[0].request.url, "http://127.0.0.1:9/partner/v1/bundles/..%2Fme%3Fx%3D1");
}

}  // namespace paging

namespace batching {

// Answers an availability request with one row per name, in order; a name
// starting with "down" makes the whole batch a 503.
absl::StatusOr<http::HttpResponse> AvailabilityHandler(const http::HttpRequest& request) {
  const nlohmann::json body = nlohmann::json::parse(request.body);
  nlohmann::json rows = nlohmann::json::array();
  http::HttpResponse response;
  response.status = 200;
  for (const auto& name : body["domains"]) {
    if (name.get<std::string>().rfind("down", 0) == 0) response.status = 503;
    rows.push_back({{"domain", name}, {"available", true}});
  }
  response.body = nlohmann::json{{"data", {{"domains", rows}}}}.dump();
  return response;
}

v1::CheckAvailabilityRequest Names(int count, const std::string& prefix = "name") {
  v1::CheckAvailabilityRequest request;
  for (int i = 0; i < count; ++i) request.add_domains(absl::StrCat(prefix, i, ".com"));
  return request;
}

class AvailabilityTest : public PartnerClientTest {
 protected:
  absl::StatusOr<v1::CheckAvailabilityResponse> Check(const v1::CheckAvailabilityRequest& request) {
    std::optional<absl::StatusOr<v1::CheckAvailabilityResponse>> result;
    client_.CheckAvailability(v1::ENVIRONMENT_SANDBOX, request, absl::InfiniteFuture(),
                              [&result](auto reply, auto) { result = std::move(reply); });
    EXPECT_TRUE(result.has_value());
    return result.value_or(absl::InternalError("no answer"));
  }
};

TEST_F(AvailabilityTest, LongListIsCheckedInPartnerSizedBatchesAndAnsweredInRequestOrder) {
  http_.SetHandler(&AvailabilityHandler);
  auto reply = Check(Names(137));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->domains_size(), 137);
  for (int i = 0; i < 137; ++i) EXPECT_EQ(reply->domains(i).domain(), absl::StrCat("name", i, ".com"));
  ASSERT_EQ(http_.requests().size(), 3u);
  for (size_t b = 0; b < 3; ++b) {
    EXPECT_EQ(nlohmann::json::parse(http_.requests()[b].request.body)["domains"].size(), b < 2 ? 50u : 37u);
  }
}

TEST_F(AvailabilityTest, OneFailingBatchFailsTheCall) {
  http_.SetHandler(&AvailabilityHandler);
  v1::CheckAvailabilityRequest request = Names(60);
  request.set_domains(55, "down.com");
  EXPECT_EQ(Check(request).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(AvailabilityTest, MoreThanTheGatewaysMaximumIsInvalidArgumentWithoutAnyPartnerCall) {
  http_.SetHandler(&AvailabilityHandler);
  EXPECT_EQ(Check(Names(501)).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_.requests().empty());
}

}  // namespace batching

}  // namespace
}  // namespace gateway::partner
