#include "sandbox/json_util.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gateway::sandbox {

ApiError Invalid(std::string field, std::string message) {
  return ApiError{400, "invalid_request", std::move(message), std::move(field),
                  nullptr};
}

ApiError NotFound(std::string field, std::string message) {
  return ApiError{404, "not_found", std::move(message), std::move(field),
                  nullptr};
}

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

ApiResponse JsonResponse(int status, const json& body) {
  ApiResponse response;
  response.status = status;
  response.body = Dump(body);
  return response;
}

ApiResponse DataResponse(int status, const json& data) {
  return JsonResponse(status, json{{"data", data}});
}

ApiResponse ErrorResponse(const ApiError& error) {
  json inner = {{"code", error.code}, {"message", error.message}};
  if (!error.field.empty()) inner["field"] = error.field;
  if (!error.details.is_null()) inner["details"] = error.details;
  return JsonResponse(error.status, json{{"error", inner}});
}

std::string DefaultErrorCode(int status) {
  switch (status) {
    case 400: return "invalid_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 429: return "rate_limited";
    default: return status >= 500 ? "internal_error" : "invalid_request";
  }
}

std::optional<ApiError> ParseBodyObject(const std::string& body, json* out) {
  *out = json::parse(body, nullptr, false);
  if (out->is_discarded() || !out->is_object()) {
    return Invalid("", "request body must be a JSON object");
  }
  return std::nullopt;
}

std::optional<int64_t> AsInt64(const json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(u);
  }
  return value.get<int64_t>();
}

const json* Find(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

bool IsAbsentOrNull(const json* value) {
  return value == nullptr || value->is_null();
}

std::optional<ApiError> RequireNonEmptyString(const json& obj, const char* key,
                                              const std::string& field,
                                              std::string* out) {
  const json* value = Find(obj, key);
  if (value == nullptr || !value->is_string() ||
      value->get_ref<const std::string&>().empty()) {
    return Invalid(field, absl::StrCat(field, " must be a non-empty string"));
  }
  if (out != nullptr) *out = value->get<std::string>();
  return std::nullopt;
}

std::optional<ApiError> RequireString(const json* value,
                                      const std::string& field,
                                      std::string* out) {
  if (value == nullptr || !value->is_string()) {
    return Invalid(field, absl::StrCat(field, " must be a string"));
  }
  *out = value->get<std::string>();
  return std::nullopt;
}

int64_t CeilDiv(int64_t num, int64_t den) { return (num + den - 1) / den; }

uint32_t Fnv1a32(absl::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

std::string FormatTimestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string FormatTimestampMillis(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

}  // namespace gateway::sandbox
