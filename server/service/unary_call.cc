#include "server/service/unary_call.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "server/auth/audit.h"
#include "server/auth/authz_processor.h"
#include "server/common/log.h"
#include "server/common/status_details.h"
#include "server/partner/partner_error.h"
#include "server/service/grpc_status.h"

namespace gateway::service {

namespace v1 = ::peeker::partner::v1;

absl::StatusOr<v1::Environment> EnvironmentOf(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(kEnvironmentMetadataKey.data(), kEnvironmentMetadataKey.size()));
  if (it == metadata.end()) return v1::ENVIRONMENT_SANDBOX;
  const absl::string_view value(it->second.data(), it->second.size());
  if (value == "sandbox") return v1::ENVIRONMENT_SANDBOX;
  if (value == "live") return v1::ENVIRONMENT_LIVE;
  return absl::InvalidArgumentError(
      absl::StrCat("metadata ", kEnvironmentMetadataKey, " must be \"sandbox\" or \"live\", got \"", value, "\""));
}

void LogCall(absl::string_view rpc, absl::Time start, const absl::Status& status) {
  common::Log(status.ok() ? common::LogLevel::kInfo : common::LogLevel::kWarning, "rpc",
              {{"method", std::string(rpc)},
               {"code", absl::StatusCodeToString(status.code())},
               {"duration_ms", absl::StrCat(absl::ToDoubleMilliseconds(absl::Now() - start))},
               {"error", std::string(status.message())}});
}

void FinishCall(grpc::CallbackServerContext* context, grpc::ServerUnaryReactor* reactor, absl::string_view rpc,
                absl::Time start, const absl::Status& status) {
  if (auto retry = common::GetDetail<google::rpc::RetryInfo>(status); retry.has_value()) {
    const int64_t ms = retry->retry_delay().seconds() * 1000 + retry->retry_delay().nanos() / 1'000'000;
    context->AddTrailingMetadata("grpc-retry-pushback-ms", absl::StrCat(ms));
  } else if (auto info = common::GetDetail<google::rpc::ErrorInfo>(status);
             info.has_value() && info->reason() == partner::kOutcomeUnknownReason) {
    // A retry would write again (without a request_id) or get this answer
    // again (with one); a negative pushback stops a gRPC client's retries.
    context->AddTrailingMetadata("grpc-retry-pushback-ms", "-1");
  }
  reactor->Finish(ToGrpcStatus(status));
  LogCall(rpc, start, status);
}

void AuditWrite(const grpc::CallbackServerContext& context, absl::string_view path, absl::string_view environment,
                const google::protobuf::Message& request, const google::protobuf::Message* reply,
                const absl::Status& status, absl::string_view partner_request_id) {
  auth::AuditRecord record;
  record.principal = auth::PrincipalName(auth::PeerOf(*context.auth_context()));
  record.method = std::string(path);
  record.environment = std::string(environment);
  record.code = status.code();
  record.partner_request_id = std::string(partner_request_id);
  record.ids = auth::TouchedIds(request, reply);
  auth::WriteAuditLine(record);
}

}  // namespace gateway::service
