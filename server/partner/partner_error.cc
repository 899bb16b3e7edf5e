#include "server/partner/partner_error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "nlohmann/json.hpp"
#include "server/common/log.h"
#include "server/common/status_details.h"

namespace gateway::partner {
namespace {

constexpr int64_t kDefaultRetryAfterSeconds = 5;  // The Partner's own sample falls back to 5 s.
constexpr int64_t kUnavailableRetrySeconds = 1;

// The parts of the Partner's error envelope; empty strings when absent.
struct Envelope {
  bool present = false;
  std::string code;
  std::string message;
  std::string field;
  nlohmann::json details = nlohmann::json::object();
};

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Envelope ParseEnvelope(absl::string_view body) {
  Envelope envelope;
  auto json = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return envelope;
  auto error = json.find("error");
  if (error == json.end() || !error->is_object()) return envelope;
  envelope.present = true;
  envelope.code = StringField(*error, "code");
  envelope.message = StringField(*error, "message");
  envelope.field = StringField(*error, "field");
  if (auto details = error->find("details"); details != error->end() && details->is_object()) {
    envelope.details = *details;
  }
  return envelope;
}

absl::StatusCode CodeFor(int http_status, absl::string_view partner_code) {
  switch (http_status) {
    case 400:
    case 422: return absl::StatusCode::kInvalidArgument;
    case 401: return absl::StatusCode::kInternal;  // Our key is wrong, not the caller's request.
    case 403: return absl::StatusCode::kPermissionDenied;
    case 404: return absl::StatusCode::kNotFound;
    case 409:
      // A conflict with the account's state: a name in use, or a state the
      // action does not apply to (already cancelled, in a cooldown).
      return absl::StrContains(partner_code, "already_exists") || absl::StrContains(partner_code, "duplicate") ||
                     absl::StrContains(partner_code, "taken")
                 ? absl::StatusCode::kAlreadyExists
                 : absl::StatusCode::kFailedPrecondition;
    case 429: return absl::StatusCode::kResourceExhausted;
    default: break;
  }
  if (http_status >= 500) return absl::StatusCode::kUnavailable;
  if (http_status >= 400) return absl::StatusCode::kFailedPrecondition;
  return absl::StatusCode::kInternal;
}

void AddRequestInfo(absl::Status& status, absl::string_view request_id) {
  if (request_id.empty()) return;
  google::rpc::RequestInfo info;
  info.set_request_id(std::string(request_id));
  common::AddDetail(status, info);
}

int64_t RetryAfterSeconds(const nlohmann::json& details) {
  auto it = details.find("retry_after_seconds");
  if (it != details.end() && it->is_number_integer() && it->get<int64_t>() >= 0) return it->get<int64_t>();
  return kDefaultRetryAfterSeconds;
}

}  // namespace

absl::Status StatusFromPartnerError(const http::HttpResponse& response) {
  const std::string request_id = response.Header("Peeker-Request-Id");
  const Envelope envelope = ParseEnvelope(response.body);
  const absl::StatusCode code = CodeFor(response.status, envelope.code);

  std::string message;
  if (response.status == 401) {
    message = "the Partner rejected the gateway's API key; the gateway operators must fix its key file";
    common::Log(common::LogLevel::kError, "partner rejected the configured API key",
                {{"alert", "partner_key_rejected"}, {"request_id", request_id}});
  } else if (envelope.present) {
    message = absl::StrCat("partner: ", envelope.message.empty() ? envelope.code : envelope.message);
  } else {
    message = absl::StrCat("partner answered HTTP ", response.status);
  }
  absl::Status status(code, message);

  google::rpc::ErrorInfo info;
  info.set_domain(std::string(kPartnerErrorDomain));
  info.set_reason(envelope.code.empty() ? absl::StrCat("http_", response.status) : envelope.code);
  (*info.mutable_metadata())["http_status"] = absl::StrCat(response.status);
  if (!envelope.field.empty()) (*info.mutable_metadata())["field"] = envelope.field;
  for (const auto& [key, value] : envelope.details.items()) {
    (*info.mutable_metadata())[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  common::AddDetail(status, info);

  if (code == absl::StatusCode::kInvalidArgument && !envelope.field.empty()) {
    google::rpc::BadRequest bad_request;
    auto* violation = bad_request.add_field_violations();
    violation->set_field(envelope.field);
    violation->set_description(envelope.message);
    common::AddDetail(status, bad_request);
  }
  if (code == absl::StatusCode::kNotFound) {
    google::rpc::ResourceInfo resource;
    resource.set_resource_name(envelope.field);
    resource.set_description(envelope.message);
    common::AddDetail(status, resource);
  }
  if (code == absl::StatusCode::kResourceExhausted) {
    common::AddRetryInfo(status, absl::Seconds(RetryAfterSeconds(envelope.details)));
    google::rpc::QuotaFailure quota;
    auto* violation = quota.add_violations();
    violation->set_subject("partner-api-key");
    violation->set_description("the Partner allows 600 requests per minute per key");
    common::AddDetail(status, quota);
  }
  if (code == absl::StatusCode::kUnavailable) common::AddRetryInfo(status, absl::Seconds(kUnavailableRetrySeconds));
  AddRequestInfo(status, request_id);
  return status;
}

absl::Status StatusFromTransportError(const absl::Status& error) {
  absl::Status status(error.code(), error.message());
  if (error.code() == absl::StatusCode::kUnavailable) common::AddRetryInfo(status, absl::Seconds(kUnavailableRetrySeconds));
  return status;
}

absl::Status PartnerOutcomeUnknown(const absl::Status& error, absl::string_view method, absl::string_view route,
                                   absl::string_view path, bool deadline_passed) {
  // The route's first segment names the resource ("/bundles", "/swaps/user_names",
  // "/orders/{id}/cancel"); the segment of `path` where the route has {id}
  // names the one resource, when there is one.
  const std::vector<absl::string_view> route_parts = absl::StrSplit(absl::StripPrefix(route, "/"), '/');
  const std::vector<absl::string_view> path_parts = absl::StrSplit(absl::StripPrefix(path, "/"), '/');
  const std::string resource_type(absl::StripSuffix(route_parts.front(), "s"));
  std::string resource_name;
  for (size_t i = 0; i < route_parts.size() && i < path_parts.size(); ++i) {
    if (route_parts[i] == "{id}") resource_name = std::string(path_parts[i]);
  }
  const std::string endpoint = absl::StrCat(method, " ", route);
  absl::Status status(deadline_passed ? absl::StatusCode::kDeadlineExceeded : absl::StatusCode::kUnavailable,
                      absl::StrCat("the outcome of ", endpoint, " is unknown: the request may have reached the Partner, "
                                   "but no answer came back (", error.message(), "). It was not retried, since a "
                                   "second request could act twice; look the ", resource_type,
                                   " up before trying again"));
  google::rpc::ErrorInfo info;
  info.set_domain(std::string(common::kGatewayErrorDomain));
  info.set_reason(std::string(kOutcomeUnknownReason));
  (*info.mutable_metadata())["resource_type"] = resource_type;
  (*info.mutable_metadata())["endpoint"] = endpoint;
  if (!resource_name.empty()) (*info.mutable_metadata())["resource_name"] = resource_name;
  common::AddDetail(status, info);
  return status;
}

absl::Status PartnerBadResponse(absl::string_view what, absl::string_view request_id) {
  absl::Status status = absl::InternalError(absl::StrCat("the Partner's answer could not be understood: ", what));
  google::rpc::ErrorInfo info;
  info.set_domain(std::string(common::kGatewayErrorDomain));
  info.set_reason(std::string(kBadResponseReason));
  common::AddDetail(status, info);
  AddRequestInfo(status, request_id);
  return status;
}

std::string RequestIdOf(const absl::Status& status) {
  std::optional<google::rpc::RequestInfo> info = common::GetDetail<google::rpc::RequestInfo>(status);
  return info.has_value() ? info->request_id() : std::string();
}

}  // namespace gateway::partner
