#include "server/service/readiness.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "server/common/log.h"
#include "server/partner/account_api.h"

namespace gateway::service {

namespace v1 = ::peeker::partner::v1;

namespace {

// A check that takes longer than this counts as a failure.
constexpr absl::Duration kCheckTimeout = absl::Seconds(5);

}  // namespace

PartnerReadiness::PartnerReadiness(partner::PartnerClient* partner, std::vector<v1::Environment> environments,
                                   absl::Duration interval, OnChange on_change)
    : partner_(partner),
      environments_(std::move(environments)),
      interval_(interval),
      on_change_(std::move(on_change)),
      thread_([this] { Run(); }) {}

PartnerReadiness::~PartnerReadiness() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

bool PartnerReadiness::ready() const {
  absl::MutexLock lock(&mu_);
  return why_not_.empty();
}

std::string PartnerReadiness::why_not() const {
  absl::MutexLock lock(&mu_);
  return why_not_;
}

std::string PartnerReadiness::CheckOnce() {
  for (v1::Environment env : environments_) {
    // Shared with the callback, which may outlive this call only until the
    // HTTP client finishes it.
    struct Result {
      absl::Notification done;
      absl::Status status;
    };
    auto result = std::make_shared<Result>();
    partner_->Call(env, partner::kGetAccount, v1::GetAccountRequest(), absl::Now() + kCheckTimeout,
                   [result](absl::StatusOr<v1::GetAccountResponse> reply, absl::string_view) {
                     result->status = reply.status();
                     result->done.Notify();
                   });
    result->done.WaitForNotification();
    if (!result->status.ok()) {
      return absl::StrCat(partner::EnvironmentName(env), ": ", result->status.ToString());
    }
  }
  return "";
}

void PartnerReadiness::Run() {
  while (true) {
    std::string why_not = CheckOnce();
    bool changed = false;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      changed = !checked_ || why_not.empty() != why_not_.empty();
      checked_ = true;
      why_not_ = why_not;
    }
    if (changed) {
      if (why_not.empty()) {
        common::Log(common::LogLevel::kInfo, "ready: the Partner answers GET /me");
      } else {
        common::Log(common::LogLevel::kWarning, "not ready: the Partner does not answer GET /me",
                    {{"error", why_not}});
      }
      on_change_(why_not.empty());
    }
    absl::MutexLock lock(&mu_);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
    mu_.AwaitWithTimeout(absl::Condition(&stopping), interval_);
    if (stopping_) return;
  }
}

}  // namespace gateway::service
