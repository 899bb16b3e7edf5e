// The typed Partner API client: validated request protos in, reply protos or
// a detailed Status out, over an asynchronous HttpClient. This is the only
// place that adds a Partner key to a request.
#ifndef SERVER_PARTNER_PARTNER_CLIENT_H_
#define SERVER_PARTNER_PARTNER_CLIENT_H_

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "peeker/partner/v1/common.pb.h"
#include "peeker/partner/v1/domain.pb.h"
#include "server/common/metrics.h"
#include "server/common/secret.h"
#include "server/http/http_client.h"
#include "server/partner/circuit_breaker.h"
#include "server/partner/endpoint.h"
#include "server/partner/page_token.h"
#include "server/partner/partner_error.h"
#include "server/partner/rate_limiter.h"
#include "server/redis/redis_client.h"
#include "server/partner/retry_policy.h"

namespace gateway::partner {

// "live" for ENVIRONMENT_LIVE, else "sandbox" (UNSPECIFIED means the
// sandbox), as logs, metrics and the environment metadata name them.
absl::string_view EnvironmentName(peeker::partner::v1::Environment env);

// The gateway's Partner keys, one file per environment; either may be null
// when that environment is not configured.
struct PartnerKeys {
  std::shared_ptr<common::SecretFile> sandbox;
  std::shared_ptr<common::SecretFile> live;
};

class PartnerClient {
 public:
  struct Options {
    // e.g. "https://api.peeker.ai/partner/v1", without a trailing slash.
    std::string base_url;
    // Upper bound of one attempt; the caller's deadline may be shorter.
    absl::Duration default_timeout = absl::Seconds(15);
    RetryOptions retry;
    // Calls per key in any 60 s; a call goes at once while there is room.
    int rate_limit_per_minute = 600;
    // When set, the limit holds for the whole fleet through this Redis
    // (FleetRateBudget); while it is unreachable each replica keeps to
    // limit / fleet_size.
    redis::RedisClient* shared_budget = nullptr;
    int fleet_size = 1;
    CircuitBreaker::Options breaker;
    // Most names one CheckAvailability call may check; the Partner takes 50
    // per request, so longer lists become several Partner calls.
    int max_availability_names = 500;
  };
  template <typename T>
  using Callback = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;
  // The reply or the error, and the Peeker-Request-Id of the Partner answer
  // it comes from: empty when no answer came (an error's RequestInfo holds
  // the same id).
  template <typename T>
  using ReplyCallback = absl::AnyInvocable<void(absl::StatusOr<T>, absl::string_view partner_request_id) &&>;

  // `http` and `metrics` must outlive the client, which declares
  // gateway_partner_requests_total on `metrics`: the HTTP requests sent to
  // the Partner, one per attempt, by environment, endpoint and outcome.
  PartnerClient(http::HttpClient* http, PartnerKeys keys, Options options, common::Metrics* metrics);

  // Runs one Partner endpoint: validates the request, then calls the
  // Partner (paging included for list endpoints), then calls `done` exactly
  // once: inline for a request rejected before any Partner call, otherwise
  // on the HTTP client's thread. `env` UNSPECIFIED means the sandbox.
  template <typename Request, typename Reply>
  void Call(peeker::partner::v1::Environment env, const Endpoint<Request, Reply>& endpoint, const Request& request,
            absl::Time deadline, std::type_identity_t<ReplyCallback<Reply>> done);

  // Checks up to Options::max_availability_names names: batches of
  // kMaxAvailabilityNames sent concurrently, one reply in request order; the
  // first failing batch fails the call.
  void CheckAvailability(peeker::partner::v1::Environment env,
                         const peeker::partner::v1::CheckAvailabilityRequest& request, absl::Time deadline,
                         ReplyCallback<peeker::partner::v1::CheckAvailabilityResponse> done);

 private:
  // A 2xx answer: the whole JSON document (it has a `data` member) and the
  // Peeker-Request-Id.
  struct Answer {
    nlohmann::json document;
    std::string request_id;
  };
  struct CallState;

  // The HTTP part of every call: key, rate budget, breaker, retries, errors.
  void Send(peeker::partner::v1::Environment env, const char* method, const char* route, Idempotency idempotency,
            PartnerRequest request, absl::Time deadline, Callback<Answer> done);
  // Sends attempt n+1 of `state` at `at` (not before; a slot reserved in
  // the rate budget); retries or finishes from its callback.
  void SendAttempt(std::shared_ptr<CallState> state, absl::Time at);
  // The answer, or the status the attempt ends with (also in `attempt`).
  absl::StatusOr<Answer> Outcome(const CallState& state, const absl::StatusOr<http::HttpResponse>& response,
                                 Attempt& attempt);
  // The status a call ends with after its last attempt failed with `result`.
  static absl::Status Final(const CallState& state, const absl::StatusOr<http::HttpResponse>& response,
                            const Attempt& attempt, absl::Status result);

  absl::StatusOr<common::Secret> KeyFor(peeker::partner::v1::Environment env) const;

  http::HttpClient* const http_;
  const PartnerKeys keys_;
  const Options options_;
  // What the client keeps per environment, that is per key.
  struct Upstream {
    Upstream(const Options& options, peeker::partner::v1::Environment env);
    // The time the next attempt may be sent (a rate slot), or why it may not
    // (the breaker is open, no slot before the deadline).
    absl::StatusOr<absl::Time> Admit(absl::Time earliest, absl::Time deadline);
    // Feeds an attempt's outcome to the retry budget and the breaker.
    void Record(const Attempt& attempt);

    RetryBudget budget;
    std::unique_ptr<RateBudget> limiter;
    CircuitBreaker breaker;
  };
  Upstream& UpstreamFor(peeker::partner::v1::Environment env) {
    return env == peeker::partner::v1::ENVIRONMENT_LIVE ? live_ : sandbox_;
  }

  Upstream sandbox_;
  Upstream live_;
  common::Metrics::Family<common::Metrics::Counter>& requests_;
};

template <typename Request, typename Reply>
void PartnerClient::Call(peeker::partner::v1::Environment env, const Endpoint<Request, Reply>& endpoint,
                         const Request& request, absl::Time deadline, std::type_identity_t<ReplyCallback<Reply>> done) {
  absl::Status valid = endpoint.validate(request);
  if constexpr (PagedRequest<Request>) {
    if (valid.ok()) valid = ValidatePageSize(request.page_size());
  }
  if (!valid.ok()) return std::move(done)(std::move(valid), "");
  PartnerRequest partner_request = endpoint.encode(request);
  std::optional<PageTokens> pages;
  if constexpr (PagedRequest<Request>) {
    absl::StatusOr<common::Secret> key = KeyFor(env);
    if (!key.ok()) return std::move(done)(key.status(), "");
    pages.emplace(endpoint.route, env, partner_request.query, *key);
    absl::StatusOr<std::string> partner_token = pages->Open(request.page_token(), absl::Now());
    if (!partner_token.ok()) return std::move(done)(partner_token.status(), "");
    AddPagingQuery(request.page_size(), *partner_token, partner_request.query);
  }
  Send(env, endpoint.method, endpoint.route, endpoint.idempotency, std::move(partner_request), deadline,
       [decode = endpoint.decode, pages = std::move(pages), done = std::move(done)](
           absl::StatusOr<Answer> answer) mutable {
         if (!answer.ok()) return std::move(done)(answer.status(), RequestIdOf(answer.status()));
         absl::StatusOr<Reply> reply = decode(answer->document["data"]);
         if constexpr (PagedRequest<Request>) {
           if (reply.ok()) {
             absl::StatusOr<std::string> next = pages->Next(answer->document, absl::Now());
             if (next.ok()) {
               reply->set_next_page_token(*std::move(next));
             } else {
               reply = next.status();
             }
           }
         }
         if (!reply.ok()) reply = PartnerBadResponse(reply.status().message(), answer->request_id);
         std::move(done)(std::move(reply), answer->request_id);
       });
}

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_PARTNER_CLIENT_H_
