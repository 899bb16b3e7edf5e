// partner-gateway: parses the configuration, starts the gateway, serves until
// SIGTERM or SIGINT, then drains and exits 0. Start-up problems exit 2 with
// one clear line on stderr. `partner-gateway probe …` is the health probe
// (probe.h).
#include <signal.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "server/common/log.h"
#include "server/config/config.h"
#include "server/main/gateway.h"
#include "server/main/probe.h"

extern char** environ;

namespace {

std::map<std::string, std::string> Environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string item(*entry);
    const size_t equals = item.find('=');
    if (equals != std::string::npos) env.emplace(item.substr(0, equals), item.substr(equals + 1));
  }
  return env;
}

}  // namespace

int main(int argc, char** argv) {
  using gateway::common::Log;
  using gateway::common::LogLevel;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "probe") return gateway::Probe({args.begin() + 1, args.end()});
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(gateway::config::Usage().c_str(), stdout);
      return 0;
    }
  }
  absl::StatusOr<gateway::config::Config> config = gateway::config::ParseConfig(args, Environment());
  if (!config.ok()) {
    std::fprintf(stderr, "partner-gateway: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  gateway::common::SetMinLogLevel(config->log_level);
#ifdef NDEBUG
  // Debian's Abseil is built with its debug checks, which keep a lock-order
  // graph updated on every Mutex use and destruction; release builds of the
  // gateway leave lock-order checking to the sanitizer build and its tests.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif

  // Block the stop signals before any thread starts, so every thread inherits
  // the mask and only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto gateway = gateway::Gateway::Start(*config);
  if (!gateway.ok()) {
    std::fprintf(stderr, "partner-gateway: %s\n", std::string(gateway.status().message()).c_str());
    return 2;
  }
  std::printf("partner-gateway serving gRPC on port %d\n", (*gateway)->port());
  std::printf("partner-gateway admin on port %d\n", (*gateway)->admin_port());
  if ((*gateway)->webhook_port() != 0) {
    std::printf("partner-gateway receiving webhooks on port %d\n", (*gateway)->webhook_port());
  }
  std::fflush(stdout);
  Log(LogLevel::kInfo, "serving",
      {{"port", absl::StrCat((*gateway)->port())},
       {"partner_base_url", config->partner_base_url},
       {"webhook_port", absl::StrCat((*gateway)->webhook_port())},
       {"environments", absl::StrCat(config->sandbox_key ? "sandbox " : "", config->live_key ? "live" : "")},
       {"grpc_security", config->grpc_tls_cert_file.empty()          ? "plaintext"
                         : config->grpc_client_ca_file.empty()       ? "tls"
                         : config->authz_policy == nullptr           ? "mtls"
                                                                     : "mtls+policy"}});
  if (config->grpc_tls_cert_file.empty()) {
    Log(LogLevel::kWarning,
        "the gRPC port serves plaintext: any process that reaches it may call every sandbox method; for development "
        "only (see --grpc-tls-cert-file)");
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  Log(LogLevel::kInfo, "stopping", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"},
                                    {"grace", absl::FormatDuration(config->shutdown_grace)}});
  (*gateway)->Shutdown(config->shutdown_grace);
  Log(LogLevel::kInfo, "stopped");
  return 0;
}
