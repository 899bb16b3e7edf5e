#include "server/partner/partner_client.h"

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/log.h"
#include "server/common/status_details.h"
#include "server/partner/domain_api.h"
#include "server/partner/fleet_rate_budget.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;

// A call that has to wait for a slot must still have this much of its
// deadline left when the slot comes: let through at the last moment it
// would only end in DEADLINE_EXCEEDED. A call whose slot is free at once
// goes whatever its deadline.
constexpr absl::Duration kMinCallTime = absl::Milliseconds(500);

}  // namespace

absl::string_view EnvironmentName(v1::Environment env) {
  return env == v1::ENVIRONMENT_LIVE ? "live" : "sandbox";
}

PartnerClient::Upstream::Upstream(const Options& options, v1::Environment env)
    : budget(options.retry), breaker(options.breaker) {
  if (options.shared_budget != nullptr) {
    limiter = std::make_unique<FleetRateBudget>(options.shared_budget, std::string(EnvironmentName(env)),
                                                options.rate_limit_per_minute, options.fleet_size);
  } else {
    limiter = std::make_unique<RateLimiter>(options.rate_limit_per_minute);
  }
}

absl::StatusOr<absl::Time> PartnerClient::Upstream::Admit(absl::Time earliest, absl::Time deadline) {
  if (absl::Status open = breaker.Admit(); !open.ok()) return open;
  return limiter->Reserve(earliest, std::max(earliest, deadline - kMinCallTime));
}

void PartnerClient::Upstream::Record(const Attempt& attempt) {
  // Budget: any failure the Partner side caused. Breaker: the Partner is
  // down or broken (5xx, no connection); any other answer shows it is up.
  const absl::StatusCode code = attempt.status.code();
  if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kResourceExhausted) {
    budget.OnFailure();
  } else if (attempt.status.ok()) {
    budget.OnSuccess();
  }
  if (code == absl::StatusCode::kUnavailable) {
    breaker.OnFailure();
  } else if (attempt.answered) {
    breaker.OnSuccess();
  }
}

namespace {

// A factor in [0.5, 1] for backoff jitter.
double Jitter() {
  thread_local absl::BitGen bitgen;
  return absl::Uniform(bitgen, 0.5, 1.0);
}

}  // namespace

PartnerClient::PartnerClient(http::HttpClient* http, PartnerKeys keys, Options options, common::Metrics* metrics)
    : http_(http),
      keys_(std::move(keys)),
      options_(std::move(options)),
      sandbox_(options_, v1::ENVIRONMENT_SANDBOX),
      live_(options_, v1::ENVIRONMENT_LIVE),
      requests_(metrics->AddCounter("gateway_partner_requests_total",
                                    "HTTP requests sent to the Partner (one per attempt), by outcome: the HTTP "
                                    "status, no_answer, timeout, or not_sent (never reached it).",
                                    {"environment", "endpoint", "status"})) {}

absl::StatusOr<common::Secret> PartnerClient::KeyFor(v1::Environment env) const {
  const auto& file = env == v1::ENVIRONMENT_LIVE ? keys_.live : keys_.sandbox;
  if (file == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the gateway has no Partner key for the ", EnvironmentName(env), " environment"));
  }
  return file->Current();
}

// One Partner call across its attempts.
struct PartnerClient::CallState {
  v1::Environment env;
  const char* method;
  const char* route;
  // "POST /bundles": the method and route, for logs and metrics.
  std::string endpoint;
  // The path the route became, e.g. "/users/usr_01…".
  std::string path;
  Idempotency idempotency;
  http::HttpRequest request;
  absl::Time deadline;
  Callback<Answer> done;
  int attempt = 0;
};

void PartnerClient::Send(v1::Environment env, const char* method, const char* route, Idempotency idempotency,
                         PartnerRequest partner_request, absl::Time deadline, Callback<Answer> done) {
  absl::StatusOr<common::Secret> key = KeyFor(env);
  if (!key.ok()) {
    std::move(done)(key.status());
    return;
  }
  auto state = std::make_shared<CallState>();
  state->env = env;
  state->method = method;
  state->route = route;
  state->endpoint = absl::StrCat(method, " ", route);
  state->path = partner_request.path;
  state->idempotency = idempotency;
  state->request.method = method;
  state->request.repeatable = idempotency == Idempotency::kIdempotent;
  state->request.url = absl::StrCat(options_.base_url, partner_request.path);
  for (size_t i = 0; i < partner_request.query.size(); ++i) {
    const auto& [name, value] = partner_request.query[i];
    absl::StrAppend(&state->request.url, i == 0 ? "?" : "&", UrlEscape(name), "=", UrlEscape(value));
  }
  state->request.headers = {{"Authorization", absl::StrCat("Bearer ", key->Reveal())},
                            {"Accept", "application/json"}};
  if (!partner_request.body.is_null()) {
    state->request.headers.emplace_back("Content-Type", "application/json");
    state->request.body = partner_request.body.dump();
  }
  state->deadline = deadline;
  state->done = std::move(done);
  absl::StatusOr<absl::Time> slot = UpstreamFor(env).Admit(absl::Now(), deadline);
  if (!slot.ok()) {
    std::move(state->done)(slot.status());
    return;
  }
  SendAttempt(std::move(state), *slot);
}

void PartnerClient::SendAttempt(std::shared_ptr<CallState> state, absl::Time at) {
  ++state->attempt;
  http::HttpRequest request = state->request;
  request.not_before = at;
  // Each attempt gets the per-call timeout, never past the caller's deadline.
  const absl::Time attempt_deadline = std::min(state->deadline, std::max(at, absl::Now()) + options_.default_timeout);
  http_->Send(std::move(request), attempt_deadline, [this, state](absl::StatusOr<http::HttpResponse> response) mutable {
    Attempt attempt;
    attempt.number = state->attempt;
    absl::StatusOr<Answer> result = Outcome(*state, response, attempt);
    Upstream& upstream = UpstreamFor(state->env);
    upstream.Record(attempt);
    const std::optional<absl::Time> next =
        NextAttemptAt(attempt, state->idempotency, options_.retry, absl::Now(), state->deadline, Jitter);
    absl::StatusOr<absl::Time> slot = absl::CancelledError("no retry");
    if (next.has_value() && upstream.budget.AllowsRetry()) slot = upstream.Admit(*next, state->deadline);
    if (slot.ok()) {
      common::Log(common::LogLevel::kInfo, "partner call retried",
                  {{"endpoint", state->endpoint},
                   {"environment", std::string(EnvironmentName(state->env))},
                   {"attempt", absl::StrCat(attempt.number + 1)},
                   {"after_ms", absl::StrCat(absl::ToInt64Milliseconds(*slot - absl::Now()))},
                   {"error", attempt.status.ToString()}});
      SendAttempt(std::move(state), *slot);
      return;
    }
    if (!result.ok()) result = Final(*state, response, attempt, result.status());
    std::move(state->done)(std::move(result));
  });
}

absl::Status PartnerClient::Final(const CallState& state, const absl::StatusOr<http::HttpResponse>& response,
                                  const Attempt& attempt, absl::Status result) {
  // A write that may have reached the Partner and got no answer: only the
  // Partner knows whether it happened, so the caller must look, not retry.
  if (state.idempotency == Idempotency::kNotIdempotent && !response.ok() && !attempt.not_sent) {
    return PartnerOutcomeUnknown(response.status(), state.method, state.route, state.path,
                                 absl::Now() >= state.deadline);
  }
  return result;
}

absl::StatusOr<PartnerClient::Answer> PartnerClient::Outcome(const CallState& state,
                                                             const absl::StatusOr<http::HttpResponse>& response,
                                                             Attempt& attempt) {
  const std::string environment(EnvironmentName(state.env));
  const std::string attempt_number = absl::StrCat(attempt.number);
  if (!response.ok()) {
    attempt.not_sent = http::WasNotSent(response.status());
    // not_sent: never on the wire (no connection, TLS failure); timeout:
    // no answer before the attempt's deadline; no_answer: it may have
    // reached the Partner and no answer came back.
    requests_
        .With({environment, state.endpoint,
               attempt.not_sent                                                   ? "not_sent"
               : response.status().code() == absl::StatusCode::kDeadlineExceeded ? "timeout"
                                                                                  : "no_answer"})
        .Add();
    common::Log(common::LogLevel::kWarning, "partner call failed",
                {{"endpoint", state.endpoint}, {"environment", environment}, {"attempt", attempt_number},
                 {"sent", attempt.not_sent ? "no" : "maybe"}, {"error", response.status().ToString()}});
    attempt.status = StatusFromTransportError(response.status());
    return attempt.status;
  }
  attempt.answered = response->status < 500;
  const std::string request_id = response->Header("Peeker-Request-Id");
  requests_.With({environment, state.endpoint, absl::StrCat(response->status)}).Add();
  common::Log(common::LogLevel::kDebug, "partner call",
              {{"endpoint", state.endpoint}, {"environment", environment}, {"attempt", attempt_number},
               {"status", absl::StrCat(response->status)}, {"request_id", request_id}});
  if (response->status < 200 || response->status > 299) {
    attempt.status = StatusFromPartnerError(*response);
    if (response->status == 429) {
      if (auto retry = common::GetDetail<google::rpc::RetryInfo>(attempt.status); retry.has_value()) {
        attempt.retry_after = absl::Seconds(retry->retry_delay().seconds()) + absl::Nanoseconds(retry->retry_delay().nanos());
      }
    }
    return attempt.status;
  }
  auto json = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return attempt.status = PartnerBadResponse("the body is not JSON", request_id);
  auto data = json.is_object() ? json.find("data") : json.end();
  if (data == json.end() || !(data->is_object() || data->is_array())) {
    return attempt.status = PartnerBadResponse("the body has no \"data\" member", request_id);
  }
  return Answer{std::move(json), request_id};
}

void PartnerClient::CheckAvailability(v1::Environment env, const v1::CheckAvailabilityRequest& request,
                                      absl::Time deadline, ReplyCallback<v1::CheckAvailabilityResponse> done) {
  if (absl::Status status = ValidateCheckAvailability(request, options_.max_availability_names); !status.ok()) {
    return std::move(done)(status, "");
  }
  if (request.domains_size() <= kMaxAvailabilityNames) {
    return Call(env, kCheckAvailabilityBatch, request, deadline, std::move(done));
  }
  // Batches finish in any order; each fills its own slot.
  struct Gather {
    absl::Mutex mu;
    std::vector<v1::CheckAvailabilityResponse> parts ABSL_GUARDED_BY(mu);
    int pending ABSL_GUARDED_BY(mu) = 0;
    absl::Status error ABSL_GUARDED_BY(mu);
    ReplyCallback<v1::CheckAvailabilityResponse> done;
  };
  const int batches = (request.domains_size() + kMaxAvailabilityNames - 1) / kMaxAvailabilityNames;
  auto gather = std::make_shared<Gather>();
  {
    absl::MutexLock lock(&gather->mu);
    gather->parts.resize(batches);
    gather->pending = batches;
  }
  gather->done = std::move(done);
  for (int b = 0; b < batches; ++b) {
    v1::CheckAvailabilityRequest batch;
    const int end = std::min(request.domains_size(), (b + 1) * kMaxAvailabilityNames);
    for (int i = b * kMaxAvailabilityNames; i < end; ++i) batch.add_domains(request.domains(i));
    Call(env, kCheckAvailabilityBatch, batch, deadline,
         [gather, b](absl::StatusOr<v1::CheckAvailabilityResponse> part, absl::string_view) {
           absl::StatusOr<v1::CheckAvailabilityResponse> result;
           {
             absl::MutexLock lock(&gather->mu);
             if (part.ok()) {
               gather->parts[b] = *std::move(part);
             } else if (gather->error.ok()) {
               gather->error = part.status();
             }
             if (--gather->pending > 0) return;
             if (!gather->error.ok()) {
               result = gather->error;
             } else {
               result.emplace();
               for (v1::CheckAvailabilityResponse& batch_reply : gather->parts) {
                 for (v1::DomainAvailability& row : *batch_reply.mutable_domains()) {
                   *result->add_domains() = std::move(row);
                 }
               }
             }
           }
           // Several answers: the request id of the one that failed, if any.
           const std::string request_id = RequestIdOf(result.status());
           std::move(gather->done)(std::move(result), request_id);
         });
  }
}

}  // namespace gateway::partner
