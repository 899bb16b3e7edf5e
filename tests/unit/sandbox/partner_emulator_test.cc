// Unit tests for the PartnerEmulator facade: request ids, auth, permission
// presets, routing (404/405), the webhook attempt log, faults, the rate limit
// and the request log. The resources have their own *_api_test.cc files.
#include "sandbox/partner_emulator.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/sandbox/emulator_test_fixture.h"

namespace gateway::sandbox {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

// ----------------------------------------------------------------- general

TEST_F(PartnerEmulatorTest, MeReturnsSandboxPartner) {
  const ApiResponse response = Call("GET", "/partner/v1/me");
  ASSERT_EQ(response.status, 200);
  const json data = Body(response)["data"];
  EXPECT_EQ(data["api_key"]["environment"], "test");
  EXPECT_EQ(data["api_key"]["permission_preset"], "full");
  EXPECT_EQ(data["partner"]["id"], PartnerEmulator::kPartnerId);
  EXPECT_EQ(data["partner"]["name"], "Sandbox Partner");
}

TEST_F(PartnerEmulatorTest, EveryResponseHasRequestIdAndJsonContentType) {
  const std::vector<ApiResponse> responses = {
      Call("GET", "/partner/v1/me"),
      Call("GET", "/partner/v1/me", "", ""),
      Call("GET", "/partner/v1/nope"),
      Call("DELETE", "/partner/v1/orders"),
      Call("GET", "/_sandbox/requests", "", ""),
      Call("DELETE", "/_sandbox/faults", "", ""),
      Call("POST", "/_sandbox/faults", "{}", ""),
  };
  std::vector<std::string> ids;
  for (const ApiResponse& response : responses) {
    ASSERT_TRUE(response.headers.contains("Peeker-Request-Id"));
    const std::string id = response.headers.at("Peeker-Request-Id");
    EXPECT_THAT(id, MatchesRegex(absl::StrCat("req_", kIdBody)));
    EXPECT_EQ(response.headers.at("Content-Type"), "application/json");
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "ids repeat";
}

TEST_F(PartnerEmulatorTest, MissingAuthorizationIs401) {
  ExpectError(Call("GET", "/partner/v1/me", "", ""), 401, "unauthorized");
}

TEST_F(PartnerEmulatorTest, LiveKeyIs401MentioningTestKeys) {
  const ApiResponse response = Call("GET", "/partner/v1/me", "", "pk_live_abc");
  ExpectError(response, 401, "unauthorized");
  EXPECT_THAT(Body(response)["error"]["message"].get<std::string>(),
              HasSubstr("test keys"));
  EXPECT_THAT(response.body, Not(HasSubstr("pk_live_abc")));
}

TEST_F(PartnerEmulatorTest, MalformedAuthorizationIs401) {
  for (const std::string header :
       {"pk_test_abc", "Basic pk_test_abc", "Bearer pk_test_", "Bearer sk_1",
        "bearer pk_test_abc"}) {
    ApiRequest request{"GET", "/partner/v1/me", {}, {}, "", ""};
    request.headers["authorization"] = header;
    ExpectError(emulator_.Handle(request), 401, "unauthorized");
  }
}

TEST_F(PartnerEmulatorTest, UnknownPathIs404) {
  ExpectError(Call("GET", "/partner/v1/widgets"), 404, "not_found");
}

TEST_F(PartnerEmulatorTest, WrongMethodIs405WithAllowHeader) {
  struct Case {
    std::string method;
    std::string path;
    std::string allow;
  };
  const std::vector<Case> cases = {
      {"POST", "/partner/v1/me", "GET"},
      {"PUT", "/partner/v1/bundles", "POST, GET"},
      {"PUT", "/partner/v1/users/usr_1", "GET, PATCH, DELETE"},
      {"GET", "/partner/v1/domains/availability", "POST"},
      {"DELETE", "/partner/v1/domains/import", "POST, GET"},
      // A literal segment beats a parameter: not GET /domains/import/{id}.
      {"GET", "/partner/v1/domains/import/jobs", "POST"},
      {"GET", "/partner/v1/swaps/user_names", "POST"},
      {"POST", "/partner/v1/orders/pending", "GET"},
      {"GET", "/partner/v1/orders/ord_1/cancel", "POST"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    const ApiResponse response = Call(c.method, c.path, "{}");
    ExpectError(response, 405, "method_not_allowed");
    EXPECT_EQ(response.headers.at("Allow"), c.allow);
  }
}

TEST_F(PartnerEmulatorTest, PathsOutsideTheContractAre404) {
  for (const std::string path :
       {"/partner/v1/orders/ord_1", "/partner/v1/domains/dom_1",
        "/partner/v1/users/", "/partner/v1/users/usr_1/extra", "/partner/v1",
        "/partner/v2/me", "/me"}) {
    SCOPED_TRACE(path);
    const ApiResponse response = Call("GET", path);
    ExpectError(response, 404, "not_found");
    EXPECT_FALSE(response.headers.contains("Allow"));
  }
}

// ------------------------------------------------------- permission presets

struct Endpoint {
  std::string method;
  std::string path;
};

// Every write of the contract (POST/PATCH/DELETE), availability last.
const std::vector<Endpoint>& Writes() {
  static const auto* writes = new std::vector<Endpoint>{
      {"POST", "/partner/v1/users"},
      {"PATCH", "/partner/v1/users/usr_1"},
      {"DELETE", "/partner/v1/users/usr_1"},
      {"POST", "/partner/v1/bundles"},
      {"PATCH", "/partner/v1/bundles/bun_1"},
      {"DELETE", "/partner/v1/bundles/bun_1"},
      {"POST", "/partner/v1/orders"},
      {"POST", "/partner/v1/orders/ord_1/cancel"},
      {"POST", "/partner/v1/domains/import"},
      {"POST", "/partner/v1/domains/import/jobs"},
      {"POST", "/partner/v1/domains/forwarding"},
      {"POST", "/partner/v1/swaps"},
      {"POST", "/partner/v1/swaps/user_names"},
      {"POST", "/partner/v1/domains/availability"},
  };
  return *writes;
}

const std::vector<std::string>& Reads() {
  static const auto* reads = new std::vector<std::string>{
      "/partner/v1/me",
      "/partner/v1/users",
      "/partner/v1/users/usr_1",
      "/partner/v1/bundles",
      "/partner/v1/bundles/bun_1",
      "/partner/v1/orders",
      "/partner/v1/orders/pending",
      "/partner/v1/domains",
      "/partner/v1/domains/import/imp_1",
      "/partner/v1/domains/import/jobs/imp_1",
      "/partner/v1/domains/forwarding/fwj_1",
      "/partner/v1/swaps",
      "/partner/v1/swaps/swp_1",
  };
  return *reads;
}

TEST_F(PartnerEmulatorTest, MeReportsThePresetOfTheKey) {
  auto preset = [&](const std::string& key) {
    return Body(Call("GET", "/partner/v1/me", "", key))["data"]["api_key"]
               ["permission_preset"];
  };
  EXPECT_EQ(preset("pk_test_read_x1"), "read");
  EXPECT_EQ(preset("pk_test_limited_x1"), "limited");
  EXPECT_EQ(preset("pk_test_other"), "full");
  EXPECT_EQ(preset("pk_test_readonly"), "full");  // the prefix is read_
}

TEST_F(PartnerEmulatorTest, ReadKeyIsForbiddenEveryWriteButReadsEverything) {
  constexpr char kReadKey[] = "pk_test_read_ops";
  for (const Endpoint& write : Writes()) {
    SCOPED_TRACE(write.method + " " + write.path);
    const ApiResponse response =
        Call(write.method, write.path, "{}", kReadKey);
    ExpectError(response, 403, "forbidden");
    EXPECT_THAT(response.body, Not(HasSubstr(kReadKey)));
  }
  for (const std::string& path : Reads()) {
    SCOPED_TRACE(path);
    const ApiResponse response = Call("GET", path, "", kReadKey);
    EXPECT_TRUE(response.status == 200 || response.status == 404)
        << response.body;
    EXPECT_NE(Body(response).value("error", json::object()).value("code", ""),
              "forbidden");
  }
}

TEST_F(PartnerEmulatorTest, LimitedKeyMayOnlyCheckAvailability) {
  constexpr char kLimitedKey[] = "pk_test_limited_ops";
  for (const Endpoint& write : Writes()) {
    SCOPED_TRACE(write.method + " " + write.path);
    const ApiResponse response =
        Call(write.method, write.path, R"({"domains":["avail-a.com"]})",
             kLimitedKey);
    if (write.path == "/partner/v1/domains/availability") {
      EXPECT_EQ(response.status, 200) << response.body;
    } else {
      ExpectError(response, 403, "forbidden");
    }
  }
  EXPECT_EQ(Call("GET", "/partner/v1/orders", "", kLimitedKey).status, 200);
}

TEST_F(PartnerEmulatorTest, FullKeyReachesEveryHandler) {
  // Writes with an empty object body get a validation or lookup error from
  // the handler, never 403, 404 "no such endpoint" or 405.
  for (const Endpoint& write : Writes()) {
    SCOPED_TRACE(write.method + " " + write.path);
    const ApiResponse response = Call(write.method, write.path, "{}");
    EXPECT_TRUE(response.status == 400 || response.status == 404 ||
                response.status == 200)
        << response.body;
    EXPECT_THAT(response.body, Not(HasSubstr("no such endpoint")));
  }
}

TEST_F(PartnerEmulatorTest, NonObjectBodyIsInvalidRequestWithoutField) {
  ExpectError(Call("POST", "/partner/v1/bundles", "not json"), 400,
              "invalid_request");
  ExpectError(Call("POST", "/partner/v1/orders", "[1,2]"), 400,
              "invalid_request");
}


// ------------------------------------------------------------ webhook log

TEST_F(PartnerEmulatorTest, WebhookLogServesRecordedAttempts) {
  WebhookAttempt ok;
  ok.event_id = "evt_1";
  ok.type = "order.in_progress";
  ok.order_id = "ord_1";
  ok.attempt = 1;
  ok.status = 200;
  ok.outcome = WebhookOutcome::kDelivered;
  ok.at = now_ + absl::Milliseconds(5);
  WebhookAttempt failed = ok;
  failed.attempt = 2;
  failed.duplicate = true;
  failed.status = 0;
  failed.error = "connection failed";
  failed.outcome = WebhookOutcome::kWillRetry;
  emulator_.RecordWebhookAttempt(ok);
  emulator_.RecordWebhookAttempt(failed);

  const ApiResponse log = Call("GET", "/_sandbox/webhooks", "", "");
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(Body(log), json::parse(R"({"data":[
    {"event_id":"evt_1","type":"order.in_progress","order_id":"ord_1",
     "attempt":1,"duplicate":false,"status":200,"error":null,
     "outcome":"delivered","at":"2026-07-01T09:30:00.005Z"},
    {"event_id":"evt_1","type":"order.in_progress","order_id":"ord_1",
     "attempt":2,"duplicate":true,"status":null,"error":"connection failed",
     "outcome":"will_retry","at":"2026-07-01T09:30:00.005Z"}]})"));
  // Not a Partner API request: not in the request log.
  EXPECT_THAT(emulator_.RecordedRequests(), IsEmpty());

  EXPECT_EQ(Call("DELETE", "/_sandbox/webhooks", "", "").status, 204);
  EXPECT_THAT(emulator_.WebhookAttempts(), IsEmpty());
  ExpectError(Call("POST", "/_sandbox/webhooks", "", ""), 405,
              "method_not_allowed");
}

TEST_F(PartnerEmulatorTest, WebhookLogDropsOldestBeyondCap) {
  const size_t total = PartnerEmulator::kMaxRecordedWebhookAttempts + 3;
  for (size_t i = 0; i < total; ++i) {
    WebhookAttempt attempt;
    attempt.event_id = absl::StrCat("evt_", i);
    emulator_.RecordWebhookAttempt(attempt);
  }
  const std::vector<WebhookAttempt> log = emulator_.WebhookAttempts();
  ASSERT_EQ(log.size(), PartnerEmulator::kMaxRecordedWebhookAttempts);
  EXPECT_EQ(log.front().event_id, "evt_3");
}


// ------------------------------------------------------------------ faults

TEST_F(PartnerEmulatorTest, FaultStatusCountsDownTimes) {
  const ApiResponse created = Call(
      "POST", "/_sandbox/faults",
      R"({"method":"POST","path":"/partner/v1/bundles",)"
      R"("status":503,"times":2})",
      "");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_THAT(Body(created)["data"]["id"].get<std::string>(),
              MatchesRegex(absl::StrCat("flt_", kIdBody)));

  const json bundle = {{"name", "x"}, {"monthly_sending_volume", 10}};
  // Faults apply before auth.
  ExpectError(Call("POST", "/partner/v1/bundles", bundle.dump(), ""), 503,
              "internal_error");
  ExpectError(Post("/partner/v1/bundles", bundle), 503, "internal_error");
  EXPECT_EQ(Post("/partner/v1/bundles", bundle).status, 201);
  // Other methods/paths never matched.
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
}

TEST_F(PartnerEmulatorTest, RateLimitCountsEachKeyOverAnySixtySeconds) {
  PartnerEmulator::Options options = MakeOptions(absl::ZeroDuration());
  options.rate_limit_per_minute = 3;
  PartnerEmulator limited(options);
  auto me = [&limited](const std::string& key) {
    ApiRequest request;
    request.method = "GET";
    request.path = "/partner/v1/me";
    request.headers["authorization"] = "Bearer " + key;
    return limited.Handle(request);
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(me(kKey).status, 200);
  ApiResponse refused = me(kKey);
  ExpectError(refused, 429, "rate_limited");
  EXPECT_EQ(Body(refused)["error"]["details"]["retry_after_seconds"], 60);
  EXPECT_EQ(me("pk_test_anotherKey").status, 200);  // Per key.
  now_ += absl::Seconds(30);
  refused = me(kKey);
  EXPECT_EQ(Body(refused)["error"]["details"]["retry_after_seconds"], 30);
  now_ += absl::Seconds(30);
  EXPECT_EQ(me(kKey).status, 200);  // The first three left the window.
}

TEST_F(PartnerEmulatorTest, RateLimitCanBeSetAtRuntime) {
  EXPECT_EQ(Body(Call("GET", "/_sandbox/rate-limit", "", ""))["data"]["per_minute"], 0);
  ASSERT_EQ(Call("PUT", "/_sandbox/rate-limit", R"({"per_minute":1})", "").status, 200);
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  ExpectError(Call("GET", "/partner/v1/me"), 429, "rate_limited");
  ASSERT_EQ(Call("PUT", "/_sandbox/rate-limit", R"({"per_minute":0})", "").status, 200);
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  ExpectError(Call("PUT", "/_sandbox/rate-limit", R"({"per_minute":-1})", ""), 400, "invalid_request", "per_minute");
}

TEST_F(PartnerEmulatorTest, FaultCutsAResponseThatStillTookEffect) {
  ASSERT_EQ(Post("/_sandbox/faults", json{{"method", "POST"}, {"path", "/partner/v1/bundles"},
                                           {"cut", "reset"}, {"times", 1}})
                .status,
            201);
  const ApiResponse cut = Post("/partner/v1/bundles", json{{"name", "A"}, {"monthly_sending_volume", 1000}});
  EXPECT_EQ(cut.cut, ResponseCut::kReset);
  EXPECT_EQ(cut.status, 201);  // Created: the transport loses the answer.
  const ApiResponse next = Post("/partner/v1/bundles", json{{"name", "B"}, {"monthly_sending_volume", 1000}});
  EXPECT_EQ(next.cut, ResponseCut::kNone);
  ASSERT_EQ(Post("/_sandbox/faults", json{{"method", "DELETE"}, {"path", "/partner/v1/bundles/bun_X"},
                                           {"cut", "close"}})
                .status,
            201);
  const json faults = Body(Call("GET", "/_sandbox/faults", "", ""))["data"];
  ASSERT_EQ(faults.size(), 1u) << faults.dump();
  EXPECT_EQ(faults[0]["cut"], "close");
  const ApiResponse closed = Call("DELETE", "/partner/v1/bundles/bun_X");
  EXPECT_EQ(closed.cut, ResponseCut::kClose);
  EXPECT_EQ(closed.status, 404);  // Whatever the answer, none of it is sent.
  ExpectError(Post("/_sandbox/faults", json{{"method", "GET"}, {"path", "/x"}, {"cut", "sometimes"}}), 400,
              "invalid_request", "cut");
}

TEST_F(PartnerEmulatorTest, FaultRateLimitedTakesItsRetryAfter) {
  ASSERT_EQ(Post("/_sandbox/faults", json{{"method", "GET"}, {"path", "/partner/v1/me"}, {"status", 429},
                                           {"retry_after_seconds", 5}})
                .status,
            201);
  EXPECT_EQ(Body(Call("GET", "/partner/v1/me"))["error"]["details"]["retry_after_seconds"], 5);
  ExpectError(Post("/_sandbox/faults", json{{"method", "GET"}, {"path", "/x"}, {"retry_after_seconds", -1}}), 400,
              "invalid_request", "retry_after_seconds");
}

TEST_F(PartnerEmulatorTest, FaultRateLimitedHasRetryAfter) {
  Call("POST", "/_sandbox/faults",
       R"({"method":"get","path":"/partner/v1/me","status":429})", "");
  const ApiResponse response = Call("GET", "/partner/v1/me");
  ExpectError(response, 429, "rate_limited");
  EXPECT_EQ(Body(response)["error"]["details"]["retry_after_seconds"], 1);
  // No times = forever.
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 429);
  EXPECT_EQ(Call("DELETE", "/_sandbox/faults", "", "").status, 204);
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
}

TEST_F(PartnerEmulatorTest, FaultRawBody) {
  Call("POST", "/_sandbox/faults",
       R"({"method":"GET","path":"/partner/v1/me","status":502,)"
       R"("body":"<html>bad gateway</html>","times":1})",
       "");
  Call("POST", "/_sandbox/faults",
       R"({"method":"GET","path":"/partner/v1/me",)"
       R"("body":"{not json","times":1})",
       "");
  const ApiResponse first = Call("GET", "/partner/v1/me");
  EXPECT_EQ(first.status, 502);
  EXPECT_EQ(first.body, "<html>bad gateway</html>");
  EXPECT_TRUE(first.headers.contains("Peeker-Request-Id"));
  const ApiResponse second = Call("GET", "/partner/v1/me");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "{not json");
  EXPECT_EQ(Body(Call("GET", "/partner/v1/me"))["data"]["partner"]["name"],
            "Sandbox Partner");
}

TEST_F(PartnerEmulatorTest, FaultDelayOnlyDelaysThenAnswersNormally) {
  Call("POST", "/_sandbox/faults",
       R"({"method":"GET","path":"/partner/v1/me","delay_ms":250,"times":1})",
       "");
  EXPECT_THAT(sleeps_, IsEmpty());  // control endpoints are never delayed
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(250)));
  EXPECT_EQ(Call("GET", "/partner/v1/me").status, 200);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(250)));
}

TEST_F(PartnerEmulatorTest, LatencyAppliesToApiNotControl) {
  PartnerEmulator slow(MakeOptions(absl::Milliseconds(40)));
  ApiRequest request{"GET", "/partner/v1/me", {}, {}, "", ""};
  request.headers["authorization"] = std::string("Bearer ") + kKey;
  EXPECT_EQ(slow.Handle(request).status, 200);
  EXPECT_EQ(slow.Handle({"GET", "/_sandbox/requests", {}, {}, "", ""}).status,
            200);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(40)));
}

TEST_F(PartnerEmulatorTest, FaultValidationNamesTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"path":"/partner/v1/me"})", "method"},
      {R"({"method":"GET"})", "path"},
      {R"({"method":"GET","path":"partner"})", "path"},
      {R"({"method":"GET","path":"/x","status":99})", "status"},
      {R"({"method":"GET","path":"/x","status":"503"})", "status"},
      {R"({"method":"GET","path":"/x","body":5})", "body"},
      {R"({"method":"GET","path":"/x","delay_ms":-1})", "delay_ms"},
      {R"({"method":"GET","path":"/x","times":0})", "times"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    ExpectError(Call("POST", "/_sandbox/faults", body, ""), 400,
                "invalid_request", field);
  }
  ExpectError(Call("POST", "/_sandbox/faults", "nope", ""), 400,
              "invalid_request");
}

// ------------------------------------------------------------- request log

TEST_F(PartnerEmulatorTest, RequestLogRecordsApiRequestsOnly) {
  const ApiResponse me = Call("GET", "/partner/v1/me");
  const ApiResponse unauthorized = Call("GET", "/partner/v1/me", "", "");
  Call("POST", "/_sandbox/faults", "{}", "");
  const ApiResponse missing = Call("GET", "/partner/v1/nothing");

  const ApiResponse log = Call("GET", "/_sandbox/requests", "", "");
  ASSERT_EQ(log.status, 200);
  const json rows = Body(log)["data"];
  ASSERT_EQ(rows.size(), 3u) << rows.dump();
  const std::string me_id = me.headers.at("Peeker-Request-Id");
  EXPECT_EQ(rows[0], json({{"method", "GET"},
                           {"path", "/partner/v1/me"},
                           {"status", 200},
                           {"request_id", me_id},
                           {"client", ""}}));
  EXPECT_EQ(rows[1]["status"], 401);
  EXPECT_EQ(rows[1]["request_id"],
            unauthorized.headers.at("Peeker-Request-Id"));
  EXPECT_EQ(rows[2]["status"], 404);
  EXPECT_EQ(rows[2]["request_id"], missing.headers.at("Peeker-Request-Id"));

  EXPECT_EQ(Call("DELETE", "/_sandbox/requests", "", "").status, 204);
  EXPECT_THAT(emulator_.RecordedRequests(), IsEmpty());
}

TEST_F(PartnerEmulatorTest, RequestLogNamesTheConnectionOfEachRequest) {
  for (const char* client : {"127.0.0.1:40001", "127.0.0.1:40001", "127.0.0.1:40002"}) {
    ApiRequest request;
    request.method = "GET";
    request.path = "/partner/v1/me";
    request.headers["authorization"] = absl::StrCat("Bearer ", kKey);
    request.client = client;
    ASSERT_EQ(emulator_.Handle(request).status, 200);
  }
  const json rows = Body(Call("GET", "/_sandbox/requests", "", ""))["data"];
  ASSERT_EQ(rows.size(), 3u) << rows.dump();
  EXPECT_EQ(rows[0]["client"], "127.0.0.1:40001");
  EXPECT_EQ(rows[1]["client"], "127.0.0.1:40001");
  EXPECT_EQ(rows[2]["client"], "127.0.0.1:40002");
}

TEST_F(PartnerEmulatorTest, RequestLogDropsOldestBeyondCap) {
  const size_t total = PartnerEmulator::kMaxRecordedRequests + 5;
  std::string fifth_id;
  for (size_t i = 0; i < total; ++i) {
    const ApiResponse response = Call("GET", "/partner/v1/me");
    if (i == 5) fifth_id = response.headers.at("Peeker-Request-Id");
  }
  const std::vector<RecordedRequest> log = emulator_.RecordedRequests();
  ASSERT_EQ(log.size(), PartnerEmulator::kMaxRecordedRequests);
  EXPECT_EQ(log.front().request_id, fifth_id);
}

TEST_F(PartnerEmulatorTest, UnknownControlEndpoint) {
  ExpectError(Call("GET", "/_sandbox/nope", "", ""), 404, "not_found");
  ExpectError(Call("PUT", "/_sandbox/requests", "", ""), 405,
              "method_not_allowed");
}

}  // namespace
}  // namespace gateway::sandbox
