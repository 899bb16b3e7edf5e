#include "server/common/status_details.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace gateway::common {

std::string TypeUrlOf(const google::protobuf::Message& message) {
  return absl::StrCat("type.googleapis.com/", message.GetDescriptor()->full_name());
}

void AddDetail(absl::Status& status, const google::protobuf::Message& detail) {
  if (status.ok()) return;
  status.SetPayload(TypeUrlOf(detail), absl::Cord(detail.SerializeAsString()));
}

}  // namespace gateway::common
