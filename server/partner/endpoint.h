// One Partner REST endpoint, described once: which HTTP method and route, how
// a request proto is checked and becomes an HTTP request, how the answer's
// `data` becomes the reply proto, and whether a retry is safe. PartnerClient
// runs any Endpoint the same way (validation, rate budget, retries, errors,
// paging); each resource file (`*_api.h`) only describes its endpoints.
#ifndef SERVER_PARTNER_ENDPOINT_H_
#define SERVER_PARTNER_ENDPOINT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "server/partner/json_reader.h"
#include "server/partner/retry_policy.h"

namespace gateway::partner {

// The HTTP side of one Partner call, before the base URL, key and paging
// parameters are added.
struct PartnerRequest {
  // After the base URL, with every id escaped by UrlEscape, e.g.
  // "/users/usr_01J…".
  std::string path;
  // Query parameters, unescaped; PartnerClient encodes them. For a list
  // these are its filters (they also scope its page tokens).
  std::vector<std::pair<std::string, std::string>> query;
  // JSON body; null sends none.
  nlohmann::json body;
};

// List filters: the Partner reads an absent filter as "any", so an empty or
// `_UNSPECIFIED` value adds nothing.
inline void AddFilter(PartnerRequest& request, const char* name, const std::string& value) {
  if (!value.empty()) request.query.emplace_back(name, value);
}
template <typename E, size_t N>
void AddFilter(PartnerRequest& request, const char* name, E value, const EnumName<E> (&names)[N]) {
  if (const char* text = EnumToName(value, names)) request.query.emplace_back(name, text);
}

// A request for `path` (already escaped) with an optional JSON body.
inline PartnerRequest RequestTo(std::string path, nlohmann::json body = nullptr) {
  PartnerRequest request;
  request.path = std::move(path);
  request.body = std::move(body);
  return request;
}

template <typename Request, typename Reply>
struct Endpoint {
  // "GET", "POST", "PATCH" or "DELETE".
  const char* method;
  // The route as documented, for logs and page-token scope, e.g.
  // "/users/{id}".
  const char* route;
  Idempotency idempotency;
  // OK, or INVALID_ARGUMENT with a BadRequest naming every bad field. Runs
  // before any Partner call. Paging fields are checked by PartnerClient.
  absl::Status (*validate)(const Request& request);
  // Only called for a valid request.
  PartnerRequest (*encode)(const Request& request);
  // From a 2xx answer's `data` member (an object, or an array for lists).
  absl::StatusOr<Reply> (*decode)(const nlohmann::json& data);
};

// A list RPC: AIP-158 paging fields in the request and reply.
template <typename Request>
concept PagedRequest = requires(const Request& request) {
  { request.page_size() };
  { request.page_token() };
};

// `text` with every byte but RFC 3986 unreserved characters
// percent-encoded: safe as one path segment (an opaque id can never change
// the route: "../me", "a/b", "?x") and as a query name or value.
std::string UrlEscape(absl::string_view text);

// For endpoints whose request needs no check.
template <typename Request>
absl::Status NoValidation(const Request&) {
  return absl::OkStatus();
}

namespace internal {
template <typename T>
struct MutableField;
template <typename Reply, typename Resource>
struct MutableField<Resource* (Reply::*)()> {
  using ReplyType = Reply;
};
}  // namespace internal

// Decoder of a reply whose one field is a decoded resource, e.g.
// `DecodeInto<&DecodeBundle, &GetBundleResponse::mutable_bundle>`.
template <auto kDecode, auto kMutable>
absl::StatusOr<typename internal::MutableField<decltype(kMutable)>::ReplyType> DecodeInto(
    const nlohmann::json& data) {
  auto resource = kDecode(data);
  if (!resource.ok()) return resource.status();
  typename internal::MutableField<decltype(kMutable)>::ReplyType reply;
  *(reply.*kMutable)() = *std::move(resource);
  return reply;
}

// Decoder of a reply with one repeated field, from an array: each element
// decoded by kDecode and appended with kAdd, e.g.
// `DecodeEach<&DecodeUser, &ListUsersResponse::add_users>`. An element that
// does not decode fails the whole reply, naming `data[i]…`.
template <auto kDecode, auto kAdd>
absl::StatusOr<typename internal::MutableField<decltype(kAdd)>::ReplyType> DecodeEach(const nlohmann::json& data) {
  if (!data.is_array()) return absl::InternalError("field `data` is not an array");
  typename internal::MutableField<decltype(kAdd)>::ReplyType reply;
  for (size_t i = 0; i < data.size(); ++i) {
    auto item = kDecode(data[i]);
    if (!item.ok()) {
      return absl::InternalError(absl::StrCat("in `data[", i, "]`: ", item.status().message()));
    }
    *(reply.*kAdd)() = *std::move(item);
  }
  return reply;
}

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_ENDPOINT_H_
