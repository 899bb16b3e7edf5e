// Page tokens in the AIP-158 style. The gateway's token carries the
// Partner's opaque page token, untouched and never parsed, together with
// the time it was issued, sealed with an HMAC. The HMAC covers the list's
// route, environment and filters too, so a token is accepted only by the
// same list with the same filters in the same environment, within
// kPageTokenLifetime; anything else (edited, forged, expired, or from another
// list) is INVALID_ARGUMENT before any Partner call. The HMAC key is derived
// from the environment's Partner key, so every replica accepts every other
// replica's tokens (until the key is rotated).
#ifndef SERVER_PARTNER_PAGE_TOKEN_H_
#define SERVER_PARTNER_PAGE_TOKEN_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "peeker/partner/v1/common.pb.h"
#include "server/common/secret.h"

namespace gateway::partner {

inline constexpr absl::Duration kPageTokenLifetime = absl::Hours(24);
// The Partner's page size bounds (contract §6).
inline constexpr int kMaxPageSize = 100;

// OK for 0 (the Partner's default) and positive sizes (larger than
// kMaxPageSize is lowered); INVALID_ARGUMENT naming `page_size` otherwise.
absl::Status ValidatePageSize(int page_size);

// The paging query parameters for the Partner: `per_page` (when page_size is
// set) and `page_token` (when there is one).
void AddPagingQuery(int page_size, const std::string& partner_token,
                    std::vector<std::pair<std::string, std::string>>& query);

// Opens and seals the tokens of one list call.
class PageTokens {
 public:
  // `filters`: the list's query parameters without paging.
  PageTokens(absl::string_view route, peeker::partner::v1::Environment env,
             const std::vector<std::pair<std::string, std::string>>& filters, const common::Secret& partner_key);

  // The Partner's token inside `token`; "" for "" (the first page).
  absl::StatusOr<std::string> Open(absl::string_view token, absl::Time now) const;
  // Our token for the page after a Partner answer, lifted from its
  // `links.next` URL; "" when `links.next` is null or absent (the last
  // page). INTERNAL when `links.next` is there but has no page_token.
  absl::StatusOr<std::string> Next(const nlohmann::json& document, absl::Time now) const;
  // Our token wrapping `partner_token`, issued at `now`.
  std::string Seal(absl::string_view partner_token, absl::Time now) const;

 private:
  std::string Mac(absl::string_view payload) const;

  std::string key_;    // HMAC key derived from the Partner key.
  std::string scope_;  // route, environment and filters.
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_PAGE_TOKEN_H_
