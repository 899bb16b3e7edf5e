#include "server/common/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace gateway::common {
namespace {

double Seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

std::string ReadAll(const char* path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// Field `index` (0-based, counted after the command name, whose parentheses
// may hold spaces) of /proc/self/stat; 0 when unreadable.
int64_t StatField(size_t index) {
  const std::string stat = ReadAll("/proc/self/stat");
  const size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 > stat.size()) return 0;
  const std::vector<absl::string_view> fields = absl::StrSplit(absl::string_view(stat).substr(close + 2), ' ');
  int64_t value = 0;
  if (index >= fields.size() || !absl::SimpleAtoi(fields[index], &value)) return 0;
  return value;
}

}  // namespace

ProcessUsage ReadProcessUsage() {
  ProcessUsage usage;
  rusage self{};
  if (::getrusage(RUSAGE_SELF, &self) == 0) {
    usage.cpu_seconds = Seconds(self.ru_utime) + Seconds(self.ru_stime);
    usage.max_resident_bytes = static_cast<int64_t>(self.ru_maxrss) * 1024;  // ru_maxrss is in KiB.
  }
  const std::string statm_text = ReadAll("/proc/self/statm");
  const std::vector<absl::string_view> statm = absl::StrSplit(statm_text, ' ');
  int64_t resident_pages = 0;
  if (statm.size() > 1 && absl::SimpleAtoi(statm[1], &resident_pages)) {
    usage.resident_bytes = resident_pages * ::sysconf(_SC_PAGESIZE);
  }
  // The kernel raises its high-water mark lazily; the peak is at least now.
  usage.max_resident_bytes = std::max(usage.max_resident_bytes, usage.resident_bytes);
  // stat(5) numbers num_threads 20; after the name it is the 18th (0-based 17).
  usage.threads = StatField(17);
  std::error_code error;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++usage.open_fds;
  }
  return usage;
}

std::string ProcessMetricsText(const ProcessUsage& usage) {
  return absl::StrCat(
      "# HELP process_cpu_seconds_total User and system CPU time spent, in seconds.\n"
      "# TYPE process_cpu_seconds_total counter\n"
      "process_cpu_seconds_total ",
      absl::StrFormat("%.6f", usage.cpu_seconds),
      "\n# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      "# TYPE process_resident_memory_bytes gauge\n"
      "process_resident_memory_bytes ",
      usage.resident_bytes,
      "\n# HELP process_max_resident_memory_bytes Largest resident memory size so far, in bytes.\n"
      "# TYPE process_max_resident_memory_bytes gauge\n"
      "process_max_resident_memory_bytes ",
      usage.max_resident_bytes,
      "\n# HELP process_threads Threads of the process.\n"
      "# TYPE process_threads gauge\n"
      "process_threads ",
      usage.threads,
      "\n# HELP process_open_fds Open file descriptors.\n"
      "# TYPE process_open_fds gauge\n"
      "process_open_fds ",
      usage.open_fds, "\n");
}

}  // namespace gateway::common
