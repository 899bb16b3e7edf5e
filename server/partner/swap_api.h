// The swap endpoints (contract §9.6).
#ifndef SERVER_PARTNER_SWAP_API_H_
#define SERVER_PARTNER_SWAP_API_H_

#include "peeker/partner/v1/swap.pb.h"
#include "server/partner/endpoint.h"

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;

// POST /swaps
extern const Endpoint<v1::CreateSwapRequest, v1::CreateSwapResponse> kCreateSwap;
// GET /swaps
extern const Endpoint<v1::ListSwapsRequest, v1::ListSwapsResponse> kListSwaps;
// GET /swaps/{id}
extern const Endpoint<v1::GetSwapRequest, v1::GetSwapResponse> kGetSwap;
// POST /swaps/user_names
extern const Endpoint<v1::CreateUserNameSwapRequest, v1::CreateUserNameSwapResponse> kCreateUserNameSwap;

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_SWAP_API_H_
