// The facade of the Partner API emulator: faults, auth, permission presets,
// rate limiting, routing, the request log and the control endpoints. Every
// rule here is deterministic (see sandbox/README.md) so tests can pick inputs
// that trigger each outcome.
#include "sandbox/partner_emulator.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sandbox/json_util.h"

namespace gateway::sandbox {
namespace {

constexpr char kControlPrefix[] = "/_sandbox";
constexpr int64_t kMaxFaultDelayMs = 600'000;

static_assert(std::string_view(PartnerEmulator::kPartnerId).size() == 4 + 26);

const char* OutcomeName(WebhookOutcome outcome) {
  switch (outcome) {
    case WebhookOutcome::kDelivered: return "delivered";
    case WebhookOutcome::kWillRetry: return "will_retry";
    case WebhookOutcome::kDropped: return "dropped";
  }
  return "unknown";
}

// The preset a sandbox key stands for: pk_test_read_… is `read`,
// pk_test_limited_… is `limited`, any other pk_test_… key is `full`.
Preset PresetOfKey(const std::string& key) {
  if (absl::StartsWith(key, "pk_test_read_")) return Preset::kRead;
  if (absl::StartsWith(key, "pk_test_limited_")) return Preset::kLimited;
  return Preset::kFull;
}

ApiRouter MakeApiRoutes() {
  ApiRouter router(kBasePath);
  AddAccountRoutes(router);
  AddBundleRoutes(router);
  AddOrderRoutes(router);
  AddDomainRoutes(router);
  AddSwapRoutes(router);
  return router;
}

// The 404 or 405 answer when a router found no endpoint.
template <typename Endpoint>
ApiResponse NoRoute(const typename Router<Endpoint>::Match& match,
                    const std::string& not_found_message) {
  if (match.allow.empty()) {
    return ErrorResponse(NotFound("", not_found_message));
  }
  ApiResponse response = ErrorResponse(
      {405, "method_not_allowed",
       absl::StrCat("method not allowed; use ", match.allow), "", nullptr});
  response.headers["Allow"] = match.allow;
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
      api_routes_(MakeApiRoutes()),
      control_routes_(ControlRoutes()),
      state_(WebhookSettings{options_.webhook_data, options_.webhook_delay,
                             options_.webhook_interval}),
      rate_limit_per_minute_(options_.rate_limit_per_minute) {}

Router<PartnerEmulator::ControlHandler> PartnerEmulator::ControlRoutes() {
  Router<ControlHandler> router(kControlPrefix);
  router.Add("GET", "/faults", &PartnerEmulator::ListFaults);
  router.Add("POST", "/faults", &PartnerEmulator::CreateFault);
  router.Add("DELETE", "/faults", &PartnerEmulator::ClearFaults);
  router.Add("GET", "/rate-limit", &PartnerEmulator::GetRateLimit);
  router.Add("PUT", "/rate-limit", &PartnerEmulator::SetRateLimit);
  router.Add("GET", "/requests", &PartnerEmulator::ListRequests);
  router.Add("DELETE", "/requests", &PartnerEmulator::ClearRequests);
  router.Add("GET", "/webhooks", &PartnerEmulator::ListWebhookAttempts);
  router.Add("DELETE", "/webhooks", &PartnerEmulator::ClearWebhookAttempts);
  return router;
}

absl::Time PartnerEmulator::Now() const { return options_.clock(); }

bool PartnerEmulator::IsControlPath(const std::string& path) {
  return path == kControlPrefix ||
         absl::StartsWith(path, absl::StrCat(kControlPrefix, "/"));
}

ApiResponse PartnerEmulator::Handle(const ApiRequest& request) {
  std::string request_id;
  {
    absl::MutexLock lock(&mu_);
    request_id = state_.NewId("req_", Now());
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
                      request_id, request.client});
  while (requests_.size() > kMaxRecordedRequests) requests_.pop_front();
}

// ---------------------------------------------------------------------------
// Control endpoints

ApiResponse PartnerEmulator::HandleControl(const ApiRequest& request) {
  absl::MutexLock lock(&mu_);
  const auto match = control_routes_.Find(request.method, request.path);
  if (match.endpoint == nullptr) {
    return NoRoute<ControlHandler>(match, "no such sandbox control endpoint");
  }
  return (this->**match.endpoint)(request);
}

ApiResponse PartnerEmulator::ListFaults(const ApiRequest&) {
  json rows = json::array();
  for (const Fault& f : faults_) {
    json row = {{"id", f.id}, {"method", f.method}, {"path", f.path},
                {"delay_ms", f.delay_ms}};
    row["status"] = f.status ? json(*f.status) : json(nullptr);
    row["body"] = f.body ? json(*f.body) : json(nullptr);
    row["times"] = f.times ? json(*f.times) : json(nullptr);
    row["retry_after_seconds"] = f.retry_after_seconds;
    row["cut"] = f.cut == ResponseCut::kClose      ? json("close")
                 : f.cut == ResponseCut::kReset    ? json("reset")
                 : f.cut == ResponseCut::kTruncate ? json("truncate")
                                                   : json(nullptr);
    rows.push_back(std::move(row));
  }
  return DataResponse(200, rows);
}

ApiResponse PartnerEmulator::CreateFault(const ApiRequest& request) {
  json parsed;
  if (auto err = ParseBodyObject(request.body, &parsed)) {
    return ErrorResponse(*err);
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
    if (auto err = RequireString(raw, "body", &fault.body.emplace())) {
      return ErrorResponse(*err);
    }
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
    if (cut->is_string() && *cut == "close") {
      fault.cut = ResponseCut::kClose;
    } else if (cut->is_string() && *cut == "reset") {
      fault.cut = ResponseCut::kReset;
    } else if (cut->is_string() && *cut == "truncate") {
      fault.cut = ResponseCut::kTruncate;
    } else {
      return ErrorResponse(Invalid(
          "cut", "cut must be \"close\", \"reset\" or \"truncate\""));
    }
  }
  fault.id = state_.NewId("flt_", Now());
  const std::string id = fault.id;
  faults_.push_back(std::move(fault));
  return DataResponse(201, {{"id", id}});
}

ApiResponse PartnerEmulator::ClearFaults(const ApiRequest&) {
  faults_.clear();
  return NoContent();
}

ApiResponse PartnerEmulator::GetRateLimit(const ApiRequest&) {
  return DataResponse(200, {{"per_minute", rate_limit_per_minute_}});
}

ApiResponse PartnerEmulator::SetRateLimit(const ApiRequest& request) {
  const json parsed = json::parse(request.body, nullptr, false);
  const json* value =
      parsed.is_object() ? Find(parsed, "per_minute") : nullptr;
  const std::optional<int64_t> limit =
      value == nullptr ? std::nullopt : AsInt64(*value);
  if (!limit || *limit < 0 || *limit > 1'000'000) {
    return ErrorResponse(Invalid(
        "per_minute", "per_minute must be an integer from 0 to 1000000"));
  }
  rate_limit_per_minute_ = static_cast<int>(*limit);
  recent_requests_.clear();
  return DataResponse(200, {{"per_minute", rate_limit_per_minute_}});
}

ApiResponse PartnerEmulator::ListRequests(const ApiRequest&) {
  json rows = json::array();
  for (const RecordedRequest& r : requests_) {
    rows.push_back({{"method", r.method},
                    {"path", r.path},
                    {"status", r.status},
                    {"request_id", r.request_id},
                    {"client", r.client}});
  }
  return DataResponse(200, rows);
}

ApiResponse PartnerEmulator::ClearRequests(const ApiRequest&) {
  requests_.clear();
  return NoContent();
}

ApiResponse PartnerEmulator::ListWebhookAttempts(const ApiRequest&) {
  json rows = json::array();
  for (const WebhookAttempt& a : webhook_attempts_) {
    rows.push_back({{"event_id", a.event_id},
                    {"type", a.type},
                    {"order_id", a.order_id},
                    {"attempt", a.attempt},
                    {"duplicate", a.duplicate},
                    {"status", a.status != 0 ? json(a.status) : json(nullptr)},
                    {"error", a.error.empty() ? json(nullptr) : json(a.error)},
                    {"outcome", OutcomeName(a.outcome)},
                    {"at", FormatTimestampMillis(a.at)}});
  }
  return DataResponse(200, rows);
}

ApiResponse PartnerEmulator::ClearWebhookAttempts(const ApiRequest&) {
  webhook_attempts_.clear();
  return NoContent();
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

std::optional<ApiResponse> PartnerEmulator::Admit(const ApiRequest& request,
                                                  std::string* api_key) {
  auto it = request.headers.find("authorization");
  const std::string header = it == request.headers.end() ? "" : it->second;
  constexpr char kBearer[] = "Bearer ";
  if (absl::StartsWith(header, kBearer)) {
    *api_key = header.substr(sizeof(kBearer) - 1);
  }
  if (absl::StartsWith(*api_key, "pk_live_")) {
    return ErrorResponse(
        {401, "unauthorized",
         "the sandbox accepts only test keys (pk_test_...)", "", nullptr});
  }
  if (!absl::StartsWith(*api_key, "pk_test_") ||
      api_key->size() <= sizeof("pk_test_") - 1) {
    return ErrorResponse(
        {401, "unauthorized",
         "missing or malformed Authorization: Bearer <key> header", "",
         nullptr});
  }
  if (rate_limit_per_minute_ == 0) return std::nullopt;
  std::deque<absl::Time>& recent = recent_requests_[*api_key];
  const absl::Time now = Now();
  while (!recent.empty() && recent.front() <= now - absl::Minutes(1)) {
    recent.pop_front();
  }
  if (recent.size() < static_cast<size_t>(rate_limit_per_minute_)) {
    recent.push_back(now);
    return std::nullopt;
  }
  ApiError error{429, "rate_limited",
                 absl::StrCat("more than ", rate_limit_per_minute_,
                              " requests per minute with this key"),
                 "", nullptr};
  const absl::Duration wait = recent.front() + absl::Minutes(1) - now;
  error.details = {{"retry_after_seconds",
                    std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(
                                             wait, absl::Seconds(1))))}};
  return ErrorResponse(error);
}

ApiResponse PartnerEmulator::DecideApiResponse(
    const ApiRequest& request, const std::string& request_id,
    const std::optional<FaultAction>& fault,
    std::vector<WebhookEvent>* events) {
  absl::MutexLock lock(&mu_);
  ApiResponse response;
  std::string api_key;
  // Authentication comes before routing, as on the real API.
  if (fault && fault->response) {
    response = *fault->response;
  } else if (std::optional<ApiResponse> refused = Admit(request, &api_key)) {
    response = *std::move(refused);
  } else if (const auto match = api_routes_.Find(request.method, request.path);
             match.endpoint == nullptr) {
    response = NoRoute<ApiEndpoint>(
        match, absl::StrCat("no such endpoint under ", kBasePath));
  } else if (const Preset preset = PresetOfKey(api_key);
             preset < match.endpoint->least) {
    response = ErrorResponse(
        {403, "forbidden",
         absl::StrCat("this key's permission preset (", PresetName(preset),
                      ") does not allow this request; use a full key"),
         "", nullptr});
  } else {
    const ApiCall call{request, match.params, Now(), api_key, preset,
                       options_.on_order_events ? events : nullptr};
    state_.Settle(call.now);
    response = match.endpoint->handler(state_, call);
  }
  Record(request, response, request_id);
  return response;
}

}  // namespace gateway::sandbox
