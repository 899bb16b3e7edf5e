#include "server/main/probe.h"

#include <chrono>
#include <cstdio>
#include <map>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "server/common/watched_file.h"

namespace gateway {
namespace {

constexpr char kUsage[] =
    "usage: partner-gateway probe [--ca-file F [--cert-file F --key-file F] [--server-name NAME]] HOST:PORT "
    "[SERVICE]\n";

// Reads the PEM file `flag` names into `pem`; says why not on stderr.
bool ReadPem(const char* flag, const std::string& path, std::string* pem) {
  absl::StatusOr<std::string> text = common::ReadFile(path, flag);
  if (!text.ok()) {
    std::fprintf(stderr, "partner-gateway probe: %s\n", std::string(text.status().message()).c_str());
    return false;
  }
  *pem = *std::move(text);
  return true;
}

}  // namespace

int Probe(const std::vector<std::string>& args) {
  std::map<std::string, std::string> flags = {
      {"--ca-file", ""}, {"--cert-file", ""}, {"--key-file", ""}, {"--server-name", ""}};
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].empty() || args[i][0] != '-') {
      positional.push_back(args[i]);
      continue;
    }
    const size_t equals = args[i].find('=');
    const std::string name = args[i].substr(0, equals);
    auto flag = flags.find(name);
    if (flag == flags.end() || (equals == std::string::npos && i + 1 == args.size())) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    flag->second = equals == std::string::npos ? args[++i] : args[i].substr(equals + 1);
  }
  const bool tls = !flags["--ca-file"].empty();
  const bool has_cert = !flags["--cert-file"].empty();
  if (positional.empty() || positional.size() > 2 || positional[0].empty() || has_cert != !flags["--key-file"].empty() ||
      (!tls && (has_cert || !flags["--server-name"].empty()))) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments arguments;
  if (tls) {
    grpc::SslCredentialsOptions options;
    if (!ReadPem("--ca-file", flags["--ca-file"], &options.pem_root_certs)) return 2;
    if (has_cert && (!ReadPem("--cert-file", flags["--cert-file"], &options.pem_cert_chain) ||
                     !ReadPem("--key-file", flags["--key-file"], &options.pem_private_key))) {
      return 2;
    }
    credentials = grpc::SslCredentials(options);
    if (!flags["--server-name"].empty()) arguments.SetSslTargetNameOverride(flags["--server-name"]);
  }
  const std::string& address = positional[0];
  grpc::health::v1::HealthCheckRequest request;
  if (positional.size() == 2) request.set_service(positional[1]);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckResponse reply;
  const grpc::Status status = grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(address, credentials, arguments))
                                  ->Check(&context, request, &reply);
  const char* service = request.service().empty() ? "\"\"" : request.service().c_str();
  if (!status.ok()) {
    std::fprintf(stdout, "%s at %s: %s\n", service, address.c_str(), status.error_message().c_str());
    return 1;
  }
  std::fprintf(stdout, "%s at %s: %s\n", service, address.c_str(),
               grpc::health::v1::HealthCheckResponse::ServingStatus_Name(reply.status()).c_str());
  return reply.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace gateway
