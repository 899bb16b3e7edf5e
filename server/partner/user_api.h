// The user endpoints (contract §9.2, May 2026 reference).
#ifndef SERVER_PARTNER_USER_API_H_
#define SERVER_PARTNER_USER_API_H_

#include "peeker/partner/v1/user.pb.h"
#include "server/partner/endpoint.h"

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;

// POST /users
extern const Endpoint<v1::CreateUserRequest, v1::CreateUserResponse> kCreateUser;
// GET /users
extern const Endpoint<v1::ListUsersRequest, v1::ListUsersResponse> kListUsers;
// GET /users/{id}
extern const Endpoint<v1::GetUserRequest, v1::GetUserResponse> kGetUser;
// PATCH /users/{id}
extern const Endpoint<v1::UpdateUserRequest, v1::UpdateUserResponse> kUpdateUser;
// DELETE /users/{id}
extern const Endpoint<v1::DeleteUserRequest, v1::DeleteUserResponse> kDeleteUser;

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_USER_API_H_
