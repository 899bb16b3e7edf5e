#include "server/partner/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace gateway::partner {

void RetryBudget::OnSuccess() {
  absl::MutexLock lock(&mu_);
  tokens_ = std::min(max_tokens_, tokens_ + token_ratio_);
}

void RetryBudget::OnFailure() {
  absl::MutexLock lock(&mu_);
  tokens_ = std::max(0.0, tokens_ - 1);
}

bool RetryBudget::AllowsRetry() const {
  absl::MutexLock lock(&mu_);
  return tokens_ > max_tokens_ / 2;
}

std::optional<absl::Time> NextAttemptAt(const Attempt& attempt, Idempotency idempotency,
                                        const RetryOptions& options, absl::Time now, absl::Time deadline,
                                        const std::function<double()>& jitter) {
  if (attempt.status.ok() || attempt.number >= options.max_attempts) return std::nullopt;
  absl::Duration wait;
  if (attempt.retry_after.has_value()) {
    // A 429: the Partner did nothing, so any call may come back, after the
    // wait it asked for plus up to a second, so that callers told the same
    // wait do not all return at once.
    wait = *attempt.retry_after + absl::Seconds(2 * (1 - jitter()));
  } else {
    const bool transient = attempt.status.code() == absl::StatusCode::kUnavailable;
    const bool safe = idempotency == Idempotency::kIdempotent || attempt.not_sent;
    if (!transient || !safe) return std::nullopt;
    const absl::Duration backoff = std::min(options.max_backoff, options.initial_backoff * std::pow(2, attempt.number - 1));
    wait = backoff * jitter();
  }
  const absl::Time at = now + wait;
  if (at >= deadline) return std::nullopt;
  return at;
}

}  // namespace gateway::partner
