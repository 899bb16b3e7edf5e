// The account endpoint (contract §9.1).
#ifndef SERVER_PARTNER_ACCOUNT_API_H_
#define SERVER_PARTNER_ACCOUNT_API_H_

#include "peeker/partner/v1/account.pb.h"
#include "server/partner/endpoint.h"

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;

// GET /me
extern const Endpoint<v1::GetAccountRequest, v1::GetAccountResponse> kGetAccount;

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_ACCOUNT_API_H_
