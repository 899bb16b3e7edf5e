#include "server/service/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"

namespace gateway::service {

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(std::string(status.message()));
  status.ForEachPayload([&rich](absl::string_view type_url, const absl::Cord& payload) {
    google::protobuf::Any* any = rich.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  return rich;
}

absl::Status FromRpcStatus(const google::rpc::Status& rich) {
  // absl and gRPC share the canonical code numbering.
  absl::Status status(static_cast<absl::StatusCode>(rich.code()), rich.message());
  for (const google::protobuf::Any& any : rich.details()) status.SetPayload(any.type_url(), absl::Cord(any.value()));
  return status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      ToRpcStatus(status).SerializeAsString());
}

}  // namespace gateway::service
