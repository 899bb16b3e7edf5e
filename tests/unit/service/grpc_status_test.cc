#include "server/service/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"

namespace gateway::service {
namespace {

TEST(GrpcStatusTest, OkStaysOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(GrpcStatusTest, EveryCanonicalCodeKeepsItsNumberAndMessage) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status status(static_cast<absl::StatusCode>(code), "message " + std::to_string(code));
    const grpc::Status converted = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(converted.error_code()), code);
    EXPECT_EQ(converted.error_message(), "message " + std::to_string(code));
    google::rpc::Status rich;
    ASSERT_TRUE(rich.ParseFromString(converted.error_details()));
    EXPECT_EQ(rich.code(), code);
    EXPECT_EQ(rich.message(), converted.error_message());
    EXPECT_EQ(rich.details_size(), 0);
  }
}

TEST(GrpcStatusTest, EveryAttachedDetailBecomesAnAny) {
  absl::Status status = absl::InvalidArgumentError("bad");
  google::rpc::ErrorInfo info;
  info.set_reason("domain_count_mismatch");
  (*info.mutable_metadata())["required_count"] = "6";
  google::rpc::BadRequest bad_request;
  bad_request.add_field_violations()->set_field("domains");
  google::rpc::RequestInfo request_info;
  request_info.set_request_id("req_1");
  common::AddDetail(status, info);
  common::AddDetail(status, bad_request);
  common::AddDetail(status, request_info);

  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(ToGrpcStatus(status).error_details()));
  ASSERT_EQ(rich.details_size(), 3);
  int matched = 0;
  for (const google::protobuf::Any& any : rich.details()) {
    google::rpc::ErrorInfo got_info;
    google::rpc::BadRequest got_bad_request;
    google::rpc::RequestInfo got_request_info;
    if (any.UnpackTo(&got_info)) {
      EXPECT_EQ(got_info.reason(), "domain_count_mismatch");
      EXPECT_EQ(got_info.metadata().at("required_count"), "6");
      ++matched;
    } else if (any.UnpackTo(&got_bad_request)) {
      EXPECT_EQ(got_bad_request.field_violations(0).field(), "domains");
      ++matched;
    } else if (any.UnpackTo(&got_request_info)) {
      EXPECT_EQ(got_request_info.request_id(), "req_1");
      ++matched;
    }
  }
  EXPECT_EQ(matched, 3);
}

// What the request ledger stores and replays: the code, the message and
// every detail come back as they were.
TEST(GrpcStatusTest, ARichStatusSurvivesTheRoundTrip) {
  absl::Status status = absl::UnavailableError("no answer");
  google::rpc::ErrorInfo info;
  info.set_reason("PARTNER_OUTCOME_UNKNOWN");
  common::AddDetail(status, info);
  google::rpc::Status stored;
  ASSERT_TRUE(stored.ParseFromString(ToRpcStatus(status).SerializeAsString()));
  const absl::Status replayed = FromRpcStatus(stored);
  EXPECT_EQ(replayed, status);
  EXPECT_EQ(common::GetDetail<google::rpc::ErrorInfo>(replayed)->reason(), "PARTNER_OUTCOME_UNKNOWN");
}

}  // namespace
}  // namespace gateway::service
