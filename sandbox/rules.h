// The deterministic outcome rules of the Partner API emulator (documented in
// sandbox/README.md): domain availability, import eligibility and URL
// reachability. Names passed here are already lower-cased.
#ifndef GATEWAY_SANDBOX_RULES_H_
#define GATEWAY_SANDBOX_RULES_H_

#include <cstdint>
#include <optional>
#include <string>

namespace gateway::sandbox {

// Hostname syntax.
bool IsValidDomainSyntax(const std::string& name);

struct Availability {
  bool available = false;
  bool premium = false;
  std::string reason;  // only when !available
  bool google = false;
  bool microsoft = false;
  int64_t price_cents = 0;
};
// What POST /domains/availability says about `name`.
Availability EvaluateAvailability(const std::string& name);

// Why importing `name` fails ("invalid_domain" | "not_root_domain"), or
// nullopt when it can be imported.
std::optional<std::string> ImportFailure(const std::string& name);

// The lower-cased host of an http:// or https:// URL with a non-empty host;
// nullopt for anything else.
std::optional<std::string> HttpUrlHost(const std::string& url);

// True when a persona's picture URL (a non-empty string) cannot be fetched
// from the internet: not http(s), or host `localhost`, or an IPv4 address in
// 10/8, 127/8, 172.16/12 or 192.168/16.
bool IsPrivatePictureUrl(const std::string& url);

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_RULES_H_
