#include "tests/integration/stack.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "httplib.h"
#include "absl/time/clock.h"
#include "server/events/webhook_verifier.h"

namespace gateway::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);

// Numbers the stacks of this process.
int NextStack() {
  static std::atomic<int> count{0};
  return count++;
}

std::string WriteFile(absl::string_view name, absl::string_view content) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/gateway-it-", getpid(), "-", name);
  std::ofstream(path, std::ios::trunc) << content << "\n";
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
  stack->webhooks_ = options.webhooks;
  // A store of its own: the event log, and the request ledger beside it.
  const std::string event_log =
      options.event_log.empty() ? WriteFile(absl::StrCat("events-", NextStack(), ".db"), "") : options.event_log;
  std::remove(event_log.c_str());
  if (options.event_log.empty()) stack->made_store_ = event_log;
  std::vector<std::string> store_args = {"--event-log", event_log};
  if (options.webhooks) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    const std::string secret_file = WriteFile("webhook.secret", kWebhookSecret);
    sandbox_argv.insert(sandbox_argv.end(),
                        {"--webhook-url", absl::StrCat("http://127.0.0.1:", *port, "/webhooks/peeker"),
                         "--webhook-secret-file", secret_file, "--webhook-interval-ms", "20",
                         "--webhook-retry-base-ms", "100"});
    store_args.insert(store_args.end(), {"--webhook-listen", absl::StrCat("127.0.0.1:", *port),
                                         "--webhook-sandbox-secret-file", secret_file});
  }
  sandbox_argv.insert(sandbox_argv.end(), options.sandbox_args.begin(), options.sandbox_args.end());
  auto sandbox = ChildProcess::Start(sandbox_argv);
  if (!sandbox.ok()) return sandbox.status();
  stack->sandbox_ = *std::move(sandbox);
  auto sandbox_url = stack->sandbox_->WaitForLine("partner-sandbox listening on ", kStartTimeout);
  if (!sandbox_url.ok()) return sandbox_url.status();
  auto sandbox_port = PortFrom(*sandbox_url);
  if (!sandbox_port.ok()) return sandbox_port.status();
  stack->sandbox_port_ = *sandbox_port;

  stack->gateway_argv_ = {PARTNER_GATEWAY_BIN,
                          "--grpc-listen",
                          "127.0.0.1:0",
                          "--admin-listen",
                          "127.0.0.1:0",
                          "--partner-base-url",
                          absl::StrCat("http://127.0.0.1:", stack->sandbox_port_, "/partner/v1"),
                          "--sandbox-key-file",
                          WriteFile("sandbox.key", kSandboxKey),
                          "--shutdown-grace",
                          "2s"};
  if (options.rollable) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    store_args.insert(store_args.end(),
                      {"--grpc-listen", absl::StrCat("127.0.0.1:", *port), "--partner-timeout", "2s"});
  }
  for (auto* args : {&store_args, &options.gateway_args}) {
    stack->gateway_argv_.insert(stack->gateway_argv_.end(), args->begin(), args->end());
  }
  if (absl::Status status = stack->StartGateway(); !status.ok()) return status;
  return stack;
}

absl::Status Stack::StartGateway() {
  auto gateway = ChildProcess::Start(gateway_argv_);
  if (!gateway.ok()) return gateway.status();
  gateway_ = *std::move(gateway);
  auto serving = gateway_->WaitForLine("partner-gateway serving gRPC on port ", kStartTimeout);
  if (!serving.ok()) return serving.status();
  auto gateway_port = PortFrom(*serving);
  if (!gateway_port.ok()) return gateway_port.status();
  auto admin = gateway_->WaitForLine("partner-gateway admin on port ", kStartTimeout);
  if (!admin.ok()) return admin.status();
  auto admin_port = PortFrom(*admin);
  if (!admin_port.ok()) return admin_port.status();
  admin_port_ = *admin_port;
  if (webhooks_) {
    auto webhooks = gateway_->WaitForLine("partner-gateway receiving webhooks on port ", kStartTimeout);
    if (!webhooks.ok()) return webhooks.status();
    auto webhook_port = PortFrom(*webhooks);
    if (!webhook_port.ok()) return webhook_port.status();
    webhook_port_ = *webhook_port;
  }
  gateway_target_ = absl::StrCat("127.0.0.1:", *gateway_port);
  channel_ = grpc::CreateChannel(gateway_target_, grpc::InsecureChannelCredentials());
  return absl::OkStatus();
}

Stack::~Stack() {
  gateway_.reset();
  sandbox_.reset();
  if (made_store_.empty()) return;
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((made_store_ + suffix).c_str());
}

absl::Status Stack::RollGatewayMidWrite() {
  for (const absl::Time give_up = absl::Now() + absl::Seconds(30);
       RequestIdDecisions("new") < 1;) {
    if (absl::Now() > give_up) return absl::DeadlineExceededError("no write with a request_id came");
    absl::SleepFor(absl::Milliseconds(10));
  }
  absl::SleepFor(absl::Milliseconds(200));
  std::unique_ptr<ChildProcess> old = std::move(gateway_);
  const absl::Status started = StartGateway();
  old->Signal(SIGKILL);
  if (!old->Wait(absl::Seconds(10)).has_value()) return absl::InternalError("the old gateway did not stop");
  return started;
}

absl::Status Stack::InjectFault(const nlohmann::json& fault) {
  httplib::Client control("127.0.0.1", sandbox_port_);
  auto result = control.Post("/_sandbox/faults", fault.dump(), "application/json");
  if (!result || result->status != 201) return absl::InternalError("the sandbox refused the fault");
  return absl::OkStatus();
}

absl::Status Stack::ClearFaults() {
  httplib::Client control("127.0.0.1", sandbox_port_);
  auto result = control.Delete("/_sandbox/faults");
  if (!result || result->status != 204) return absl::InternalError("the sandbox did not clear its faults");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<nlohmann::json>> Stack::SandboxRequests(bool with_readiness_checks) {
  httplib::Client control("127.0.0.1", sandbox_port_);
  auto result = control.Get("/_sandbox/requests");
  if (!result || result->status != 200) return absl::InternalError("the sandbox did not list its requests");
  auto json = nlohmann::json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("data") || !json["data"].is_array()) {
    return absl::InternalError("unexpected /_sandbox/requests body");
  }
  std::vector<nlohmann::json> requests;
  for (const nlohmann::json& request : json["data"]) {
    if (with_readiness_checks || request["path"] != "/partner/v1/me") requests.push_back(request);
  }
  return requests;
}

std::vector<nlohmann::json> Stack::SandboxRequestsTo(const std::string& method, const std::string& path) {
  auto requests = SandboxRequests(/*with_readiness_checks=*/true);
  EXPECT_TRUE(requests.ok()) << requests.status();
  std::vector<nlohmann::json> matching;
  for (const nlohmann::json& request : requests.value_or(std::vector<nlohmann::json>())) {
    if (request["method"] == method && request["path"] == absl::StrCat("/partner/v1", path)) {
      matching.push_back(request);
    }
  }
  return matching;
}

std::optional<double> ScrapeMetric(int admin_port, const std::string& series) {
  httplib::Client admin("127.0.0.1", admin_port);
  auto metrics = admin.Get("/metrics");
  if (!metrics || metrics->status != 200) return std::nullopt;
  for (absl::string_view line : absl::StrSplit(metrics->body, '\n')) {
    double value = 0;
    if (absl::ConsumePrefix(&line, series) && absl::ConsumePrefix(&line, " ") && absl::SimpleAtod(line, &value)) {
      return value;
    }
  }
  return std::nullopt;
}

double Stack::RequestIdDecisions(const std::string& decision) {
  return Metric(absl::StrCat("gateway_request_id_decisions_total{decision=\"", decision, "\"}"));
}

std::vector<std::string> Stack::AuditedRequestIds(const std::string& rpc) {
  std::vector<std::string> ids;
  for (absl::string_view line : absl::StrSplit(gateway_->Output(), '\n')) {
    if (!absl::StrContains(line, "log=audit") || !absl::StrContains(line, absl::StrCat("/", rpc, " "))) continue;
    const size_t at = line.find(" request_id=");
    ids.emplace_back(at == absl::string_view::npos ? "" : line.substr(at + 12, 36));
  }
  return ids;
}

Details DetailsOf(const grpc::Status& status) {
  Details details;
  google::rpc::Status rich;
  EXPECT_TRUE(rich.ParseFromString(status.error_details()));
  for (const google::protobuf::Any& any : rich.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) any.UnpackTo(&details.error_info.emplace());
    if (any.Is<google::rpc::BadRequest>()) any.UnpackTo(&details.bad_request.emplace());
    if (any.Is<google::rpc::RequestInfo>()) any.UnpackTo(&details.request_info.emplace());
    if (any.Is<google::rpc::RetryInfo>()) any.UnpackTo(&details.retry_info.emplace());
  }
  return details;
}

std::vector<std::string> Fields(const Details& details) {
  std::vector<std::string> fields;
  if (details.bad_request) {
    for (const auto& violation : details.bad_request->field_violations()) fields.push_back(violation.field());
  }
  return fields;
}

void PrintTo(const Failure& failure, std::ostream* out) {
  *out << "{code " << failure.code << ", reason \"" << failure.reason << "\", fields ["
       << absl::StrJoin(failure.fields, ", ") << "], partner_field \"" << failure.partner_field << "\"}";
}

Failure FailureOf(const grpc::Status& status) {
  const Details details = DetailsOf(status);
  Failure failure{status.error_code(), "", Fields(details), ""};
  if (details.error_info.has_value()) {
    failure.reason = details.error_info->reason();
    const auto& metadata = details.error_info->metadata();
    if (auto field = metadata.find("field"); field != metadata.end()) failure.partner_field = field->second;
  }
  return failure;
}

std::vector<peeker::partner::v1::OrderEvent> ReadEvents(
    grpc::ClientReader<peeker::partner::v1::StreamOrderEventsResponse>& reader, size_t count) {
  std::vector<peeker::partner::v1::OrderEvent> events;
  peeker::partner::v1::StreamOrderEventsResponse response;
  while (events.size() < count && reader.Read(&response)) {
    if (response.has_event()) events.push_back(response.event());
  }
  return events;
}

WebhookAnswer PostWebhook(int port, const std::string& event_id, const std::string& order_id) {
  const std::string body = nlohmann::json{{"id", event_id},
                                          {"type", "order.in_progress"},
                                          {"created_at", "2026-07-01T11:00:00Z"},
                                          {"data", {{"order", {{"id", order_id}, {"status", "in_progress"}}}}}}
                               .dump();
  const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(absl::Now()));
  httplib::Client partner("127.0.0.1", port);
  const httplib::Headers headers = {
      {"Peeker-Event-Id", event_id},
      {"Peeker-Timestamp", timestamp},
      {"Peeker-Signature", events::WebhookVerifier::Sign(Stack::kWebhookSecret, events::SignedPayload::kTimestampAndBody,
                                                         timestamp, body)}};
  auto result = partner.Post("/webhooks/peeker", headers, body, "application/json");
  if (!result) return {};
  return {result->status, result->body};
}

peeker::partner::v1::PlaceOrderRequest CustomOrder(const std::string& user, const std::vector<std::string>& domains,
                                                   const std::string& picture) {
  peeker::partner::v1::PlaceOrderRequest request;
  request.set_user(user);
  request.mutable_custom()->set_google_licenses(2 * static_cast<int32_t>(domains.size()));
  request.mutable_sequencer()->set_provider(peeker::partner::v1::SEQUENCER_PROVIDER_SMARTLEAD);
  request.mutable_sequencer()->set_login_email("sl@gateway-tests.example");
  request.mutable_sequencer()->set_login_password("gateway-tests-login");
  for (const std::string& domain : domains) request.add_domains()->set_domain(domain);
  peeker::partner::v1::Persona* persona = request.add_personas();
  persona->set_first_name("Dana");
  persona->set_last_name("Okafor");
  persona->set_profile_picture_url(picture);
  return request;
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(std::chrono::milliseconds timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

}  // namespace gateway::testing
