// Account and users: GET /me, POST/GET /users, GET/PATCH/DELETE /users/{id}
// (CONTRACT.md sections 2 and 9.2).
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "sandbox/paging.h"
#include "sandbox/resource_api.h"

namespace gateway::sandbox {
namespace {

const char* UserStatus(const User& user) {
  return user.deleted ? "deleted" : "active";
}

json UserJson(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"first_name", user.first_name},
          {"last_name", user.last_name},
          {"status", UserStatus(user)},
          {"sequencer",
           {{"provider", "smartlead"},
            {"client_id",
             user.client_id ? json(*user.client_id) : json(nullptr)}}},
          {"created_at", FormatTimestamp(user.created)}};
}

// Applies the user fields of `body` to `*user`; `create` makes email and
// sequencer required. The email must not belong to another active user.
std::optional<ApiError> ApplyUserFields(EmulatorState& state, const json& body,
                                        bool create, User* user) {
  if (const json* email = Find(body, "email"); email != nullptr || create) {
    if (email == nullptr || !email->is_string() ||
        email->get_ref<const std::string&>().find('@') == std::string::npos) {
      return Invalid("email", "email must be an email address");
    }
    user->email = email->get<std::string>();
  }
  if (create || Find(body, "sequencer") != nullptr) {
    if (auto err = ParseSequencerRoute(body, &user->client_id)) return err;
  }
  for (const auto& [key, target] : {std::pair{"first_name", &user->first_name},
                                     std::pair{"last_name", &user->last_name}}) {
    const json* value = Find(body, key);
    if (value == nullptr) continue;
    if (auto err = RequireString(value, key, target)) return err;
  }
  auto holder =
      state.active_user_by_email.find(absl::AsciiStrToLower(user->email));
  if (holder != state.active_user_by_email.end() &&
      holder->second != user->id) {
    return ApiError{409, "email_taken",
                    "another active user of this account has this email",
                    "email", nullptr};
  }
  return std::nullopt;
}

ApiResponse GetMe(EmulatorState&, const ApiCall& call) {
  return DataResponse(
      200, {{"api_key",
             {{"environment", "test"},
              {"permission_preset", PresetName(call.preset)}}},
            {"partner",
             {{"id", kSandboxPartnerId}, {"name", "Sandbox Partner"}}}});
}

ApiResponse CreateUser(EmulatorState& state, const ApiCall& call) {
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  User user;
  if (auto err = ApplyUserFields(state, body, /*create=*/true, &user)) {
    return ErrorResponse(*err);
  }
  user.id = state.NewId("usr_", call.now);
  user.created = call.now;
  state.active_user_by_email[absl::AsciiStrToLower(user.email)] = user.id;
  return DataResponse(201, UserJson(state.users.Add(std::move(user))));
}

ApiResponse ListUsers(EmulatorState& state, const ApiCall& call) {
  Filters filters;
  if (auto err = Filters::Read(call.request,
                               {{"email"}, {"status", {"active", "deleted"}}},
                               &filters)) {
    return ErrorResponse(*err);
  }
  return ListPage(call.request, filters, state.users.size(),
                  [&](size_t i) -> std::optional<json> {
                    const User& user = state.users[i];
                    if (!filters.AllowsIgnoringCase("email", user.email) ||
                        !filters.Allows("status", UserStatus(user))) {
                      return std::nullopt;
                    }
                    return UserJson(user);
                  });
}

ApiResponse GetUser(EmulatorState& state, const ApiCall& call) {
  const User* user = state.users.Find(call.params[0]);
  if (user == nullptr) return ErrorResponse(NotFound("", "no such user"));
  return DataResponse(200, UserJson(*user));
}

ApiResponse UpdateUser(EmulatorState& state, const ApiCall& call) {
  User* user = FindActiveUser(state, call.params[0]);
  if (user == nullptr) return ErrorResponse(NotFound("", "no such user"));
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  User updated = *user;
  if (auto err = ApplyUserFields(state, body, /*create=*/false, &updated)) {
    return ErrorResponse(*err);
  }
  state.active_user_by_email.erase(absl::AsciiStrToLower(user->email));
  state.active_user_by_email[absl::AsciiStrToLower(updated.email)] = user->id;
  *user = std::move(updated);
  return DataResponse(200, UserJson(*user));
}

ApiResponse DeleteUser(EmulatorState& state, const ApiCall& call) {
  User* user = FindActiveUser(state, call.params[0]);
  if (user == nullptr) return ErrorResponse(NotFound("", "no such user"));
  user->deleted = true;
  state.active_user_by_email.erase(absl::AsciiStrToLower(user->email));
  return DataResponse(200, UserJson(*user));
}

}  // namespace

std::optional<ApiError> ParseSequencerRoute(const json& body,
                                            std::optional<int64_t>* client_id) {
  // Messages never echo values: an order's sequencer carries a password.
  const json* sequencer = Find(body, "sequencer");
  if (sequencer == nullptr || !sequencer->is_object()) {
    return Invalid("sequencer", "sequencer must be an object");
  }
  const json* provider = Find(*sequencer, "provider");
  if (provider == nullptr || !provider->is_string() ||
      provider->get_ref<const std::string&>() != "smartlead") {
    return Invalid("sequencer.provider",
                   "sequencer.provider must be \"smartlead\"");
  }
  const json* id = Find(*sequencer, "client_id");
  if (IsAbsentOrNull(id) ||
      (id->is_string() && id->get_ref<const std::string&>().empty())) {
    *client_id = std::nullopt;
    return std::nullopt;
  }
  *client_id = AsInt64(*id);
  if (!*client_id) {
    return Invalid("sequencer.client_id",
                   "sequencer.client_id must be an integer, null or \"\"");
  }
  return std::nullopt;
}

User* FindActiveUser(EmulatorState& state, const std::string& id) {
  User* user = state.users.Find(id);
  return user == nullptr || user->deleted ? nullptr : user;
}

User& UserForOrder(EmulatorState& state, const std::string& email,
                   std::optional<int64_t> client_id, absl::Time now) {
  const std::string key = absl::AsciiStrToLower(email);
  if (auto it = state.active_user_by_email.find(key);
      it != state.active_user_by_email.end()) {
    return *state.users.Find(it->second);
  }
  User user;
  user.id = state.NewId("usr_", now);
  user.email = email;
  user.client_id = client_id;
  user.created = now;
  state.active_user_by_email[key] = user.id;
  return state.users.Add(std::move(user));
}

void AddAccountRoutes(ApiRouter& router) {
  router.Add("GET", "/me", {GetMe, Preset::kRead});
  router.Add("POST", "/users", {CreateUser, Preset::kFull});
  router.Add("GET", "/users", {ListUsers, Preset::kRead});
  router.Add("GET", "/users/{id}", {GetUser, Preset::kRead});
  router.Add("PATCH", "/users/{id}", {UpdateUser, Preset::kFull});
  router.Add("DELETE", "/users/{id}", {DeleteUser, Preset::kFull});
}

}  // namespace gateway::sandbox
