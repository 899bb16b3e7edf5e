#include "server/partner/swap_api.h"

#include <string>
#include <utility>

#include "server/partner/json_reader.h"
#include "server/partner/json_codec.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

using nlohmann::json;

constexpr EnumName<v1::SwapType> kSwapTypes[] = {
    {"standard", v1::SWAP_TYPE_STANDARD},
    {"premium", v1::SWAP_TYPE_PREMIUM},
    {"user_names", v1::SWAP_TYPE_USER_NAMES},
};
constexpr EnumName<v1::SwapStatus> kSwapStatuses[] = {
    {"created", v1::SWAP_STATUS_CREATED},
    {"in_progress", v1::SWAP_STATUS_IN_PROGRESS},
    {"completed", v1::SWAP_STATUS_COMPLETED},
    {"failed", v1::SWAP_STATUS_FAILED},
    {"action_required", v1::SWAP_STATUS_ACTION_REQUIRED},
};

absl::Status ValidateCreateSwap(const v1::CreateSwapRequest& request) {
  Violations violations;
  if (request.type() != v1::SWAP_TYPE_STANDARD && request.type() != v1::SWAP_TYPE_PREMIUM) {
    violations.Add("type", request.type() == v1::SWAP_TYPE_USER_NAMES
                               ? "must be SWAP_TYPE_STANDARD or SWAP_TYPE_PREMIUM; rename inboxes with "
                                 "CreateUserNameSwap"
                               : "must be SWAP_TYPE_STANDARD or SWAP_TYPE_PREMIUM");
  }
  RequireId("domain_id", request.domain_id(), violations);
  if (request.replacement_domain().empty()) violations.Add("replacement_domain", "is required");
  return violations.ToStatus();
}

absl::Status ValidateCreateUserNameSwap(const v1::CreateUserNameSwapRequest& request) {
  Violations violations;
  RequireId("domain_id", request.domain_id(), violations);
  CheckPersonas(request.personas(), violations);
  return violations.ToStatus();
}

PartnerRequest EncodeCreateSwap(const v1::CreateSwapRequest& request) {
  return RequestTo("/swaps", {{"type", EnumToName(request.type(), kSwapTypes)},
                              {"domain_id", request.domain_id()},
                              {"replacement_domain", request.replacement_domain()}});
}

PartnerRequest EncodeListSwaps(const v1::ListSwapsRequest& request) {
  PartnerRequest partner_request = RequestTo("/swaps");
  AddFilter(partner_request, "user_id", request.user_id());
  AddFilter(partner_request, "order_id", request.order_id());
  AddFilter(partner_request, "domain_id", request.domain_id());
  AddFilter(partner_request, "status", request.status(), kSwapStatuses);
  return partner_request;
}

PartnerRequest EncodeCreateUserNameSwap(const v1::CreateUserNameSwapRequest& request) {
  return RequestTo("/swaps/user_names",
                   {{"domain_id", request.domain_id()}, {"personas", EncodePersonas(request.personas())}});
}

void ReadSwap(Reader& r, v1::DomainSwap* swap) {
  swap->set_id(r.String("id", /*required=*/true));
  swap->set_type(r.Enum("type", kSwapTypes));
  swap->set_domain_id(r.String("domain_id"));
  if (auto replacement = r.OptionalString("replacement_domain")) swap->set_replacement_domain(*replacement);
  swap->set_status(r.Enum("status", kSwapStatuses));
  if (auto time = r.Timestamp("created_at")) *swap->mutable_created_at() = *time;
}

absl::StatusOr<v1::DomainSwap> DecodeSwap(const json& data) {
  absl::Status error;
  v1::DomainSwap swap;
  {
    Reader r(data, "data", &error);
    ReadSwap(r, &swap);
  }
  return Finish(error, std::move(swap));
}

absl::StatusOr<v1::CreateUserNameSwapResponse> DecodeCreateUserNameSwap(const json& data) {
  absl::Status error;
  v1::CreateUserNameSwapResponse reply;
  {
    Reader r(data, "data", &error);
    r.Objects("swaps", [&](Reader& row) { ReadSwap(row, reply.add_swaps()); });
  }
  return Finish(error, std::move(reply));
}

}  // namespace

const Endpoint<v1::CreateSwapRequest, v1::CreateSwapResponse> kCreateSwap = {
    "POST",
    "/swaps",
    Idempotency::kNotIdempotent,
    &ValidateCreateSwap,
    &EncodeCreateSwap,
    &DecodeInto<&DecodeSwap, &v1::CreateSwapResponse::mutable_swap>,
};

const Endpoint<v1::ListSwapsRequest, v1::ListSwapsResponse> kListSwaps = {
    "GET",
    "/swaps",
    Idempotency::kIdempotent,
    [](const v1::ListSwapsRequest& request) { return ValidateStatusFilter(request.status(), kSwapStatuses); },
    &EncodeListSwaps,
    &DecodeEach<&DecodeSwap, &v1::ListSwapsResponse::add_swaps>,
};

const Endpoint<v1::GetSwapRequest, v1::GetSwapResponse> kGetSwap = {
    "GET",
    "/swaps/{id}",
    Idempotency::kIdempotent,
    [](const v1::GetSwapRequest& request) { return ValidateId("swap_id", request.swap_id()); },
    [](const v1::GetSwapRequest& request) { return RequestTo("/swaps/" + UrlEscape(request.swap_id())); },
    &DecodeInto<&DecodeSwap, &v1::GetSwapResponse::mutable_swap>,
};

const Endpoint<v1::CreateUserNameSwapRequest, v1::CreateUserNameSwapResponse> kCreateUserNameSwap = {
    "POST",
    "/swaps/user_names",
    Idempotency::kNotIdempotent,
    &ValidateCreateUserNameSwap,
    &EncodeCreateUserNameSwap,
    &DecodeCreateUserNameSwap,
};

}  // namespace gateway::partner
