// Certificates made at test time with the openssl command: a CA, a server
// certificate for localhost and 127.0.0.1, and client certificates carrying
// SPIFFE IDs, under a fresh directory. Nothing is committed.
#ifndef TESTS_INTEGRATION_PKI_H_
#define TESTS_INTEGRATION_PKI_H_

#include <string>

#include "absl/status/statusor.h"

namespace gateway::testing {

// A certificate and its key, as PEM files.
struct KeyPair {
  std::string cert_file;
  std::string key_file;
};

class Pki {
 public:
  // A new CA named `name` under `dir` (created).
  static absl::StatusOr<Pki> Make(const std::string& dir, const std::string& name);

  const std::string& ca_file() const { return ca_file_; }
  // A server certificate for localhost and 127.0.0.1; `tag` names its files.
  absl::StatusOr<KeyPair> Server(const std::string& tag) const;
  // A client certificate whose URI SAN is `spiffe_id`.
  absl::StatusOr<KeyPair> Client(const std::string& tag, const std::string& spiffe_id) const;

 private:
  absl::StatusOr<KeyPair> Issue(const std::string& tag, const std::string& subject, const std::string& san) const;
  std::string dir_;
  std::string ca_file_;
  std::string ca_key_file_;
};

// The whole content of a file ("" when unreadable).
std::string ReadFile(const std::string& path);

}  // namespace gateway::testing

#endif  // TESTS_INTEGRATION_PKI_H_
