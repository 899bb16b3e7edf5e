// The Partner's health: whether it answers `GET /me` with every configured
// key. A background thread checks every interval, so a reader only gets the
// last result and never waits on the Partner. Neither liveness nor the pod's
// readiness follows it: the Partner is shared by every replica, and a probe
// on it would take them all out of their Service at once during a Partner
// outage, cutting the streams and the calls that do not need it. It is
// reported under its own health name, for alerts.
#ifndef SERVER_SERVICE_READINESS_H_
#define SERVER_SERVICE_READINESS_H_

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "peeker/partner/v1/common.pb.h"
#include "server/partner/partner_client.h"

namespace gateway::service {

// The gRPC health service name of the pod's own readiness: SERVING once
// every listener is up, NOT_SERVING while it drains. What this pod alone
// decides; the probe's name.
inline constexpr char kReadinessService[] = "readiness";
// The health service name that follows the Partner (PartnerReadiness).
inline constexpr char kPartnerService[] = "partner";

class PartnerReadiness {
 public:
  // Called from the checking thread whenever readiness changes (and once
  // after the first check).
  using OnChange = std::function<void(bool ready)>;

  // Starts checking at once. `partner` must outlive this object.
  PartnerReadiness(partner::PartnerClient* partner, std::vector<peeker::partner::v1::Environment> environments,
                   absl::Duration interval, OnChange on_change);
  // Stops the checks; no OnChange call happens after it returns.
  ~PartnerReadiness();

  PartnerReadiness(const PartnerReadiness&) = delete;
  PartnerReadiness& operator=(const PartnerReadiness&) = delete;

  // The last result: ready, or why not (e.g. "sandbox: UNAVAILABLE: …").
  bool ready() const ABSL_LOCKS_EXCLUDED(mu_);
  std::string why_not() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run();
  // "" when every environment answered; else the first failure.
  std::string CheckOnce();

  partner::PartnerClient* const partner_;
  const std::vector<peeker::partner::v1::Environment> environments_;
  const absl::Duration interval_;
  const OnChange on_change_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool checked_ ABSL_GUARDED_BY(mu_) = false;
  std::string why_not_ ABSL_GUARDED_BY(mu_) = "not checked yet";
  std::thread thread_;
};

}  // namespace gateway::service

#endif  // SERVER_SERVICE_READINESS_H_
