#include "server/auth/authz_policy.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "server/common/status_macros.h"

namespace gateway::auth {
namespace {

using Json = nlohmann::json;
using Pattern = AuthzPolicy::Pattern;
using Rule = AuthzPolicy::Rule;

// Headers a policy may not match (A43): pseudo-headers, gRPC's own, Host and
// the hop-by-hop ones.
bool UnmatchableHeader(absl::string_view key) {
  static const std::set<absl::string_view> kHopByHop = {
      "host", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "te", "trailer", "transfer-encoding", "upgrade"};
  return absl::StartsWith(key, ":") || absl::StartsWith(key, "grpc-") || kHopByHop.count(key) > 0;
}

absl::Status Refuse(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// Checks that `object` is a JSON object with no key outside `known`.
absl::Status CheckObject(const Json& object, absl::string_view where, std::initializer_list<absl::string_view> known) {
  if (!object.is_object()) return Refuse(where, "must be an object");
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (absl::string_view k : known) found = found || key == k;
    if (!found) return Refuse(where, absl::StrCat("unknown field \"", key, "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<Pattern> ParsePattern(const Json& value, absl::string_view where) {
  if (!value.is_string()) return Refuse(where, "must be a string");
  const std::string text = value.get<std::string>();
  if (text == "*") return Pattern{Pattern::Kind::kPresence, ""};
  absl::string_view inner = text;
  Pattern::Kind kind = Pattern::Kind::kExact;
  if (absl::ConsumePrefix(&inner, "*")) {
    kind = Pattern::Kind::kSuffix;
  } else if (absl::ConsumeSuffix(&inner, "*")) {
    kind = Pattern::Kind::kPrefix;
  }
  if (absl::StrContains(inner, '*')) return Refuse(where, "only a leading or trailing * is supported");
  return Pattern{kind, std::string(inner)};
}

absl::StatusOr<std::vector<Pattern>> ParsePatterns(const Json& list, absl::string_view where) {
  if (!list.is_array()) return Refuse(where, "must be an array of strings");
  std::vector<Pattern> patterns;
  for (size_t i = 0; i < list.size(); ++i) {
    ASSIGN_OR_RETURN(Pattern pattern, ParsePattern(list[i], absl::StrCat(where, "[", i, "]")));
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

absl::StatusOr<Rule> ParseRule(const Json& json, const std::string& where) {
  RETURN_IF_ERROR(CheckObject(json, where, {"name", "source", "request"}));
  if (!json.contains("name") || !json["name"].is_string() || json["name"].get<std::string>().empty()) {
    return Refuse(where, "needs a \"name\" (a non-empty string)");
  }
  Rule rule;
  rule.name = json["name"].get<std::string>();
  const std::string named = absl::StrCat(where, " (\"", rule.name, "\")");
  if (json.contains("source")) {
    const Json& source = json["source"];
    RETURN_IF_ERROR(CheckObject(source, absl::StrCat(named, ": source"), {"principals"}));
    if (source.contains("principals")) {
      ASSIGN_OR_RETURN(rule.principals, ParsePatterns(source["principals"], absl::StrCat(named, ": source.principals")));
    }
  }
  if (json.contains("request")) {
    const Json& request = json["request"];
    RETURN_IF_ERROR(CheckObject(request, absl::StrCat(named, ": request"), {"paths", "headers"}));
    if (request.contains("paths")) {
      ASSIGN_OR_RETURN(rule.paths, ParsePatterns(request["paths"], absl::StrCat(named, ": request.paths")));
    }
    if (request.contains("headers")) {
      const Json& headers = request["headers"];
      if (!headers.is_array()) return Refuse(absl::StrCat(named, ": request.headers"), "must be an array");
      for (size_t i = 0; i < headers.size(); ++i) {
        const std::string at = absl::StrCat(named, ": request.headers[", i, "]");
        RETURN_IF_ERROR(CheckObject(headers[i], at, {"key", "values"}));
        if (!headers[i].contains("key") || !headers[i]["key"].is_string()) return Refuse(at, "needs a \"key\" (a string)");
        AuthzPolicy::HeaderMatch match;
        match.key = absl::AsciiStrToLower(headers[i]["key"].get<std::string>());
        if (match.key.empty() || UnmatchableHeader(match.key)) {
          return Refuse(at, absl::StrCat("header \"", match.key,
                                         "\" cannot be matched (pseudo-headers, grpc-*, host and hop-by-hop "
                                         "headers are not supported)"));
        }
        if (!headers[i].contains("values")) return Refuse(at, "needs \"values\"");
        ASSIGN_OR_RETURN(match.values, ParsePatterns(headers[i]["values"], absl::StrCat(at, ".values")));
        if (match.values.empty()) return Refuse(absl::StrCat(at, ".values"), "must not be empty");
        rule.headers.push_back(std::move(match));
      }
    }
  }
  return rule;
}

absl::StatusOr<std::vector<Rule>> ParseRules(const Json& policy, absl::string_view list) {
  std::vector<Rule> rules;
  if (!policy.contains(list)) return rules;
  const Json& json = policy[std::string(list)];
  if (!json.is_array()) return Refuse(list, "must be an array of rules");
  std::set<std::string> names;
  for (size_t i = 0; i < json.size(); ++i) {
    ASSIGN_OR_RETURN(Rule rule, ParseRule(json[i], absl::StrCat(list, "[", i, "]")));
    if (!names.insert(rule.name).second) {
      return Refuse(absl::StrCat(list, "[", i, "]"), absl::StrCat("a second rule named \"", rule.name, "\""));
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

bool AnyMatches(const std::vector<Pattern>& patterns, absl::string_view value) {
  for (const Pattern& pattern : patterns) {
    if (pattern.Matches(value)) return true;
  }
  return false;
}

// A43's order: URI SANs, else DNS SANs, else the subject.
bool PrincipalMatches(const std::vector<Pattern>& patterns, const Peer& peer) {
  if (!peer.tls) return false;
  if (!peer.has_certificate) return AnyMatches(patterns, "");
  for (const std::vector<std::string>* names : {&peer.uri_sans, &peer.dns_sans}) {
    for (const std::string& name : *names) {
      if (AnyMatches(patterns, name)) return true;
    }
  }
  return AnyMatches(patterns, peer.subject);
}

}  // namespace

std::string PrincipalName(const Peer& peer) {
  if (!peer.tls) return "plaintext";
  if (!peer.has_certificate) return "unauthenticated";
  if (!peer.uri_sans.empty()) return peer.uri_sans.front();
  if (!peer.dns_sans.empty()) return peer.dns_sans.front();
  return peer.subject;
}

bool AuthzPolicy::Pattern::Matches(absl::string_view value) const {
  switch (kind) {
    case Kind::kExact:
      return value == text;
    case Kind::kPrefix:
      return absl::StartsWith(value, text);
    case Kind::kSuffix:
      return absl::EndsWith(value, text);
    case Kind::kPresence:
      return !value.empty();
  }
  return false;
}

bool AuthzPolicy::Rule::Matches(const Peer& peer, const CallRequest& request) const {
  if (!principals.empty() && !PrincipalMatches(principals, peer)) return false;
  if (!paths.empty() && !AnyMatches(paths, request.path)) return false;
  for (const HeaderMatch& header : headers) {
    auto it = request.headers.find(header.key);
    if (it == request.headers.end() || !AnyMatches(header.values, it->second)) return false;
  }
  return true;
}

AuthzPolicy::AuthzPolicy(std::string name, std::vector<Rule> deny, std::vector<Rule> allow)
    : name_(std::move(name)), deny_(std::move(deny)), allow_(std::move(allow)) {
  for (const std::vector<Rule>* rules : {&deny_, &allow_}) {
    for (const Rule& rule : *rules) {
      for (const HeaderMatch& header : rule.headers) header_keys_.insert(header.key);
    }
  }
}

absl::StatusOr<AuthzPolicy> AuthzPolicy::Parse(absl::string_view text) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& error) {
    return absl::InvalidArgumentError(absl::StrCat("not JSON: ", error.what()));
  }
  RETURN_IF_ERROR(CheckObject(json, "policy", {"name", "deny_rules", "allow_rules"}));
  if (!json.contains("name") || !json["name"].is_string()) return Refuse("policy", "needs a \"name\" (a string)");
  if (!json.contains("allow_rules")) return Refuse("policy", "needs \"allow_rules\"");
  ASSIGN_OR_RETURN(std::vector<Rule> deny, ParseRules(json, "deny_rules"));
  ASSIGN_OR_RETURN(std::vector<Rule> allow, ParseRules(json, "allow_rules"));
  return AuthzPolicy(json["name"].get<std::string>(), std::move(deny), std::move(allow));
}

Decision AuthzPolicy::Evaluate(const Peer& peer, const CallRequest& request) const {
  for (const Rule& rule : deny_) {
    if (rule.Matches(peer, request)) return {false, rule.name};
  }
  for (const Rule& rule : allow_) {
    if (rule.Matches(peer, request)) return {true, rule.name};
  }
  return {false, ""};
}

}  // namespace gateway::auth
