// Bundles: POST/GET /bundles, GET/PATCH/DELETE /bundles/{id}
// (CONTRACT.md section 9.3).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "sandbox/paging.h"
#include "sandbox/resource_api.h"

namespace gateway::sandbox {
namespace {

constexpr int64_t kMaxMonthlyVolume = 1'000'000'000'000;  // keeps math in int64
constexpr int64_t kGoogleSendsPerInboxDay = 20;
constexpr int64_t kMicrosoftSendsPerDomainDay = 150;
// Peeker's recommended split when none is given.
constexpr int64_t kRecommendedGooglePercent = 50;

int64_t EffectiveGooglePercent(const BundlePlan& plan) {
  return plan.google_percent.value_or(kRecommendedGooglePercent);
}

int64_t EffectiveMicrosoftPercent(const BundlePlan& plan) {
  return plan.microsoft_percent.value_or(100 - kRecommendedGooglePercent);
}

const char* BundleStatus(const Bundle& bundle) {
  return bundle.archived ? "archived" : "active";
}

// An optional percentage: absent or null = unset, otherwise an integer.
std::optional<ApiError> ParsePercent(const json* value, const char* key,
                                     std::optional<int64_t>* out) {
  *out = std::nullopt;
  if (IsAbsentOrNull(value)) return std::nullopt;
  *out = AsInt64(*value);
  if (!*out) {
    return Invalid(key, absl::StrCat(key, " must be an integer or null"));
  }
  return std::nullopt;
}

// Applies the fields of `body` to `*plan`. Absent fields keep their value;
// `create` makes name and monthly_sending_volume required. The percentages
// change as a pair: sending either one sets both (the absent one as null).
std::optional<ApiError> ApplyPlanFields(const json& body, bool create,
                                        BundlePlan* plan) {
  if (create || Find(body, "name") != nullptr) {
    if (auto err = RequireNonEmptyString(body, "name", "name", &plan->name)) {
      return err;
    }
  }
  if (const json* v = Find(body, "monthly_sending_volume");
      v != nullptr || create) {
    const std::optional<int64_t> volume =
        v == nullptr ? std::nullopt : AsInt64(*v);
    if (!volume || *volume <= 0 || *volume > kMaxMonthlyVolume) {
      return Invalid("monthly_sending_volume",
                     absl::StrCat("monthly_sending_volume must be an integer "
                                  "from 1 to ",
                                  kMaxMonthlyVolume));
    }
    plan->monthly_sending_volume = *volume;
  }
  const json* google = Find(body, "google_percent");
  const json* microsoft = Find(body, "microsoft_percent");
  if (google != nullptr || microsoft != nullptr) {
    std::optional<int64_t> google_percent;
    std::optional<int64_t> microsoft_percent;
    if (auto err = ParsePercent(google, "google_percent", &google_percent)) {
      return err;
    }
    if (auto err =
            ParsePercent(microsoft, "microsoft_percent", &microsoft_percent)) {
      return err;
    }
    if (google_percent.has_value() != microsoft_percent.has_value()) {
      return Invalid("google_percent",
                     "google_percent and microsoft_percent must be set "
                     "together or both be null");
    }
    if (google_percent &&
        (*google_percent < 0 || *google_percent > 100 ||
         *microsoft_percent < 0 || *microsoft_percent > 100 ||
         *google_percent + *microsoft_percent != 100)) {
      return Invalid("google_percent",
                     "google_percent and microsoft_percent must each be "
                     "0-100 and total 100");
    }
    plan->google_percent = google_percent;
    plan->microsoft_percent = microsoft_percent;
  }
  if (const json* v = Find(body, "send_on_weekends"); !IsAbsentOrNull(v)) {
    if (!v->is_boolean()) {
      return Invalid("send_on_weekends", "send_on_weekends must be a boolean");
    }
    plan->send_on_weekends = v->get<bool>();
  }
  if (const json* v = Find(body, "google_inboxes_per_domain");
      !IsAbsentOrNull(v)) {
    const std::optional<int64_t> value = AsInt64(*v);
    if (!value || (*value != 2 && *value != 3)) {
      return Invalid("google_inboxes_per_domain",
                     "google_inboxes_per_domain must be 2 or 3");
    }
    plan->google_inboxes_per_domain = *value;
  }
  return std::nullopt;
}

// Sets `plan` and the required domain counts it implies.
void SetPlan(BundlePlan plan, Bundle* bundle) {
  const int64_t days = plan.send_on_weekends ? 30 : 22;
  bundle->google_domains =
      CeilDiv(plan.monthly_sending_volume * EffectiveGooglePercent(plan),
              days * 100 * kGoogleSendsPerInboxDay *
                  plan.google_inboxes_per_domain);
  bundle->microsoft_domains =
      CeilDiv(plan.monthly_sending_volume * EffectiveMicrosoftPercent(plan),
              days * 100 * kMicrosoftSendsPerDomainDay);
  bundle->plan = std::move(plan);
}

json BundleJson(const Bundle& bundle) {
  const BundlePlan& plan = bundle.plan;
  auto optional_int = [](const std::optional<int64_t>& v) {
    return v ? json(*v) : json(nullptr);
  };
  return {
      {"id", bundle.id},
      {"name", plan.name},
      {"monthly_sending_volume", plan.monthly_sending_volume},
      {"google_percent", optional_int(plan.google_percent)},
      {"microsoft_percent", optional_int(plan.microsoft_percent)},
      {"send_on_weekends", plan.send_on_weekends},
      {"google_inboxes_per_domain", plan.google_inboxes_per_domain},
      {"status", BundleStatus(bundle)},
      {"effective",
       {{"google_percent", EffectiveGooglePercent(plan)},
        {"microsoft_percent", EffectiveMicrosoftPercent(plan)}}},
      {"required_domains",
       {{"google", bundle.google_domains},
        {"microsoft", bundle.microsoft_domains},
        {"total", bundle.google_domains + bundle.microsoft_domains}}},
      {"created_at", FormatTimestamp(bundle.created)},
  };
}

ApiResponse CreateBundle(EmulatorState& state, const ApiCall& call) {
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  BundlePlan plan;
  if (auto err = ApplyPlanFields(body, /*create=*/true, &plan)) {
    return ErrorResponse(*err);
  }
  Bundle bundle;
  bundle.id = state.NewId("bun_", call.now);
  bundle.created = call.now;
  SetPlan(std::move(plan), &bundle);
  return DataResponse(201, BundleJson(state.bundles.Add(std::move(bundle))));
}

ApiResponse ListBundles(EmulatorState& state, const ApiCall& call) {
  Filters filters;
  if (auto err = Filters::Read(call.request, {{"status", {"active", "archived"}}},
                               &filters)) {
    return ErrorResponse(*err);
  }
  return ListPage(call.request, filters, state.bundles.size(),
                  [&](size_t i) -> std::optional<json> {
                    const Bundle& bundle = state.bundles[i];
                    if (bundle.removed ||
                        !filters.Allows("status", BundleStatus(bundle))) {
                      return std::nullopt;
                    }
                    return BundleJson(bundle);
                  });
}

ApiResponse GetBundle(EmulatorState& state, const ApiCall& call) {
  const Bundle* bundle = FindBundle(state, call.params[0]);
  if (bundle == nullptr) return ErrorResponse(NotFound("", "no such bundle"));
  return DataResponse(200, BundleJson(*bundle));
}

ApiResponse UpdateBundle(EmulatorState& state, const ApiCall& call) {
  Bundle* bundle = FindBundle(state, call.params[0]);
  if (bundle == nullptr) return ErrorResponse(NotFound("", "no such bundle"));
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  BundlePlan plan = bundle->plan;
  if (auto err = ApplyPlanFields(body, /*create=*/false, &plan)) {
    return ErrorResponse(*err);
  }
  SetPlan(std::move(plan), bundle);
  return DataResponse(200, BundleJson(*bundle));
}

// Removes a bundle no order used; archives one that an order did.
ApiResponse DeleteBundle(EmulatorState& state, const ApiCall& call) {
  Bundle* bundle = FindBundle(state, call.params[0]);
  if (bundle == nullptr) return ErrorResponse(NotFound("", "no such bundle"));
  if (bundle->used) {
    bundle->archived = true;
  } else {
    bundle->removed = true;
  }
  return DataResponse(
      200, {{"id", bundle->id},
            {"status", bundle->removed ? "deleted" : "archived"}});
}

}  // namespace

Bundle* FindBundle(EmulatorState& state, const std::string& id) {
  Bundle* bundle = state.bundles.Find(id);
  return bundle == nullptr || bundle->removed ? nullptr : bundle;
}

void AddBundleRoutes(ApiRouter& router) {
  router.Add("POST", "/bundles", {CreateBundle, Preset::kFull});
  router.Add("GET", "/bundles", {ListBundles, Preset::kRead});
  router.Add("GET", "/bundles/{id}", {GetBundle, Preset::kRead});
  router.Add("PATCH", "/bundles/{id}", {UpdateBundle, Preset::kFull});
  router.Add("DELETE", "/bundles/{id}", {DeleteBundle, Preset::kFull});
}

}  // namespace gateway::sandbox
