#include "server/partner/user_api.h"

#include <string>
#include <utility>

#include "server/partner/json_reader.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

using nlohmann::json;

constexpr EnumName<v1::UserStatus> kUserStatuses[] = {
    {"active", v1::USER_STATUS_ACTIVE},
    {"deleted", v1::USER_STATUS_DELETED},
};
constexpr EnumName<v1::SequencerProvider> kSequencerProviders[] = {
    {"smartlead", v1::SEQUENCER_PROVIDER_SMARTLEAD},
};

PartnerRequest UserPath(const std::string& user_id) { return RequestTo("/users/" + UrlEscape(user_id)); }


// Only the '@' is checked: the Partner owns the finer rules and says which
// address it refuses.
void CheckEmailAddress(const std::string& email, Violations& violations) {
  if (email.find('@') == std::string::npos) violations.Add("email", "must be an email address");
}

void CheckSequencerRoute(const v1::SequencerRoute& route, Violations& violations) {
  if (route.provider() != v1::SEQUENCER_PROVIDER_SMARTLEAD) {
    violations.Add("sequencer.provider", "must be SEQUENCER_PROVIDER_SMARTLEAD");
  }
}

absl::Status ValidateCreateUser(const v1::CreateUserRequest& request) {
  Violations violations;
  if (request.email().empty()) {
    violations.Add("email", "is required");
  } else {
    CheckEmailAddress(request.email(), violations);
  }
  if (!request.has_sequencer()) {
    violations.Add("sequencer", "is required");
  } else {
    CheckSequencerRoute(request.sequencer(), violations);
  }
  return violations.ToStatus();
}

absl::Status ValidateUpdateUser(const v1::UpdateUserRequest& request) {
  Violations violations;
  RequireId("user_id", request.user_id(), violations);
  if (request.has_email()) CheckEmailAddress(request.email(), violations);
  if (request.has_sequencer()) CheckSequencerRoute(request.sequencer(), violations);
  if (!request.has_email() && !request.has_first_name() && !request.has_last_name() && !request.has_sequencer()) {
    violations.Add("user_id", "nothing to change: set at least one field");
  }
  return violations.ToStatus();
}

// The route is always sent whole: a null `client_id` is how the Partner is
// told to use the partner's default route (Gen B note on POST /users).
json EncodeSequencerRoute(const v1::SequencerRoute& route) {
  return {{"provider", EnumToName(route.provider(), kSequencerProviders)},
          {"client_id", route.has_client_id() ? json(route.client_id()) : json(nullptr)}};
}

PartnerRequest EncodeCreateUser(const v1::CreateUserRequest& request) {
  json body = {{"email", request.email()}, {"sequencer", EncodeSequencerRoute(request.sequencer())}};
  if (!request.first_name().empty()) body["first_name"] = request.first_name();
  if (!request.last_name().empty()) body["last_name"] = request.last_name();
  return RequestTo("/users", std::move(body));
}

PartnerRequest EncodeUpdateUser(const v1::UpdateUserRequest& request) {
  PartnerRequest partner_request = UserPath(request.user_id());
  json& body = partner_request.body = json::object();
  if (request.has_email()) body["email"] = request.email();
  if (request.has_first_name()) body["first_name"] = request.first_name();
  if (request.has_last_name()) body["last_name"] = request.last_name();
  if (request.has_sequencer()) body["sequencer"] = EncodeSequencerRoute(request.sequencer());
  return partner_request;
}

PartnerRequest EncodeListUsers(const v1::ListUsersRequest& request) {
  PartnerRequest partner_request = RequestTo("/users");
  AddFilter(partner_request, "email", request.email());
  AddFilter(partner_request, "status", request.status(), kUserStatuses);
  return partner_request;
}

absl::StatusOr<v1::User> DecodeUser(const json& data) {
  absl::Status error;
  v1::User user;
  {
    Reader r(data, "data", &error);
    user.set_id(r.String("id", /*required=*/true));
    user.set_email(r.String("email"));
    user.set_first_name(r.String("first_name"));
    user.set_last_name(r.String("last_name"));
    user.set_status(r.Enum("status", kUserStatuses));
    r.Object("sequencer", [&](Reader& sequencer) {
      v1::SequencerRoute* route = user.mutable_sequencer();
      route->set_provider(sequencer.Enum("provider", kSequencerProviders));
      if (auto client_id = sequencer.OptionalInt64("client_id")) route->set_client_id(*client_id);
    });
    if (auto time = r.Timestamp("created_at")) *user.mutable_created_at() = *time;
  }
  return Finish(error, std::move(user));
}

}  // namespace

const Endpoint<v1::CreateUserRequest, v1::CreateUserResponse> kCreateUser = {
    "POST",
    "/users",
    Idempotency::kNotIdempotent,
    &ValidateCreateUser,
    &EncodeCreateUser,
    &DecodeInto<&DecodeUser, &v1::CreateUserResponse::mutable_user>,
};

const Endpoint<v1::ListUsersRequest, v1::ListUsersResponse> kListUsers = {
    "GET",
    "/users",
    Idempotency::kIdempotent,
    [](const v1::ListUsersRequest& request) { return ValidateStatusFilter(request.status(), kUserStatuses); },
    &EncodeListUsers,
    &DecodeEach<&DecodeUser, &v1::ListUsersResponse::add_users>,
};

const Endpoint<v1::GetUserRequest, v1::GetUserResponse> kGetUser = {
    "GET",
    "/users/{id}",
    Idempotency::kIdempotent,
    [](const v1::GetUserRequest& request) { return ValidateId("user_id", request.user_id()); },
    [](const v1::GetUserRequest& request) { return UserPath(request.user_id()); },
    &DecodeInto<&DecodeUser, &v1::GetUserResponse::mutable_user>,
};

const Endpoint<v1::UpdateUserRequest, v1::UpdateUserResponse> kUpdateUser = {
    "PATCH",
    "/users/{id}",
    Idempotency::kIdempotent,
    &ValidateUpdateUser,
    &EncodeUpdateUser,
    &DecodeInto<&DecodeUser, &v1::UpdateUserResponse::mutable_user>,
};

const Endpoint<v1::DeleteUserRequest, v1::DeleteUserResponse> kDeleteUser = {
    "DELETE",
    "/users/{id}",
    Idempotency::kNotIdempotent,
    [](const v1::DeleteUserRequest& request) { return ValidateId("user_id", request.user_id()); },
    [](const v1::DeleteUserRequest& request) { return UserPath(request.user_id()); },
    &DecodeInto<&DecodeUser, &v1::DeleteUserResponse::mutable_user>,
};

}  // namespace gateway::partner
