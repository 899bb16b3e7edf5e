// The gRPC conversion edge: absl::Status (with google.rpc details attached as
// payloads by partner/) → google.rpc.Status → grpc::Status carrying it
// serialized in its binary error details, and back from google.rpc.Status
// for an answer the request ledger stored.
#ifndef SERVER_SERVICE_GRPC_STATUS_H_
#define SERVER_SERVICE_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace gateway::service {

google::rpc::Status ToRpcStatus(const absl::Status& status);
absl::Status FromRpcStatus(const google::rpc::Status& status);

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace gateway::service

#endif  // SERVER_SERVICE_GRPC_STATUS_H_
