#include "server/partner/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

// Bytes of HMAC-SHA256 kept in a token.
constexpr size_t kMacSize = 16;
constexpr size_t kTimeSize = 8;

std::string HmacSha256(absl::string_view key, absl::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

absl::Status BadToken(std::string why) {
  Violations violations;
  violations.Add("page_token", std::move(why));
  return violations.ToStatus();
}

// The decoded value of query parameter `name` in `url`, or nullopt.
std::optional<std::string> QueryParameter(absl::string_view url, absl::string_view name) {
  const size_t question = url.find('?');
  if (question == absl::string_view::npos) return std::nullopt;
  absl::string_view query = url.substr(question + 1);
  query = query.substr(0, query.find('#'));
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (kv.first != name) continue;
    std::string value;
    for (size_t i = 0; i < kv.second.size(); ++i) {
      const char c = kv.second[i];
      if (c == '+') {
        value.push_back(' ');
      } else if (c == '%' && i + 2 < kv.second.size() && absl::ascii_isxdigit(kv.second[i + 1]) &&
                 absl::ascii_isxdigit(kv.second[i + 2])) {
        value.push_back(static_cast<char>(std::stoi(std::string(kv.second.substr(i + 1, 2)), nullptr, 16)));
        i += 2;
      } else {
        value.push_back(c);
      }
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace

absl::Status ValidatePageSize(int page_size) {
  Violations violations;
  if (page_size < 0) violations.Add("page_size", "must not be negative");
  return violations.ToStatus();
}

void AddPagingQuery(int page_size, const std::string& partner_token,
                    std::vector<std::pair<std::string, std::string>>& query) {
  if (page_size > 0) query.emplace_back("per_page", absl::StrCat(std::min(page_size, kMaxPageSize)));
  if (!partner_token.empty()) query.emplace_back("page_token", partner_token);
}

PageTokens::PageTokens(absl::string_view route, peeker::partner::v1::Environment env,
                       const std::vector<std::pair<std::string, std::string>>& filters,
                       const common::Secret& partner_key)
    : key_(HmacSha256(partner_key.Reveal(), "peeker-gateway page token v1")) {
  // Length-prefixed parts, so no two scopes serialize alike.
  auto add = [this](absl::string_view part) { absl::StrAppend(&scope_, part.size(), ":", part, ";"); };
  add(route);
  add(peeker::partner::v1::Environment_Name(env));
  for (const auto& [name, value] : filters) {
    add(name);
    add(value);
  }
}

std::string PageTokens::Mac(absl::string_view payload) const {
  return HmacSha256(key_, absl::StrCat(scope_, payload)).substr(0, kMacSize);
}

std::string PageTokens::Seal(absl::string_view partner_token, absl::Time now) const {
  std::string payload(kTimeSize, '\0');
  const uint64_t issued = static_cast<uint64_t>(absl::ToUnixSeconds(now));
  for (size_t i = 0; i < kTimeSize; ++i) payload[i] = static_cast<char>(issued >> (8 * (kTimeSize - 1 - i)));
  payload.append(partner_token.data(), partner_token.size());
  std::string token;
  absl::WebSafeBase64Escape(absl::StrCat(payload, Mac(payload)), &token);
  return token;
}

absl::StatusOr<std::string> PageTokens::Open(absl::string_view token, absl::Time now) const {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < kTimeSize + kMacSize) {
    return BadToken("not a token this gateway issued");
  }
  const absl::string_view payload = absl::string_view(raw).substr(0, raw.size() - kMacSize);
  const std::string expected = Mac(payload);
  if (CRYPTO_memcmp(expected.data(), raw.data() + payload.size(), kMacSize) != 0) {
    return BadToken("not issued for this list, these filters and this environment");
  }
  uint64_t issued = 0;
  for (size_t i = 0; i < kTimeSize; ++i) issued = (issued << 8) | static_cast<unsigned char>(payload[i]);
  if (now - absl::FromUnixSeconds(static_cast<int64_t>(issued)) > kPageTokenLifetime) {
    return BadToken("expired; list again from the first page");
  }
  return std::string(payload.substr(kTimeSize));
}

absl::StatusOr<std::string> PageTokens::Next(const nlohmann::json& document, absl::Time now) const {
  auto links = document.find("links");
  if (links == document.end() || !links->is_object()) return std::string();
  auto next = links->find("next");
  if (next == links->end() || next->is_null()) return std::string();
  if (!next->is_string()) return absl::InternalError("field `links.next` is not a string");
  std::optional<std::string> partner_token = QueryParameter(next->get<std::string>(), "page_token");
  if (!partner_token.has_value() || partner_token->empty()) {
    return absl::InternalError("field `links.next` has no page_token");
  }
  return Seal(*partner_token, now);
}

}  // namespace gateway::partner
