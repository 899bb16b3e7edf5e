// Scenarios 1, 2, 3, 6, 7 and 8: unary calls through the gateway (driven by
// ghz) against the same REST call made directly with libcurl, the gateway's
// CPU per call, thousands of calls in flight, the gateway's footprint, what
// a write pays for a connection of its own, and what the rate budget adds
// to calls made one after another.
#include <curl/curl.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "grpc/health/v1/health.grpc.pb.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "tests/bench/bench_support.h"
#include "tests/bench/slow_upstream.h"
#include "tests/integration/child_process.h"

namespace gateway::bench {
namespace {

using testing::Stack;

constexpr char kCall[] = "peeker.partner.v1.DomainService.CheckAvailability";
// The request in ghz's JSON form of the proto, which is also the body the
// gateway sends the Partner for it.
constexpr char kBody[] = R"({"domains":["acme-mail.com"]})";

struct LoadResult {
  int64_t ok = 0;
  int64_t failed = 0;
  double seconds = 0;
  Latencies latencies;
  std::string first_error;

  double rps() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

// The baseline: `concurrency` libcurl transfers kept in flight on one multi
// handle (one thread, reused connections, as a careful direct caller would),
// each posting the availability check for `duration`.
LoadResult DirectLoad(const std::string& url, int concurrency, absl::Duration duration) {
  struct Transfer {
    CURL* easy = nullptr;
    int64_t started = 0;
    std::string body;
  };
  CURLM* multi = curl_multi_init();
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, absl::StrCat("Authorization: Bearer ", Stack::kSandboxKey).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  std::vector<Transfer> transfers(static_cast<size_t>(concurrency));
  const int64_t end = NowNs() + absl::ToInt64Nanoseconds(duration);
  auto start = [&](Transfer& transfer) {
    transfer.body.clear();
    transfer.started = NowNs();
    curl_multi_add_handle(multi, transfer.easy);
  };
  for (Transfer& transfer : transfers) {
    transfer.easy = curl_easy_init();
    curl_easy_setopt(transfer.easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(transfer.easy, CURLOPT_POSTFIELDS, kBody);
    curl_easy_setopt(transfer.easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(transfer.easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(transfer.easy, CURLOPT_TIMEOUT_MS, 15000L);
    curl_easy_setopt(transfer.easy, CURLOPT_PRIVATE, &transfer);
    curl_easy_setopt(transfer.easy, CURLOPT_WRITEDATA, &transfer.body);
    curl_easy_setopt(transfer.easy, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* user) {
      static_cast<std::string*>(user)->append(data, size * count);
      return size * count;
    });
    start(transfer);
  }
  LoadResult result;
  const int64_t began = NowNs();
  int running = concurrency;
  while (running > 0) {
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* transfer = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
      long status = 0;
      curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
      const int64_t now = NowNs();
      if (message->data.result == CURLE_OK && status == 200) {
        ++result.ok;
        result.latencies.Add(now - transfer->started);
      } else {
        ++result.failed;
        if (result.first_error.empty()) {
          result.first_error = absl::StrCat(curl_easy_strerror(message->data.result), " HTTP ", status, " ",
                                            transfer->body.substr(0, 200));
        }
      }
      curl_multi_remove_handle(multi, transfer->easy);
      if (now < end) {
        start(*transfer);
        ++running;
      }
    }
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  result.seconds = static_cast<double>(NowNs() - began) / 1e9;
  result.latencies.Finish();
  for (Transfer& transfer : transfers) curl_easy_cleanup(transfer.easy);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  return result;
}

// Runs ghz against the gateway with `load` (concurrency, duration or rate...)
// and reads its JSON report.
absl::StatusOr<LoadResult> GhzLoad(const Settings& settings, const std::string& target,
                                   const std::vector<std::string>& load, absl::Duration timeout) {
  const std::string report = absl::StrCat(std::filesystem::temp_directory_path().string(), "/ghz-", ::getpid(), ".json");
  std::vector<std::string> argv = {settings.ghz,
                                   "--insecure",
                                   "--proto",
                                   absl::StrCat(settings.protos_dir, "/peeker/partner/v1/domain.proto"),
                                   "--import-paths",
                                   settings.protos_dir,
                                   "--call",
                                   kCall,
                                   "-d",
                                   kBody,
                                   "--format",
                                   "json",
                                   "--output",
                                   report};
  argv.insert(argv.end(), load.begin(), load.end());
  argv.push_back(target);
  auto run = RunTool(argv, timeout);
  if (!run.ok()) return run.status();
  std::ifstream file(report);
  nlohmann::json json = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  std::filesystem::remove(report);
  if (run->exit_code != 0 || json.is_discarded()) {
    return absl::InternalError(absl::StrCat("ghz failed (exit ", run->exit_code, "): ", run->output.substr(0, 500)));
  }
  LoadResult result;
  const int64_t count = json.value("count", int64_t{0});
  result.ok = json["statusCodeDistribution"].value("OK", int64_t{0});
  result.failed = count - result.ok;
  result.seconds = static_cast<double>(json.value("total", int64_t{0})) / 1e9;
  for (const auto& [message, times] : json["errorDistribution"].items()) {
    result.first_error = absl::StrCat(times.get<int64_t>(), "x ", message);
    break;
  }
  for (const auto& entry : json["details"]) {
    if (entry.value("status", "") == "OK") result.latencies.Add(entry.value("latency", int64_t{0}));
  }
  result.latencies.Finish();
  return result;
}

std::vector<std::string> ConcurrencyFlags(int concurrency) {
  // Several HTTP/2 connections, as a fleet of callers would open, but never
  // more than there are calls.
  return {"--concurrency", absl::StrCat(concurrency), "--connections", absl::StrCat(std::min(concurrency, 4))};
}

std::string Rate(double per_second) { return absl::StrCat(Thousands(per_second), "/s"); }

absl::Duration Seconds(const Settings& settings, double full) {
  return absl::Seconds(settings.smoke ? std::min(full, 1.0) : full);
}

}  // namespace

void Footprint(const Settings& settings, Report* report) {
  report->Section("6. Footprint: start-up and idle memory");
  auto stack = StartBenchStack(report, {}, {}, /*webhooks=*/true);
  if (stack == nullptr) return;
  const int runs = settings.smoke ? 2 : 5;
  Latencies startup;
  for (int i = 0; i < runs; ++i) {
    stack->gateway().Signal(SIGTERM);
    stack->gateway().Wait(absl::Seconds(10));
    const int64_t spawned = NowNs();
    if (absl::Status status = stack->StartGateway(); !status.ok()) {
      report->Fail(absl::StrCat("the gateway did not restart: ", status.ToString()));
      return;
    }
    auto health = grpc::health::v1::Health::NewStub(stack->channel());
    while (true) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
      context.set_wait_for_ready(true);
      grpc::health::v1::HealthCheckResponse reply;
      if (health->Check(&context, grpc::health::v1::HealthCheckRequest(), &reply).ok() &&
          reply.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        break;
      }
    }
    startup.Add(NowNs() - spawned);
  }
  startup.Finish();
  std::this_thread::sleep_for(std::chrono::seconds(settings.smoke ? 1 : 3));
  const GatewayMetrics metrics(stack->admin_port());
  const double idle_mib = metrics.resident_mib();
  const int threads = metrics.threads();
  report->Text(absl::StrCat(
      "The gateway as deployed (sandbox key, webhook receiver, SQLite event log, admin port), restarted ", runs,
      " times. Start-up is measured from fork/exec until the gRPC health check answers SERVING (the gateway binds "
      "every port and opens the event log before it serves). Idle memory is read from the gateway's /metrics after "
      "it has been idle for a few seconds."));
  report->Table({"figure", "value"}, {{"start-up to SERVING, median", Ms(startup.PercentileMs(0.5))},
                                      {"start-up to SERVING, slowest", Ms(startup.MaxMs())},
                                      {"idle resident memory", absl::StrFormat("%.1f MiB", idle_mib)},
                                      {"idle threads", absl::StrCat(threads)}});
  report->AddTarget({"SERVING in ≤ 200 ms", Ms(startup.PercentileMs(0.5)) + " (median)",
                     startup.PercentileMs(0.5) <= 200});
  report->AddTarget({"idle RSS ≤ 40 MB", absl::StrFormat("%.1f MiB", idle_mib), idle_mib * 1.048576 <= 40});
}

void UnaryOverhead(const Settings& settings, Report* report) {
  report->Section("1. Unary overhead: gateway vs direct libcurl");
  if (settings.ghz.empty()) {
    report->Text("Skipped: ghz was not found (`go install github.com/bojand/ghz/cmd/ghz@v0.120.0`).");
    return;
  }
  auto stack = StartBenchStack(report, {"--threads", "512"}, {}, /*webhooks=*/false);
  if (stack == nullptr) return;
  const std::string url =
      absl::StrCat("http://127.0.0.1:", stack->sandbox_port(), "/partner/v1/domains/availability");
  const absl::Duration length = Seconds(settings, settings.seconds);
  report->Text(absl::StrCat(
      "`CheckAvailability` of one name. **Direct**: the same `POST /partner/v1/domains/availability` sent with "
      "libcurl (one multi handle, C transfers in flight, connections reused) straight to partner-sandbox. "
      "**Gateway**: ghz (C concurrent calls over up to 4 HTTP/2 connections) → partner-gateway → libcurl → the same partner-sandbox. "
      "partner-sandbox runs without its rate limit and the gateway's rate budget is raised out of the way, so both "
      "sides measure software, not a quota. Each row runs the direct load, then the gateway load, for ",
      absl::FormatDuration(length), " each (sized from a warm-up). Latency is client-side. CPU is what each process used "
      "per completed call during that phase: the machine's 2 cores are shared by all of them, so at high "
      "concurrency the sum of a column's CPU per call bounds its throughput."));
  std::vector<std::vector<std::string>> rows;
  const GatewayMetrics metrics(stack->admin_port());
  for (int concurrency : {1, 16, 256}) {
    Report::Progress(absl::StrCat("   concurrency ", concurrency));
    DirectLoad(url, concurrency, Seconds(settings, 1));  // warm-up
    const pid_t sandbox = stack->sandbox().pid();
    common::ProcessUsage sandbox_before = ReadProcess(sandbox);
    const common::ProcessUsage self_before = ReadProcess(::getpid());
    const LoadResult direct = DirectLoad(url, concurrency, length);
    const double direct_sandbox_cpu = ReadProcess(sandbox).cpu_seconds - sandbox_before.cpu_seconds;
    const double direct_client_cpu = ReadProcess(::getpid()).cpu_seconds - self_before.cpu_seconds;

    // ghz stops a --duration run by closing its connections, which fails the
    // calls still in flight; the timed run asks for a number of calls
    // instead, sized from the warm-up's rate to last about `length`.
    const std::vector<std::string> flags = ConcurrencyFlags(concurrency);
    std::vector<std::string> warm = flags, timed = flags;
    warm.insert(warm.end(), {"--duration", absl::StrCat(absl::ToInt64Milliseconds(Seconds(settings, 1)), "ms")});
    auto warmed = GhzLoad(settings, stack->gateway_target(), warm, length + absl::Seconds(60));
    const double warm_rate = warmed.ok() ? warmed->rps() : 100;
    timed.insert(timed.end(), {"--total", absl::StrCat(std::max<int64_t>(concurrency * 4, static_cast<int64_t>(
                                                                            warm_rate * absl::ToDoubleSeconds(length))))});
    sandbox_before = ReadProcess(sandbox);
    const double gateway_cpu_before = metrics.cpu_seconds();
    const double ghz_cpu_before = FinishedChildrenCpuSeconds();
    auto gateway = GhzLoad(settings, stack->gateway_target(), timed, length + absl::Seconds(60));
    const double gateway_cpu = metrics.cpu_seconds() - gateway_cpu_before;
    const double ghz_cpu = FinishedChildrenCpuSeconds() - ghz_cpu_before;
    const double gateway_sandbox_cpu = ReadProcess(sandbox).cpu_seconds - sandbox_before.cpu_seconds;
    if (!gateway.ok()) {
      report->Fail(absl::StrCat("concurrency ", concurrency, ": ", gateway.status().ToString()));
      continue;
    }
    auto per_call = [](double cpu, const LoadResult& load) {
      return load.ok > 0 ? absl::StrFormat("%.0f µs", cpu * 1e6 / static_cast<double>(load.ok)) : std::string("–");
    };
    const double ratio = direct.rps() > 0 ? gateway->rps() / direct.rps() : 0;
    const double added_p50 = gateway->latencies.PercentileMs(0.5) - direct.latencies.PercentileMs(0.5);
    rows.push_back({absl::StrCat(concurrency), Rate(direct.rps()), Rate(gateway->rps()),
                    absl::StrFormat("%.0f %%", ratio * 100), Ms(direct.latencies.PercentileMs(0.5)),
                    Ms(gateway->latencies.PercentileMs(0.5)), Ms(added_p50), Ms(direct.latencies.PercentileMs(0.99)),
                    Ms(gateway->latencies.PercentileMs(0.99)),
                    absl::StrCat(per_call(direct_client_cpu, direct), " + ", per_call(direct_sandbox_cpu, direct)),
                    absl::StrCat(per_call(ghz_cpu, *gateway), " + ", per_call(gateway_cpu, *gateway), " + ",
                                 per_call(gateway_sandbox_cpu, *gateway)),
                    absl::StrCat(direct.failed + gateway->failed)});
    if (!direct.first_error.empty()) report->Text(absl::StrCat("Direct error at C=", concurrency, ": `", direct.first_error, "`"));
    if (!gateway->first_error.empty()) {
      report->Text(absl::StrCat("Gateway error at C=", concurrency, ": `", gateway->first_error, "`"));
    }
    if (concurrency == 256) {
      report->AddTarget({"throughput ≥ 70 % of direct libcurl at concurrency 256",
                         absl::StrFormat("%.0f %% (%s vs %s)", ratio * 100, Rate(gateway->rps()), Rate(direct.rps())),
                         ratio >= 0.7});
    }
    if (concurrency == 1) {
      report->AddTarget({"p50 added ≤ 0.3 ms", absl::StrFormat("%.2f ms at concurrency 1", added_p50),
                         added_p50 <= 0.3});
    }
  }
  report->Table({"C", "direct", "gateway", "ratio", "p50 direct", "p50 gateway", "p50 added", "p99 direct",
                 "p99 gateway", "CPU/call direct (client + sandbox)", "CPU/call via gateway (ghz + gateway + sandbox)",
                 "failed"},
                rows);
}

void CpuCost(const Settings& settings, Report* report) {
  report->Section("2. CPU cost per unary call");
  if (settings.ghz.empty()) {
    report->Text("Skipped: ghz was not found.");
    return;
  }
  auto stack = StartBenchStack(report, {}, {}, /*webhooks=*/false);
  if (stack == nullptr) return;
  const int rate = settings.smoke ? 200 : 1000;
  const absl::Duration length = Seconds(settings, settings.seconds);
  const std::vector<std::string> load = {"--concurrency", "32", "--connections", "4", "--rps", absl::StrCat(rate),
                                         "--total", absl::StrCat(static_cast<int64_t>(rate * absl::ToDoubleSeconds(length)))};
  const GatewayMetrics metrics(stack->admin_port());
  (void)GhzLoad(settings, stack->gateway_target(), {"--concurrency", "8", "--total", "500"}, absl::Seconds(60));
  const double before = metrics.cpu_seconds();
  auto run = GhzLoad(settings, stack->gateway_target(), load, length + absl::Seconds(60));
  const double used = metrics.cpu_seconds() - before;
  if (!run.ok()) {
    report->Fail(run.status().ToString());
    return;
  }
  const double per_call_us = run->ok > 0 ? used * 1e6 / static_cast<double>(run->ok) : 0;
  report->Text(absl::StrCat(
      "ghz sends `CheckAvailability` at a fixed ", rate, " calls/s for ", absl::FormatDuration(length),
      "; the gateway's CPU is `process_cpu_seconds_total` from its own /metrics (the kernel's user + system "
      "time of all its threads) before and after. System time includes the kernel's loopback TCP work done on the gateway's "
      "behalf, for both its gRPC and its HTTP side."));
  report->Table({"calls", "gateway CPU", "per call"},
                {{Thousands(static_cast<double>(run->ok)), absl::StrFormat("%.2f s", used),
                  absl::StrFormat("%.0f µs", per_call_us)}});
  report->AddTarget({"≤ 50 µs of gateway CPU per unary RPC", absl::StrFormat("%.0f µs at %d calls/s", per_call_us, rate),
                     per_call_us <= 50});
  if (settings.perf.empty()) {
    report->Text("No profile: `perf` was not found (Debian package linux-perf).");
    return;
  }
  const std::string data = absl::StrCat(std::filesystem::temp_directory_path().string(), "/gateway-", ::getpid(), ".perf");
  auto perf = testing::ChildProcess::Start({settings.perf, "record", "-e", "cpu-clock", "-F", "999", "-g", "-p",
                                            absl::StrCat(stack->gateway().pid()), "-o", data});
  if (!perf.ok()) return;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  (void)GhzLoad(settings, stack->gateway_target(), load, length + absl::Seconds(60));
  (*perf)->Signal(SIGINT);
  (*perf)->Wait(absl::Seconds(30));
  std::string profile;
  for (const char* sort : {"dso", "symbol"}) {
    auto top = RunTool({settings.perf, "report", "-i", data, "--stdio", "--no-children", "--sort", sort, "-g", "none",
                        "--percent-limit", "1.5"},
                       absl::Seconds(120));
    if (!top.ok()) continue;
    for (absl::string_view line : absl::StrSplit(top->output, '\n')) {
      if (line.find('%') == absl::string_view::npos || absl::StartsWith(line, "#")) continue;
      absl::StrAppend(&profile, absl::StripTrailingAsciiWhitespace(line).substr(0, 110), "\n");
    }
    absl::StrAppend(&profile, "\n");
  }
  std::filesystem::remove(data);
  report->Text(absl::StrCat("Where that CPU goes: `perf record -e cpu-clock -g` on the gateway during a second run of "
                            "the same load, by library, then by function (self time, ≥ 1.5 %):"));
  report->Code(profile);
}

void Concurrency(const Settings& settings, Report* report) {
  report->Section("3. Concurrency: thousands of calls in flight");
  if (settings.ghz.empty()) {
    report->Text("Skipped: ghz was not found.");
    return;
  }
  const int in_flight = settings.smoke ? 200 : 5000;
  const int rounds = settings.smoke ? 2 : 4;
  auto upstream = SlowUpstream::Start(absl::Seconds(1));
  if (!upstream.ok()) {
    report->Fail(upstream.status().ToString());
    return;
  }
  auto stack = StartBenchStack(report, {}, {"--partner-max-connections", absl::StrCat(in_flight + 64), "--partner-base-url",
                                    absl::StrCat("http://127.0.0.1:", (*upstream)->port(), "/partner/v1")},
                               /*webhooks=*/false);
  if (stack == nullptr) return;
  const GatewayMetrics metrics(stack->admin_port());
  const pid_t gateway = stack->gateway().pid();
  std::atomic<bool> done{false};
  int64_t peak_threads = 0;
  std::thread sampler([&] {
    while (!done.load()) {
      peak_threads = std::max(peak_threads, ReadProcess(gateway).threads);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  auto run = GhzLoad(settings, stack->gateway_target(),
                     {"--concurrency", absl::StrCat(in_flight), "--connections", "50", "--total",
                      absl::StrCat(in_flight * rounds), "--timeout", "20s"},
                     absl::Seconds(120));
  done = true;
  sampler.join();
  if (!run.ok()) {
    report->Fail(run.status().ToString());
    return;
  }
  const double peak_mib = metrics.peak_resident_mib();
  report->Text(absl::StrCat(
      "The upstream answers every call after 1 s: a stand-in for the Partner in the harness "
      "(`tests/bench/slow_upstream.cc`, one epoll thread) rather than partner-sandbox, which serves each open "
      "connection on a thread of its own and spends its CPU polling thousands of idle keep-alive connections "
      "(in a trial run with `--latency-ms 1000 --threads 5064` it completed 74 calls/s). ghz keeps ",
      Thousands(in_flight),
      " `CheckAvailability` calls in flight over 50 HTTP/2 connections until ", Thousands(in_flight * rounds),
      " have completed; the gateway may open as many connections to the upstream. The ideal is ",
      Thousands(in_flight), " calls/s at 1 s each. Threads are sampled every 50 ms from /proc; peak memory is the "
      "gateway's own `process_max_resident_memory_bytes`."));
  report->Table({"in flight", "completed", "failed", "throughput", "p50", "p99", "peak gateway threads",
                 "peak gateway RSS"},
                {{Thousands(in_flight), Thousands(static_cast<double>(run->ok)), Thousands(static_cast<double>(run->failed)),
                  Rate(run->rps()), Ms(run->latencies.PercentileMs(0.5)), Ms(run->latencies.PercentileMs(0.99)),
                  absl::StrCat(peak_threads), absl::StrFormat("%.0f MiB", peak_mib)}});
  if (!run->first_error.empty()) report->Text(absl::StrCat("First error: `", run->first_error, "`"));
  report->AddTarget({absl::StrCat(Thousands(in_flight), " in-flight calls with ≤ 32 threads and ≤ 300 MB RSS"),
                     absl::StrFormat("%d threads, %.0f MiB, %s completed at %s", peak_threads, peak_mib,
                                     Thousands(static_cast<double>(run->ok)), Rate(run->rps())),
                     peak_threads <= 32 && peak_mib * 1.048576 <= 300 && run->failed == 0});
}

void WriteConnections(const Settings& settings, Report* report) {
  namespace v1 = ::peeker::partner::v1;
  report->Section("7. Writes at most once: a connection of their own");
  auto stack = StartBenchStack(report, {}, {}, /*webhooks=*/false);
  if (stack == nullptr) return;
  const int calls = settings.smoke ? 20 : 500;
  const std::string url = absl::StrCat("http://127.0.0.1:", stack->sandbox_port(), "/partner/v1/bundles");

  // Direct: one libcurl handle posting a bundle on its kept-alive connection,
  // or on a new one each time, alternately.
  Latencies direct_reused, direct_fresh;
  CURL* easy = curl_easy_init();
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, absl::StrCat("Authorization: Bearer ", Stack::kSandboxKey).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  std::string body;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, R"({"name":"bench","monthly_sending_volume":1000})");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  });
  int64_t direct_failed = 0;
  for (int i = 0; i < calls + 10; ++i) {  // The first 10 of each warm up.
    for (const bool fresh : {false, true}) {
      curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
      body.clear();
      const int64_t started = NowNs();
      const CURLcode code = curl_easy_perform(easy);
      const int64_t took = NowNs() - started;
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      if (code != CURLE_OK || status != 201) {
        ++direct_failed;
      } else if (i >= 10) {
        (fresh ? direct_fresh : direct_reused).Add(took);
      }
    }
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);

  // Through the gateway: CreateBundle, which is not repeatable and goes on a
  // new connection, and UpdateBundle, a repeatable write on a pooled one.
  v1::BundleService::Stub bundles(stack->channel());
  auto call = [&](auto rpc, const auto& request, auto* reply) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    const int64_t started = NowNs();
    const bool ok = (bundles.*rpc)(&context, request, reply).ok();
    return ok ? NowNs() - started : -1;
  };
  v1::CreateBundleRequest create;
  create.set_name("bench");
  create.set_monthly_sending_volume(1000);
  v1::CreateBundleResponse created;
  v1::UpdateBundleRequest update;
  update.set_monthly_sending_volume(1000);
  Latencies gateway_create, gateway_update;
  int64_t gateway_failed = 0;
  for (int i = 0; i < calls + 10; ++i) {
    const int64_t create_ns = call(&v1::BundleService::Stub::CreateBundle, create, &created);
    update.set_bundle_id(created.bundle().id());
    update.set_name(absl::StrCat("bench ", i));
    v1::UpdateBundleResponse updated;
    const int64_t update_ns = call(&v1::BundleService::Stub::UpdateBundle, update, &updated);
    gateway_failed += (create_ns < 0) + (update_ns < 0);
    if (i < 10) continue;
    if (create_ns >= 0) gateway_create.Add(create_ns);
    if (update_ns >= 0) gateway_update.Add(update_ns);
  }
  for (Latencies* latencies : {&direct_reused, &direct_fresh, &gateway_create, &gateway_update}) latencies->Finish();

  report->Text(absl::StrCat(
      "A write the Partner does not dedupe (`CreateBundle`, `DeleteBundle`, `CreateUser`, `DeleteUser`, the swaps, "
      "`CancelOrder`) is sent on a new connection, never on a pooled one that may have gone stale, so that a "
      "connection closing without an answer always means the Partner may have acted. What that costs, one call at a "
      "time, ", calls, " calls each after 10 to warm up, alternating: **direct**, one libcurl handle posting "
      "`POST /partner/v1/bundles` to partner-sandbox on its kept-alive connection or on a new one "
      "(`CURLOPT_FRESH_CONNECT`); **gateway**, `CreateBundle` (new connection) against `UpdateBundle` of the same "
      "bundle (a repeatable write, pooled connection). On loopback a new connection is a TCP handshake only; to the "
      "Partner it is also a network round trip and a TLS handshake (TLS 1.3: one more round trip)."));
  const double added_direct = direct_fresh.PercentileMs(0.5) - direct_reused.PercentileMs(0.5);
  const double added_gateway = gateway_create.PercentileMs(0.5) - gateway_update.PercentileMs(0.5);
  report->Table({"calls", "p50", "p99", "p50 added by the new connection", "failed"},
                {{"direct, kept-alive connection", Ms(direct_reused.PercentileMs(0.5)),
                  Ms(direct_reused.PercentileMs(0.99)), "", ""},
                 {"direct, new connection", Ms(direct_fresh.PercentileMs(0.5)), Ms(direct_fresh.PercentileMs(0.99)),
                  Ms(added_direct), absl::StrCat(direct_failed)},
                 {"gateway `UpdateBundle` (pooled connection)", Ms(gateway_update.PercentileMs(0.5)),
                  Ms(gateway_update.PercentileMs(0.99)), "", ""},
                 {"gateway `CreateBundle` (new connection)", Ms(gateway_create.PercentileMs(0.5)),
                  Ms(gateway_create.PercentileMs(0.99)), Ms(added_gateway), absl::StrCat(gateway_failed)}});
  if (direct_failed + gateway_failed > 0) report->Fail("some writes failed");
}

void QuickstartPace(const Settings& settings, Report* report) {
  namespace v1 = ::peeker::partner::v1;
  report->Section("8. The quickstart's RPCs one after another: what the rate budget adds");
  const int rounds = settings.smoke ? 3 : 25;
  const char* const kRpcs[] = {"CreateBundle", "ImportDomains", "CheckAvailability", "PlaceOrder"};
  // Per RPC, per budget: the default 600 calls a minute, and one raised out
  // of the way (what the calls cost without it).
  std::vector<std::vector<std::string>> rows;
  std::vector<Latencies> with_budget(4), unbudgeted(4);
  int64_t failed = 0;
  for (const bool default_budget : {true, false}) {
    auto stack = StartBenchStack(report, {}, default_budget ? std::vector<std::string>{"--partner-rate-limit", "600"}
                                                              : std::vector<std::string>{},
                                 /*webhooks=*/false);
    if (stack == nullptr) return;
    auto client = stack->Client();
    std::vector<Latencies>& latencies = default_budget ? with_budget : unbudgeted;
    for (int round = 0; round < rounds; ++round) {
      const std::string tag = absl::StrCat(default_budget ? "a" : "b", round);
      v1::CreateBundleRequest bundle;
      bundle.set_name(absl::StrCat("Starter ", tag));
      bundle.set_monthly_sending_volume(25000);
      v1::CreateBundleResponse created;
      v1::ImportDomainsRequest import;
      import.add_domains(absl::StrCat("quick-", tag, "-own.com"));
      v1::ImportDomainsResponse imported;
      v1::CheckAvailabilityRequest availability;
      availability.add_domains(absl::StrCat("quick-", tag, "-avail.com"));
      v1::CheckAvailabilityResponse available;
      v1::PlaceOrderRequest order;
      order.set_user("alex@acme.com");
      order.mutable_custom()->set_google_licenses(2);
      order.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
      order.mutable_sequencer()->set_login_email("peeker@acme.com");
      order.mutable_sequencer()->set_login_password("bench-login");
      order.add_domains()->set_domain(absl::StrCat("quick-", tag, "-avail.com"));
      v1::Persona* persona = order.add_personas();
      persona->set_first_name("Alex");
      persona->set_last_name("Rivera");
      persona->set_profile_picture_url("");
      v1::PlaceOrderResponse placed;
      const std::function<grpc::Status()> calls[] = {
          [&] { return client.CreateBundle(bundle, &created); },
          [&] { return client.ImportDomains(import, &imported); },
          [&] { return client.CheckAvailability(availability, &available); },
          [&] { return client.PlaceOrder(order, &placed); },
      };
      for (size_t i = 0; i < 4; ++i) {
        const int64_t started = NowNs();
        const bool ok = calls[i]().ok();
        if (ok) {
          latencies[i].Add(NowNs() - started);
        } else {
          ++failed;
        }
      }
    }
  }
  for (size_t i = 0; i < 4; ++i) {
    with_budget[i].Finish();
    unbudgeted[i].Finish();
    rows.push_back({kRpcs[i], Ms(with_budget[i].PercentileMs(0.5)), Ms(with_budget[i].MaxMs()),
                    Ms(unbudgeted[i].PercentileMs(0.5)), Ms(unbudgeted[i].MaxMs())});
  }
  report->Text(absl::StrCat(
      "The four Partner calls of the quickstart (`CreateBundle`, `ImportDomains`, `CheckAvailability`, "
      "`PlaceOrder`), each as soon as the previous answered, ", rounds, " rounds: ", rounds * 4,
      " calls, well inside the Partner's 600 a minute. Once with the gateway's default budget "
      "(`--partner-rate-limit 600`), once with the budget raised out of the way, each on a stack of its own."));
  report->Table({"RPC", "p50, default budget", "slowest, default budget", "p50, no budget", "slowest, no budget"},
                rows);
  if (failed > 0) report->Fail(absl::StrCat(failed, " quickstart calls failed"));
}

}  // namespace gateway::bench
