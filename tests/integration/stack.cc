#include "tests/integration/stack.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "httplib.h"

namespace gateway::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);

std::string WriteKeyFile() {
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/gateway-it-", getpid(), ".key");
  std::ofstream(path, std::ios::trunc) << Stack::kSandboxKey << "\n";
  return path;
}

absl::StatusOr<int> PortFrom(const std::string& text) {
  int port = 0;
  const size_t colon = text.rfind(':');
  if (!absl::SimpleAtoi(colon == std::string::npos ? text : text.substr(colon + 1), &port) || port <= 0) {
    return absl::InternalError(absl::StrCat("no port in \"", text, "\""));
  }
  return port;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Stack>> Stack::Start(Options options) {
  std::unique_ptr<Stack> stack(new Stack());
  std::vector<std::string> sandbox_argv = {PARTNER_SANDBOX_BIN, "--listen", "127.0.0.1:0"};
  sandbox_argv.insert(sandbox_argv.end(), options.sandbox_args.begin(), options.sandbox_args.end());
  auto sandbox = ChildProcess::Start(sandbox_argv);
  if (!sandbox.ok()) return sandbox.status();
  stack->sandbox_ = *std::move(sandbox);
  auto sandbox_url = stack->sandbox_->WaitForLine("partner-sandbox listening on ", kStartTimeout);
  if (!sandbox_url.ok()) return sandbox_url.status();
  auto sandbox_port = PortFrom(*sandbox_url);
  if (!sandbox_port.ok()) return sandbox_port.status();
  stack->sandbox_port_ = *sandbox_port;

  std::vector<std::string> gateway_argv = {
      PARTNER_GATEWAY_BIN,
      "--grpc-listen",
      "127.0.0.1:0",
      "--partner-base-url",
      absl::StrCat("http://127.0.0.1:", stack->sandbox_port_, "/partner/v1"),
      "--sandbox-key-file",
      WriteKeyFile(),
      "--shutdown-grace",
      "2s"};
  gateway_argv.insert(gateway_argv.end(), options.gateway_args.begin(), options.gateway_args.end());
  auto gateway = ChildProcess::Start(gateway_argv);
  if (!gateway.ok()) return gateway.status();
  stack->gateway_ = *std::move(gateway);
  auto serving = stack->gateway_->WaitForLine("partner-gateway serving gRPC on port ", kStartTimeout);
  if (!serving.ok()) return serving.status();
  auto gateway_port = PortFrom(*serving);
  if (!gateway_port.ok()) return gateway_port.status();
  stack->gateway_target_ = absl::StrCat("127.0.0.1:", *gateway_port);
  stack->channel_ = grpc::CreateChannel(stack->gateway_target_, grpc::InsecureChannelCredentials());
  return stack;
}

absl::Status Stack::InjectFault(const nlohmann::json& fault) {
  httplib::Client control("127.0.0.1", sandbox_port_);
  auto result = control.Post("/_sandbox/faults", fault.dump(), "application/json");
  if (!result || result->status != 201) return absl::InternalError("the sandbox refused the fault");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<nlohmann::json>> Stack::SandboxRequests() {
  httplib::Client control("127.0.0.1", sandbox_port_);
  auto result = control.Get("/_sandbox/requests");
  if (!result || result->status != 200) return absl::InternalError("the sandbox did not list its requests");
  auto json = nlohmann::json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("data") || !json["data"].is_array()) {
    return absl::InternalError("unexpected /_sandbox/requests body");
  }
  return json["data"].get<std::vector<nlohmann::json>>();
}

}  // namespace gateway::testing
