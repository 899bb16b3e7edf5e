#include "server/partner/request_counter.h"

#include "absl/strings/str_cat.h"

namespace gateway::partner {

void RequestCounter::Add(absl::string_view environment, absl::string_view endpoint, absl::string_view status) {
  absl::MutexLock lock(&mu_);
  ++counts_[Key(environment, endpoint, status)];
}

std::string RequestCounter::MetricsText() const {
  std::string text =
      "# HELP gateway_partner_requests_total HTTP requests sent to the Partner (one per attempt), by outcome: the HTTP "
      "status, no_answer, timeout, or not_sent (never reached it).\n"
      "# TYPE gateway_partner_requests_total counter\n";
  absl::MutexLock lock(&mu_);
  // Label values are environment names, documented routes and statuses:
  // none holds a quote, a backslash or a newline.
  for (const auto& [key, count] : counts_) {
    const auto& [environment, endpoint, status] = key;
    absl::StrAppend(&text, "gateway_partner_requests_total{environment=\"", environment, "\",endpoint=\"", endpoint,
                    "\",status=\"", status, "\"} ", count, "\n");
  }
  return text;
}

}  // namespace gateway::partner
