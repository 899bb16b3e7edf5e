#include "server/partner/partner_client.h"

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/log.h"
#include "server/common/status_details.h"
#include "server/partner/json_codec.h"
#include "server/partner/partner_error.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;

absl::string_view EnvironmentName(v1::Environment env) {
  return env == v1::ENVIRONMENT_LIVE ? "live" : "sandbox";
}

// A call that has to wait for a slot must still have this much of its
// deadline left when the slot comes: let through at the last moment it
// would only end in DEADLINE_EXCEEDED. A call whose slot is free at once
// goes whatever its deadline.
constexpr absl::Duration kMinCallTime = absl::Milliseconds(500);

}  // namespace

PartnerClient::Upstream::Upstream(const Options& options)
    : budget(options.retry), limiter(options.rate_limit_per_minute), breaker(options.breaker) {}

absl::StatusOr<absl::Time> PartnerClient::Upstream::Admit(absl::Time earliest, absl::Time deadline) {
  if (absl::Status open = breaker.Admit(); !open.ok()) return open;
  return limiter.Reserve(earliest, std::max(earliest, deadline - kMinCallTime));
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

// A decoder for a reply that holds one decoded resource, e.g.
// CreateBundleResponse.bundle.
template <typename Reply, typename Resource>
auto Wrapped(absl::StatusOr<Resource> (*decode)(const nlohmann::json&), Resource* (Reply::*field)()) {
  return [decode, field](const nlohmann::json& data) -> absl::StatusOr<Reply> {
    absl::StatusOr<Resource> resource = decode(data);
    if (!resource.ok()) return resource.status();
    Reply reply;
    *(reply.*field)() = *std::move(resource);
    return reply;
  };
}

}  // namespace

PartnerClient::PartnerClient(http::HttpClient* http, PartnerKeys keys, Options options)
    : http_(http),
      keys_(std::move(keys)),
      options_(std::move(options)),
      sandbox_(options_),
      live_(options_) {}

absl::StatusOr<common::Secret> PartnerClient::KeyFor(v1::Environment env) const {
  const auto& file = env == v1::ENVIRONMENT_LIVE ? keys_.live : keys_.sandbox;
  if (file == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the gateway has no Partner key for the ", EnvironmentName(env), " environment"));
  }
  return file->Current();
}

// One Partner call across its attempts.
template <typename T>
struct PartnerClient::CallState {
  v1::Environment env;
  const char* method;
  const char* path;
  Idempotency idempotency;
  http::HttpRequest request;
  absl::Time deadline;
  Decoder<T> decode;
  Callback<T> done;
  int attempt = 0;
};

template <typename T>
void PartnerClient::Call(v1::Environment env, const char* method, const char* path, Idempotency idempotency,
                         const nlohmann::json& body, absl::Time deadline, Decoder<T> decode, Callback<T> done) {
  absl::StatusOr<common::Secret> key = KeyFor(env);
  if (!key.ok()) {
    std::move(done)(key.status());
    return;
  }
  auto state = std::make_shared<CallState<T>>();
  state->env = env;
  state->method = method;
  state->path = path;
  state->idempotency = idempotency;
  state->request.method = method;
  state->request.url = absl::StrCat(options_.base_url, path);
  state->request.headers = {{"Authorization", absl::StrCat("Bearer ", key->Reveal())},
                            {"Accept", "application/json"}};
  if (!body.is_null()) {
    state->request.headers.emplace_back("Content-Type", "application/json");
    state->request.body = body.dump();
  }
  state->deadline = deadline;
  state->decode = std::move(decode);
  state->done = std::move(done);
  absl::StatusOr<absl::Time> slot = UpstreamFor(env).Admit(absl::Now(), deadline);
  if (!slot.ok()) {
    std::move(state->done)(slot.status());
    return;
  }
  SendAttempt(std::move(state), *slot);
}

template <typename T>
void PartnerClient::SendAttempt(std::shared_ptr<CallState<T>> state, absl::Time at) {
  ++state->attempt;
  http::HttpRequest request = state->request;
  request.not_before = at;
  // Each attempt gets the per-call timeout, never past the caller's deadline.
  const absl::Time attempt_deadline = std::min(state->deadline, std::max(at, absl::Now()) + options_.default_timeout);
  http_->Send(std::move(request), attempt_deadline, [this, state](absl::StatusOr<http::HttpResponse> response) mutable {
    Attempt attempt;
    attempt.number = state->attempt;
    absl::StatusOr<T> result = Outcome(*state, response, attempt);
    Upstream& upstream = UpstreamFor(state->env);
    upstream.Record(attempt);
    const std::optional<absl::Time> next =
        NextAttemptAt(attempt, state->idempotency, options_.retry, absl::Now(), state->deadline, Jitter);
    absl::StatusOr<absl::Time> slot = absl::CancelledError("no retry");
    if (next.has_value() && upstream.budget.AllowsRetry()) slot = upstream.Admit(*next, state->deadline);
    if (slot.ok()) {
      common::Log(common::LogLevel::kInfo, "partner call retried",
                  {{"method", state->method},
                   {"path", state->path},
                   {"environment", std::string(EnvironmentName(state->env))},
                   {"attempt", absl::StrCat(attempt.number + 1)},
                   {"after_ms", absl::StrCat(absl::ToInt64Milliseconds(*slot - absl::Now()))},
                   {"error", attempt.status.ToString()}});
      SendAttempt(std::move(state), *slot);
      return;
    }
    std::move(state->done)(std::move(result));
  });
}

template <typename T>
absl::StatusOr<T> PartnerClient::Outcome(CallState<T>& state, const absl::StatusOr<http::HttpResponse>& response,
                                         Attempt& attempt) {
  const std::string environment(EnvironmentName(state.env));
  if (!response.ok()) {
    common::Log(common::LogLevel::kWarning, "partner call failed",
                {{"method", state.method}, {"path", state.path}, {"environment", environment},
                 {"error", response.status().ToString()}});
    attempt.not_sent = http::WasNotSent(response.status());
    attempt.status = StatusFromTransportError(response.status());
    return attempt.status;
  }
  attempt.answered = response->status < 500;
  const std::string request_id = response->Header("Peeker-Request-Id");
  common::Log(common::LogLevel::kDebug, "partner call",
              {{"method", state.method}, {"path", state.path}, {"environment", environment},
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
  if (data == json.end() || !data->is_object()) {
    return attempt.status = PartnerBadResponse("the body has no \"data\" object", request_id);
  }
  absl::StatusOr<T> reply = std::move(state.decode)(*data);
  if (!reply.ok()) return attempt.status = PartnerBadResponse(reply.status().message(), request_id);
  return reply;
}

void PartnerClient::CreateBundle(v1::Environment env, const v1::CreateBundleRequest& request, absl::Time deadline,
                                 Callback<v1::CreateBundleResponse> done) {
  if (absl::Status status = ValidateCreateBundle(request); !status.ok()) return std::move(done)(status);
  Call<v1::CreateBundleResponse>(
      env, "POST", "/bundles", Idempotency::kNotIdempotent, EncodeCreateBundleRequest(request), deadline,
      Wrapped(&DecodeBundle, &v1::CreateBundleResponse::mutable_bundle), std::move(done));
}

void PartnerClient::CheckAvailability(v1::Environment env, const v1::CheckAvailabilityRequest& request,
                                      absl::Time deadline, Callback<v1::CheckAvailabilityResponse> done) {
  if (absl::Status status = ValidateCheckAvailability(request); !status.ok()) return std::move(done)(status);
  Call<v1::CheckAvailabilityResponse>(
      env, "POST", "/domains/availability", Idempotency::kIdempotent, EncodeCheckAvailabilityRequest(request), deadline,
      &DecodeCheckAvailabilityResponse, std::move(done));
}

void PartnerClient::ImportDomains(v1::Environment env, const v1::ImportDomainsRequest& request, absl::Time deadline,
                                  Callback<v1::ImportDomainsResponse> done) {
  if (absl::Status status = ValidateImportDomains(request); !status.ok()) return std::move(done)(status);
  Call<v1::ImportDomainsResponse>(
      env, "POST", "/domains/import", Idempotency::kIdempotent, EncodeImportDomainsRequest(request), deadline,
      Wrapped(&DecodeDomainImport, &v1::ImportDomainsResponse::mutable_domain_import), std::move(done));
}

void PartnerClient::PlaceOrder(v1::Environment env, const v1::PlaceOrderRequest& request, absl::Time deadline,
                               Callback<v1::PlaceOrderResponse> done) {
  if (absl::Status status = ValidatePlaceOrder(request); !status.ok()) return std::move(done)(status);
  Call<v1::PlaceOrderResponse>(
      env, "POST", "/orders", Idempotency::kIdempotent, EncodePlaceOrderRequest(request), deadline,
      Wrapped(&DecodeOrder, &v1::PlaceOrderResponse::mutable_order), std::move(done));
}

}  // namespace gateway::partner
