#include "tests/integration/pki.h"

#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/watched_file.h"
#include "tests/integration/child_process.h"

namespace gateway::testing {
namespace {

absl::Status Openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  const std::string command = absl::StrJoin(args, " ");
  args.insert(args.begin(), "/usr/bin/env");
  auto process = ChildProcess::Start(args);
  if (!process.ok()) return process.status();
  const std::optional<int> code = (*process)->Wait(absl::Seconds(30));
  if (code != 0) return absl::InternalError(absl::StrCat(command, " failed: ", (*process)->Output()));
  return absl::OkStatus();
}

}  // namespace

std::string ReadFile(const std::string& path) { return common::ReadFile(path, "file").value_or(""); }

absl::StatusOr<Pki> Pki::Make(const std::string& dir, const std::string& name) {
  std::filesystem::create_directories(dir);
  Pki pki;
  pki.dir_ = dir;
  pki.ca_file_ = absl::StrCat(dir, "/", name, "-ca.pem");
  pki.ca_key_file_ = absl::StrCat(dir, "/", name, "-ca.key");
  if (absl::Status status = Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                     "-keyout", pki.ca_key_file_, "-out", pki.ca_file_, "-days", "2", "-subj",
                                     absl::StrCat("/CN=", name)});
      !status.ok()) {
    return status;
  }
  return pki;
}

absl::StatusOr<KeyPair> Pki::Issue(const std::string& tag, const std::string& subject, const std::string& san) const {
  const std::string base = absl::StrCat(dir_, "/", tag);
  KeyPair pair{base + ".pem", base + ".key"};
  const std::string extensions = base + ".ext";
  std::ofstream(extensions) << "subjectAltName=" << san << "\n";
  if (absl::Status status = Openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                     "-keyout", pair.key_file, "-out", base + ".csr", "-subj", subject});
      !status.ok()) {
    return status;
  }
  if (absl::Status status = Openssl({"x509", "-req", "-in", base + ".csr", "-CA", ca_file_, "-CAkey", ca_key_file_,
                                     "-CAcreateserial", "-out", pair.cert_file, "-days", "2", "-extfile", extensions});
      !status.ok()) {
    return status;
  }
  return pair;
}

absl::StatusOr<KeyPair> Pki::Server(const std::string& tag) const {
  return Issue(tag, "/CN=partner-gateway", "DNS:localhost,IP:127.0.0.1");
}

absl::StatusOr<KeyPair> Pki::Client(const std::string& tag, const std::string& spiffe_id) const {
  return Issue(tag, absl::StrCat("/CN=", tag), absl::StrCat("URI:", spiffe_id));
}

}  // namespace gateway::testing
