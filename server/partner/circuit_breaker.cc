#include "server/partner/circuit_breaker.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/status_details.h"

namespace gateway::partner {

absl::Status CircuitBreaker::Admit() {
  absl::MutexLock lock(&mu_);
  if (!open_) return absl::OkStatus();
  const absl::Time now = clock_();
  const absl::Duration left = opened_at_ + options_.cooldown - now;
  // One probe at a time; a probe that never reports (it got no rate slot)
  // is replaced after another cooldown.
  if (left <= absl::ZeroDuration() && (!probing_ || now - probe_started_ >= options_.cooldown)) {
    probing_ = true;
    probe_started_ = now;
    return absl::OkStatus();
  }
  const absl::Duration wait = std::max(left, absl::Seconds(1));
  absl::Status status = absl::UnavailableError(
      absl::StrCat("the Partner failed ", failures_, " times in a row; calls fail fast until it recovers (next try in ",
                   absl::FormatDuration(absl::Ceil(wait, absl::Seconds(1))), ")"));
  common::AddRetryInfo(status, absl::Ceil(wait, absl::Seconds(1)));
  google::rpc::ErrorInfo info;
  info.set_reason("PARTNER_CIRCUIT_OPEN");
  info.set_domain(std::string(common::kGatewayErrorDomain));
  common::AddDetail(status, info);
  return status;
}

void CircuitBreaker::OnSuccess() {
  absl::MutexLock lock(&mu_);
  failures_ = 0;
  open_ = false;
  probing_ = false;
}

void CircuitBreaker::OnFailure() {
  absl::MutexLock lock(&mu_);
  ++failures_;
  if (probing_ || (!open_ && failures_ >= options_.failure_threshold)) {
    open_ = true;
    opened_at_ = clock_();
    probing_ = false;
  }
}

}  // namespace gateway::partner
