#include "server/partner/partner_error.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"
#include "tests/fakes/captured_log.h"

namespace gateway::partner {
namespace {

using common::GetDetail;
using ::testing::HasSubstr;

http::HttpResponse Response(int status, std::string body, std::string request_id = "req_01TEST") {
  http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  if (!request_id.empty()) response.headers["peeker-request-id"] = request_id;
  return response;
}

std::string Envelope(const std::string& code, const std::string& field = "", const std::string& details = "") {
  std::string error = R"({"error":{"code":")" + code + R"(","message":"text for )" + code + "\"";
  if (!field.empty()) error += R"(,"field":")" + field + "\"";
  if (!details.empty()) error += R"(,"details":)" + details;
  return error + "}}";
}

// One row of DESIGN.md §6: an HTTP answer and the status it must become.
struct Row {
  const char* name;
  int http_status;
  std::string body;
  absl::StatusCode code;
  std::string reason;  // ErrorInfo.reason
  bool bad_request;
  bool resource_info;
  int64_t retry_seconds;  // -1: no RetryInfo
  bool quota_failure;
};

class PartnerErrorRowTest : public ::testing::TestWithParam<Row> {};

TEST_P(PartnerErrorRowTest, MapsStatusAndDetails) {
  const Row& row = GetParam();
  const absl::Status status = StatusFromPartnerError(Response(row.http_status, row.body));
  EXPECT_EQ(status.code(), row.code) << status;

  auto info = GetDetail<google::rpc::ErrorInfo>(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), row.reason);
  EXPECT_EQ(info->domain(), kPartnerErrorDomain);
  EXPECT_EQ(info->metadata().at("http_status"), std::to_string(row.http_status));

  auto request_info = GetDetail<google::rpc::RequestInfo>(status);
  ASSERT_TRUE(request_info.has_value());
  EXPECT_EQ(request_info->request_id(), "req_01TEST");

  EXPECT_EQ(GetDetail<google::rpc::BadRequest>(status).has_value(), row.bad_request);
  EXPECT_EQ(GetDetail<google::rpc::ResourceInfo>(status).has_value(), row.resource_info);
  EXPECT_EQ(GetDetail<google::rpc::QuotaFailure>(status).has_value(), row.quota_failure);
  auto retry = GetDetail<google::rpc::RetryInfo>(status);
  if (row.retry_seconds < 0) {
    EXPECT_FALSE(retry.has_value());
  } else {
    ASSERT_TRUE(retry.has_value());
    EXPECT_EQ(retry->retry_delay().seconds(), row.retry_seconds);
  }
}

INSTANTIATE_TEST_SUITE_P(
    DesignTable, PartnerErrorRowTest,
    ::testing::Values(
        Row{"BadRequestWithField", 400, Envelope("invalid_request", "name"), absl::StatusCode::kInvalidArgument,
            "invalid_request", true, false, -1, false},
        Row{"UnprocessableWithField", 422, Envelope("domain_count_mismatch", "domains"),
            absl::StatusCode::kInvalidArgument, "domain_count_mismatch", true, false, -1, false},
        Row{"BadRequestWithoutField", 400, Envelope("order_shape_conflict"), absl::StatusCode::kInvalidArgument,
            "order_shape_conflict", false, false, -1, false},
        Row{"Unauthorized", 401, Envelope("unauthorized"), absl::StatusCode::kInternal, "unauthorized", false, false,
            -1, false},
        Row{"Forbidden", 403, Envelope("forbidden"), absl::StatusCode::kPermissionDenied, "forbidden", false, false,
            -1, false},
        Row{"NotFound", 404, Envelope("not_found", "bundle_id"), absl::StatusCode::kNotFound, "not_found", false,
            true, -1, false},
        Row{"ConflictDuplicate", 409, Envelope("duplicate_email"), absl::StatusCode::kAlreadyExists,
            "duplicate_email", false, false, -1, false},
        Row{"ConflictTaken", 409, Envelope("email_taken"), absl::StatusCode::kAlreadyExists, "email_taken", false,
            false, -1, false},
        Row{"ConflictWithState", 409, Envelope("order_not_cancellable"), absl::StatusCode::kFailedPrecondition,
            "order_not_cancellable", false, false, -1, false},
        Row{"RateLimited", 429, Envelope("rate_limited", "", R"({"retry_after_seconds":7})"),
            absl::StatusCode::kResourceExhausted, "rate_limited", false, false, 7, true},
        Row{"RateLimitedWithoutDelay", 429, Envelope("rate_limited"), absl::StatusCode::kResourceExhausted,
            "rate_limited", false, false, 5, true},
        Row{"ServerError", 500, Envelope("internal_error"), absl::StatusCode::kUnavailable, "internal_error", false,
            false, 1, false},
        Row{"BadGatewayHtml", 502, "<html>bad gateway</html>", absl::StatusCode::kUnavailable, "http_502", false,
            false, 1, false},
        Row{"OtherClientError", 410, Envelope("gone"), absl::StatusCode::kFailedPrecondition, "gone", false, false,
            -1, false},
        Row{"NotAnError", 302, "", absl::StatusCode::kInternal, "http_302", false, false, -1, false}),
    [](const ::testing::TestParamInfo<Row>& test_case) { return std::string(test_case.param.name); });

TEST(PartnerErrorTest, CarriesFieldMessageAndDetailsToTheCaller) {
  const absl::Status status = StatusFromPartnerError(
      Response(400, Envelope("domain_count_mismatch", "domains",
                             R"({"required_count":6,"submitted_count":5,"missing_count":1,"note":"x"})")));
  EXPECT_THAT(status.message(), HasSubstr("text for domain_count_mismatch"));
  auto info = GetDetail<google::rpc::ErrorInfo>(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->metadata().at("field"), "domains");
  EXPECT_EQ(info->metadata().at("required_count"), "6");
  EXPECT_EQ(info->metadata().at("submitted_count"), "5");
  EXPECT_EQ(info->metadata().at("missing_count"), "1");
  EXPECT_EQ(info->metadata().at("note"), "x");
  auto bad_request = GetDetail<google::rpc::BadRequest>(status);
  ASSERT_TRUE(bad_request.has_value());
  ASSERT_EQ(bad_request->field_violations_size(), 1);
  EXPECT_EQ(bad_request->field_violations(0).field(), "domains");
}

TEST(PartnerErrorTest, UnauthorizedRaisesAnAlertLineAndBlamesTheGatewayNotTheCaller) {
  absl::Status status;
  const std::string log =
      testing::CapturedLog([&] { status = StatusFromPartnerError(Response(401, Envelope("unauthorized"))); });
  EXPECT_THAT(log, HasSubstr("alert=partner_key_rejected"));
  EXPECT_THAT(log, HasSubstr("request_id=req_01TEST"));
  EXPECT_THAT(status.message(), HasSubstr("gateway's API key"));
}

TEST(PartnerErrorTest, NoRequestIdMeansNoRequestInfo) {
  const absl::Status status = StatusFromPartnerError(Response(503, "", /*request_id=*/""));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(GetDetail<google::rpc::RequestInfo>(status).has_value());
}

TEST(PartnerErrorTest, TransportFailuresKeepTheirCodeAndUnavailableGetsRetryInfo) {
  const absl::Status unavailable = StatusFromTransportError(absl::UnavailableError("connect refused"));
  EXPECT_EQ(unavailable.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(GetDetail<google::rpc::RetryInfo>(unavailable).has_value());

  const absl::Status deadline = StatusFromTransportError(absl::DeadlineExceededError("deadline"));
  EXPECT_EQ(deadline.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_FALSE(GetDetail<google::rpc::RetryInfo>(deadline).has_value());
}

TEST(PartnerErrorTest, BadResponseIsInternalWithReasonAndRequestId) {
  const absl::Status status = PartnerBadResponse("the body is not JSON", "req_01BAD");
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("the body is not JSON"));
  auto info = GetDetail<google::rpc::ErrorInfo>(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), kBadResponseReason);
  EXPECT_EQ(GetDetail<google::rpc::RequestInfo>(status)->request_id(), "req_01BAD");
}

TEST(PartnerErrorTest, AnUnknownOutcomeNamesTheResourceAndOffersNoRetry) {
  const struct {
    const char* method;
    const char* route;
    const char* path;
    const char* resource_type;
    const char* resource_name;  // "" when the path names none
  } kCases[] = {
      {"POST", "/bundles", "/bundles", "bundle", ""},
      {"DELETE", "/users/{id}", "/users/usr_01X", "user", "usr_01X"},
      {"POST", "/orders/{id}/cancel", "/orders/ord_01Y/cancel", "order", "ord_01Y"},
      {"POST", "/swaps/user_names", "/swaps/user_names", "swap", ""},
  };
  for (const auto& c : kCases) {
    const absl::Status status = PartnerOutcomeUnknown(absl::UnavailableError("Empty reply from server"), c.method,
                                                      c.route, c.path, /*deadline_passed=*/false);
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << c.route;
    EXPECT_THAT(status.message(), HasSubstr("Empty reply from server"));
    auto info = GetDetail<google::rpc::ErrorInfo>(status);
    ASSERT_TRUE(info.has_value()) << c.route;
    EXPECT_EQ(info->reason(), "PARTNER_OUTCOME_UNKNOWN");
    EXPECT_EQ(info->metadata().at("resource_type"), c.resource_type);
    EXPECT_EQ(info->metadata().at("endpoint"), absl::StrCat(c.method, " ", c.route));
    EXPECT_EQ(info->metadata().contains("resource_name") ? info->metadata().at("resource_name") : "",
              c.resource_name);
    EXPECT_FALSE(GetDetail<google::rpc::RetryInfo>(status).has_value()) << c.route;
  }
  const absl::Status late = PartnerOutcomeUnknown(absl::DeadlineExceededError("no answer before the deadline"), "POST",
                                                  "/bundles", "/bundles", /*deadline_passed=*/true);
  EXPECT_EQ(late.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(GetDetail<google::rpc::ErrorInfo>(late)->reason(), "PARTNER_OUTCOME_UNKNOWN");
}

}  // namespace
}  // namespace gateway::partner
