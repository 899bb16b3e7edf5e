// Helpers every part of the Partner API emulator shares: the error envelope,
// JSON responses, typed reads of request bodies and timestamp formatting.
#ifndef GATEWAY_SANDBOX_JSON_UTIL_H_
#define GATEWAY_SANDBOX_JSON_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "sandbox/api_types.h"

namespace gateway::sandbox {

using json = nlohmann::json;

// One 4xx/5xx answer, sent as {"error":{"code","message","field"?,"details"?}}.
struct ApiError {
  int status = 400;
  std::string code = "invalid_request";
  std::string message;
  std::string field;  // empty = not relevant
  json details;       // null = not relevant
};

// 400 invalid_request naming `field` (empty = the body as a whole).
ApiError Invalid(std::string field, std::string message);
// 404 not_found; `field` names the request field that pointed nowhere (empty
// when the id came from the path).
ApiError NotFound(std::string field, std::string message);

// dump() would abort on invalid UTF-8 with exceptions off; replace instead.
std::string Dump(const json& value);
ApiResponse JsonResponse(int status, const json& body);
// JsonResponse(status, {"data": data}).
ApiResponse DataResponse(int status, const json& data);
ApiResponse ErrorResponse(const ApiError& error);
// The error code a bare status stands for (used by injected faults).
std::string DefaultErrorCode(int status);

// The request body as a JSON object, or the error saying it is not one.
std::optional<ApiError> ParseBodyObject(const std::string& body, json* out);
// Integer JSON value as int64, or nullopt (floats, out-of-range unsigned,
// booleans and everything else are rejected).
std::optional<int64_t> AsInt64(const json& value);
// Pointer to obj[key], or nullptr when absent. Never inserts or asserts.
const json* Find(const json& obj, const char* key);
bool IsAbsentOrNull(const json* value);
// Checks obj[key] is a non-empty string; error field is `field`.
std::optional<ApiError> RequireNonEmptyString(const json& obj, const char* key,
                                              const std::string& field,
                                              std::string* out);
// Checks `value` is present and a string; error field is `field`.
std::optional<ApiError> RequireString(const json* value,
                                      const std::string& field,
                                      std::string* out);

int64_t CeilDiv(int64_t num, int64_t den);
uint32_t Fnv1a32(absl::string_view s);

// "2026-07-01T09:30:00Z".
std::string FormatTimestamp(absl::Time t);
// RFC 3339 UTC with milliseconds, as webhook envelopes carry.
std::string FormatTimestampMillis(absl::Time t);

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_JSON_UTIL_H_
