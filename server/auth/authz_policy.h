// The gateway's authorization policy: gRPC's authorization policy language
// (gRFC A43), which Debian's gRPC declares but does not implement, evaluated
// here. A policy has deny rules and allow rules; a call is denied when a deny
// rule matches, else allowed when an allow rule matches, else denied. A rule
// matches when its source and its request both match; what it leaves out
// matches anything:
//   source.principals  one of them matches the caller's certificate: its URI
//                      SANs (the SPIFFE ID), else its DNS SANs, else its
//                      subject; "" matches a TLS caller without a certificate,
//                      and nothing matches a plaintext caller
//   request.paths      one of them matches "/package.Service/Method"
//   request.headers    every one matches: one of its values matches the
//                      header's (several values of one header joined by ",")
// Patterns are exact ("abc"), prefix ("abc*"), suffix ("*abc") or presence
// ("*", any non-empty value). A policy with a field this version does not
// know is refused rather than half understood.
#ifndef SERVER_AUTH_AUTHZ_POLICY_H_
#define SERVER_AUTH_AUTHZ_POLICY_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gateway::auth {

// Who calls, as the transport established it.
struct Peer {
  bool tls = false;               // false: plaintext
  bool has_certificate = false;   // a client certificate verified by the client CA
  std::vector<std::string> uri_sans;
  std::vector<std::string> dns_sans;
  std::string subject;
};

// How logs and errors name the caller: its first URI SAN (the SPIFFE ID),
// else its first DNS SAN, else its subject; "unauthenticated" for a TLS
// caller without a certificate, "plaintext" without TLS.
std::string PrincipalName(const Peer& peer);

// A call's request side: its path and its headers (lower-case keys).
struct CallRequest {
  absl::string_view path;
  const std::map<std::string, std::string>& headers;
};

struct Decision {
  bool allowed = false;
  std::string rule;  // the matching rule's name; empty when no allow rule matched
};

class AuthzPolicy {
 public:
  // Parses the JSON text of a policy. Errors name the place: `allow_rules[1]
  // ("checkout"): request.paths[0]: only a leading or trailing * is supported`.
  static absl::StatusOr<AuthzPolicy> Parse(absl::string_view json);

  Decision Evaluate(const Peer& peer, const CallRequest& request) const;
  const std::string& name() const { return name_; }
  // Whether a rule matches on header `key` (lower case): the only headers a
  // call's CallRequest needs.
  bool NamesHeader(absl::string_view key) const { return header_keys_.find(key) != header_keys_.end(); }

  // The parsed form.
  struct Pattern {
    enum class Kind { kExact, kPrefix, kSuffix, kPresence } kind;
    std::string text;
    bool Matches(absl::string_view value) const;
  };
  struct HeaderMatch {
    std::string key;
    std::vector<Pattern> values;
  };
  struct Rule {
    std::string name;
    std::vector<Pattern> principals;  // empty: any caller
    std::vector<Pattern> paths;       // empty: any method
    std::vector<HeaderMatch> headers;
    bool Matches(const Peer& peer, const CallRequest& request) const;
  };

 private:
  AuthzPolicy(std::string name, std::vector<Rule> deny, std::vector<Rule> allow);

  std::string name_;
  std::vector<Rule> deny_;
  std::vector<Rule> allow_;
  std::set<std::string, std::less<>> header_keys_;
};

}  // namespace gateway::auth

#endif  // SERVER_AUTH_AUTHZ_POLICY_H_
