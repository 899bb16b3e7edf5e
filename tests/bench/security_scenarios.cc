// Scenario 11: what knowing who calls costs. The same calls against a gateway
// serving plaintext and one requiring mutual TLS with an authorization
// policy, in the same run: a new connection with its first call (the TLS
// handshake), and calls on an open connection (record encryption and the
// policy's evaluation).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "tests/bench/bench_support.h"
#include "tests/integration/pki.h"

namespace gateway::bench {
namespace {

namespace v1 = ::peeker::partner::v1;

constexpr char kCaller[] = "spiffe://bench.test/ns/bench/sa/caller";

// A policy of the size a real one has: a few rules, the caller's matched last.
constexpr char kPolicy[] = R"({
  "name": "bench",
  "deny_rules": [{"name": "no-live-deletes", "request": {"paths": ["*/DeleteUser", "*/DeleteBundle"],
                  "headers": [{"key": "peeker-environment", "values": ["live"]}]}}],
  "allow_rules": [
    {"name": "health", "request": {"paths": ["/grpc.health.v1.Health/*"]}},
    {"name": "orders-live", "source": {"principals": ["spiffe://bench.test/ns/orders/sa/checkout"]},
     "request": {"paths": ["/peeker.partner.v1.OrderService/*"],
                 "headers": [{"key": "peeker-environment", "values": ["live"]}]}},
    {"name": "bench-sandbox", "source": {"principals": ["spiffe://bench.test/ns/bench/*"]},
     "request": {"paths": ["/peeker.partner.v1.DomainService/*"],
                 "headers": [{"key": "peeker-environment", "values": ["sandbox"]}]}}
  ]
})";

struct Mode {
  std::string name;
  std::vector<std::string> gateway_args;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

struct Figures {
  Latencies warm_up;  // not reported
  Latencies connect;  // a new connection and its first call
  double connect_cpu_us = 0;
  Latencies call;     // on an open connection
  double call_cpu_us = 0;
  int64_t failed = 0;
};

// A channel of its own: a unique argument keeps gRPC from sharing a
// connection with an earlier channel.
std::shared_ptr<grpc::Channel> NewChannel(const Mode& mode, const std::string& target, int id) {
  grpc::ChannelArguments arguments;
  arguments.SetInt("bench.channel", id);
  arguments.SetSslTargetNameOverride("localhost");
  return grpc::CreateCustomChannel(target, mode.credentials, arguments);
}

grpc::Status Check(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckResponse reply;
  return grpc::health::v1::Health::NewStub(channel)->Check(&context, {}, &reply);
}

// One gateway under test, with its own sandbox.
struct Gateway {
  const Mode* mode;
  std::unique_ptr<testing::Stack> stack;
  std::unique_ptr<GatewayMetrics> metrics;
  std::unique_ptr<v1::DomainService::Stub> domains;
  Figures figures;

  bool Connect(int id) const { return Check(NewChannel(*mode, stack->gateway_target(), id)).ok(); }
  bool Call() const {
    v1::CheckAvailabilityRequest request;
    request.add_domains("acme-mail.com");
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("peeker-environment", "sandbox");
    v1::CheckAvailabilityResponse reply;
    return domains->CheckAvailability(&context, request, &reply).ok();
  }
};

// Runs `attempt(gateway, i)` `count` times on each gateway in turn, so that
// every gateway meets the same machine at the same moments; each gets the
// latencies in `latencies` and its CPU per attempt in `cpu_us` (when set).
template <typename Attempt>
void Interleaved(std::vector<Gateway>& gateways, int count, Latencies Figures::*latencies, double Figures::*cpu_us,
                 const Attempt& attempt) {
  std::vector<double> before;
  for (const Gateway& gateway : gateways) before.push_back(gateway.metrics->cpu_seconds());
  for (int i = 0; i < count; ++i) {
    for (Gateway& gateway : gateways) {
      const int64_t started = NowNs();
      const bool ok = attempt(gateway, i);
      const int64_t took = NowNs() - started;
      if (ok) {
        (gateway.figures.*latencies).Add(took);
      } else {
        ++gateway.figures.failed;
      }
    }
  }
  for (size_t g = 0; g < gateways.size() && cpu_us != nullptr; ++g) {
    gateways[g].figures.*cpu_us = (gateways[g].metrics->cpu_seconds() - before[g]) * 1e6 / count;
  }
}


}  // namespace

void SecurityOverhead(const Settings& settings, Report* report) {
  report->Section("11. Knowing who calls: mutual TLS and a policy against plaintext");
  const std::string dir = absl::StrCat(std::filesystem::temp_directory_path().string(), "/pki-", ::getpid());
  auto pki = testing::Pki::Make(dir, "bench");
  if (!pki.ok()) return report->Fail(pki.status().ToString());
  auto server = pki->Server("server");
  auto client = pki->Client("caller", kCaller);
  if (!server.ok() || !client.ok()) return report->Fail("openssl could not issue the certificates");
  const std::string policy = dir + "/policy.json";
  std::ofstream(policy) << kPolicy;
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = testing::ReadFile(pki->ca_file());
  tls.pem_cert_chain = testing::ReadFile(client->cert_file);
  tls.pem_private_key = testing::ReadFile(client->key_file);
  const std::vector<Mode> modes = {
      {"plaintext", {}, grpc::InsecureChannelCredentials()},
      {"mutual TLS + policy",
       {"--grpc-tls-cert-file", server->cert_file, "--grpc-tls-key-file", server->key_file, "--grpc-client-ca-file",
        pki->ca_file(), "--authz-policy-file", policy},
       grpc::SslCredentials(tls)},
  };
  const int connections = settings.smoke ? 20 : 500;
  const int calls = settings.smoke ? 100 : 5000;
  std::vector<Gateway> gateways;
  for (const Mode& mode : modes) {
    Gateway gateway{&mode, StartBenchStack(report, {}, mode.gateway_args, /*webhooks=*/false), nullptr, nullptr, {}};
    if (gateway.stack == nullptr) return;
    gateway.metrics = std::make_unique<GatewayMetrics>(gateway.stack->admin_port());
    gateway.domains = std::make_unique<v1::DomainService::Stub>(NewChannel(mode, gateway.stack->gateway_target(), -1));
    gateways.push_back(std::move(gateway));
  }
  Report::Progress("11: new connections, then calls on an open one, to each gateway in turn");
  const auto connect = [](const Gateway& gateway, int i) { return gateway.Connect(i); };
  const auto call = [](const Gateway& gateway, int) { return gateway.Call(); };
  Interleaved(gateways, 10, &Figures::warm_up, nullptr, [](const Gateway& gateway, int i) { return gateway.Connect(-2 - i); });
  Interleaved(gateways, connections, &Figures::connect, &Figures::connect_cpu_us, connect);
  Interleaved(gateways, 50, &Figures::warm_up, nullptr, call);
  Interleaved(gateways, calls, &Figures::call, &Figures::call_cpu_us, call);
  std::vector<Figures> results;
  for (Gateway& gateway : gateways) {
    if (gateway.figures.failed > 0) {
      return report->Fail(absl::StrCat(gateway.mode->name, ": ", gateway.figures.failed, " calls failed"));
    }
    gateway.figures.connect.Finish();
    gateway.figures.call.Finish();
    results.push_back(std::move(gateway.figures));
  }
  std::filesystem::remove_all(dir);

  report->Text(absl::StrCat(
      "Two gateways side by side, called in turn so that both meet the same machine at the same moments: one serving "
      "plaintext, one requiring a client certificate "
      "(ECDSA P-256, made by openssl at start) and evaluating a four-rule policy on every call. A **new connection**: ",
      Thousands(connections), " channels of their own, each with one `grpc.health.v1.Health/Check` (the TCP and TLS "
      "handshakes, and the policy); a **call on an open connection**: ", Thousands(calls), " `CheckAvailability` "
      "calls one after another on one channel, which reach partner-sandbox. Gateway CPU from its own "
      "`process_cpu_seconds_total`."));
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < modes.size(); ++i) {
    const Figures& f = results[i];
    rows.push_back({modes[i].name, Ms(f.connect.PercentileMs(0.5)), Ms(f.connect.PercentileMs(0.99)),
                    Us(f.connect_cpu_us), Ms(f.call.PercentileMs(0.5)), Ms(f.call.PercentileMs(0.99)),
                    Us(f.call_cpu_us)});
  }
  const Figures& plain = results[0];
  const Figures& secure = results[1];
  rows.push_back({"added", Ms(secure.connect.PercentileMs(0.5) - plain.connect.PercentileMs(0.5)), "",
                  Us(secure.connect_cpu_us - plain.connect_cpu_us),
                  Ms(secure.call.PercentileMs(0.5) - plain.call.PercentileMs(0.5)), "",
                  Us(secure.call_cpu_us - plain.call_cpu_us)});
  report->Table({"", "new connection p50", "p99", "gateway CPU per connection", "call p50", "p99",
                 "gateway CPU per call"},
                rows);
  report->Text(
      "A gRPC channel keeps its connection, so a caller pays the handshake once per connection, not per call. Most "
      "of the handshake's CPU, on both sides, is OpenSSL 3.0's decoding of the peer's certificate "
      "(`OSSL_DECODER_*`, `OPENSSL_LH_doall_arg` in a `perf` profile of this scenario).");
}

}  // namespace gateway::bench
