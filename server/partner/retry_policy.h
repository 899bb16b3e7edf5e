// When a Partner call is tried again (DESIGN.md §7): only what cannot repeat
// a side effect, with exponential backoff and jitter, never past the
// caller's deadline, and not at all while most calls to the Partner fail
// (a retry budget in the style of gRFC A6).
#ifndef SERVER_PARTNER_RETRY_POLICY_H_
#define SERVER_PARTNER_RETRY_POLICY_H_

#include <functional>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gateway::partner {

// What a repeated request can do upstream.
enum class Idempotency {
  // Repeating it changes nothing: a read, or a write the Partner dedupes
  // (POST /orders with the same body within 24 h, an import of the same
  // domains). Retried after 5xx, resets and timeouts of an attempt.
  kIdempotent,
  // Repeating it may repeat a side effect (POST /bundles): retried only
  // when no byte reached the Partner, or after a 429 (the Partner refused
  // it without acting).
  kNotIdempotent,
};

struct RetryOptions {
  int max_attempts = 3;
  absl::Duration initial_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(5);
  // The retry budget: each failed attempt costs a token, each success gives
  // `token_ratio` back; retries stop while fewer than half the tokens are
  // left.
  double max_tokens = 10;
  double token_ratio = 0.1;
};

// The retry budget of one upstream. Thread-safe.
class RetryBudget {
 public:
  explicit RetryBudget(const RetryOptions& options)
      : max_tokens_(options.max_tokens), token_ratio_(options.token_ratio), tokens_(options.max_tokens) {}

  void OnSuccess() ABSL_LOCKS_EXCLUDED(mu_);
  void OnFailure() ABSL_LOCKS_EXCLUDED(mu_);
  bool AllowsRetry() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const double max_tokens_;
  const double token_ratio_;
  mutable absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
};

// One finished attempt as the retry decision sees it.
struct Attempt {
  // 1 for the first try.
  int number = 1;
  // The transport error, or the status the Partner's answer maps to (OK for
  // a 2xx).
  absl::Status status;
  // The transport error says no byte of the request reached the Partner.
  bool not_sent = false;
  // The Partner answered with a status below 500.
  bool answered = false;
  // From a 429: how long the Partner asked to wait.
  std::optional<absl::Duration> retry_after;
};

// When to send the next attempt, or nullopt when `attempt` is final: it
// succeeded, cannot be retried safely, was the last allowed, or the wait
// would not end before `deadline`. `jitter` returns a factor in [0.5, 1]:
// backoff is initial × 2^(n-1), capped, times jitter; after a 429 the wait
// is `retry_after` plus 0–1 s.
std::optional<absl::Time> NextAttemptAt(const Attempt& attempt, Idempotency idempotency,
                                        const RetryOptions& options, absl::Time now, absl::Time deadline,
                                        const std::function<double()>& jitter);

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_RETRY_POLICY_H_
