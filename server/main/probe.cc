#include "server/main/probe.h"

#include <chrono>
#include <cstdio>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace gateway {

int Probe(const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2 || args[0].empty() || args[0][0] == '-') {
    std::fputs("usage: partner-gateway probe HOST:PORT [SERVICE]\n", stderr);
    return 2;
  }
  const std::string& address = args[0];
  grpc::health::v1::HealthCheckRequest request;
  if (args.size() == 2) request.set_service(args[1]);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckResponse reply;
  const grpc::Status status =
      grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))
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
