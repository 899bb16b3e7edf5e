// The request ledger a fleet shares: one Redis hash per request id, under
// `prefix`, so a repeat on any replica finds the claim or the outcome of the
// first call, whichever replica ran it. Each operation is one Lua script,
// atomic against every other replica's, and safe to run twice (RedisClient
// may resend a command once after a reconnect). Every entry expires on its
// own in Redis kRetention after its claim (plus the lease). Times come from
// the replicas' clocks, which a lease of seconds tolerates being apart.
//
// Durability is Redis's, as for the event log (RedisEventLog).
#ifndef SERVER_REQUESTS_REDIS_REQUEST_LEDGER_H_
#define SERVER_REQUESTS_REDIS_REQUEST_LEDGER_H_

#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "server/redis/redis_client.h"
#include "server/requests/request_ledger.h"

namespace gateway::requests {

class RedisRequestLedger final : public RequestLedger {
 public:
  struct Options {
    redis::RedisClient::Options server;
    std::string prefix = "partner-gateway:requests";
    std::function<absl::Time()> clock = [] { return absl::Now(); };
  };

  // Connects on first use: until Redis answers, every call is UNAVAILABLE.
  explicit RedisRequestLedger(Options options) : options_(std::move(options)), redis_(options_.server) {}

  absl::StatusOr<Decision> Claim(const RequestKey& key, absl::string_view fingerprint, absl::Duration lease,
                                 bool settle) override;
  absl::Status Record(const RequestKey& key, absl::string_view token, const Outcome& outcome) override;
  absl::Status Release(const RequestKey& key, absl::string_view token) override;

 private:
  std::string KeyOf(const RequestKey& key) const;

  const Options options_;
  redis::RedisClient redis_;
};

}  // namespace gateway::requests

#endif  // SERVER_REQUESTS_REDIS_REQUEST_LEDGER_H_
