// The typed Partner API client: validated request protos in, reply protos or
// a detailed Status out, over an asynchronous HttpClient. This is the only
// place that adds a Partner key to a request.
#ifndef SERVER_PARTNER_PARTNER_CLIENT_H_
#define SERVER_PARTNER_PARTNER_CLIENT_H_

#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "peeker/partner/v1/bundle.pb.h"
#include "peeker/partner/v1/common.pb.h"
#include "peeker/partner/v1/domain.pb.h"
#include "peeker/partner/v1/order.pb.h"
#include "server/common/secret.h"
#include "server/http/http_client.h"
#include "server/partner/circuit_breaker.h"
#include "server/partner/rate_limiter.h"
#include "server/partner/retry_policy.h"

namespace gateway::partner {

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
    // Calls per minute per key; calls are spaced 60 s / limit apart.
    int rate_limit_per_minute = 600;
    CircuitBreaker::Options breaker;
  };
  template <typename T>
  using Callback = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;

  // `http` must outlive the client.
  PartnerClient(http::HttpClient* http, PartnerKeys keys, Options options);

  // Each call validates the request, then calls the Partner, then calls
  // `done` exactly once: inline for a request rejected before any Partner
  // call, otherwise on the HTTP client's thread. `env` UNSPECIFIED means the
  // sandbox.
  void CreateBundle(peeker::partner::v1::Environment env, const peeker::partner::v1::CreateBundleRequest& request,
                    absl::Time deadline, Callback<peeker::partner::v1::CreateBundleResponse> done);
  void CheckAvailability(peeker::partner::v1::Environment env,
                         const peeker::partner::v1::CheckAvailabilityRequest& request, absl::Time deadline,
                         Callback<peeker::partner::v1::CheckAvailabilityResponse> done);
  void ImportDomains(peeker::partner::v1::Environment env, const peeker::partner::v1::ImportDomainsRequest& request,
                     absl::Time deadline, Callback<peeker::partner::v1::ImportDomainsResponse> done);
  void PlaceOrder(peeker::partner::v1::Environment env, const peeker::partner::v1::PlaceOrderRequest& request,
                  absl::Time deadline, Callback<peeker::partner::v1::PlaceOrderResponse> done);

 private:
  // Decodes a success body's `data` member into the reply.
  template <typename T>
  using Decoder = absl::AnyInvocable<absl::StatusOr<T>(const nlohmann::json& data) &&>;

  template <typename T>
  struct CallState;

  template <typename T>
  void Call(peeker::partner::v1::Environment env, const char* method, const char* path, Idempotency idempotency,
            const nlohmann::json& body, absl::Time deadline, Decoder<T> decode, Callback<T> done);
  // Sends attempt n+1 of `state` at `at` (not before; a slot reserved in
  // the rate budget); retries or finishes from its callback.
  template <typename T>
  void SendAttempt(std::shared_ptr<CallState<T>> state, absl::Time at);
  // The reply, or the status the attempt ends with (also in `attempt`).
  template <typename T>
  static absl::StatusOr<T> Outcome(CallState<T>& state, const absl::StatusOr<http::HttpResponse>& response,
                                   Attempt& attempt);

  absl::StatusOr<common::Secret> KeyFor(peeker::partner::v1::Environment env) const;

  http::HttpClient* const http_;
  const PartnerKeys keys_;
  const Options options_;
  // What the client keeps per environment, that is per key.
  struct Upstream {
    explicit Upstream(const Options& options);
    // The time the next attempt may be sent (a rate slot), or why it may not
    // (the breaker is open, no slot before the deadline).
    absl::StatusOr<absl::Time> Admit(absl::Time earliest, absl::Time deadline);
    // Feeds an attempt's outcome to the retry budget and the breaker.
    void Record(const Attempt& attempt);

    RetryBudget budget;
    RateLimiter limiter;
    CircuitBreaker breaker;
  };
  Upstream& UpstreamFor(peeker::partner::v1::Environment env) {
    return env == peeker::partner::v1::ENVIRONMENT_LIVE ? live_ : sandbox_;
  }

  Upstream sandbox_;
  Upstream live_;
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_PARTNER_CLIENT_H_
