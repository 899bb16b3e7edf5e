// The Partner API endpoints, one source file per resource (users_api.cc,
// bundles_api.cc, orders_api.cc, domains_api.cc, swaps_api.cc). Each file
// registers its routes; PartnerEmulator does auth, rate limiting, routing and
// permission checks, then calls the handler with its mutex held.
#ifndef GATEWAY_SANDBOX_RESOURCE_API_H_
#define GATEWAY_SANDBOX_RESOURCE_API_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sandbox/api_types.h"
#include "sandbox/emulator_state.h"
#include "sandbox/json_util.h"
#include "sandbox/router.h"

namespace gateway::sandbox {

inline constexpr char kBasePath[] = "/partner/v1";
// The partner GET /me reports.
inline constexpr char kSandboxPartnerId[] = "org_01JA00000000000000SANDBOX0";

// A key's permission preset (CONTRACT.md section 2), in increasing power.
enum class Preset { kRead, kLimited, kFull };

inline const char* PresetName(Preset preset) {
  switch (preset) {
    case Preset::kRead: return "read";
    case Preset::kLimited: return "limited";
    case Preset::kFull: return "full";
  }
  return "full";
}

// One authorized Partner API request, as a handler sees it.
struct ApiCall {
  const ApiRequest& request;
  std::vector<std::string> params;  // the path template's `{…}` segments
  absl::Time now;
  std::string api_key;
  Preset preset = Preset::kFull;
  // Where a new order's webhook events go; null = compose none.
  std::vector<WebhookEvent>* events = nullptr;
};

using ApiHandler = ApiResponse (*)(EmulatorState& state, const ApiCall& call);

struct ApiEndpoint {
  ApiHandler handler;
  Preset least;  // the weakest preset allowed to call it
};

using ApiRouter = Router<ApiEndpoint>;

// Route registration, one per resource file.
void AddAccountRoutes(ApiRouter& router);  // users_api.cc: /me and /users
void AddBundleRoutes(ApiRouter& router);
void AddOrderRoutes(ApiRouter& router);
void AddDomainRoutes(ApiRouter& router);
void AddSwapRoutes(ApiRouter& router);

// --- Shared between resources.

// users_api.cc. Validates body["sequencer"] ({provider:"smartlead",
// client_id: integer | null | "" | absent}) and returns its client id.
std::optional<ApiError> ParseSequencerRoute(const json& body,
                                            std::optional<int64_t>* client_id);
// The user with `id` unless deleted; null otherwise.
User* FindActiveUser(EmulatorState& state, const std::string& id);
// The active user holding `email` (case-insensitive), created when none does.
User& UserForOrder(EmulatorState& state, const std::string& email,
                   std::optional<int64_t> client_id, absl::Time now);

// bundles_api.cc. The bundle with `id` unless deleted; null otherwise.
Bundle* FindBundle(EmulatorState& state, const std::string& id);

// orders_api.cc. Validates body["personas"]: 1..10 objects with non-empty
// first_name and last_name and a profile_picture_url key (string or null).
std::optional<ApiError> ParsePersonas(const json& body,
                                      std::vector<Persona>* out);
// True when the persona's picture is set and not publicly reachable.
bool HasPrivatePicture(const Persona& persona);
// Opens a profile_picture_not_accessible action for `persona` on `domain`.
void OpenPictureAction(EmulatorState& state, size_t domain,
                       const Persona& persona, absl::Time created);

// domains_api.cc. The connected domain with `id`; null otherwise.
Domain* FindConnectedDomain(EmulatorState& state, const std::string& id);
// Puts `domain` (name, provider, user_id, order_id, usable_for,
// forwarding_url and created filled in) on its order: the inventory record
// of that name turns connected, otherwise a new record is made. Returns its
// position in state.domains.
size_t ConnectDomain(EmulatorState& state, Domain domain);

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_RESOURCE_API_H_
