// TLS on the gRPC port with gRPC's own FileWatcherCertificateProvider, which
// re-reads the certificate, key and client CA files when they change.
#ifndef SERVER_AUTH_TLS_H_
#define SERVER_AUTH_TLS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "grpcpp/security/server_credentials.h"

namespace gateway::auth {

// How often the certificate files are looked at for a change.
inline constexpr int kCertificateRefreshSeconds = 5;

// Whether `cert_file` holds a PEM certificate whose public key is that of the
// PEM private key in `key_file`; the error names the files, never the key.
absl::Status CheckKeyPair(const std::string& cert_file, const std::string& key_file);

struct TlsFiles {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // empty: no client certificate asked
};

// Server credentials: TLS from `files`, or plaintext when cert_file is empty;
// `processor` (may be null, needs TLS) runs on every call before its handler.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsFiles& files,
                                                           std::shared_ptr<grpc::AuthMetadataProcessor> processor);

}  // namespace gateway::auth

#endif  // SERVER_AUTH_TLS_H_
