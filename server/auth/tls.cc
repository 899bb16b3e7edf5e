#include "server/auth/tls.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace gateway::auth {

absl::Status CheckKeyPair(const std::string& cert_file, const std::string& key_file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> cert_in(std::fopen(cert_file.c_str(), "r"), &std::fclose);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> key_in(std::fopen(key_file.c_str(), "r"), &std::fclose);
  if (cert_in == nullptr || key_in == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", cert_in == nullptr ? cert_file : key_file));
  }
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(cert_in.get(), nullptr, nullptr, nullptr), &X509_free);
  if (cert == nullptr) return absl::InvalidArgumentError(absl::StrCat(cert_file, " holds no PEM certificate"));
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(PEM_read_PrivateKey(key_in.get(), nullptr, nullptr, nullptr),
                                                      &EVP_PKEY_free);
  if (key == nullptr) return absl::InvalidArgumentError(absl::StrCat(key_file, " holds no PEM private key"));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(key_file, " is not the private key of the certificate in ", cert_file));
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsFiles& files,
                                                           std::shared_ptr<grpc::AuthMetadataProcessor> processor) {
  if (files.cert_file.empty()) return grpc::InsecureServerCredentials();
  auto provider = files.client_ca_file.empty()
                      ? std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
                            files.key_file, files.cert_file, kCertificateRefreshSeconds)
                      : std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
                            files.key_file, files.cert_file, files.client_ca_file, kCertificateRefreshSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (files.client_ca_file.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::experimental::TlsServerCredentials(options);
  if (processor != nullptr) credentials->SetAuthMetadataProcessor(std::move(processor));
  return credentials;
}

}  // namespace gateway::auth
