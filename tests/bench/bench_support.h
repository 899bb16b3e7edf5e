// What every benchmark scenario shares: latency statistics, process
// readings, external tools, and the report that becomes docs/benchmarks.md.
// The benchmarks print figures; they assert no timings (DESIGN.md §8).
#ifndef TESTS_BENCH_BENCH_SUPPORT_H_
#define TESTS_BENCH_BENCH_SUPPORT_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/process_metrics.h"
#include "tests/integration/redis_server.h"
#include "tests/integration/stack.h"

namespace gateway::bench {

// Monotonic nanoseconds.
int64_t NowNs();

// Latency samples in nanoseconds, summarised by nearest-rank percentiles.
struct Latencies {
  std::vector<int64_t> samples;

  void Add(int64_t ns) { samples.push_back(ns); }
  // Sorts; call once all samples are in.
  void Finish();
  double PercentileMs(double p) const;  // 0 < p ≤ 1; 0 without samples
  double MaxMs() const;
  size_t count() const { return samples.size(); }
};

// What the kernel says of another process: CPU, memory, threads.
common::ProcessUsage ReadProcess(pid_t pid);

// CPU used so far by this process's children that have exited and been
// waited for (getrusage RUSAGE_CHILDREN): a tool run by RunTool counts once
// it has finished.
double FinishedChildrenCpuSeconds();

// The gateway's own view of itself from its /metrics (the process_* samples,
// from its /proc/self), plus any other sample by exact name.
class GatewayMetrics {
 public:
  explicit GatewayMetrics(int admin_port) : admin_port_(admin_port) {}
  // The value of the sample named `name` (with its labels, if any), or
  // nullopt when /metrics cannot be read or has no such sample.
  std::optional<double> Sample(const std::string& name) const;
  double cpu_seconds() const { return Sample("process_cpu_seconds_total").value_or(0); }
  double resident_mib() const { return Sample("process_resident_memory_bytes").value_or(0) / (1 << 20); }
  double peak_resident_mib() const { return Sample("process_max_resident_memory_bytes").value_or(0) / (1 << 20); }
  int threads() const { return static_cast<int>(Sample("process_threads").value_or(0)); }

 private:
  const int admin_port_;
};

// An executable found on PATH or in Go's install directory ($GOBIN,
// $GOPATH/bin, ~/go/bin), or nullopt.
std::optional<std::string> FindTool(const std::string& name);

// Runs `argv` to completion (at most `timeout`) and returns its exit code and
// combined output.
struct ToolRun {
  int exit_code = -1;
  std::string output;
};
absl::StatusOr<ToolRun> RunTool(const std::vector<std::string>& argv, absl::Duration timeout);

// The report: progress on stderr as it runs, Markdown for
// docs/benchmarks.md at the end.
class Report {
 public:
  // A target of the issue and what this run measured against it.
  struct Target {
    std::string goal;
    std::string measured;
    bool reached = false;
  };

  void Section(const std::string& title);
  // A paragraph of Markdown.
  void Text(const std::string& markdown);
  void Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
  void Code(const std::string& text);
  // A scenario that could not run: said in the report, and the run exits
  // non-zero.
  void Fail(const std::string& why);
  bool failed() const { return failed_; }
  void AddTarget(Target target);
  // A line of progress on stderr only.
  static void Progress(const std::string& line);

  // The generated part of docs/benchmarks.md: the targets table, then every
  // section in order.
  std::string Markdown(const std::string& preamble) const;

 private:
  std::string body_;
  std::vector<Target> targets_;
  bool failed_ = false;
};

// Options every scenario reads.
struct Settings {
  bool smoke = false;       // seconds instead of minutes; for CI
  double seconds = 10;      // length of each timed load phase
  std::string ghz;          // empty: scenarios that need ghz are skipped
  std::string perf;         // empty: no profile
  std::string protos_dir;   // for ghz
};

// A stack for the benchmarks: partner-sandbox without its rate limit and
// request log lines, a gateway whose own rate budget and connection pool are
// not the limit, logging warnings only. `sandbox_args` and `gateway_args` add
// to (and override) these. Null, after report->Fail, if it did not start.
std::unique_ptr<testing::Stack> StartBenchStack(Report* report, std::vector<std::string> sandbox_args,
                                                std::vector<std::string> gateway_args, bool webhooks);

// A redis-server of the scenario's own (AOF, `appendfsync always`); null,
// with the failure reported, when it does not start.
std::unique_ptr<testing::RedisServer> StartRedis(Report* report);

// "12,345" style.
std::string Thousands(double value);
// "0.43 ms" style.
std::string Ms(double ms);
// "36 µs" style.
std::string Us(double us);

// The scenarios, in the order the report shows them.
void Footprint(const Settings& settings, Report* report);
void UnaryOverhead(const Settings& settings, Report* report);
void CpuCost(const Settings& settings, Report* report);
void Concurrency(const Settings& settings, Report* report);
void FanOut(const Settings& settings, Report* report);
void Ingest(const Settings& settings, Report* report);
void WriteConnections(const Settings& settings, Report* report);
void QuickstartPace(const Settings& settings, Report* report);
void OrderReplay(const Settings& settings, Report* report);
void CrossReplicaFanOut(const Settings& settings, Report* report);
void SecurityOverhead(const Settings& settings, Report* report);
void RequestIdCost(const Settings& settings, Report* report);

}  // namespace gateway::bench

#endif  // TESTS_BENCH_BENCH_SUPPORT_H_
