// The gRPC conversion edge: absl::Status (with google.rpc details attached as
// payloads by partner/) → grpc::Status carrying a serialized
// google.rpc.Status in its binary error details.
#ifndef SERVER_SERVICE_GRPC_STATUS_H_
#define SERVER_SERVICE_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace gateway::service {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace gateway::service

#endif  // SERVER_SERVICE_GRPC_STATUS_H_
