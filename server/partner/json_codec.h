// proto ⇄ Partner JSON. Encoders produce the documented request bodies
// (contract §9.3–§9.5, June 2026 generation); decoders read the `data`
// member of a success body. Partner JSON is untrusted: every field is
// type-checked, an absent or null field keeps its proto default, and an enum
// value this version does not know decodes to the `_UNSPECIFIED` zero so a
// new Partner state never breaks a call. A present field of the wrong type is
// an error naming its path (e.g. `data.costs.total_cents`).
#ifndef SERVER_PARTNER_JSON_CODEC_H_
#define SERVER_PARTNER_JSON_CODEC_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "peeker/partner/v1/bundle.pb.h"
#include "peeker/partner/v1/domain.pb.h"
#include "peeker/partner/v1/order.pb.h"

namespace gateway::partner {

// Request bodies. Encoding is deterministic (keys sorted, optional fields
// present exactly when set), so the same request always gives the same
// bytes: the Partner's order dedupe relies on it.
nlohmann::json EncodeCreateBundleRequest(const peeker::partner::v1::CreateBundleRequest& request);
nlohmann::json EncodeCheckAvailabilityRequest(const peeker::partner::v1::CheckAvailabilityRequest& request);
nlohmann::json EncodeImportDomainsRequest(const peeker::partner::v1::ImportDomainsRequest& request);
nlohmann::json EncodePlaceOrderRequest(const peeker::partner::v1::PlaceOrderRequest& request);

// Replies, from the success body's `data` object.
absl::StatusOr<peeker::partner::v1::Bundle> DecodeBundle(const nlohmann::json& data);
absl::StatusOr<peeker::partner::v1::CheckAvailabilityResponse> DecodeCheckAvailabilityResponse(
    const nlohmann::json& data);
absl::StatusOr<peeker::partner::v1::DomainImport> DecodeDomainImport(const nlohmann::json& data);
absl::StatusOr<peeker::partner::v1::Order> DecodeOrder(const nlohmann::json& data);

// What the decoders have tolerated so far in this process: members of a
// Partner object they do not read (a field added upstream), and enum values
// they do not know (decoded as `_UNSPECIFIED`). For /metrics.
struct Tolerated {
  int64_t unknown_fields = 0;
  int64_t unknown_enum_values = 0;
};
Tolerated ToleratedSoFar();

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_JSON_CODEC_H_
