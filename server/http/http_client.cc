#include "server/http/http_client.h"

#include "absl/strings/ascii.h"

namespace gateway::http {

std::string HttpResponse::Header(std::string_view name) const {
  auto it = headers.find(absl::AsciiStrToLower(absl::string_view(name.data(), name.size())));
  return it == headers.end() ? std::string() : it->second;
}

}  // namespace gateway::http
