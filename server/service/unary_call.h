// Runs one unary RPC on the callback API by handing it to an asynchronous
// PartnerClient method: reads the environment metadata and the deadline,
// finishes the reactor from the completion callback, logs one access line
// and, for a write, one audit line.
// The gRPC thread returns at once; nothing blocks while the Partner answers.
#ifndef SERVER_SERVICE_UNARY_CALL_H_
#define SERVER_SERVICE_UNARY_CALL_H_

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "peeker/partner/v1/common.pb.h"
#include "server/partner/partner_client.h"
#include "server/service/request_ids.h"

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
// clients with a retry policy honour; an unknown outcome gets -1 there,
// which stops their retries.
void FinishCall(grpc::CallbackServerContext* context, grpc::ServerUnaryReactor* reactor, absl::string_view rpc,
                absl::Time start, const absl::Status& status);

// Whether an RPC changes state at the Partner. Every call of a write, however
// it ends, writes one audit line (server/auth/audit.h).
enum class Effect { kRead, kWrite };

// The audit line of a write `path` that ended with `status`; `reply` is null
// unless it succeeded.
void AuditWrite(const grpc::CallbackServerContext& context, absl::string_view path,
                absl::string_view environment, const google::protobuf::Message& request,
                const google::protobuf::Message* reply, const absl::Status& status,
                absl::string_view partner_request_id);

// Runs `start(env, deadline, done)` for the RPC at `path` (e.g.
// "/peeker.partner.v1.OrderService/PlaceOrder", a string that outlives the
// call) and finishes the reactor
// from `done`, which receives the reply or the error and the Partner's
// request id.
template <typename Request, typename Reply, typename Start>
grpc::ServerUnaryReactor* ForwardUnary(absl::string_view path, Effect effect, grpc::CallbackServerContext* context,
                                       const Request* request, Reply* reply, Start start) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start_time = absl::Now();
  const absl::string_view rpc = path.substr(path.rfind('/') + 1);
  absl::StatusOr<peeker::partner::v1::Environment> env = EnvironmentOf(*context);
  if (!env.ok()) {
    if (effect == Effect::kWrite) AuditWrite(*context, path, "invalid", *request, nullptr, env.status(), "");
    FinishCall(context, reactor, rpc, start_time, env.status());
    return reactor;
  }
  start(*env, absl::FromChrono(context->deadline()),
        partner::PartnerClient::ReplyCallback<Reply>(
            [context, reactor, request, reply, path, rpc, effect, env = *env, start_time](
                absl::StatusOr<Reply> result, absl::string_view partner_request_id) {
              if (result.ok()) *reply = *std::move(result);
              if (effect == Effect::kWrite) {
                AuditWrite(*context, path, partner::EnvironmentName(env), *request, result.ok() ? reply : nullptr,
                           result.status(), partner_request_id);
              }
              FinishCall(context, reactor, rpc, start_time, result.status());
            }));
  return reactor;
}

// A write: ForwardUnary, audited, and run at most once per `request_id`
// through `ids` when the request carries one (server/service/request_ids.h).
// `settle(env, deadline, settled)`, when given, reads the Partner to learn
// whether an earlier run whose outcome is unknown happened: it calls
// `settled` with the reply that run gave, nullopt when it did not happen,
// or an error.
template <typename Request, typename Reply, typename Start, typename SettleFn = std::nullptr_t>
grpc::ServerUnaryReactor* ForwardWrite(absl::string_view path, RequestIds* ids, grpc::CallbackServerContext* context,
                                       const Request* request, Reply* reply, Start start,
                                       SettleFn settle = nullptr) {
  if (request->request_id().empty()) return ForwardUnary(path, Effect::kWrite, context, request, reply, std::move(start));
  return ForwardUnary(
      path, Effect::kWrite, context, request, reply,
      [ids, path, request, start = std::move(start), settle = std::move(settle)](
          peeker::partner::v1::Environment env, absl::Time deadline,
          partner::PartnerClient::ReplyCallback<Reply> done) mutable {
        if (absl::Status id = CheckRequestId(request->request_id()); !id.ok()) return std::move(done)(id, "");
        // The reply this call got from the Partner (sent or settled), kept
        // as it is: the ledger stores its bytes, and only a replay parses
        // them back.
        auto made = std::make_shared<std::optional<Reply>>();
        RequestIds::Send send = [start = std::move(start), env, made](absl::Time call_deadline,
                                                                       RequestIds::AnswerCallback answer) mutable {
          start(env, call_deadline,
                partner::PartnerClient::ReplyCallback<Reply>(
                    [answer = std::move(answer), made](absl::StatusOr<Reply> result,
                                                       absl::string_view partner_request_id) mutable {
                      RequestIds::Answer sent{result.status(), "", std::string(partner_request_id)};
                      if (result.ok()) {
                        sent.reply = result->SerializeAsString();
                        *made = *std::move(result);
                      }
                      std::move(answer)(std::move(sent));
                    }));
        };
        RequestIds::Settle settler = nullptr;
        if constexpr (!std::is_same_v<SettleFn, std::nullptr_t>) {
          settler = [settle = std::move(settle), env, made](absl::Time read_deadline,
                                                             RequestIds::Settled settled) mutable {
            settle(env, read_deadline,
                   absl::AnyInvocable<void(absl::StatusOr<std::optional<Reply>>) &&>(
                       [settled = std::move(settled), made](absl::StatusOr<std::optional<Reply>> found) mutable {
                         if (!found.ok()) return std::move(settled)(found.status());
                         if (!found->has_value()) return std::move(settled)(std::optional<std::string>());
                         std::string bytes = (*found)->SerializeAsString();
                         *made = *std::move(*found);
                         std::move(settled)(std::move(bytes));
                       }));
          };
        }
        ids->Run({env, std::string(path), request->request_id()}, Fingerprint(*request), deadline, std::move(send),
                 std::move(settler), [done = std::move(done), made](RequestIds::Answer answer) mutable {
                   if (!answer.status.ok()) return std::move(done)(answer.status, answer.partner_request_id);
                   if (made->has_value()) return std::move(done)(**std::move(made), answer.partner_request_id);
                   Reply stored;
                   if (!stored.ParseFromString(answer.reply)) {
                     return std::move(done)(
                         absl::InternalError("the request ledger holds a reply that does not parse"), "");
                   }
                   std::move(done)(std::move(stored), answer.partner_request_id);
                 });
      });
}

}  // namespace gateway::service

#endif  // SERVER_SERVICE_UNARY_CALL_H_
