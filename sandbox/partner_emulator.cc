// Implementation of the Partner API emulator. Every rule here is deterministic
// (see sandbox/README.md) so tests can pick inputs that trigger each outcome.
#include "sandbox/partner_emulator.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace gateway::sandbox {
namespace {

using json = nlohmann::json;

constexpr char kBasePath[] = "/partner/v1";
constexpr char kControlPrefix[] = "/_sandbox";
constexpr int64_t kMaxMonthlyVolume = 1'000'000'000'000;  // keeps math in int64
constexpr int64_t kMaxFaultDelayMs = 600'000;
constexpr int64_t kGoogleSendsPerInboxDay = 20;
constexpr int64_t kMicrosoftSendsPerDomainDay = 150;
constexpr int64_t kGoogleLicenseCents = 300;
constexpr int64_t kMicrosoftLicenseCents = 1500;
constexpr size_t kMaxAvailabilityBatch = 50;
constexpr size_t kMaxImportBatch = 25;
constexpr size_t kMaxPersonas = 10;
constexpr absl::Duration kDedupeWindow = absl::Hours(24);
constexpr absl::Duration kRenewalPeriod = absl::Hours(24 * 30);

static_assert(std::string_view(PartnerEmulator::kPartnerId).size() == 4 + 26);

struct ApiError {
  int status = 400;
  std::string code = "invalid_request";
  std::string message;
  std::string field;  // empty = not relevant
  json details;       // null = not relevant
};

ApiError Invalid(std::string field, std::string message) {
  return ApiError{400, "invalid_request", std::move(message), std::move(field),
                  nullptr};
}

// dump() would abort on invalid UTF-8 with exceptions off; replace instead.
std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

ApiResponse JsonResponse(int status, const json& body) {
  ApiResponse response;
  response.status = status;
  response.body = Dump(body);
  return response;
}

ApiResponse ErrorResponse(const ApiError& error) {
  json inner = {{"code", error.code}, {"message", error.message}};
  if (!error.field.empty()) inner["field"] = error.field;
  if (!error.details.is_null()) inner["details"] = error.details;
  return JsonResponse(error.status, json{{"error", inner}});
}

std::string DefaultErrorCode(int status) {
  switch (status) {
    case 400: return "invalid_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 429: return "rate_limited";
    default: return status >= 500 ? "internal_error" : "invalid_request";
  }
}

// Integer JSON value as int64, or nullopt (floats, out-of-range unsigned,
// booleans and everything else are rejected).
std::optional<int64_t> AsInt64(const json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(u);
  }
  return value.get<int64_t>();
}

// Pointer to obj[key], or nullptr when absent. Never inserts or asserts.
const json* Find(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

bool IsAbsentOrNull(const json* value) {
  return value == nullptr || value->is_null();
}

// Checks obj[key] is a non-empty string; error field is `field`.
std::optional<ApiError> RequireNonEmptyString(const json& obj, const char* key,
                                              const std::string& field,
                                              std::string* out) {
  const json* value = Find(obj, key);
  if (value == nullptr || !value->is_string()) {
    return Invalid(field, absl::StrCat(field, " must be a non-empty string"));
  }
  const auto& str = value->get_ref<const std::string&>();
  if (str.empty()) {
    return Invalid(field, absl::StrCat(field, " must be a non-empty string"));
  }
  if (out != nullptr) *out = str;
  return std::nullopt;
}

int64_t CeilDiv(int64_t num, int64_t den) { return (num + den - 1) / den; }

std::string FormatTimestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// RFC 3339 UTC with milliseconds, as webhook envelopes carry.
std::string FormatTimestampMillis(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

const char* OutcomeName(WebhookOutcome outcome) {
  switch (outcome) {
    case WebhookOutcome::kDelivered: return "delivered";
    case WebhookOutcome::kWillRetry: return "will_retry";
    case WebhookOutcome::kDropped: return "dropped";
  }
  return "unknown";
}

uint32_t Fnv1a32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

std::vector<std::string> SplitLabels(const std::string& name) {
  return absl::StrSplit(name, '.');
}

// Hostname syntax on an already lower-cased name.
bool IsValidDomainSyntax(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  const std::vector<std::string> labels = SplitLabels(name);
  if (labels.size() < 2) return false;
  for (const std::string& label : labels) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-';
      if (!ok) return false;
    }
  }
  const std::string& tld = labels.back();
  if (tld.size() < 2) return false;
  return std::all_of(tld.begin(), tld.end(),
                     [](char c) { return c >= 'a' && c <= 'z'; });
}

// Registrable roots: two labels, or three when the last two are one of the
// (deliberately tiny) set of two-part public suffixes we know about.
bool IsRootDomain(const std::string& name) {
  const std::vector<std::string> labels = SplitLabels(name);
  if (labels.size() <= 2) return true;
  if (labels.size() == 3) {
    const std::string suffix = absl::StrCat(labels[1], ".", labels[2]);
    return suffix == "co.uk" || suffix == "com.au";
  }
  return false;
}

struct Availability {
  bool available = false;
  bool premium = false;
  std::string reason;  // only when !available
  bool google = false;
  bool microsoft = false;
  int64_t price_cents = 0;
};

// The deterministic availability rules; `name` is lower-cased.
Availability EvaluateAvailability(const std::string& name) {
  Availability result;
  if (!IsValidDomainSyntax(name)) {
    result.reason = "invalid";
    return result;
  }
  const uint32_t h = Fnv1a32(name);
  const std::string first = name.substr(0, name.find('.'));
  auto make_available = [&](bool microsoft) {
    result.available = true;
    result.google = true;
    result.microsoft = microsoft;
    result.price_cents = 1100 + static_cast<int64_t>(h % 5) * 100;
  };
  if (absl::StrContains(first, "taken")) {
    result.reason = "taken";
  } else if (first.size() <= 3) {
    result.premium = true;
    result.reason = "premium";
  } else if (absl::StrContains(first, "googleonly")) {
    make_available(false);
  } else if (absl::StrContains(first, "avail")) {
    make_available(true);
  } else if (h % 10 == 0) {
    result.reason = "taken";
  } else {
    make_available(h % 3 != 0);
  }
  return result;
}

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

// Parses `{"domains": [string, ...]}` with 1..max entries.
std::optional<ApiError> ParseDomainList(const std::string& body, size_t max,
                                        std::vector<std::string>* out) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Invalid("", "request body must be a JSON object");
  }
  const json* domains = Find(parsed, "domains");
  if (domains == nullptr || !domains->is_array() || domains->empty() ||
      domains->size() > max) {
    return Invalid("domains", absl::StrCat("domains must be an array of 1 to ",
                                           max, " domain names"));
  }
  for (size_t i = 0; i < domains->size(); ++i) {
    const json& item = (*domains)[i];
    if (!item.is_string()) {
      return Invalid(absl::StrCat("domains[", i, "]"),
                     "each domain must be a string");
    }
    out->push_back(item.get<std::string>());
  }
  return std::nullopt;
}

// Crockford base32 (upper-case, no I L O U), as ULIDs use.
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void AppendBase32(uint64_t value, int chars, std::string* out) {
  std::string buf(static_cast<size_t>(chars), '0');
  for (int i = chars - 1; i >= 0; --i) {
    buf[static_cast<size_t>(i)] = kCrockford[value & 31u];
    value >>= 5;
  }
  out->append(buf);
}

struct KnownRoute {
  const char* path;
  const char* method;
};
constexpr KnownRoute kApiRoutes[] = {
    {"/partner/v1/me", "GET"},
    {"/partner/v1/bundles", "POST"},
    {"/partner/v1/domains/availability", "POST"},
    {"/partner/v1/domains/import", "POST"},
    {"/partner/v1/orders", "POST"},
};

ApiResponse MethodNotAllowed(const std::string& allow) {
  ApiResponse response = ErrorResponse(
      {405, "method_not_allowed",
       absl::StrCat("method not allowed; use ", allow), "", nullptr});
  response.headers["Allow"] = allow;
  return response;
}

ApiResponse NoContent() {
  ApiResponse response;
  response.status = 204;
  return response;
}

}  // namespace

PartnerEmulator::PartnerEmulator() : PartnerEmulator(Options{}) {}

PartnerEmulator::PartnerEmulator(Options options)
    : options_([&] {
        if (!options.clock) options.clock = [] { return absl::Now(); };
        if (!options.sleep) options.sleep = [](absl::Duration d) {
          absl::SleepFor(d);
        };
        return std::move(options);
      }()),
      rate_limit_per_minute_(options_.rate_limit_per_minute) {}

absl::Time PartnerEmulator::Now() const { return options_.clock(); }

bool PartnerEmulator::IsControlPath(const std::string& path) {
  return path == kControlPrefix ||
         absl::StartsWith(path, absl::StrCat(kControlPrefix, "/"));
}

std::string PartnerEmulator::NewId(const std::string& prefix) {
  // ULID-like: 10 chars of milliseconds, then 16 of a counter, so ids are
  // unique within a process and sort by creation.
  const int64_t ms = std::max<int64_t>(0, absl::ToUnixMillis(Now()));
  std::string id = prefix;
  AppendBase32(static_cast<uint64_t>(ms) & ((uint64_t{1} << 48) - 1), 10, &id);
  AppendBase32(++id_counter_, 16, &id);
  return id;
}

ApiResponse PartnerEmulator::Handle(const ApiRequest& request) {
  std::string request_id;
  {
    absl::MutexLock lock(&mu_);
    request_id = NewId("req_");
  }
  ApiResponse response = IsControlPath(request.path)
                             ? HandleControl(request)
                             : HandleApi(request, request_id);
  response.headers["Peeker-Request-Id"] = request_id;
  response.headers["Content-Type"] = "application/json";
  return response;
}

std::vector<RecordedRequest> PartnerEmulator::RecordedRequests() const {
  absl::MutexLock lock(&mu_);
  return {requests_.begin(), requests_.end()};
}

void PartnerEmulator::RecordWebhookAttempt(WebhookAttempt attempt) {
  absl::MutexLock lock(&mu_);
  webhook_attempts_.push_back(std::move(attempt));
  while (webhook_attempts_.size() > kMaxRecordedWebhookAttempts) {
    webhook_attempts_.pop_front();
  }
}

std::vector<WebhookAttempt> PartnerEmulator::WebhookAttempts() const {
  absl::MutexLock lock(&mu_);
  return {webhook_attempts_.begin(), webhook_attempts_.end()};
}

void PartnerEmulator::Record(const ApiRequest& request,
                             const ApiResponse& response,
                             const std::string& request_id) {
  requests_.push_back(
      RecordedRequest{request.method, request.path, response.status,
                      request_id});
  while (requests_.size() > kMaxRecordedRequests) requests_.pop_front();
}

// ---------------------------------------------------------------------------
// Control endpoints

ApiResponse PartnerEmulator::HandleControl(const ApiRequest& request) {
  absl::MutexLock lock(&mu_);
  const std::string& method = request.method;
  if (request.path == "/_sandbox/faults") {
    if (method == "POST") return CreateFault(request.body);
    if (method == "DELETE") {
      faults_.clear();
      return NoContent();
    }
    if (method == "GET") {
      json rows = json::array();
      for (const Fault& f : faults_) {
        json row = {{"id", f.id}, {"method", f.method}, {"path", f.path},
                    {"delay_ms", f.delay_ms}};
        row["status"] = f.status ? json(*f.status) : json(nullptr);
        row["body"] = f.body ? json(*f.body) : json(nullptr);
        row["times"] = f.times ? json(*f.times) : json(nullptr);
        row["retry_after_seconds"] = f.retry_after_seconds;
        row["cut"] = f.cut == ResponseCut::kReset      ? json("reset")
                     : f.cut == ResponseCut::kTruncate ? json("truncate")
                                                       : json(nullptr);
        rows.push_back(std::move(row));
      }
      return JsonResponse(200, json{{"data", rows}});
    }
    return MethodNotAllowed("GET, POST, DELETE");
  }
  if (request.path == "/_sandbox/rate-limit") {
    if (method == "GET") {
      return JsonResponse(200, json{{"data", {{"per_minute", rate_limit_per_minute_}}}});
    }
    if (method == "PUT") {
      const json parsed = json::parse(request.body, nullptr, false);
      const json* value = parsed.is_object() ? Find(parsed, "per_minute") : nullptr;
      const std::optional<int64_t> limit =
          value == nullptr ? std::nullopt : AsInt64(*value);
      if (!limit || *limit < 0 || *limit > 1'000'000) {
        return ErrorResponse(Invalid(
            "per_minute", "per_minute must be an integer from 0 to 1000000"));
      }
      rate_limit_per_minute_ = static_cast<int>(*limit);
      recent_requests_.clear();
      return JsonResponse(200, json{{"data", {{"per_minute", rate_limit_per_minute_}}}});
    }
    return MethodNotAllowed("GET, PUT");
  }
  if (request.path == "/_sandbox/requests") {
    if (method == "GET") {
      json rows = json::array();
      for (const RecordedRequest& r : requests_) {
        rows.push_back({{"method", r.method},
                        {"path", r.path},
                        {"status", r.status},
                        {"request_id", r.request_id}});
      }
      return JsonResponse(200, json{{"data", rows}});
    }
    if (method == "DELETE") {
      requests_.clear();
      return NoContent();
    }
    return MethodNotAllowed("GET, DELETE");
  }
  if (request.path == "/_sandbox/webhooks") {
    if (method == "GET") {
      json rows = json::array();
      for (const WebhookAttempt& a : webhook_attempts_) {
        rows.push_back(
            {{"event_id", a.event_id},
             {"type", a.type},
             {"order_id", a.order_id},
             {"attempt", a.attempt},
             {"duplicate", a.duplicate},
             {"status", a.status != 0 ? json(a.status) : json(nullptr)},
             {"error", a.error.empty() ? json(nullptr) : json(a.error)},
             {"outcome", OutcomeName(a.outcome)},
             {"at", FormatTimestampMillis(a.at)}});
      }
      return JsonResponse(200, json{{"data", rows}});
    }
    if (method == "DELETE") {
      webhook_attempts_.clear();
      return NoContent();
    }
    return MethodNotAllowed("GET, DELETE");
  }
  return ErrorResponse({404, "not_found", "no such sandbox control endpoint",
                        "", nullptr});
}

ApiResponse PartnerEmulator::CreateFault(const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return ErrorResponse(Invalid("", "request body must be a JSON object"));
  }
  Fault fault;
  if (auto err = RequireNonEmptyString(parsed, "method", "method",
                                       &fault.method)) {
    return ErrorResponse(*err);
  }
  fault.method = absl::AsciiStrToUpper(fault.method);
  if (auto err = RequireNonEmptyString(parsed, "path", "path", &fault.path)) {
    return ErrorResponse(*err);
  }
  if (fault.path.front() != '/') {
    return ErrorResponse(Invalid("path", "path must start with '/'"));
  }
  if (const json* status = Find(parsed, "status"); !IsAbsentOrNull(status)) {
    const std::optional<int64_t> value = AsInt64(*status);
    if (!value || *value < 100 || *value > 599) {
      return ErrorResponse(
          Invalid("status", "status must be an integer from 100 to 599"));
    }
    fault.status = static_cast<int>(*value);
  }
  if (const json* raw = Find(parsed, "body"); !IsAbsentOrNull(raw)) {
    if (!raw->is_string()) {
      return ErrorResponse(Invalid("body", "body must be a string"));
    }
    fault.body = raw->get<std::string>();
  }
  if (const json* delay = Find(parsed, "delay_ms"); !IsAbsentOrNull(delay)) {
    const std::optional<int64_t> value = AsInt64(*delay);
    if (!value || *value < 0 || *value > kMaxFaultDelayMs) {
      return ErrorResponse(Invalid(
          "delay_ms", absl::StrCat("delay_ms must be an integer from 0 to ",
                                   kMaxFaultDelayMs)));
    }
    fault.delay_ms = *value;
  }
  if (const json* times = Find(parsed, "times"); !IsAbsentOrNull(times)) {
    const std::optional<int64_t> value = AsInt64(*times);
    if (!value || *value < 1) {
      return ErrorResponse(
          Invalid("times", "times must be a positive integer"));
    }
    fault.times = *value;
  }
  if (const json* retry = Find(parsed, "retry_after_seconds");
      !IsAbsentOrNull(retry)) {
    const std::optional<int64_t> value = AsInt64(*retry);
    if (!value || *value < 0 || *value > 86400) {
      return ErrorResponse(Invalid(
          "retry_after_seconds",
          "retry_after_seconds must be an integer from 0 to 86400"));
    }
    fault.retry_after_seconds = *value;
  }
  if (const json* cut = Find(parsed, "cut"); !IsAbsentOrNull(cut)) {
    if (cut->is_string() && *cut == "reset") {
      fault.cut = ResponseCut::kReset;
    } else if (cut->is_string() && *cut == "truncate") {
      fault.cut = ResponseCut::kTruncate;
    } else {
      return ErrorResponse(
          Invalid("cut", "cut must be \"reset\" or \"truncate\""));
    }
  }
  fault.id = NewId("flt_");
  const std::string id = fault.id;
  faults_.push_back(std::move(fault));
  return JsonResponse(201, json{{"data", {{"id", id}}}});
}

std::optional<PartnerEmulator::FaultAction> PartnerEmulator::TakeFault(
    const std::string& method, const std::string& path) {
  const std::string upper = absl::AsciiStrToUpper(method);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->method != upper || it->path != path) continue;
    FaultAction action;
    action.delay_ms = it->delay_ms;
    action.cut = it->cut;
    if (it->status || it->body) {
      ApiResponse response;
      response.status = it->status.value_or(200);
      if (it->body) {
        response.body = *it->body;
      } else if (response.status >= 400) {
        ApiError error{response.status, DefaultErrorCode(response.status),
                       "injected fault", "", nullptr};
        if (response.status == 429) {
          error.details = {{"retry_after_seconds", it->retry_after_seconds}};
        }
        response = ErrorResponse(error);
      } else {
        response.body = "{}";
      }
      action.response = std::move(response);
    }
    if (it->times && --*it->times <= 0) faults_.erase(it);
    return action;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Partner API

ApiResponse PartnerEmulator::HandleApi(const ApiRequest& request,
                                       const std::string& request_id) {
  std::optional<FaultAction> fault;
  {
    absl::MutexLock lock(&mu_);
    fault = TakeFault(request.method, request.path);
  }
  // Sleep with no lock held so a slow response never stalls other requests.
  const absl::Duration delay =
      options_.latency +
      (fault ? absl::Milliseconds(fault->delay_ms) : absl::ZeroDuration());
  if (delay > absl::ZeroDuration()) options_.sleep(delay);

  std::vector<WebhookEvent> events;
  ApiResponse response = DecideApiResponse(request, request_id, fault, &events);
  if (fault) response.cut = fault->cut;
  // Outside the lock: the receiver of the events may take its own locks or
  // call back into the emulator (RecordWebhookAttempt).
  if (!events.empty()) options_.on_order_events(std::move(events));
  return response;
}

ApiResponse PartnerEmulator::DecideApiResponse(
    const ApiRequest& request, const std::string& request_id,
    const std::optional<FaultAction>& fault,
    std::vector<WebhookEvent>* events) {
  absl::MutexLock lock(&mu_);
  ApiResponse response;
  if (fault && fault->response) {
    response = *fault->response;
    Record(request, response, request_id);
    return response;
  }

  // Authentication comes before routing, as on the real API.
  std::string api_key;
  {
    auto it = request.headers.find("authorization");
    const std::string header = it == request.headers.end() ? "" : it->second;
    constexpr char kBearer[] = "Bearer ";
    if (absl::StartsWith(header, kBearer)) {
      api_key = header.substr(sizeof(kBearer) - 1);
    }
    if (absl::StartsWith(api_key, "pk_live_")) {
      response = ErrorResponse(
          {401, "unauthorized",
           "the sandbox accepts only test keys (pk_test_...)", "", nullptr});
    } else if (!absl::StartsWith(api_key, "pk_test_") ||
               api_key.size() <= sizeof("pk_test_") - 1) {
      response = ErrorResponse(
          {401, "unauthorized",
           "missing or malformed Authorization: Bearer <key> header", "",
           nullptr});
    }
  }

  if (response.body.empty() && rate_limit_per_minute_ > 0) {
    std::deque<absl::Time>& recent = recent_requests_[api_key];
    const absl::Time now = Now();
    while (!recent.empty() && recent.front() <= now - absl::Minutes(1)) {
      recent.pop_front();
    }
    if (recent.size() >= static_cast<size_t>(rate_limit_per_minute_)) {
      ApiError error{429, "rate_limited",
                     absl::StrCat("more than ", rate_limit_per_minute_,
                                  " requests per minute with this key"),
                     "", nullptr};
      const absl::Duration wait = recent.front() + absl::Minutes(1) - now;
      error.details = {{"retry_after_seconds",
                        std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(
                                                 wait, absl::Seconds(1))))}};
      response = ErrorResponse(error);
    } else {
      recent.push_back(now);
    }
  }

  if (response.body.empty()) {
    const KnownRoute* route = nullptr;
    for (const KnownRoute& r : kApiRoutes) {
      if (request.path == r.path) route = &r;
    }
    if (route == nullptr) {
      response = ErrorResponse({404, "not_found",
                                absl::StrCat("no such endpoint under ",
                                             kBasePath),
                                "", nullptr});
    } else if (request.method != route->method) {
      response = MethodNotAllowed(route->method);
    } else if (request.path == "/partner/v1/me") {
      response = JsonResponse(
          200, json{{"data",
                     {{"api_key",
                       {{"environment", "test"},
                        {"permission_preset", "full"}}},
                      {"partner",
                       {{"id", kPartnerId}, {"name", "Sandbox Partner"}}}}}});
    } else if (request.path == "/partner/v1/bundles") {
      response = CreateBundle(request.body);
    } else if (request.path == "/partner/v1/domains/availability") {
      response = CheckAvailability(request.body);
    } else if (request.path == "/partner/v1/domains/import") {
      response = ImportDomains(request.body);
    } else {
      response = CreateOrder(api_key, request.body,
                             options_.on_order_events ? events : nullptr);
    }
  }
  Record(request, response, request_id);
  return response;
}

ApiResponse PartnerEmulator::CreateBundle(const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return ErrorResponse(Invalid("", "request body must be a JSON object"));
  }
  std::string name;
  if (auto err = RequireNonEmptyString(parsed, "name", "name", &name)) {
    return ErrorResponse(*err);
  }
  std::optional<int64_t> volume;
  if (const json* v = Find(parsed, "monthly_sending_volume"); v != nullptr) {
    volume = AsInt64(*v);
  }
  if (!volume || *volume <= 0 || *volume > kMaxMonthlyVolume) {
    return ErrorResponse(
        Invalid("monthly_sending_volume",
                absl::StrCat("monthly_sending_volume must be an integer from "
                             "1 to ",
                             kMaxMonthlyVolume)));
  }
  // Each percentage: absent/null = unset, otherwise an integer.
  auto parse_percent = [&](const char* key, std::optional<int64_t>* out)
      -> std::optional<ApiError> {
    const json* v = Find(parsed, key);
    if (IsAbsentOrNull(v)) return std::nullopt;
    *out = AsInt64(*v);
    if (!*out) {
      return Invalid(key, absl::StrCat(key, " must be an integer or null"));
    }
    return std::nullopt;
  };
  std::optional<int64_t> google_percent;
  std::optional<int64_t> microsoft_percent;
  if (auto err = parse_percent("google_percent", &google_percent)) {
    return ErrorResponse(*err);
  }
  if (auto err = parse_percent("microsoft_percent", &microsoft_percent)) {
    return ErrorResponse(*err);
  }
  if (google_percent.has_value() != microsoft_percent.has_value()) {
    return ErrorResponse(Invalid(
        "google_percent",
        "google_percent and microsoft_percent must be set together or both "
        "be null"));
  }
  if (google_percent &&
      (*google_percent < 0 || *google_percent > 100 ||
       *microsoft_percent < 0 || *microsoft_percent > 100 ||
       *google_percent + *microsoft_percent != 100)) {
    return ErrorResponse(Invalid(
        "google_percent",
        "google_percent and microsoft_percent must each be 0-100 and total "
        "100"));
  }
  bool weekends = false;
  if (const json* v = Find(parsed, "send_on_weekends"); !IsAbsentOrNull(v)) {
    if (!v->is_boolean()) {
      return ErrorResponse(
          Invalid("send_on_weekends", "send_on_weekends must be a boolean"));
    }
    weekends = v->get<bool>();
  }
  int64_t inboxes_per_domain = 2;
  if (const json* v = Find(parsed, "google_inboxes_per_domain");
      !IsAbsentOrNull(v)) {
    const std::optional<int64_t> value = AsInt64(*v);
    if (!value || (*value != 2 && *value != 3)) {
      return ErrorResponse(Invalid("google_inboxes_per_domain",
                                   "google_inboxes_per_domain must be 2 or 3"));
    }
    inboxes_per_domain = *value;
  }

  // Peeker's recommended split when none is given.
  const int64_t effective_google = google_percent.value_or(50);
  const int64_t effective_microsoft = microsoft_percent.value_or(50);
  const int64_t days = weekends ? 30 : 22;
  Bundle bundle;
  bundle.id = NewId("bun_");
  bundle.inboxes_per_domain = inboxes_per_domain;
  bundle.google_domains =
      CeilDiv(*volume * effective_google,
              days * 100 * kGoogleSendsPerInboxDay * inboxes_per_domain);
  bundle.microsoft_domains = CeilDiv(*volume * effective_microsoft,
                                     days * 100 * kMicrosoftSendsPerDomainDay);
  const json resource = {
      {"id", bundle.id},
      {"name", name},
      {"monthly_sending_volume", *volume},
      {"google_percent",
       google_percent ? json(*google_percent) : json(nullptr)},
      {"microsoft_percent",
       microsoft_percent ? json(*microsoft_percent) : json(nullptr)},
      {"send_on_weekends", weekends},
      {"google_inboxes_per_domain", inboxes_per_domain},
      {"status", "active"},
      {"effective",
       {{"google_percent", effective_google},
        {"microsoft_percent", effective_microsoft}}},
      {"required_domains",
       {{"google", bundle.google_domains},
        {"microsoft", bundle.microsoft_domains},
        {"total", bundle.google_domains + bundle.microsoft_domains}}},
      {"created_at", FormatTimestamp(Now())},
  };
  bundle.json = Dump(resource);
  const std::string id = bundle.id;
  bundles_.emplace(id, std::move(bundle));
  return JsonResponse(201, json{{"data", resource}});
}

ApiResponse PartnerEmulator::CheckAvailability(const std::string& body) {
  std::vector<std::string> names;
  if (auto err = ParseDomainList(body, kMaxAvailabilityBatch, &names)) {
    return ErrorResponse(*err);
  }
  json rows = json::array();
  for (const std::string& name : names) {
    const Availability availability =
        EvaluateAvailability(absl::AsciiStrToLower(name));
    rows.push_back(AvailabilityRow(name, availability));
  }
  return JsonResponse(200, json{{"data", {{"domains", rows}}}});
}

ApiResponse PartnerEmulator::ImportDomains(const std::string& body) {
  std::vector<std::string> names;
  if (auto err = ParseDomainList(body, kMaxImportBatch, &names)) {
    return ErrorResponse(*err);
  }
  json rows = json::array();
  json imported = json::array();
  for (const std::string& name : names) {
    const std::string lower = absl::AsciiStrToLower(name);
    json row = {{"domain", name}};
    if (!IsValidDomainSyntax(lower)) {
      row["status"] = "failed";
      row["failure_reason"] = "invalid_domain";
    } else if (!IsRootDomain(lower)) {
      row["status"] = "failed";
      row["failure_reason"] = "not_root_domain";
    } else {
      row["status"] = "completed";
      row["failure_reason"] = nullptr;
      imported.push_back(name);
      imported_domains_.insert(lower);
    }
    rows.push_back(std::move(row));
  }
  json groups = json::array();
  if (!imported.empty()) {
    groups.push_back({{"nameservers",
                       {"ana.ns.sandbox.peeker.test",
                        "bob.ns.sandbox.peeker.test"}},
                      {"domains", imported}});
  }
  const std::string now = FormatTimestamp(Now());
  return JsonResponse(
      200, json{{"data",
                 {{"id", NewId("imp_")},
                  {"status", imported.empty() ? "failed" : "completed"},
                  {"domains", rows},
                  {"nameserver_groups", groups},
                  {"created_at", now},
                  {"completed_at", now}}}});
}

ApiResponse PartnerEmulator::CreateOrder(const std::string& api_key,
                                         const std::string& body,
                                         std::vector<WebhookEvent>* events) {
  const absl::Time now = Now();
  // Body-level dedupe: a retried identical request returns the first order.
  const std::string dedupe_key = absl::StrCat(api_key, "\n", body);
  if (auto it = order_dedupe_.find(dedupe_key); it != order_dedupe_.end()) {
    if (now - it->second.created < kDedupeWindow) {
      ApiResponse response;
      response.status = 200;
      response.body = absl::StrCat("{\"data\":", it->second.order_json, "}");
      return response;
    }
    order_dedupe_.erase(it);
  }

  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return ErrorResponse(Invalid("", "request body must be a JSON object"));
  }

  // --- user
  std::string user;
  if (auto err = RequireNonEmptyString(parsed, "user", "user", &user)) {
    return ErrorResponse(*err);
  }
  std::string user_id;
  std::string email;
  if (absl::StartsWith(user, "usr_")) {
    auto it = emails_by_user_.find(user);
    if (it == emails_by_user_.end()) {
      return ErrorResponse(
          {404, "not_found", "no such user", "user", nullptr});
    }
    user_id = user;
    email = it->second;
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
  const Bundle* bundle = nullptr;
  int64_t google_licenses = 0;
  int64_t microsoft_licenses = 0;
  if (has_bundle) {
    if (!bundle_id_value->is_string()) {
      return ErrorResponse(Invalid("bundle_id", "bundle_id must be a string"));
    }
    auto it = bundles_.find(bundle_id_value->get<std::string>());
    if (it == bundles_.end()) {
      return ErrorResponse(
          {404, "not_found", "no such bundle", "bundle_id", nullptr});
    }
    bundle = &it->second;
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
  const json* sequencer = Find(parsed, "sequencer");
  if (sequencer == nullptr || !sequencer->is_object()) {
    return ErrorResponse(Invalid("sequencer", "sequencer must be an object"));
  }
  {
    const json* provider = Find(*sequencer, "provider");
    if (provider == nullptr || !provider->is_string() ||
        provider->get_ref<const std::string&>() != "smartlead") {
      return ErrorResponse(Invalid("sequencer.provider",
                                   "sequencer.provider must be \"smartlead\""));
    }
    const json* client_id = Find(*sequencer, "client_id");
    if (!IsAbsentOrNull(client_id) && !AsInt64(*client_id)) {
      return ErrorResponse(Invalid("sequencer.client_id",
                                   "sequencer.client_id must be an integer"));
    }
    if (auto err = RequireNonEmptyString(*sequencer, "login_email",
                                         "sequencer.login_email", nullptr)) {
      return ErrorResponse(*err);
    }
    if (auto err = RequireNonEmptyString(*sequencer, "login_password",
                                         "sequencer.login_password", nullptr)) {
      return ErrorResponse(*err);
    }
  }

  // --- domains
  const json* domains = Find(parsed, "domains");
  if (domains == nullptr || !domains->is_array() || domains->empty()) {
    return ErrorResponse(
        Invalid("domains", "domains must be a non-empty array"));
  }
  std::vector<std::string> domain_names;
  for (size_t i = 0; i < domains->size(); ++i) {
    const json& item = (*domains)[i];
    const std::string field = absl::StrCat("domains[", i, "]");
    if (item.is_string() && !item.get_ref<const std::string&>().empty()) {
      domain_names.push_back(item.get<std::string>());
      continue;
    }
    if (!item.is_object()) {
      return ErrorResponse(Invalid(
          field, "each domain must be a name or {domain, forwarding_url}"));
    }
    std::string name;
    if (RequireNonEmptyString(item, "domain", field, &name)) {
      return ErrorResponse(
          Invalid(field, "domain objects need a non-empty \"domain\""));
    }
    const json* forwarding = Find(item, "forwarding_url");
    if (forwarding != nullptr && !forwarding->is_string()) {
      return ErrorResponse(
          Invalid(absl::StrCat(field, ".forwarding_url"),
                  "forwarding_url must be a string"));
    }
    domain_names.push_back(name);
  }
  if (const json* forwarding = Find(parsed, "forwarding_url");
      forwarding != nullptr && !forwarding->is_string()) {
    return ErrorResponse(
        Invalid("forwarding_url", "forwarding_url must be a string"));
  }

  // --- personas
  const json* personas = Find(parsed, "personas");
  if (personas == nullptr || !personas->is_array() || personas->empty() ||
      personas->size() > kMaxPersonas) {
    return ErrorResponse(Invalid(
        "personas",
        absl::StrCat("personas must be an array of 1 to ", kMaxPersonas,
                     " objects")));
  }
  for (size_t i = 0; i < personas->size(); ++i) {
    const json& persona = (*personas)[i];
    const std::string prefix = absl::StrCat("personas[", i, "]");
    if (!persona.is_object()) {
      return ErrorResponse(Invalid(prefix, "each persona must be an object"));
    }
    for (const char* key : {"first_name", "last_name"}) {
      if (auto err = RequireNonEmptyString(
              persona, key, absl::StrCat(prefix, ".", key), nullptr)) {
        return ErrorResponse(*err);
      }
    }
    const json* picture = Find(persona, "profile_picture_url");
    if (picture == nullptr || !(picture->is_string() || picture->is_null())) {
      const std::string field = absl::StrCat(prefix, ".profile_picture_url");
      return ErrorResponse(Invalid(
          field, "profile_picture_url is required (a URL string or null)"));
    }
  }

  // --- domain usability
  int64_t usable_microsoft = 0;
  int64_t registration_count = 0;
  int64_t registration_cents = 0;
  std::vector<bool> microsoft_capable;
  for (size_t i = 0; i < domain_names.size(); ++i) {
    const std::string lower = absl::AsciiStrToLower(domain_names[i]);
    if (imported_domains_.contains(lower)) {
      ++usable_microsoft;  // imported domains can serve either provider
      microsoft_capable.push_back(true);
      continue;
    }
    const Availability availability = EvaluateAvailability(lower);
    if (!availability.available) {
      return ErrorResponse({400, "domain_unavailable",
                            "domain is not available for this order",
                            absl::StrCat("domains[", i, "]"),
                            json{{"domain", domain_names[i]}}});
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
  const int64_t submitted = static_cast<int64_t>(domain_names.size());
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

  // --- all checks passed: create the user if needed, then the order.
  if (user_id.empty()) {
    const std::string email_key = absl::AsciiStrToLower(email);
    auto it = users_by_email_.find(email_key);
    if (it != users_by_email_.end()) {
      user_id = it->second;
      email = emails_by_user_[user_id];
    } else {
      user_id = NewId("usr_");
      users_by_email_[email_key] = user_id;
      emails_by_user_[user_id] = email;
    }
  }
  const int64_t google_inboxes =
      bundle != nullptr ? bundle->google_domains * bundle->inboxes_per_domain
                        : google_licenses;
  const int64_t google_cents = google_inboxes * kGoogleLicenseCents;
  const int64_t microsoft_cents = required_microsoft * kMicrosoftLicenseCents;
  const std::string order_id = NewId("ord_");
  const json order = {
      {"id", order_id},
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
      {"renews_at", FormatTimestamp(now + kRenewalPeriod)},
      {"created_at", FormatTimestamp(now)},
  };
  order_dedupe_[dedupe_key] = DedupeEntry{now, Dump(order)};
  if (events != nullptr) {
    PlacedOrder placed;
    placed.id = order_id;
    placed.user_id = user_id;
    placed.email = email;
    placed.created = now;
    // The first Microsoft-capable domains (request order) serve Microsoft,
    // the rest Google; the shortfall check above makes this always fit.
    int64_t microsoft_left = required_microsoft;
    for (size_t i = 0; i < domain_names.size(); ++i) {
      const bool microsoft = microsoft_left > 0 && microsoft_capable[i];
      if (microsoft) --microsoft_left;
      placed.domains.emplace_back(absl::AsciiStrToLower(domain_names[i]),
                                  microsoft ? "microsoft" : "google");
    }
    *events = OrderEvents(placed);
  }
  return JsonResponse(200, json{{"data", order}});
}

std::vector<WebhookEvent> PartnerEmulator::OrderEvents(
    const PlacedOrder& order) {
  using ordered_json = nlohmann::ordered_json;
  const bool flat = options_.webhook_data == WebhookDataShape::kFlat;
  const absl::Duration step =
      std::max(options_.webhook_interval, absl::Milliseconds(1));
  const absl::Time first = order.created + options_.webhook_delay;
  const ordered_json user = {{"id", order.user_id}, {"email", order.email}};

  std::vector<WebhookEvent> events;
  auto add = [&](const char* type, const char* resource_key,
                 ordered_json resource) {
    WebhookEvent event;
    event.id = NewId("evt_");
    event.type = type;
    event.order_id = order.id;
    event.created_at =
        first + step * static_cast<int64_t>(events.size());
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

  add("order.in_progress", "order",
      {{"id", order.id}, {"status", "in_progress"}, {"user", user}});
  ordered_json domains = ordered_json::array();
  for (const auto& [name, provider] : order.domains) {
    add("domain.connected", "domain",
        {{"name", name},
         {"order_id", order.id},
         {"provider", provider},
         {"status", "connected"}});
    domains.push_back(
        {{"name", name}, {"provider", provider}, {"status", "connected"}});
  }
  add("order.completed", "order",
      {{"id", order.id},
       {"status", "completed"},
       {"user", user},
       {"domain_count", order.domains.size()},
       {"domains", std::move(domains)}});
  return events;
}

}  // namespace gateway::sandbox
