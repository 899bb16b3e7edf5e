// proto ⇄ Partner JSON. Encoders produce the documented request bodies
// (contract §9.3–§9.5, June 2026 generation); decoders read the `data`
// member of a success body. Partner JSON is untrusted: every field is
// type-checked, an absent or null field keeps its proto default, and an enum
// value this version does not know decodes to the `_UNSPECIFIED` zero so a
// new Partner state never breaks a call. A present field of the wrong type is
// an error naming its path (e.g. `data.costs.total_cents`).
#ifndef SERVER_PARTNER_JSON_CODEC_H_
#define SERVER_PARTNER_JSON_CODEC_H_

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "server/partner/json_reader.h"
#include "peeker/partner/v1/bundle.pb.h"
#include "peeker/partner/v1/domain.pb.h"
#include "peeker/partner/v1/order.pb.h"

namespace gateway::partner {

// The Partner's names of shared enum values.
inline constexpr EnumName<peeker::partner::v1::MailProvider> kMailProviders[] = {
    {"google", peeker::partner::v1::MAIL_PROVIDER_GOOGLE},
    {"microsoft", peeker::partner::v1::MAIL_PROVIDER_MICROSOFT},
};
inline constexpr EnumName<peeker::partner::v1::BundleStatus> kBundleStatuses[] = {
    {"active", peeker::partner::v1::BUNDLE_STATUS_ACTIVE},
    {"archived", peeker::partner::v1::BUNDLE_STATUS_ARCHIVED},
    {"deleted", peeker::partner::v1::BUNDLE_STATUS_DELETED},
};
inline constexpr EnumName<peeker::partner::v1::UnavailableReason> kUnavailableReasons[] = {
    {"taken", peeker::partner::v1::UNAVAILABLE_REASON_TAKEN},     {"premium", peeker::partner::v1::UNAVAILABLE_REASON_PREMIUM},
    {"invalid", peeker::partner::v1::UNAVAILABLE_REASON_INVALID}, {"errored", peeker::partner::v1::UNAVAILABLE_REASON_ERRORED},
    {"stale", peeker::partner::v1::UNAVAILABLE_REASON_STALE},
};
inline constexpr EnumName<peeker::partner::v1::DomainImportStatus> kDomainImportStatuses[] = {
    {"in_progress", peeker::partner::v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS},
    {"completed", peeker::partner::v1::DOMAIN_IMPORT_STATUS_COMPLETED},
    {"failed", peeker::partner::v1::DOMAIN_IMPORT_STATUS_FAILED},
    {"action_required", peeker::partner::v1::DOMAIN_IMPORT_STATUS_ACTION_REQUIRED},
};
inline constexpr EnumName<peeker::partner::v1::OrderStatus> kOrderStatuses[] = {
    {"in_progress", peeker::partner::v1::ORDER_STATUS_IN_PROGRESS},
    {"completed", peeker::partner::v1::ORDER_STATUS_COMPLETED},
    {"failed", peeker::partner::v1::ORDER_STATUS_FAILED},
    {"action_required", peeker::partner::v1::ORDER_STATUS_ACTION_REQUIRED},
    {"cancel_scheduled", peeker::partner::v1::ORDER_STATUS_CANCEL_SCHEDULED},
    {"cancelled", peeker::partner::v1::ORDER_STATUS_CANCELLED},
};
inline constexpr EnumName<peeker::partner::v1::LineItemType> kLineItemTypes[] = {
    {"google_license", peeker::partner::v1::LINE_ITEM_TYPE_GOOGLE_LICENSE},
    {"microsoft_license", peeker::partner::v1::LINE_ITEM_TYPE_MICROSOFT_LICENSE},
    {"domain_registration", peeker::partner::v1::LINE_ITEM_TYPE_DOMAIN_REGISTRATION},
};


// Request bodies. Encoding is deterministic (keys sorted, optional fields
// present exactly when set), so the same request always gives the same
// bytes: the Partner's order dedupe relies on it.
nlohmann::json EncodeCreateBundleRequest(const peeker::partner::v1::CreateBundleRequest& request);
nlohmann::json EncodeCheckAvailabilityRequest(const peeker::partner::v1::CheckAvailabilityRequest& request);
nlohmann::json EncodeImportDomainsRequest(const peeker::partner::v1::ImportDomainsRequest& request);
nlohmann::json EncodePlaceOrderRequest(const peeker::partner::v1::PlaceOrderRequest& request);
// `personas` of an order or a user-name swap; `profile_picture_url` is sent
// when set, else null (June 2026: the key is required).
nlohmann::json EncodePersonas(const google::protobuf::RepeatedPtrField<peeker::partner::v1::Persona>& personas);

// Replies, from the success body's `data` object.
absl::StatusOr<peeker::partner::v1::Bundle> DecodeBundle(const nlohmann::json& data);
absl::StatusOr<peeker::partner::v1::CheckAvailabilityResponse> DecodeCheckAvailabilityResponse(
    const nlohmann::json& data);
absl::StatusOr<peeker::partner::v1::DomainImport> DecodeDomainImport(const nlohmann::json& data);
absl::StatusOr<peeker::partner::v1::Order> DecodeOrder(const nlohmann::json& data);

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_JSON_CODEC_H_
