#include "server/common/status_details.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace gateway::common {

std::string TypeUrlOf(const google::protobuf::Message& message) {
  return absl::StrCat("type.googleapis.com/", message.GetDescriptor()->full_name());
}

void AddDetail(absl::Status& status, const google::protobuf::Message& detail) {
  if (status.ok()) return;
  status.SetPayload(TypeUrlOf(detail), absl::Cord(detail.SerializeAsString()));
}

void AddRetryInfo(absl::Status& status, absl::Duration delay) {
  google::rpc::RetryInfo retry;
  const int64_t seconds = absl::ToInt64Seconds(delay);
  retry.mutable_retry_delay()->set_seconds(seconds);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(delay - absl::Seconds(seconds))));
  AddDetail(status, retry);
}

}  // namespace gateway::common
