#include "server/http/http_client.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"

namespace gateway::http {
namespace {

constexpr char kNotSentPayload[] = "gateway.peeker.internal/http-not-sent";

}  // namespace

absl::Status NotSentError(absl::Status status) {
  status.SetPayload(kNotSentPayload, absl::Cord("1"));
  return status;
}

bool WasNotSent(const absl::Status& status) { return status.GetPayload(kNotSentPayload).has_value(); }

std::string HttpResponse::Header(std::string_view name) const {
  auto it = headers.find(absl::AsciiStrToLower(absl::string_view(name.data(), name.size())));
  return it == headers.end() ? std::string() : it->second;
}

}  // namespace gateway::http
