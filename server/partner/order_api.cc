#include "server/partner/order_api.h"

#include <cstddef>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/partner/json_codec.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

using nlohmann::json;

constexpr EnumName<v1::PendingActionType> kPendingActionTypes[] = {
    {"google_profile_picture", v1::PENDING_ACTION_TYPE_GOOGLE_PROFILE_PICTURE},
};
constexpr EnumName<v1::PendingActionStatus> kPendingActionStatuses[] = {
    {"open", v1::PENDING_ACTION_STATUS_OPEN},
    {"resolved", v1::PENDING_ACTION_STATUS_RESOLVED},
};

PartnerRequest EncodeListOrders(const v1::ListOrdersRequest& request) {
  PartnerRequest partner_request = RequestTo("/orders");
  AddFilter(partner_request, "user_id", request.user_id());
  AddFilter(partner_request, "user_email", request.user_email());
  AddFilter(partner_request, "bundle_id", request.bundle_id());
  AddFilter(partner_request, "status", request.status(), kOrderStatuses);
  return partner_request;
}

PartnerRequest EncodeListPendingActions(const v1::ListPendingActionsRequest& request) {
  PartnerRequest partner_request = RequestTo("/orders/pending");
  AddFilter(partner_request, "order_id", request.order_id());
  AddFilter(partner_request, "user", request.user());
  AddFilter(partner_request, "domain_id", request.domain_id());
  // Left out, the status means open actions.
  AddFilter(partner_request, "status", request.status(), kPendingActionStatuses);
  return partner_request;
}

absl::Status ValidateCancelOrder(const v1::CancelOrderRequest& request) {
  Violations violations;
  RequireId("order_id", request.order_id(), violations);
  for (int i = 0; i < request.domains_size(); ++i) {
    if (request.domains(i).empty()) violations.Add(Indexed("domains", i), "must not be empty");
  }
  return violations.ToStatus();
}

// Gen B (June 2026) form: no body cancels the whole order, `domains` only
// some of it. Gen A's `{"scope":"order"}` is not sent.
PartnerRequest EncodeCancelOrder(const v1::CancelOrderRequest& request) {
  PartnerRequest partner_request = RequestTo("/orders/" + UrlEscape(request.order_id()) + "/cancel");
  if (!request.domains().empty()) partner_request.body = {{"domains", StringArray(request.domains())}};
  return partner_request;
}

absl::StatusOr<v1::PendingAction> DecodePendingAction(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::PendingAction action;
  action.set_id(r.String("id", /*required=*/true));
  action.set_type(r.Enum("type", kPendingActionTypes));
  action.set_reason(r.String("reason"));
  action.set_status(r.Enum("status", kPendingActionStatuses));
  action.set_domain_id(r.String("domain_id"));
  action.set_domain(r.String("domain"));
  r.Object("user", [&](Reader& user) {
    v1::Persona* persona = action.mutable_user();
    persona->set_first_name(user.String("first_name"));
    persona->set_last_name(user.String("last_name"));
    if (auto url = user.OptionalString("profile_picture_url")) persona->set_profile_picture_url(*url);
  });
  action.set_message(r.String("message"));
  if (auto time = r.Timestamp("created_at")) *action.mutable_created_at() = *time;
  return Finish(error, std::move(action));
}

absl::StatusOr<v1::OrderCancellation> DecodeOrderCancellation(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::OrderCancellation cancellation;
  cancellation.set_order_id(r.String("id", /*required=*/true));
  cancellation.set_status(r.Enum("status", kOrderStatuses));
  if (auto time = r.Timestamp("cancellation_scheduled_at")) *cancellation.mutable_cancellation_scheduled_at() = *time;
  if (auto time = r.Timestamp("cancels_at")) *cancellation.mutable_cancels_at() = *time;
  r.Objects("domains", [&](Reader& row) {
    v1::CancelledDomain* domain = cancellation.add_domains();
    domain->set_id(row.String("id"));
    domain->set_domain(row.String("domain"));
  });
  return Finish(error, std::move(cancellation));
}

}  // namespace

const Endpoint<v1::PlaceOrderRequest, v1::PlaceOrderResponse> kPlaceOrder = {
    "POST",
    "/orders",
    Idempotency::kIdempotent,
    &ValidatePlaceOrder,
    [](const v1::PlaceOrderRequest& request) { return RequestTo("/orders", EncodePlaceOrderRequest(request)); },
    &DecodeInto<&DecodeOrder, &v1::PlaceOrderResponse::mutable_order>,
};

const Endpoint<v1::ListOrdersRequest, v1::ListOrdersResponse> kListOrders = {
    "GET",
    "/orders",
    Idempotency::kIdempotent,
    [](const v1::ListOrdersRequest& request) { return ValidateStatusFilter(request.status(), kOrderStatuses); },
    &EncodeListOrders,
    &DecodeEach<&DecodeOrder, &v1::ListOrdersResponse::add_orders>,
};

const Endpoint<v1::ListPendingActionsRequest, v1::ListPendingActionsResponse> kListPendingActions = {
    "GET",
    "/orders/pending",
    Idempotency::kIdempotent,
    [](const v1::ListPendingActionsRequest& request) {
      return ValidateStatusFilter(request.status(), kPendingActionStatuses);
    },
    &EncodeListPendingActions,
    &DecodeEach<&DecodePendingAction, &v1::ListPendingActionsResponse::add_pending_actions>,
};

// Nothing documents a dedupe of cancels: a second one after a lost answer
// could meet an order already cancelled, so it is not retried.
const Endpoint<v1::CancelOrderRequest, v1::CancelOrderResponse> kCancelOrder = {
    "POST",
    "/orders/{id}/cancel",
    Idempotency::kNotIdempotent,
    &ValidateCancelOrder,
    &EncodeCancelOrder,
    &DecodeInto<&DecodeOrderCancellation, &v1::CancelOrderResponse::mutable_cancellation>,
};

}  // namespace gateway::partner
