// Stops piling calls on a sick Partner: after `failure_threshold` failures
// in a row (5xx, connection failures), calls fail fast with UNAVAILABLE for
// `cooldown`; then one probe goes through, and its outcome closes the
// breaker or opens it again. One breaker per environment (per key).
#ifndef SERVER_PARTNER_CIRCUIT_BREAKER_H_
#define SERVER_PARTNER_CIRCUIT_BREAKER_H_

#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gateway::partner {

class CircuitBreaker {
 public:
  struct Options {
    int failure_threshold = 5;
    absl::Duration cooldown = absl::Seconds(10);
  };

  explicit CircuitBreaker(Options options, std::function<absl::Time()> clock = [] { return absl::Now(); })
      : options_(options), clock_(std::move(clock)) {}

  // OK when a call may go to the Partner. While open: UNAVAILABLE with
  // RetryInfo (the rest of the cooldown) and ErrorInfo PARTNER_CIRCUIT_OPEN.
  // After the cooldown one call at a time is let through as the probe.
  absl::Status Admit() ABSL_LOCKS_EXCLUDED(mu_);
  // The outcome of an admitted call: the Partner answered (any non-5xx
  // status), or it failed.
  void OnSuccess() ABSL_LOCKS_EXCLUDED(mu_);
  void OnFailure() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const Options options_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  int failures_ ABSL_GUARDED_BY(mu_) = 0;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time opened_at_ ABSL_GUARDED_BY(mu_);
  bool probing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time probe_started_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_CIRCUIT_BREAKER_H_
