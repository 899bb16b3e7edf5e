#include "tests/bench/bench_support.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "httplib.h"
#include "tests/integration/child_process.h"

namespace gateway::bench {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Latencies::Finish() { std::sort(samples.begin(), samples.end()); }

double Latencies::PercentileMs(double p) const {
  if (samples.empty()) return 0;
  const double rank = std::ceil(p * static_cast<double>(samples.size()));
  const size_t index = std::min(samples.size() - 1, static_cast<size_t>(std::max(rank, 1.0)) - 1);
  return static_cast<double>(samples[index]) / 1e6;
}

double Latencies::MaxMs() const { return samples.empty() ? 0 : static_cast<double>(samples.back()) / 1e6; }

common::ProcessUsage ReadProcess(pid_t pid) { return common::ReadProcessUsage(absl::StrCat("/proc/", pid)); }

double FinishedChildrenCpuSeconds() {
  rusage children{};
  if (::getrusage(RUSAGE_CHILDREN, &children) != 0) return 0;
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(children.ru_utime) + seconds(children.ru_stime);
}

std::optional<double> GatewayMetrics::Sample(const std::string& name) const {
  return testing::ScrapeMetric(admin_port_, name);
}

std::optional<std::string> FindTool(const std::string& name) {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) dirs = absl::StrSplit(path, ':', absl::SkipEmpty());
  if (const char* gobin = std::getenv("GOBIN")) dirs.push_back(gobin);
  if (const char* gopath = std::getenv("GOPATH")) dirs.push_back(absl::StrCat(gopath, "/bin"));
  if (const char* home = std::getenv("HOME")) dirs.push_back(absl::StrCat(home, "/go/bin"));
  for (const std::string& dir : dirs) {
    const std::string candidate = absl::StrCat(dir, "/", name);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

absl::StatusOr<ToolRun> RunTool(const std::vector<std::string>& argv, absl::Duration timeout) {
  auto child = testing::ChildProcess::Start(argv);
  if (!child.ok()) return child.status();
  const std::optional<int> code = (*child)->Wait(timeout);
  if (!code.has_value()) {
    return absl::DeadlineExceededError(absl::StrCat(argv[0], " did not finish within ", absl::FormatDuration(timeout)));
  }
  return ToolRun{*code, (*child)->Output()};
}

void Report::Section(const std::string& title) {
  absl::StrAppend(&body_, "\n## ", title, "\n\n");
  Progress(absl::StrCat("== ", title));
}

void Report::Text(const std::string& markdown) { absl::StrAppend(&body_, markdown, "\n\n"); }

void Report::Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  auto row_text = [](const std::vector<std::string>& cells) { return absl::StrCat("| ", absl::StrJoin(cells, " | "), " |\n"); };
  std::string table = row_text(header);
  absl::StrAppend(&table, "|", absl::StrJoin(std::vector<std::string>(header.size(), "---"), "|"), "|\n");
  for (const auto& row : rows) absl::StrAppend(&table, row_text(row));
  absl::StrAppend(&body_, table, "\n");
  std::fputs(table.c_str(), stderr);
}

void Report::Code(const std::string& text) { absl::StrAppend(&body_, "```\n", text, text.empty() || text.back() == '\n' ? "" : "\n", "```\n\n"); }

void Report::Fail(const std::string& why) {
  failed_ = true;
  Text(absl::StrCat("**Could not run:** ", why));
  Progress(absl::StrCat("   FAILED: ", why));
}

void Report::AddTarget(Target target) {
  Progress(absl::StrCat("   target: ", target.goal, " -> ", target.measured, target.reached ? " (reached)" : " (missed)"));
  targets_.push_back(std::move(target));
}

void Report::Progress(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

std::string Report::Markdown(const std::string& preamble) const {
  std::string text = preamble;
  absl::StrAppend(&text, "\n## Targets\n\n| target | this run | reached |\n|---|---|---|\n");
  for (const Target& target : targets_) {
    absl::StrAppend(&text, "| ", target.goal, " | ", target.measured, " | ", target.reached ? "yes" : "**no**", " |\n");
  }
  absl::StrAppend(&text, body_);
  return text;
}

std::unique_ptr<testing::Stack> StartBenchStack(Report* report, std::vector<std::string> sandbox_args,
                                                std::vector<std::string> gateway_args, bool webhooks) {
  testing::Stack::Options options;
  options.webhooks = webhooks;
  options.sandbox_args = {"--rate-limit", "0", "--quiet"};
  options.sandbox_args.insert(options.sandbox_args.end(), sandbox_args.begin(), sandbox_args.end());
  options.gateway_args = {"--partner-rate-limit", "1000000", "--partner-max-connections", "1024",
                          "--log-level",          "warning"};
  options.gateway_args.insert(options.gateway_args.end(), gateway_args.begin(), gateway_args.end());
  auto stack = testing::Stack::Start(std::move(options));
  if (!stack.ok()) {
    report->Fail(absl::StrCat("the stack did not start: ", stack.status().ToString()));
    return nullptr;
  }
  return *std::move(stack);
}

std::string Ms(double ms) { return absl::StrFormat("%.2f ms", ms); }

std::string Us(double us) { return absl::StrFormat("%.0f µs", us); }

std::string Thousands(double value) {
  const int64_t rounded = std::llround(value);
  const std::string digits = absl::StrCat(rounded < 0 ? -rounded : rounded);
  std::string text = rounded < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text.push_back(',');
    text.push_back(digits[i]);
  }
  return text;
}

std::unique_ptr<testing::RedisServer> StartRedis(Report* report) {
  auto redis = testing::RedisServer::Start();
  if (!redis.ok()) {
    report->Fail(redis.status().ToString());
    return nullptr;
  }
  return *std::move(redis);
}

}  // namespace gateway::bench
