// The process's own resource use, in the names every Prometheus client
// library exports (process_cpu_seconds_total, process_resident_memory_bytes,
// ...), so dashboards and the benchmarks read the gateway's cost from
// /metrics instead of from outside the pod.
#ifndef SERVER_COMMON_PROCESS_METRICS_H_
#define SERVER_COMMON_PROCESS_METRICS_H_

#include <cstdint>
#include <string>

namespace gateway::common {

struct ProcessUsage {
  // User + system CPU of every thread so far (getrusage).
  double cpu_seconds = 0;
  // Resident set now (/proc/self/statm) and at its peak (ru_maxrss, or now
  // if the kernel has not raised that yet).
  int64_t resident_bytes = 0;
  int64_t max_resident_bytes = 0;
  // Threads now (/proc/self/stat).
  int64_t threads = 0;
  // Open file descriptors now (/proc/self/fd).
  int64_t open_fds = 0;
};

ProcessUsage ReadProcessUsage();

// `usage` in the Prometheus text format.
std::string ProcessMetricsText(const ProcessUsage& usage);

}  // namespace gateway::common

#endif  // SERVER_COMMON_PROCESS_METRICS_H_
