// Domains: GET /domains, POST /domains/availability, the imports
// (POST/GET /domains/import, GET /domains/import/{id}, POST
// /domains/import/jobs, GET /domains/import/jobs/{id}) and forwarding
// (POST /domains/forwarding, GET /domains/forwarding/{id}); CONTRACT.md
// section 9.5.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sandbox/paging.h"
#include "sandbox/resource_api.h"
#include "sandbox/rules.h"

namespace gateway::sandbox {
namespace {

constexpr size_t kMaxAvailabilityBatch = 50;
constexpr size_t kMaxImportBatch = 25;
constexpr size_t kMaxImportJobBatch = 500;
constexpr size_t kMaxImportLookup = 100;
constexpr size_t kMaxForwardingBatch = 25;
constexpr absl::Duration kImportJobDuration = absl::Seconds(2);
constexpr absl::Duration kForwardingDuration = absl::Seconds(1);

// Trimmed and lower-cased, as imports and lookups compare names.
std::string NormalizeName(absl::string_view name) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(name));
}

// Positions in state.domains of the records named `name` (lower-cased).
std::vector<size_t> DomainsNamed(EmulatorState& state,
                                 const std::string& name) {
  std::vector<size_t> found;
  for (size_t i = 0; i < state.domains.size(); ++i) {
    if (state.domains[i].name == name) found.push_back(i);
  }
  return found;
}

// Parses `{"domains": [string, ...]}` with 1..max entries.
std::optional<ApiError> ParseDomainList(const json& body, size_t max,
                                        std::vector<std::string>* out) {
  const json* domains = Find(body, "domains");
  if (domains == nullptr || !domains->is_array() || domains->empty() ||
      domains->size() > max) {
    return Invalid("domains", absl::StrCat("domains must be an array of 1 to ",
                                           max, " domain names"));
  }
  for (size_t i = 0; i < domains->size(); ++i) {
    std::string name;
    if (auto err = RequireString(&(*domains)[i],
                                 absl::StrCat("domains[", i, "]"), &name)) {
      return err;
    }
    out->push_back(std::move(name));
  }
  return std::nullopt;
}

// The body's domain list, or the error response.
std::optional<ApiResponse> ReadDomainList(const ApiCall& call, size_t max,
                                          std::vector<std::string>* out) {
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  if (auto err = ParseDomainList(body, max, out)) return ErrorResponse(*err);
  return std::nullopt;
}

json OptionalString(const std::string& value) {
  return value.empty() ? json(nullptr) : json(value);
}

json DomainJson(const Domain& domain) {
  return {{"id", domain.id},
          {"domain", domain.name},
          {"category", domain.category},
          {"status", domain.status},
          {"provider", OptionalString(domain.provider)},
          {"user_id", OptionalString(domain.user_id)},
          {"order_id", OptionalString(domain.order_id)},
          {"usable_for", domain.usable_for},
          {"forwarding_url", domain.forwarding_url ? json(*domain.forwarding_url)
                                                   : json(nullptr)},
          {"created_at", FormatTimestamp(domain.created)}};
}

ApiResponse ListDomains(EmulatorState& state, const ApiCall& call) {
  Filters filters;
  if (auto err = Filters::Read(
          call.request,
          {{"category", {"inventory", "connected"}},
           {"user_id"},
           {"user_email"},
           {"usable_for", {"google", "microsoft"}},
           {"status", {"available", "active", "cancel_scheduled", "cancelled"}}},
          &filters)) {
    return ErrorResponse(*err);
  }
  return ListPage(
      call.request, filters, state.domains.size(),
      [&](size_t i) -> std::optional<json> {
        const Domain& domain = state.domains[i];
        const User* user = state.users.Find(domain.user_id);
        const std::string* usable_for = filters.Get("usable_for");
        if (!filters.Allows("category", domain.category) ||
            !filters.Allows("user_id", domain.user_id) ||
            !filters.AllowsIgnoringCase("user_email",
                                        user == nullptr ? "" : user->email) ||
            (usable_for != nullptr &&
             std::find(domain.usable_for.begin(), domain.usable_for.end(),
                       *usable_for) == domain.usable_for.end()) ||
            !filters.Allows("status", domain.status)) {
          return std::nullopt;
        }
        return DomainJson(domain);
      });
}

// --- availability

json AvailabilityRow(const std::string& as_sent, const Availability& a) {
  json row = {{"domain", as_sent},
              {"available", a.available},
              {"premium", a.premium}};
  if (!a.available) {
    row["reason"] = a.reason;
    return row;
  }
  json usable = json::array({"google"});
  if (a.microsoft) usable.push_back("microsoft");
  row["price_cents"] = a.price_cents;
  row["renewal_price_cents"] = a.price_cents + 200;
  row["currency"] = "usd";
  row["usable_for"] = std::move(usable);
  return row;
}

ApiResponse CheckAvailability(EmulatorState&, const ApiCall& call) {
  std::vector<std::string> names;
  if (auto error = ReadDomainList(call, kMaxAvailabilityBatch, &names)) {
    return *error;
  }
  json rows = json::array();
  for (const std::string& name : names) {
    rows.push_back(
        AvailabilityRow(name, EvaluateAvailability(absl::AsciiStrToLower(name))));
  }
  return DataResponse(200, {{"domains", rows}});
}

// --- imports

json ImportJson(const DomainImport& import) {
  json rows = json::array();
  json imported = json::array();
  for (const std::string& name : import.domains) {
    if (!import.completed) {
      rows.push_back({{"domain", name},
                      {"status", "in_progress"},
                      {"failure_reason", nullptr}});
      continue;
    }
    const std::optional<std::string> failure =
        ImportFailure(absl::AsciiStrToLower(name));
    rows.push_back({{"domain", name},
                    {"status", failure ? "failed" : "completed"},
                    {"failure_reason", failure ? json(*failure) : json(nullptr)}});
    if (!failure) imported.push_back(name);
  }
  json groups = json::array();
  if (!imported.empty()) {
    groups.push_back({{"nameservers",
                       {"ana.ns.sandbox.peeker.test",
                        "bob.ns.sandbox.peeker.test"}},
                      {"domains", imported}});
  }
  json result = {{"id", import.id},
                 {"status", !import.completed ? "in_progress"
                            : imported.empty() ? "failed"
                                               : "completed"},
                 {"domains", rows},
                 {"nameserver_groups", groups},
                 {"created_at", FormatTimestamp(import.created)}};
  if (import.completed) {
    result["completed_at"] = FormatTimestamp(*import.completed);
  }
  return result;
}

// Finishes an import at `at`: its importable domains join the inventory.
void CompleteImport(EmulatorState& state, size_t index, absl::Time at) {
  state.imports[index].completed = at;
  for (const std::string& as_sent : state.imports[index].domains) {
    const std::string name = absl::AsciiStrToLower(as_sent);
    if (ImportFailure(name)) continue;
    state.imported_domains.insert(name);
    if (!DomainsNamed(state, name).empty()) continue;
    Domain domain;
    domain.id = state.NewId("dom_", at);
    domain.name = name;
    domain.category = "inventory";
    domain.status = "available";
    domain.usable_for = {"google", "microsoft"};
    domain.created = at;
    state.domains.Add(std::move(domain));
  }
}

// Synchronous import: finished before the answer.
ApiResponse ImportDomains(EmulatorState& state, const ApiCall& call) {
  std::vector<std::string> names;
  if (auto error = ReadDomainList(call, kMaxImportBatch, &names)) {
    return *error;
  }
  const size_t index = state.imports.size();
  state.imports.Add(
      {state.NewId("imp_", call.now), std::move(names), call.now, std::nullopt});
  CompleteImport(state, index, call.now);
  return DataResponse(200, ImportJson(state.imports[index]));
}

// Asynchronous import: finishes kImportJobDuration after it was created.
// The same normalized domain set returns the existing job.
ApiResponse CreateImportJob(EmulatorState& state, const ApiCall& call) {
  std::vector<std::string> names;
  if (auto error = ReadDomainList(call, kMaxImportJobBatch, &names)) {
    return *error;
  }
  for (std::string& name : names) name = NormalizeName(name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  const std::string set = absl::StrJoin(names, ",");
  if (auto it = state.import_jobs_by_set.find(set);
      it != state.import_jobs_by_set.end()) {
    return DataResponse(202, ImportJson(*state.imports.Find(it->second)));
  }
  const size_t index = state.imports.size();
  const DomainImport& job = state.imports.Add(
      {state.NewId("imp_", call.now), std::move(names), call.now, std::nullopt});
  state.import_jobs_by_set[set] = job.id;
  const absl::Time done = call.now + kImportJobDuration;
  state.At(done, [index, done](EmulatorState& s) {
    CompleteImport(s, index, done);
  });
  return DataResponse(202, ImportJson(job));
}

ApiResponse GetImport(EmulatorState& state, const ApiCall& call) {
  const DomainImport* import = state.imports.Find(call.params[0]);
  if (import == nullptr) return ErrorResponse(NotFound("", "no such import"));
  return DataResponse(200, ImportJson(*import));
}

// GET /domains/import?domains=a.com,b.com: every import (synchronous or job)
// holding any of the names, oldest first.
ApiResponse FindImports(EmulatorState& state, const ApiCall& call) {
  auto query = call.request.query.find("domains");
  const ApiError bad = Invalid(
      "domains", absl::StrCat("domains must list 1 to ", kMaxImportLookup,
                              " comma-separated domain names"));
  if (query == call.request.query.end()) return ErrorResponse(bad);
  absl::flat_hash_set<std::string> wanted;
  size_t count = 0;
  for (absl::string_view name : absl::StrSplit(query->second, ',')) {
    const std::string normalized = NormalizeName(name);
    if (normalized.empty() || ++count > kMaxImportLookup) {
      return ErrorResponse(bad);
    }
    wanted.insert(normalized);
  }
  json rows = json::array();
  for (const DomainImport& import : state.imports.rows()) {
    if (std::any_of(import.domains.begin(), import.domains.end(),
                    [&](const std::string& name) {
                      return wanted.contains(NormalizeName(name));
                    })) {
      rows.push_back(ImportJson(import));
    }
  }
  return DataResponse(200, rows);
}

// --- forwarding

json ForwardingJson(const ForwardingJob& job) {
  json failed = json::array();
  for (const auto& [domain, reason] : job.failed) {
    failed.push_back({{"domain", domain}, {"reason", reason}});
  }
  const char* status = !job.completed_at  ? "in_progress"
                       : job.failed.empty() ? "completed"
                       : job.completed.empty() ? "failed"
                                               : "partial_success";
  json result = {{"id", job.id},
                 {"status", status},
                 {"completed_count", job.completed.size()},
                 {"failed_count", job.failed.size()},
                 {"forwarding_url", job.forwarding_url},
                 {"completed", job.completed},
                 {"failed", failed},
                 {"created_at", FormatTimestamp(job.created)}};
  if (job.completed_at) {
    result["completed_at"] = FormatTimestamp(*job.completed_at);
  }
  return result;
}

// Applies a forwarding job at `at`, deciding each domain's outcome.
void CompleteForwarding(EmulatorState& state, size_t index, absl::Time at) {
  ForwardingJob& job = state.forwarding_jobs[index];
  const std::optional<std::string> host = HttpUrlHost(job.forwarding_url);
  for (const std::string& target : job.targets) {
    std::vector<size_t> matches;
    if (const Domain* by_id = state.domains.Find(target)) {
      matches.push_back(state.domains.IndexOf(*by_id));
    } else {
      matches = DomainsNamed(state, NormalizeName(target));
    }
    const std::string name =
        matches.empty() ? target : state.domains[matches[0]].name;
    if (!host) {
      job.failed.emplace_back(name, "invalid_target");
    } else if (absl::StrContains(*host, "unreachable")) {
      job.failed.emplace_back(name, "target_unreachable");
    } else if (matches.empty()) {
      job.failed.emplace_back(name, "dns_lookup_failed");
    } else {
      for (size_t d : matches) {
        state.domains[d].forwarding_url = job.forwarding_url;
      }
      job.completed.push_back(name);
    }
  }
  job.completed_at = at;
}

ApiResponse CreateForwardingJob(EmulatorState& state, const ApiCall& call) {
  json body;
  if (auto err = ParseBodyObject(call.request.body, &body)) {
    return ErrorResponse(*err);
  }
  ForwardingJob job;
  if (auto err = ParseDomainList(body, kMaxForwardingBatch, &job.targets)) {
    return ErrorResponse(*err);
  }
  if (auto err = RequireString(Find(body, "forwarding_url"), "forwarding_url",
                               &job.forwarding_url)) {
    return ErrorResponse(*err);
  }
  job.id = state.NewId("fwj_", call.now);
  job.created = call.now;
  const size_t index = state.forwarding_jobs.size();
  const absl::Time done = call.now + kForwardingDuration;
  state.At(done, [index, done](EmulatorState& s) {
    CompleteForwarding(s, index, done);
  });
  return DataResponse(202,
                      ForwardingJson(state.forwarding_jobs.Add(std::move(job))));
}

ApiResponse GetForwardingJob(EmulatorState& state, const ApiCall& call) {
  const ForwardingJob* job = state.forwarding_jobs.Find(call.params[0]);
  if (job == nullptr) {
    return ErrorResponse(NotFound("", "no such forwarding job"));
  }
  return DataResponse(200, ForwardingJson(*job));
}

}  // namespace

Domain* FindConnectedDomain(EmulatorState& state, const std::string& id) {
  Domain* domain = state.domains.Find(id);
  return domain == nullptr || domain->category != "connected" ? nullptr
                                                              : domain;
}

size_t ConnectDomain(EmulatorState& state, Domain domain) {
  domain.category = "connected";
  domain.status = "active";
  for (size_t i : DomainsNamed(state, domain.name)) {
    Domain& existing = state.domains[i];
    if (existing.category != "inventory") continue;
    domain.id = existing.id;
    domain.created = existing.created;
    domain.usable_for = existing.usable_for;
    existing = std::move(domain);
    return i;
  }
  domain.id = state.NewId("dom_", domain.created);
  const size_t index = state.domains.size();
  state.domains.Add(std::move(domain));
  return index;
}

void AddDomainRoutes(ApiRouter& router) {
  router.Add("GET", "/domains", {ListDomains, Preset::kRead});
  router.Add("POST", "/domains/availability",
             {CheckAvailability, Preset::kLimited});
  router.Add("POST", "/domains/import", {ImportDomains, Preset::kFull});
  router.Add("GET", "/domains/import", {FindImports, Preset::kRead});
  router.Add("GET", "/domains/import/{id}", {GetImport, Preset::kRead});
  router.Add("POST", "/domains/import/jobs", {CreateImportJob, Preset::kFull});
  router.Add("GET", "/domains/import/jobs/{id}", {GetImport, Preset::kRead});
  router.Add("POST", "/domains/forwarding",
             {CreateForwardingJob, Preset::kFull});
  router.Add("GET", "/domains/forwarding/{id}",
             {GetForwardingJob, Preset::kRead});
}

}  // namespace gateway::sandbox
