// Runs one unary RPC on the callback API by handing it to an asynchronous
// PartnerClient method: reads the environment metadata and the deadline,
// finishes the reactor from the completion callback, logs one access line.
// The gRPC thread returns at once; nothing blocks while the Partner answers.
#ifndef SERVER_SERVICE_UNARY_CALL_H_
#define SERVER_SERVICE_UNARY_CALL_H_

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "peeker/partner/v1/common.pb.h"
#include "server/partner/partner_client.h"

namespace gateway::service {

// Request metadata key that selects the Partner environment.
inline constexpr absl::string_view kEnvironmentMetadataKey = "peeker-environment";

// `peeker-environment: sandbox|live`; absent means sandbox. Anything else is
// INVALID_ARGUMENT.
absl::StatusOr<peeker::partner::v1::Environment> EnvironmentOf(const grpc::CallbackServerContext& context);

// Writes the access log line of a finished RPC.
void LogCall(absl::string_view rpc, absl::Time start, const absl::Status& status);

// Finishes `reactor` with `status` and writes the access log line. A status
// with RetryInfo also gets the `grpc-retry-pushback-ms` trailer, which gRPC
// clients with a retry policy honour.
void FinishCall(grpc::CallbackServerContext* context, grpc::ServerUnaryReactor* reactor, absl::string_view rpc,
                absl::Time start, const absl::Status& status);

// Runs `start(env, deadline, done)` for the RPC and finishes the reactor
// from `done`, which receives the reply or the error.
template <typename Reply, typename Start>
grpc::ServerUnaryReactor* ForwardUnary(absl::string_view rpc, grpc::CallbackServerContext* context, Reply* reply,
                                       Start start) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start_time = absl::Now();
  absl::StatusOr<peeker::partner::v1::Environment> env = EnvironmentOf(*context);
  if (!env.ok()) {
    FinishCall(context, reactor, rpc, start_time, env.status());
    return reactor;
  }
  start(*env, absl::FromChrono(context->deadline()),
        partner::PartnerClient::Callback<Reply>(
            [context, reactor, reply, rpc, start_time](absl::StatusOr<Reply> result) {
              if (result.ok()) *reply = *std::move(result);
              FinishCall(context, reactor, rpc, start_time, result.status());
            }));
  return reactor;
}

}  // namespace gateway::service

#endif  // SERVER_SERVICE_UNARY_CALL_H_
