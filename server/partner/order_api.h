// The order endpoints (contract §9.4).
#ifndef SERVER_PARTNER_ORDER_API_H_
#define SERVER_PARTNER_ORDER_API_H_

#include "peeker/partner/v1/order.pb.h"
#include "server/partner/endpoint.h"

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;

// POST /orders
extern const Endpoint<v1::PlaceOrderRequest, v1::PlaceOrderResponse> kPlaceOrder;
// GET /orders
extern const Endpoint<v1::ListOrdersRequest, v1::ListOrdersResponse> kListOrders;
// GET /orders/pending
extern const Endpoint<v1::ListPendingActionsRequest, v1::ListPendingActionsResponse> kListPendingActions;
// POST /orders/{id}/cancel
extern const Endpoint<v1::CancelOrderRequest, v1::CancelOrderResponse> kCancelOrder;

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_ORDER_API_H_
