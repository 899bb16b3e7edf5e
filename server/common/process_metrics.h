// A process's resource use as the kernel accounts it under /proc, in the
// names every Prometheus client library exports (process_cpu_seconds_total,
// process_resident_memory_bytes, ...): the gateway serves its own on
// /metrics, and the benchmarks read other processes the same way.
#ifndef SERVER_COMMON_PROCESS_METRICS_H_
#define SERVER_COMMON_PROCESS_METRICS_H_

#include <cstdint>
#include <string>

#include "server/common/metrics.h"

namespace gateway::common {

struct ProcessUsage {
  // User + system CPU of every thread so far (stat: utime + stime).
  double cpu_seconds = 0;
  // Resident set now and at its peak (status: VmRSS, VmHWM).
  int64_t resident_bytes = 0;
  int64_t max_resident_bytes = 0;
  // Threads now (status: Threads).
  int64_t threads = 0;
  // Open file descriptors now (fd/).
  int64_t open_fds = 0;
};

// The usage of the process whose /proc directory is `proc_dir`; fields that
// cannot be read stay 0.
ProcessUsage ReadProcessUsage(const std::string& proc_dir = "/proc/self");

// Declares the figures above on `metrics`, read from `proc_dir` at each
// scrape.
void AddProcessMetrics(Metrics* metrics, const std::string& proc_dir = "/proc/self");

}  // namespace gateway::common

#endif  // SERVER_COMMON_PROCESS_METRICS_H_
