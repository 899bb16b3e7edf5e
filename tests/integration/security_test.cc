// TLS, mutual TLS and the authorization policy on the gRPC port, with a CA,
// server and client certificates made by openssl at test time.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "peeker/partner/v1/account.grpc.pb.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "tests/integration/child_process.h"
#include "tests/integration/pki.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCheckout[] = "spiffe://peeker.test/ns/orders/sa/checkout";
constexpr char kReports[] = "spiffe://peeker.test/ns/reports/sa/nightly";
constexpr char kLiveKey[] = "pk_live_FAKE_security";

// Checkout may call OrderService in live; any authenticated caller may read bundles and the account
// in sandbox; anyone may ask the health service.
std::string Policy(const std::string& live_callers) {
  return absl::StrCat(R"({
  "name": "security-test",
  "allow_rules": [
    {"name": "orders-live", "source": {"principals": [)", live_callers, R"(]},
     "request": {"paths": ["/peeker.partner.v1.OrderService/*"],
                 "headers": [{"key": "peeker-environment", "values": ["live"]}]}},
    {"name": "sandbox-reads", "source": {"principals": ["*"]},
     "request": {"paths": ["/peeker.partner.v1.BundleService/ListBundles", "/peeker.partner.v1.AccountService/GetAccount"],
                 "headers": [{"key": "peeker-environment", "values": ["sandbox"]}]}},
    {"name": "health", "request": {"paths": ["/grpc.health.v1.Health/*"]}}
  ]
})");
}

void Write(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".new";
  std::ofstream(temporary) << content;
  std::filesystem::rename(temporary, path);  // Atomically, as a Kubernetes volume update does.
}

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/security-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    auto ca = Pki::Make(dir_, "gateway");
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = std::make_unique<Pki>(*std::move(ca));
    auto server = ca_->Server("server");
    auto checkout = ca_->Client("checkout", kCheckout);
    auto reports = ca_->Client("reports", kReports);
    ASSERT_TRUE(server.ok() && checkout.ok() && reports.ok());
    server_ = *server;
    checkout_ = *checkout;
    reports_ = *reports;
    policy_file_ = dir_ + "/policy.json";
    Write(policy_file_, Policy(absl::StrCat("\"", kCheckout, "\"")));
    live_key_file_ = dir_ + "/live.key";
    std::ofstream(live_key_file_) << kLiveKey;
  }

  std::vector<std::string> Tls() const {
    return {"--grpc-tls-cert-file", server_.cert_file, "--grpc-tls-key-file", server_.key_file};
  }
  std::vector<std::string> MutualTlsWithPolicy() const {
    std::vector<std::string> args = Tls();
    args.insert(args.end(), {"--grpc-client-ca-file", ca_->ca_file(), "--authz-policy-file", policy_file_,
                             "--live-key-file", live_key_file_});
    return args;
  }

  void StartStack(std::vector<std::string> gateway_args) {
    Stack::Options options;
    options.gateway_args = std::move(gateway_args);
    auto stack = Stack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }

  // A TLS channel that trusts `ca_file`, presenting `client` when it has a certificate.
  std::shared_ptr<grpc::Channel> Channel(const KeyPair& client, const std::string& ca_file = "") const {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(ca_file.empty() ? ca_->ca_file() : ca_file);
    if (!client.cert_file.empty()) {
      options.pem_cert_chain = ReadFile(client.cert_file);
      options.pem_private_key = ReadFile(client.key_file);
    }
    grpc::ChannelArguments arguments;
    arguments.SetSslTargetNameOverride("localhost");
    return grpc::CreateCustomChannel(stack_->gateway_target(), grpc::SslCredentials(options), arguments);
  }

  static grpc::Status Health(const std::shared_ptr<grpc::Channel>& channel) {
    grpc::health::v1::HealthCheckResponse reply;
    return grpc::health::v1::Health::NewStub(channel)->Check(ContextWithDeadline(std::chrono::seconds(5)).get(), {},
                                                             &reply);
  }
  static grpc::Status ListBundles(const std::shared_ptr<grpc::Channel>& channel, const std::string& environment) {
    auto context = ContextWithDeadline();
    context->AddMetadata("peeker-environment", environment);
    v1::ListBundlesResponse reply;
    return v1::BundleService::NewStub(channel)->ListBundles(context.get(), {}, &reply);
  }
  static grpc::Status PlaceLiveOrder(const std::shared_ptr<grpc::Channel>& channel) {
    auto context = ContextWithDeadline();
    context->AddMetadata("peeker-environment", "live");
    v1::PlaceOrderResponse reply;
    return v1::OrderService::NewStub(channel)->PlaceOrder(
        context.get(), CustomOrder("buyer@security-test.example", {"security-avail1.com"}), &reply);
  }
  // How many calls to `path` partner-sandbox received.
  int SandboxCalls(const std::string& path) {
    auto requests = stack_->SandboxRequests();
    EXPECT_TRUE(requests.ok());
    int count = 0;
    for (const auto& request : *requests) count += request["path"] == path ? 1 : 0;
    return count;
  }

  std::string dir_;
  std::unique_ptr<Pki> ca_;
  KeyPair server_, checkout_, reports_;
  std::string policy_file_, live_key_file_;
  std::unique_ptr<Stack> stack_;
};

TEST_F(SecurityTest, MutualTlsRefusesCallersWithoutACertificateFromTheClientCa) {
  std::vector<std::string> args = Tls();
  args.insert(args.end(), {"--grpc-client-ca-file", ca_->ca_file()});
  StartStack(args);
  EXPECT_TRUE(Health(Channel(checkout_)).ok());

  const grpc::Status anonymous = Health(Channel({}));
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAVAILABLE) << anonymous.error_message();
  auto other = Pki::Make(dir_ + "/other", "other");
  ASSERT_TRUE(other.ok()) << other.status();
  auto stranger = other->Client("stranger", kCheckout);  // The right name, from the wrong CA.
  ASSERT_TRUE(stranger.ok());
  const grpc::Status refused = Health(Channel(*stranger));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  // A plaintext client does not get through either.
  grpc::health::v1::HealthCheckResponse reply;
  EXPECT_FALSE(grpc::health::v1::Health::NewStub(stack_->channel())
                   ->Check(ContextWithDeadline(std::chrono::seconds(5)).get(), {}, &reply)
                   .ok());

  // The probe subcommand, with the client certificate, as an exec probe or `helm test` runs it.
  const auto probe = [&](std::vector<std::string> flags) {
    flags.insert(flags.begin(), {PARTNER_GATEWAY_BIN, "probe", "--ca-file", ca_->ca_file()});
    flags.push_back(stack_->gateway_target());
    auto process = ChildProcess::Start(flags);
    EXPECT_TRUE(process.ok());
    return (*process)->Wait(absl::Seconds(10)).value_or(-1);
  };
  EXPECT_EQ(probe({"--cert-file", checkout_.cert_file, "--key-file", checkout_.key_file}), 0);
  EXPECT_EQ(probe({"--cert-file", checkout_.cert_file, "--key-file", checkout_.key_file, "--server-name=localhost"}), 0);
  EXPECT_EQ(probe({"--cert-file", checkout_.cert_file, "--key-file", checkout_.key_file, "--server-name=elsewhere"}), 1);
  EXPECT_EQ(probe({}), 1);                                   // No client certificate.
  EXPECT_EQ(probe({"--cert-file", checkout_.cert_file}), 2);  // A certificate without its key.
}

TEST_F(SecurityTest, TlsWithoutClientCertificatesServesEveryCallerAndAuditsItsWritesAsUnauthenticated) {
  StartStack(Tls());
  EXPECT_TRUE(ListBundles(Channel({}), "sandbox").ok());
  EXPECT_THAT(stack_->gateway().Output(), HasSubstr("grpc_security=tls"));
  EXPECT_THAT(stack_->gateway().Output(), Not(HasSubstr("serves plaintext")));

  v1::CreateBundleRequest request;
  request.set_name("Audited");
  request.set_monthly_sending_volume(25000);
  v1::CreateBundleResponse bundle;
  ASSERT_TRUE(
      v1::BundleService::NewStub(Channel({}))->CreateBundle(ContextWithDeadline().get(), request, &bundle).ok());
  // One audit line for the write, none for the read.
  EXPECT_THAT(stack_->gateway().Output(),
              ContainsRegex(absl::StrCat("level=info msg=write log=audit principal=unauthenticated "
                                         "method=/peeker\\.partner\\.v1\\.BundleService/CreateBundle "
                                         "environment=sandbox code=OK partner_request_id=req_[^ ]+ bundle_id=",
                                         bundle.bundle().id(), "\n")));
  EXPECT_THAT(stack_->gateway().Output(), Not(HasSubstr("ListBundles environment")));
}

TEST_F(SecurityTest, ThePolicyDecidesWhoCallsWhatInWhichEnvironment) {
  StartStack(MutualTlsWithPolicy());
  // Checkout's live order reaches the Partner (the sandbox refuses live keys, but it was asked).
  const grpc::Status allowed = PlaceLiveOrder(Channel(checkout_));
  EXPECT_NE(allowed.error_code(), grpc::StatusCode::PERMISSION_DENIED) << allowed.error_message();
  EXPECT_EQ(SandboxCalls("/partner/v1/orders"), 1);

  // Reports may not: PERMISSION_DENIED, and the sandbox saw nothing more.
  const grpc::Status denied = PlaceLiveOrder(Channel(reports_));
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied.error_message(),
            absl::StrCat("/peeker.partner.v1.OrderService/PlaceOrder is not allowed for ", kReports,
                         " by the authorization policy (no allow rule matches)"));
  EXPECT_EQ(SandboxCalls("/partner/v1/orders"), 1);
  // Any authenticated caller reads in sandbox, with the header or without it (sandbox is the default).
  EXPECT_TRUE(ListBundles(Channel(reports_), "sandbox").ok());
  v1::ListBundlesResponse reply;
  EXPECT_TRUE(v1::BundleService::NewStub(Channel(reports_))->ListBundles(ContextWithDeadline().get(), {}, &reply).ok());
  EXPECT_EQ(ListBundles(Channel(reports_), "live").error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The allowed write and the denial are audit lines naming the caller, the method, the environment,
  // the outcome and the Partner's request id or the reason; no key, no sequencer password.
  const std::string output = stack_->gateway().Output();
  const Details details = DetailsOf(allowed);
  ASSERT_TRUE(details.request_info.has_value()) << allowed.error_message();
  EXPECT_THAT(output, HasSubstr(absl::StrCat(
                          "msg=write log=audit principal=", kCheckout,
                          " method=/peeker.partner.v1.OrderService/PlaceOrder environment=live code=",
                          absl::StatusCodeToString(static_cast<absl::StatusCode>(allowed.error_code())),
                          " partner_request_id=", details.request_info->request_id(), "\n")));
  EXPECT_THAT(output, HasSubstr(absl::StrCat("level=warning msg=denied log=audit principal=", kReports,
                                             " method=/peeker.partner.v1.OrderService/PlaceOrder environment=live "
                                             "code=PERMISSION_DENIED reason=\"no allow rule matches\"\n")));
  EXPECT_THAT(output, Not(HasSubstr(kLiveKey)));
  EXPECT_THAT(output, Not(HasSubstr(Stack::kSandboxKey)));
  EXPECT_THAT(output, Not(HasSubstr("gateway-tests-login")));
}

TEST_F(SecurityTest, TheCppClientConnectsWithMutualTlsThroughItsPublicApi) {
  StartStack(MutualTlsWithPolicy());
  using peeker::partner::client::GatewayClient;
  const GatewayClient client = GatewayClient::Connect(
      stack_->gateway_target(), {}, GatewayClient::TlsCredentials(ca_->ca_file(), reports_.cert_file, reports_.key_file));
  v1::ListBundlesResponse page;
  const grpc::Status status = client.bundles()->ListBundles(client.NewContext().get(), {}, &page);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // No client certificate.
  const GatewayClient anonymous =
      GatewayClient::Connect(stack_->gateway_target(), {}, GatewayClient::TlsCredentials(ca_->ca_file()));
  EXPECT_EQ(anonymous.bundles()->ListBundles(anonymous.NewContext().get(), {}, &page).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecurityTest, ARewrittenPolicyTakesEffectWithoutARestartAndABrokenOneKeepsTheLast) {
  StartStack(MutualTlsWithPolicy());
  ASSERT_EQ(PlaceLiveOrder(Channel(reports_)).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Write(policy_file_, Policy(absl::StrCat("\"", kCheckout, "\", \"", kReports, "\"")));
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  grpc::Status status;
  do {
    absl::SleepFor(absl::Milliseconds(200));
    status = PlaceLiveOrder(Channel(reports_));
  } while (status.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
           absl::StrContains(status.error_message(), "authorization policy") && absl::Now() < deadline);
  EXPECT_THAT(status.error_message(), Not(HasSubstr("authorization policy")));
  EXPECT_EQ(SandboxCalls("/partner/v1/orders"), 1);

  Write(policy_file_, R"({"name": "broken", "allow_rules": [{"name": "x", "request": {"paths": ["/a*b"]}}]})");
  // The file is looked at again on the next call after the recheck interval.
  const absl::Time broken_deadline = absl::Now() + absl::Seconds(15);
  while (!absl::StrContains(stack_->gateway().Output(), "authorization policy not reloaded") &&
         absl::Now() < broken_deadline) {
    absl::SleepFor(absl::Milliseconds(200));
    (void)ListBundles(Channel(reports_), "sandbox");
  }
  ASSERT_THAT(stack_->gateway().Output(),
              HasSubstr("authorization policy not reloaded; the last good one stays in force"));
  EXPECT_THAT(stack_->gateway().Output(), HasSubstr("allow_rules[0] (\\\"x\\\"): request.paths[0]"));
  EXPECT_THAT(PlaceLiveOrder(Channel(reports_)).error_message(), Not(HasSubstr("authorization policy")));
  // /metrics tells the broken file, the good reload before it, and the decisions.
  httplib::Client admin("127.0.0.1", stack_->admin_port());
  auto metrics = admin.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_THAT(metrics->body, HasSubstr("gateway_authz_policy_file_valid 0\n"));
  EXPECT_THAT(metrics->body, HasSubstr("gateway_authz_policy_reloads_total{result=\"ok\"} 1\n"));
  EXPECT_THAT(metrics->body, HasSubstr("gateway_authz_policy_reloads_total{result=\"error\"} 1\n"));
  EXPECT_THAT(metrics->body, ContainsRegex("gateway_authz_decisions_total\\{decision=\"deny\"\\} [1-9]"));
}

TEST_F(SecurityTest, ARotatedServerCertificateIsWhatNewConnectionsSee) {
  StartStack(Tls());
  ASSERT_TRUE(Health(Channel({})).ok());
  // A new CA's certificate replaces the server's on disk; new connections must trust the new CA.
  auto next = Pki::Make(dir_ + "/next", "next");
  ASSERT_TRUE(next.ok()) << next.status();
  auto rotated = next->Server("server");
  ASSERT_TRUE(rotated.ok());
  Write(server_.key_file, ReadFile(rotated->key_file));
  Write(server_.cert_file, ReadFile(rotated->cert_file));
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!Health(Channel({}, next->ca_file())).ok() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(250));
  EXPECT_TRUE(Health(Channel({}, next->ca_file())).ok());
  EXPECT_FALSE(Health(Channel({})).ok());  // The old CA no longer vouches for the port.
}

// Start-up refusals: one clear line, exit 2.
TEST_F(SecurityTest, UnsafeOrBrokenSettingsExitWithOneClearLine) {
  const auto exit_line = [](std::vector<std::string> args) {
    args.insert(args.begin(), {PARTNER_GATEWAY_BIN, "--grpc-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"});
    auto process = ChildProcess::Start(args);
    EXPECT_TRUE(process.ok());
    const std::optional<int> code = (*process)->Wait(absl::Seconds(10));
    return std::pair{code.value_or(-1), (*process)->Output()};
  };
  const std::string sandbox_key = dir_ + "/sandbox.key";
  std::ofstream(sandbox_key) << "pk_test_FAKE_security";

  const auto [live_code, live] = exit_line({"--live-key-file", live_key_file_});
  EXPECT_EQ(live_code, 2);
  EXPECT_THAT(live, HasSubstr("a live key (--live-key-file) needs mutual TLS and an authorization policy"));

  const std::string broken = dir_ + "/broken.json";
  std::ofstream(broken) << R"({"name": "p", "allow_rules": [{"name": "ok"}, {"name": "bad", "source": {"principal": []}}]})";
  std::vector<std::string> args = Tls();
  args.insert(args.end(), {"--sandbox-key-file", sandbox_key, "--authz-policy-file", broken});
  const auto [policy_code, policy] = exit_line(args);
  EXPECT_EQ(policy_code, 2);
  EXPECT_EQ(policy, absl::StrCat("partner-gateway: --authz-policy-file (GATEWAY_AUTHZ_POLICY_FILE): authorization "
                                 "policy ", broken, ": allow_rules[1] (\"bad\"): source: unknown field \"principal\"\n"));

  const auto [plain_code, plain] =
      exit_line({"--sandbox-key-file", sandbox_key, "--authz-policy-file", policy_file_});
  EXPECT_EQ(plain_code, 2);
  EXPECT_THAT(plain, HasSubstr("--authz-policy-file needs TLS"));

  const auto [pair_code, pair] = exit_line({"--sandbox-key-file", sandbox_key, "--grpc-tls-cert-file",
                                            server_.cert_file, "--grpc-tls-key-file", checkout_.key_file});
  EXPECT_EQ(pair_code, 2);
  EXPECT_THAT(pair, HasSubstr(absl::StrCat(checkout_.key_file, " is not the private key of the certificate in ",
                                           server_.cert_file)));
}

}  // namespace
}  // namespace gateway::testing
