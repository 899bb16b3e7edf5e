// Orders: POST/GET /orders, GET /orders/pending, POST /orders/{id}/cancel
// (CONTRACT.md sections 8 and 9.4), and the webhook events of a new order.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sandbox/paging.h"
#include "sandbox/resource_api.h"
#include "sandbox/rules.h"

namespace gateway::sandbox {
namespace {

constexpr int64_t kGoogleLicenseCents = 300;
constexpr int64_t kMicrosoftLicenseCents = 1500;
constexpr int64_t kCustomGoogleInboxesPerDomain = 2;
constexpr size_t kMaxPersonas = 10;
constexpr absl::Duration kDedupeWindow = absl::Hours(24);
constexpr absl::Duration kRenewalPeriod = absl::Hours(24 * 30);
// When an order settles if no webhook events are composed for it.
constexpr absl::Duration kSettleWithoutEvents = absl::Seconds(1);

// One entry of POST /orders' `domains`.
struct RequestedDomain {
  std::string name;  // as sent
  std::optional<std::string> forwarding_url;
};

// Where one domain of a new order goes, for its events and its record.
struct PlacedDomain {
  std::string name;      // lower-cased
  std::string provider;  // google | microsoft
};

json OrderJson(const Order& order) {
  json receipt = order.receipt;
  receipt["status"] = order.status;
  return receipt;
}

// The webhook events of a new order, in logical order: order.in_progress,
// one domain.connected per domain, then order.completed (or
// order.action_required when the order needs partner input).
std::vector<WebhookEvent> OrderEvents(EmulatorState& state, const Order& order,
                                      const std::string& email,
                                      const std::vector<PlacedDomain>& placed) {
  using ordered_json = nlohmann::ordered_json;
  const WebhookSettings& settings = state.webhooks;
  const bool flat = settings.data == WebhookDataShape::kFlat;
  const absl::Duration step =
      std::max(settings.interval, absl::Milliseconds(1));
  const absl::Time first = order.created + settings.delay;
  const ordered_json user = {{"id", order.user_id}, {"email", email}};

  std::vector<WebhookEvent> events;
  auto add = [&](std::string type, const char* resource_key,
                 ordered_json resource) {
    WebhookEvent event;
    event.id = state.NewId("evt_", order.created);
    event.type = std::move(type);
    event.order_id = order.id;
    event.created_at = first + step * static_cast<int64_t>(events.size());
    ordered_json data =
        flat ? std::move(resource)
             : ordered_json{{resource_key, std::move(resource)}};
    const ordered_json envelope = {
        {"id", event.id},
        {"type", event.type},
        {"created_at", FormatTimestampMillis(event.created_at)},
        {"data", std::move(data)}};
    event.body = envelope.dump(-1, ' ', false,
                               ordered_json::error_handler_t::replace);
    events.push_back(std::move(event));
  };

  // An order event's resource: nested, {id, status, user:{id, email}};
  // flat, the order itself as POST /orders answers it (user_id, email,
  // domain_count, ...), as on the Partner's quickstart page.
  auto order_resource = [&](const std::string& status) {
    ordered_json resource = flat ? ordered_json(order.receipt)
                                 : ordered_json{{"id", order.id}, {"user", user}};
    resource["status"] = status;
    return resource;
  };
  add("order.in_progress", "order", order_resource("in_progress"));
  ordered_json domains = ordered_json::array();
  for (const PlacedDomain& domain : placed) {
    add("domain.connected", "domain",
        {{"name", domain.name},
         {"order_id", order.id},
         {"provider", domain.provider},
         {"status", "connected"}});
    domains.push_back({{"name", domain.name},
                       {"provider", domain.provider},
                       {"status", "connected"}});
  }
  const std::string final_status =
      order.needs_action ? "action_required" : "completed";
  ordered_json final_order = order_resource(final_status);
  final_order["domain_count"] = placed.size();
  final_order["domains"] = std::move(domains);
  add(absl::StrCat("order.", final_status), "order", std::move(final_order));
  return events;
}

// Parses POST /orders' `domains` and `forwarding_url`.
std::optional<ApiError> ParseRequestedDomains(
    const json& body, std::vector<RequestedDomain>* out) {
  const json* domains = Find(body, "domains");
  if (domains == nullptr || !domains->is_array() || domains->empty()) {
    return Invalid("domains", "domains must be a non-empty array");
  }
  for (size_t i = 0; i < domains->size(); ++i) {
    const json& item = (*domains)[i];
    const std::string field = absl::StrCat("domains[", i, "]");
    if (item.is_string() && !item.get_ref<const std::string&>().empty()) {
      out->push_back({item.get<std::string>(), std::nullopt});
      continue;
    }
    if (!item.is_object()) {
      return Invalid(field,
                     "each domain must be a name or {domain, forwarding_url}");
    }
    RequestedDomain requested;
    if (RequireNonEmptyString(item, "domain", field, &requested.name)) {
      return Invalid(field, "domain objects need a non-empty \"domain\"");
    }
    if (const json* forwarding = Find(item, "forwarding_url")) {
      if (auto err = RequireString(forwarding,
                                   absl::StrCat(field, ".forwarding_url"),
                                   &requested.forwarding_url.emplace())) {
        return err;
      }
    }
    out->push_back(std::move(requested));
  }
  if (const json* forwarding = Find(body, "forwarding_url")) {
    std::string order_level;
    if (auto err = RequireString(forwarding, "forwarding_url", &order_level)) {
      return err;
    }
    for (RequestedDomain& requested : *out) {
      if (!requested.forwarding_url) requested.forwarding_url = order_level;
    }
  }
  return std::nullopt;
}

ApiResponse CreateOrder(EmulatorState& state, const ApiCall& call) {
  const absl::Time now = call.now;
  // Body-level dedupe: a retried identical request returns the first order.
  const std::string dedupe_key =
      absl::StrCat(call.api_key, "\n", call.request.body);
  if (auto it = state.order_dedupe.find(dedupe_key);
      it != state.order_dedupe.end()) {
    const Order& original = *state.orders.Find(it->second);
    if (now - original.created < kDedupeWindow) {
      return DataResponse(200, original.receipt);
    }
    state.order_dedupe.erase(it);
  }

  json parsed;
  if (auto err = ParseBodyObject(call.request.body, &parsed)) {
    return ErrorResponse(*err);
  }

  // --- user
  std::string user;
  if (auto err = RequireNonEmptyString(parsed, "user", "user", &user)) {
    return ErrorResponse(*err);
  }
  std::string user_id;
  std::string email;
  if (absl::StartsWith(user, "usr_")) {
    const User* existing = FindActiveUser(state, user);
    if (existing == nullptr) {
      return ErrorResponse(NotFound("user", "no such user"));
    }
    user_id = existing->id;
    email = existing->email;
  } else if (user.find('@') == std::string::npos) {
    return ErrorResponse(
        Invalid("user", "user must be a usr_ id or an email address"));
  } else {
    email = user;
  }

  // --- plan
  const json* bundle_id_value = Find(parsed, "bundle_id");
  const json* google_value = Find(parsed, "google_licenses");
  const json* microsoft_value = Find(parsed, "microsoft_licenses");
  const bool has_bundle = !IsAbsentOrNull(bundle_id_value);
  const bool has_custom =
      !IsAbsentOrNull(google_value) || !IsAbsentOrNull(microsoft_value);
  if (has_bundle && has_custom) {
    return ErrorResponse(
        {400, "order_shape_conflict",
         "send either bundle_id or google_licenses/microsoft_licenses, not "
         "both",
         "", nullptr});
  }
  if (!has_bundle && !has_custom) {
    return ErrorResponse(Invalid(
        "bundle_id",
        "bundle_id or google_licenses/microsoft_licenses is required"));
  }
  Bundle* bundle = nullptr;
  int64_t google_licenses = 0;
  int64_t microsoft_licenses = 0;
  if (has_bundle) {
    if (!bundle_id_value->is_string()) {
      return ErrorResponse(Invalid("bundle_id", "bundle_id must be a string"));
    }
    bundle = FindBundle(state, bundle_id_value->get<std::string>());
    if (bundle == nullptr) {
      return ErrorResponse(NotFound("bundle_id", "no such bundle"));
    }
    if (bundle->archived) {
      return ErrorResponse(Invalid(
          "bundle_id", "this bundle is archived; new orders cannot use it"));
    }
  } else {
    auto parse_licenses = [](const json* v, const char* field,
                             int64_t* out) -> std::optional<ApiError> {
      if (IsAbsentOrNull(v)) return std::nullopt;
      const std::optional<int64_t> value = AsInt64(*v);
      if (!value || *value < 0 || *value > 1'000'000) {
        return Invalid(field,
                       absl::StrCat(field, " must be a non-negative integer"));
      }
      *out = *value;
      return std::nullopt;
    };
    if (auto err = parse_licenses(google_value, "google_licenses",
                                  &google_licenses)) {
      return ErrorResponse(*err);
    }
    if (auto err = parse_licenses(microsoft_value, "microsoft_licenses",
                                  &microsoft_licenses)) {
      return ErrorResponse(*err);
    }
    if (google_licenses == 0 && microsoft_licenses == 0) {
      return ErrorResponse(Invalid(
          "google_licenses",
          "at least one of google_licenses/microsoft_licenses must be "
          "positive"));
    }
  }

  // --- sequencer (messages never echo values: the password must not leak)
  std::optional<int64_t> client_id;
  if (auto err = ParseSequencerRoute(parsed, &client_id)) {
    return ErrorResponse(*err);
  }
  for (const char* key : {"login_email", "login_password"}) {
    if (auto err = RequireNonEmptyString(*Find(parsed, "sequencer"), key,
                                         absl::StrCat("sequencer.", key),
                                         nullptr)) {
      return ErrorResponse(*err);
    }
  }

  std::vector<RequestedDomain> requested;
  if (auto err = ParseRequestedDomains(parsed, &requested)) {
    return ErrorResponse(*err);
  }
  std::vector<Persona> personas;
  if (auto err = ParsePersonas(parsed, &personas)) {
    return ErrorResponse(*err);
  }

  // --- domain usability
  int64_t usable_microsoft = 0;
  int64_t registration_count = 0;
  int64_t registration_cents = 0;
  std::vector<bool> microsoft_capable;
  for (size_t i = 0; i < requested.size(); ++i) {
    const std::string lower = absl::AsciiStrToLower(requested[i].name);
    if (state.imported_domains.contains(lower)) {
      ++usable_microsoft;  // imported domains can serve either provider
      microsoft_capable.push_back(true);
      continue;
    }
    const Availability availability = EvaluateAvailability(lower);
    if (!availability.available) {
      return ErrorResponse({400, "domain_unavailable",
                            "domain is not available for this order",
                            absl::StrCat("domains[", i, "]"),
                            json{{"domain", requested[i].name}}});
    }
    if (availability.microsoft) ++usable_microsoft;
    microsoft_capable.push_back(availability.microsoft);
    ++registration_count;
    registration_cents += availability.price_cents;
  }

  // --- counts
  const int64_t required_google = bundle != nullptr
                                      ? bundle->google_domains
                                      : CeilDiv(google_licenses, 2);
  const int64_t required_microsoft =
      bundle != nullptr ? bundle->microsoft_domains : microsoft_licenses;
  const int64_t required = required_google + required_microsoft;
  const int64_t submitted = static_cast<int64_t>(requested.size());
  if (submitted != required) {
    return ErrorResponse(
        {400, "domain_count_mismatch",
         absl::StrCat("this plan needs ", required, " domains; got ",
                      submitted),
         "domains",
         json{{"required_count", required},
              {"submitted_count", submitted},
              {"missing_count", required - submitted}}});
  }
  if (usable_microsoft < required_microsoft) {
    return ErrorResponse(
        {400, "microsoft_domain_shortfall",
         "not enough submitted domains can be used for Microsoft", "domains",
         json{{"required_microsoft", required_microsoft},
              {"usable_microsoft", usable_microsoft}}});
  }

  // --- all checks passed: find or create the user, then the order.
  if (user_id.empty()) {
    const User& customer = UserForOrder(state, email, client_id, now);
    user_id = customer.id;
    email = customer.email;
  }
  // The first Microsoft-capable domains (request order) serve Microsoft, the
  // rest Google; the shortfall check above makes this always fit.
  std::vector<PlacedDomain> placed;
  int64_t microsoft_left = required_microsoft;
  for (size_t i = 0; i < requested.size(); ++i) {
    const bool microsoft = microsoft_left > 0 && microsoft_capable[i];
    if (microsoft) --microsoft_left;
    placed.push_back({absl::AsciiStrToLower(requested[i].name),
                      microsoft ? "microsoft" : "google"});
  }
  const auto first_google =
      std::find_if(placed.begin(), placed.end(), [](const PlacedDomain& d) {
        return d.provider == "google";
      });

  const int64_t google_inboxes =
      bundle != nullptr
          ? bundle->google_domains * bundle->plan.google_inboxes_per_domain
          : google_licenses;
  const int64_t google_cents = google_inboxes * kGoogleLicenseCents;
  const int64_t microsoft_cents = required_microsoft * kMicrosoftLicenseCents;
  Order order;
  order.id = state.NewId("ord_", now);
  order.user_id = user_id;
  if (bundle != nullptr) order.bundle_id = bundle->id;
  order.needs_action =
      first_google != placed.end() &&
      std::any_of(personas.begin(), personas.end(), HasPrivatePicture);
  order.google_inboxes_per_domain =
      bundle != nullptr ? bundle->plan.google_inboxes_per_domain
                        : kCustomGoogleInboxesPerDomain;
  order.created = now;
  order.renews = now + kRenewalPeriod;
  order.receipt = {
      {"id", order.id},
      {"user_id", user_id},
      {"email", email},
      {"bundle_id", bundle != nullptr ? json(bundle->id) : json(nullptr)},
      {"status", "in_progress"},
      {"domain_count", submitted},
      {"costs",
       {{"total_cents", google_cents + microsoft_cents + registration_cents},
        {"currency", "usd"},
        {"line_items",
         json::array({
             {{"type", "google_license"},
              {"quantity", google_inboxes},
              {"amount_cents", google_cents}},
             {{"type", "microsoft_license"},
              {"quantity", required_microsoft},
              {"amount_cents", microsoft_cents}},
             {{"type", "domain_registration"},
              {"quantity", registration_count},
              {"amount_cents", registration_cents}},
         })}}},
      {"renews_at", FormatTimestamp(order.renews)},
      {"created_at", FormatTimestamp(now)},
  };
  absl::Time settles = now + kSettleWithoutEvents;
  if (call.events != nullptr) {
    *call.events = OrderEvents(state, order, email, placed);
    settles = call.events->back().created_at;
  }

  for (size_t i = 0; i < placed.size(); ++i) {
    Domain domain;
    domain.name = placed[i].name;
    domain.provider = placed[i].provider;
    domain.user_id = user_id;
    domain.order_id = order.id;
    domain.usable_for = {"google"};
    if (microsoft_capable[i]) domain.usable_for.push_back("microsoft");
    domain.forwarding_url = requested[i].forwarding_url;
    domain.created = now;
    order.domains.push_back(ConnectDomain(state, std::move(domain)));
  }
  if (order.needs_action) {
    const size_t google_domain =
        order.domains[static_cast<size_t>(first_google - placed.begin())];
    for (const Persona& persona : personas) {
      if (HasPrivatePicture(persona)) {
        OpenPictureAction(state, google_domain, persona, settles);
      }
    }
  }
  if (bundle != nullptr) bundle->used = true;
  state.order_dedupe[dedupe_key] = order.id;
  const size_t index = state.orders.size();
  const json receipt = state.orders.Add(std::move(order)).receipt;
  state.At(settles, [index](EmulatorState& s) {
    Order& settled = s.orders[index];
    if (settled.status == "in_progress") {
      settled.status = settled.needs_action ? "action_required" : "completed";
    }
  });
  return DataResponse(200, receipt);
}

ApiResponse ListOrders(EmulatorState& state, const ApiCall& call) {
  Filters filters;
  if (auto err = Filters::Read(
          call.request,
          {{"user_id"},
           {"user_email"},
           {"bundle_id"},
           {"status",
            {"in_progress", "completed", "failed", "action_required",
             "cancel_scheduled", "cancelled"}}},
          &filters)) {
    return ErrorResponse(*err);
  }
  return ListPage(
      call.request, filters, state.orders.size(),
      [&](size_t i) -> std::optional<json> {
        const Order& order = state.orders[i];
        if (!filters.Allows("user_id", order.user_id) ||
            !filters.AllowsIgnoringCase(
                "user_email", state.users.Find(order.user_id)->email) ||
            !filters.Allows("bundle_id", order.bundle_id.value_or("")) ||
            !filters.Allows("status", order.status)) {
          return std::nullopt;
        }
        return OrderJson(order);
      });
}

json PendingActionJson(const EmulatorState& state, const PendingAction& action) {
  const Domain& domain = state.domains[action.domain];
  return {{"id", action.id},
          // The only documented type; the sandbox uses it on any provider.
          {"type", "google_profile_picture"},
          {"reason", "profile_picture_not_accessible"},
          {"status", "open"},
          {"domain_id", domain.id},
          {"domain", domain.name},
          {"user",
           {{"first_name", action.persona.first_name},
            {"last_name", action.persona.last_name},
            {"profile_picture_url", action.persona.profile_picture_url}}},
          {"message",
           "the profile picture URL is not publicly reachable; send a public "
           "http(s) URL"},
          {"created_at", FormatTimestamp(action.created)}};
}

ApiResponse ListPendingActions(EmulatorState& state, const ApiCall& call) {
  Filters filters;
  if (auto err = Filters::Read(call.request,
                               {{"order_id"},
                                {"user"},
                                {"domain_id"},
                                {"status", {"open", "resolved"}}},
                               &filters)) {
    return ErrorResponse(*err);
  }
  filters.SetDefault("status", "open");
  return ListPage(
      call.request, filters, state.actions.size(),
      [&](size_t i) -> std::optional<json> {
        const PendingAction& action = state.actions[i];
        const Domain& domain = state.domains[action.domain];
        const User& user = *state.users.Find(domain.user_id);
        if (action.created > call.now ||
            !filters.Allows("status", "open") ||
            !filters.Allows("order_id", action.order_id) ||
            !(filters.Allows("user", user.id) ||
              filters.AllowsIgnoringCase("user", user.email)) ||
            !filters.Allows("domain_id", domain.id)) {
          return std::nullopt;
        }
        return PendingActionJson(state, action);
      });
}

// The domains of `order` named by `{"domains": [...]}` (dom_ ids or names),
// each once, in request order.
std::optional<ApiError> ParseCancelledDomains(EmulatorState& state,
                                              const Order& order,
                                              const json& list,
                                              std::vector<size_t>* out) {
  if (!list.is_array() || list.empty()) {
    return Invalid("domains",
                   "domains must be a non-empty array of dom_ ids or domain "
                   "names");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string field = absl::StrCat("domains[", i, "]");
    std::string item;
    if (auto err = RequireString(&list[i], field, &item)) return err;
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(item));
    const auto it = std::find_if(
        order.domains.begin(), order.domains.end(), [&](size_t d) {
          return state.domains[d].id == item || state.domains[d].name == name;
        });
    if (it == order.domains.end()) {
      return Invalid(field, "not a domain of this order");
    }
    if (std::find(out->begin(), out->end(), *it) == out->end()) {
      out->push_back(*it);
    }
  }
  return std::nullopt;
}

// Without a body (or with one lacking `domains`) cancels the whole order;
// otherwise the listed domains. Either takes effect when the order renews.
ApiResponse CancelOrder(EmulatorState& state, const ApiCall& call) {
  Order* order = state.orders.Find(call.params[0]);
  if (order == nullptr) return ErrorResponse(NotFound("", "no such order"));
  std::vector<size_t> domains;
  if (!absl::StripAsciiWhitespace(call.request.body).empty()) {
    json body;
    if (auto err = ParseBodyObject(call.request.body, &body)) {
      return ErrorResponse(*err);
    }
    if (const json* list = Find(body, "domains")) {
      if (auto err = ParseCancelledDomains(state, *order, *list, &domains)) {
        return ErrorResponse(*err);
      }
    }
  }
  if (order->status == "cancel_scheduled" || order->status == "cancelled") {
    return ErrorResponse({409, "order_not_cancellable",
                          "this order is already cancelled or scheduled to be",
                          "", nullptr});
  }
  const bool whole = domains.empty();
  if (whole) {
    domains = order->domains;
    order->status = "cancel_scheduled";
  }
  json rows = json::array();
  for (size_t d : domains) {
    state.domains[d].status = "cancel_scheduled";
    rows.push_back({{"id", state.domains[d].id},
                    {"domain", state.domains[d].name}});
  }
  const size_t index = state.orders.IndexOf(*order);
  state.At(order->renews, [index, whole, domains](EmulatorState& s) {
    if (whole) s.orders[index].status = "cancelled";
    for (size_t d : domains) s.domains[d].status = "cancelled";
  });
  return DataResponse(200, {{"id", order->id},
                            {"status", "cancel_scheduled"},
                            {"cancellation_scheduled_at",
                             FormatTimestamp(call.now)},
                            {"cancels_at", FormatTimestamp(order->renews)},
                            {"domains", rows}});
}

}  // namespace

std::optional<ApiError> ParsePersonas(const json& body,
                                      std::vector<Persona>* out) {
  const json* personas = Find(body, "personas");
  if (personas == nullptr || !personas->is_array() || personas->empty() ||
      personas->size() > kMaxPersonas) {
    return Invalid("personas",
                   absl::StrCat("personas must be an array of 1 to ",
                                kMaxPersonas, " objects"));
  }
  for (size_t i = 0; i < personas->size(); ++i) {
    const json& item = (*personas)[i];
    const std::string prefix = absl::StrCat("personas[", i, "]");
    if (!item.is_object()) {
      return Invalid(prefix, "each persona must be an object");
    }
    Persona persona;
    if (auto err = RequireNonEmptyString(item, "first_name",
                                         absl::StrCat(prefix, ".first_name"),
                                         &persona.first_name)) {
      return err;
    }
    if (auto err = RequireNonEmptyString(item, "last_name",
                                         absl::StrCat(prefix, ".last_name"),
                                         &persona.last_name)) {
      return err;
    }
    const json* picture = Find(item, "profile_picture_url");
    if (picture == nullptr || !(picture->is_string() || picture->is_null())) {
      return Invalid(absl::StrCat(prefix, ".profile_picture_url"),
                     "profile_picture_url is required (a URL string or null)");
    }
    persona.profile_picture_url = *picture;
    out->push_back(std::move(persona));
  }
  return std::nullopt;
}

bool HasPrivatePicture(const Persona& persona) {
  const json& url = persona.profile_picture_url;
  return url.is_string() && !url.get_ref<const std::string&>().empty() &&
         IsPrivatePictureUrl(url.get<std::string>());
}

void OpenPictureAction(EmulatorState& state, size_t domain,
                       const Persona& persona, absl::Time created) {
  PendingAction action;
  action.id = state.NewId("act_", created);
  action.order_id = state.domains[domain].order_id;
  action.domain = domain;
  action.persona = persona;
  action.created = created;
  state.actions.Add(std::move(action));
}

void AddOrderRoutes(ApiRouter& router) {
  router.Add("POST", "/orders", {CreateOrder, Preset::kFull});
  router.Add("GET", "/orders", {ListOrders, Preset::kRead});
  router.Add("GET", "/orders/pending", {ListPendingActions, Preset::kRead});
  router.Add("POST", "/orders/{id}/cancel", {CancelOrder, Preset::kFull});
}

}  // namespace gateway::sandbox
