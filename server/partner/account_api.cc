#include "server/partner/account_api.h"

#include "server/partner/json_reader.h"

namespace gateway::partner {
namespace {

using nlohmann::json;

constexpr EnumName<v1::Environment> kEnvironments[] = {
    {"test", v1::ENVIRONMENT_SANDBOX},
    {"live", v1::ENVIRONMENT_LIVE},
};
constexpr EnumName<v1::PermissionPreset> kPermissionPresets[] = {
    {"full", v1::PERMISSION_PRESET_FULL},
    {"limited", v1::PERMISSION_PRESET_LIMITED},
    {"read", v1::PERMISSION_PRESET_READ},
};

absl::StatusOr<v1::GetAccountResponse> DecodeAccount(const json& data) {
  absl::Status error;
  v1::GetAccountResponse reply;
  {
    Reader r(data, "data", &error);
    r.Object("api_key", [&](Reader& key) {
      reply.set_environment(key.Enum("environment", kEnvironments));
      reply.set_permission_preset(key.Enum("permission_preset", kPermissionPresets));
    });
    r.Object("partner", [&](Reader& partner) {
      reply.mutable_partner()->set_id(partner.String("id", /*required=*/true));
      reply.mutable_partner()->set_name(partner.String("name"));
    });
  }
  return Finish(error, std::move(reply));
}

}  // namespace

const Endpoint<v1::GetAccountRequest, v1::GetAccountResponse> kGetAccount = {
    "GET",
    "/me",
    Idempotency::kIdempotent,
    &NoValidation<v1::GetAccountRequest>,
    [](const v1::GetAccountRequest&) { return RequestTo("/me"); },
    &DecodeAccount,
};

}  // namespace gateway::partner
