// Authorization on the gRPC port: the policy file, re-read when it changes,
// and the AuthMetadataProcessor that gRPC runs on every call of a TLS port
// before any handler, so no RPC can skip it. A denied call ends with
// PERMISSION_DENIED and writes an audit line; nothing reaches the Partner.
#ifndef SERVER_AUTH_AUTHZ_PROCESSOR_H_
#define SERVER_AUTH_AUTHZ_PROCESSOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "server/auth/authz_policy.h"
#include "server/common/metrics.h"
#include "server/common/watched_file.h"

namespace gateway::auth {

// The caller as its connection's AuthContext tells it.
Peer PeerOf(const grpc::AuthContext& context);

class PolicyFile {
 public:
  // Reads and parses `path`; an error names the file and the rule.
  static absl::StatusOr<std::unique_ptr<PolicyFile>> Open(std::string path,
                                                           absl::Duration recheck = absl::Seconds(5));

  // The policy in force. A file that changed is parsed again; one that does
  // not parse keeps the last good policy, logs why and counts on /metrics.
  std::shared_ptr<const AuthzPolicy> Current() ABSL_LOCKS_EXCLUDED(mu_);

  // The changes of the file since it was opened, after a check for a new
  // one (so a scrape notices a change even while no call comes).
  struct Reloads {
    int64_t ok = 0;
    int64_t failed = 0;
    // False while the file does not parse and the last good policy stays.
    bool valid = true;
  };
  Reloads CheckedReloads() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  PolicyFile(std::string path, absl::Duration recheck) : file_(std::move(path), recheck) {}
  absl::Status Reload() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  common::WatchedFile file_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const AuthzPolicy> policy_ ABSL_GUARDED_BY(mu_);
  bool last_reload_ok_ ABSL_GUARDED_BY(mu_) = true;
  int64_t reloads_ok_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t reloads_failed_ ABSL_GUARDED_BY(mu_) = 0;
};

class AuthzProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // Rules and audit lines see the environment header as the gateway reads
  // it: a call without it has `default_environment`.
  // Declares on `metrics` gateway_authz_decisions_total{decision},
  // gateway_authz_policy_reloads_total{result} and
  // gateway_authz_policy_file_valid; `policy` and `metrics` must outlive it.
  AuthzProcessor(PolicyFile* policy, std::string environment_header, std::string default_environment,
                 common::Metrics* metrics);

  // Evaluation takes microseconds and no I/O but a stat every few seconds:
  // it runs on gRPC's own thread.
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext* context, OutputMetadata* consumed,
                       OutputMetadata* response) override;

 private:
  PolicyFile* const policy_;
  const std::string environment_header_;
  const std::string default_environment_;
  common::Metrics::Family<common::Metrics::Counter>& decisions_;
  common::Metrics::Counter& allowed_;
  common::Metrics::Counter& denied_;
};

}  // namespace gateway::auth

#endif  // SERVER_AUTH_AUTHZ_PROCESSOR_H_
