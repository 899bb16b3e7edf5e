// Swaps: POST/GET /swaps, GET /swaps/{id}, POST /swaps/user_names
// (CONTRACT.md section 9.6).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "sandbox/paging.h"
#include "sandbox/resource_api.h"
#include "sandbox/rules.h"

namespace gateway::sandbox {
namespace {

// A swap in `created` completes this long after it was made.
constexpr absl::Duration kSwapDuration = absl::Seconds(1);
// Between two premium swaps of one domain.
constexpr absl::Duration kPremiumCooldown = absl::Hours(24 * 30);

ApiError NoSuchDomain() {
  return NotFound("domain_id", "no connected domain with this id");
}

json SwapJson(const Swap& swap) {
  return {{"id", swap.id},
          {"type", swap.type},
          {"domain_id", swap.domain_id},
          {"replacement_domain", swap.replacement_domain
                                     ? json(*swap.replacement_domain)
                                     : json(nullptr)},
          {"status", swap.status},
          {"created_at", FormatTimestamp(swap.created)}};
}

// Records a swap of `domain` made at `now`; one still `created` completes
// kSwapDuration later.
json AddSwap(EmulatorState& state, const Domain& domain, std::string type,
             std::optional<std::string> replacement, std::string status,
             absl::Time now) {
  Swap swap;
  swap.id = state.NewId("swp_", now);
  swap.type = std::move(type);
  swap.domain_id = domain.id;
  swap.replacement_domain = std::move(replacement);
  swap.status = std::move(status);
  swap.user_id = domain.user_id;
  swap.order_id = domain.order_id;
  swap.created = now;
  const size_t index = state.swaps.size();
  state.At(now + kSwapDuration, [index](EmulatorState& s) {
    if (s.swaps[index].status == "created") s.swaps[index].status = "completed";
  });
  return SwapJson(state.swaps.Add(std::move(swap)));
}

ApiResponse CreateSwap(EmulatorState& state, const ApiCall& call) {
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  const json* type = Find(body, "type");
  if (type == nullptr || !(*type == "standard" || *type == "premium")) {
    return ErrorResponse(
        Invalid("type", "type must be \"standard\" or \"premium\""));
  }
  const bool premium = *type == "premium";
  std::string domain_id;
  std::string replacement;
  if (auto err =
          RequireNonEmptyString(body, "domain_id", "domain_id", &domain_id)) {
    return ErrorResponse(*err);
  }
  if (auto err = RequireNonEmptyString(body, "replacement_domain",
                                       "replacement_domain", &replacement)) {
    return ErrorResponse(*err);
  }
  const Domain* domain = FindConnectedDomain(state, domain_id);
  if (domain == nullptr) return ErrorResponse(NoSuchDomain());
  if (premium && domain->provider == "google") {
    return ErrorResponse({400, "premium_swap_not_allowed",
                          "premium swaps are for Microsoft domains only",
                          "type", nullptr});
  }
  if (premium) {
    for (const Swap& earlier : state.swaps.rows()) {
      if (earlier.domain_id == domain->id && earlier.type == "premium" &&
          call.now - earlier.created < kPremiumCooldown) {
        return ErrorResponse(
            {409, "swap_cooldown",
             "this domain had a premium swap in the last 30 days", "domain_id",
             json{{"available_at",
                   FormatTimestamp(earlier.created + kPremiumCooldown)}}});
      }
    }
  }
  const std::string name = absl::AsciiStrToLower(replacement);
  if (!state.imported_domains.contains(name) &&
      !EvaluateAvailability(name).available) {
    return ErrorResponse(
        Invalid("replacement_domain",
                "replacement_domain is neither available nor imported"));
  }
  return DataResponse(201, AddSwap(state, *domain, type->get<std::string>(),
                                   std::move(replacement), "created",
                                   call.now));
}

// One swap per inbox of the domain; personas go round-robin to the inboxes.
// A persona whose picture is private puts its rows in action_required and
// opens a pending action for each.
ApiResponse SwapUserNames(EmulatorState& state, const ApiCall& call) {
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  std::string domain_id;
  if (auto err =
          RequireNonEmptyString(body, "domain_id", "domain_id", &domain_id)) {
    return ErrorResponse(*err);
  }
  std::vector<Persona> personas;
  if (auto err = ParsePersonas(body, &personas)) return ErrorResponse(*err);
  const Domain* domain = FindConnectedDomain(state, domain_id);
  if (domain == nullptr) return ErrorResponse(NoSuchDomain());
  const size_t inboxes =
      domain->provider == "google"
          ? static_cast<size_t>(
                state.orders.Find(domain->order_id)->google_inboxes_per_domain)
          : 1;
  json swaps = json::array();
  for (size_t i = 0; i < inboxes; ++i) {
    const Persona& persona = personas[i % personas.size()];
    const bool blocked = HasPrivatePicture(persona);
    if (blocked) {
      OpenPictureAction(state, state.domains.IndexOf(*domain), persona,
                        call.now);
    }
    swaps.push_back(AddSwap(state, *domain, "user_names", std::nullopt,
                            blocked ? "action_required" : "created",
                            call.now));
  }
  return DataResponse(201, {{"swaps", swaps}});
}

ApiResponse ListSwaps(EmulatorState& state, const ApiCall& call) {
  Filters filters;
  if (auto err = Filters::Read(
          call.request,
          {{"user_id"},
           {"order_id"},
           {"domain_id"},
           {"status",
            {"created", "in_progress", "completed", "failed",
             "action_required"}}},
          &filters)) {
    return ErrorResponse(*err);
  }
  return ListPage(call.request, filters, state.swaps.size(),
                  [&](size_t i) -> std::optional<json> {
                    const Swap& swap = state.swaps[i];
                    if (!filters.Allows("user_id", swap.user_id) ||
                        !filters.Allows("order_id", swap.order_id) ||
                        !filters.Allows("domain_id", swap.domain_id) ||
                        !filters.Allows("status", swap.status)) {
                      return std::nullopt;
                    }
                    return SwapJson(swap);
                  });
}

ApiResponse GetSwap(EmulatorState& state, const ApiCall& call) {
  const Swap* swap = state.swaps.Find(call.params[0]);
  if (swap == nullptr) return ErrorResponse(NotFound("", "no such swap"));
  return DataResponse(200, SwapJson(*swap));
}

}  // namespace

void AddSwapRoutes(ApiRouter& router) {
  router.Add("POST", "/swaps", {CreateSwap, Preset::kFull});
  router.Add("GET", "/swaps", {ListSwaps, Preset::kRead});
  router.Add("GET", "/swaps/{id}", {GetSwap, Preset::kRead});
  router.Add("POST", "/swaps/user_names", {SwapUserNames, Preset::kFull});
}

}  // namespace gateway::sandbox
