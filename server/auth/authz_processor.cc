#include "server/auth/authz_processor.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/auth/audit.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"

namespace gateway::auth {
namespace {

std::string Str(const grpc::string_ref& ref) { return std::string(ref.data(), ref.size()); }

}  // namespace

Peer PeerOf(const grpc::AuthContext& context) {
  Peer peer;
  for (const grpc::string_ref& type : context.FindPropertyValues("transport_security_type")) {
    peer.tls = peer.tls || type == "ssl" || type == "tls";
  }
  peer.has_certificate = peer.tls && context.IsPeerAuthenticated();
  if (!peer.has_certificate) return peer;
  for (const grpc::string_ref& uri : context.FindPropertyValues("peer_uri")) peer.uri_sans.push_back(Str(uri));
  for (const grpc::string_ref& dns : context.FindPropertyValues("peer_dns")) peer.dns_sans.push_back(Str(dns));
  for (const grpc::string_ref& subject : context.FindPropertyValues("x509_subject")) peer.subject = Str(subject);
  return peer;
}

absl::StatusOr<std::unique_ptr<PolicyFile>> PolicyFile::Open(std::string path, absl::Duration recheck) {
  std::unique_ptr<PolicyFile> file(new PolicyFile(std::move(path), recheck));
  absl::MutexLock lock(&file->mu_);
  RETURN_IF_ERROR(file->Reload());
  return file;
}

absl::Status PolicyFile::Reload() {
  ASSIGN_OR_RETURN(const std::string text, file_.Read("authorization policy"));
  absl::StatusOr<AuthzPolicy> policy = AuthzPolicy::Parse(text);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("authorization policy ", file_.path(), ": ", policy.status().message()));
  }
  policy_ = std::make_shared<const AuthzPolicy>(*std::move(policy));
  return absl::OkStatus();
}

std::shared_ptr<const AuthzPolicy> PolicyFile::Current() {
  absl::MutexLock lock(&mu_);
  if (file_.Changed()) {
    const absl::Status status = Reload();
    last_reload_ok_ = status.ok();
    if (status.ok()) {
      ++reloads_ok_;
      common::Log(common::LogLevel::kInfo, "authorization policy reloaded",
                  {{"file", file_.path()}, {"policy", policy_->name()}});
    } else {
      ++reloads_failed_;
      common::Log(common::LogLevel::kError, "authorization policy not reloaded; the last good one stays in force",
                  {{"error", std::string(status.message())}});
    }
  }
  return policy_;
}

PolicyFile::Reloads PolicyFile::CheckedReloads() {
  (void)Current();
  absl::MutexLock lock(&mu_);
  return {reloads_ok_, reloads_failed_, last_reload_ok_};
}

namespace {

common::Metrics::Family<common::Metrics::Counter>& Decisions(common::Metrics* metrics, PolicyFile* policy) {
  metrics->AddCallback(
      "gateway_authz_policy_reloads_total", "Changes of the authorization policy file, by whether they parsed.",
      common::Metrics::Type::kCounter, {"result"}, [policy] {
        const PolicyFile::Reloads reloads = policy->CheckedReloads();
        return common::Metrics::Samples{{{"ok"}, static_cast<double>(reloads.ok)},
                                        {{"error"}, static_cast<double>(reloads.failed)}};
      });
  metrics->AddCallback("gateway_authz_policy_file_valid",
                       "0 while the policy file does not parse and the last good policy stays in force.",
                       common::Metrics::Type::kGauge, [policy] { return policy->CheckedReloads().valid ? 1.0 : 0.0; });
  return metrics->AddCounter("gateway_authz_decisions_total", "Calls the authorization policy allowed or denied.",
                             {"decision"});
}

}  // namespace

AuthzProcessor::AuthzProcessor(PolicyFile* policy, std::string environment_header, std::string default_environment,
                               common::Metrics* metrics)
    : policy_(policy),
      environment_header_(std::move(environment_header)),
      default_environment_(std::move(default_environment)),
      decisions_(Decisions(metrics, policy)),
      allowed_(decisions_.With({"allow"})),
      denied_(decisions_.With({"deny"})) {}

grpc::Status AuthzProcessor::Process(const InputMetadata& metadata, grpc::AuthContext* context, OutputMetadata*,
                                     OutputMetadata*) {
  const std::shared_ptr<const AuthzPolicy> policy = policy_->Current();
  std::string path;
  // Only the headers the rules name, and the environment for the audit line.
  std::map<std::string, std::string> headers;
  for (const auto& [key, value] : metadata) {
    const absl::string_view name(key.data(), key.size());
    if (name == ":path") {
      path = Str(value);
      continue;
    }
    if (name != environment_header_ && !policy->NamesHeader(name)) continue;
    std::string& joined = headers[std::string(name)];
    joined = joined.empty() ? Str(value) : absl::StrCat(joined, ",", Str(value));
  }
  const std::string& environment = headers.emplace(environment_header_, default_environment_).first->second;
  const Peer peer = PeerOf(*context);
  const Decision decision = policy->Evaluate(peer, {path, headers});
  if (decision.allowed) {
    allowed_.Add();
    return grpc::Status::OK;
  }
  denied_.Add();
  const std::string why = decision.rule.empty() ? "no allow rule matches" : absl::StrCat("deny rule \"", decision.rule, "\"");
  AuditRecord record;
  record.principal = PrincipalName(peer);
  record.method = path;
  record.environment = environment;
  record.code = absl::StatusCode::kPermissionDenied;
  record.reason = why;
  WriteAuditLine(record);
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      absl::StrCat(path, " is not allowed for ", record.principal, " by the authorization policy (",
                                   why, ")"));
}

}  // namespace gateway::auth
