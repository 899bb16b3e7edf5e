#include "server/common/process_metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gateway::common {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// The number on the `key` line of a status file (sizes are in kB).
int64_t StatusValue(absl::string_view status, absl::string_view key) {
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (!absl::ConsumePrefix(&line, key)) continue;
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, " kB");
    int64_t value = 0;
    return absl::SimpleAtoi(line, &value) ? value : 0;
  }
  return 0;
}

}  // namespace

ProcessUsage ReadProcessUsage(const std::string& proc_dir) {
  ProcessUsage usage;
  const std::string stat = ReadAll(proc_dir + "/stat");
  // After the command name, whose parentheses may hold spaces, utime and
  // stime of stat(5) are the 12th and 13th fields (0-based 11 and 12).
  if (const size_t close = stat.rfind(')'); close != std::string::npos && close + 2 < stat.size()) {
    const std::vector<absl::string_view> fields = absl::StrSplit(absl::string_view(stat).substr(close + 2), ' ');
    int64_t utime = 0, stime = 0;
    if (fields.size() > 12 && absl::SimpleAtoi(fields[11], &utime) && absl::SimpleAtoi(fields[12], &stime)) {
      usage.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    }
  }
  const std::string status = ReadAll(proc_dir + "/status");
  usage.resident_bytes = StatusValue(status, "VmRSS:") * 1024;
  usage.max_resident_bytes = StatusValue(status, "VmHWM:") * 1024;
  usage.threads = StatusValue(status, "Threads:");
  std::error_code error;
  for (std::filesystem::directory_iterator it(proc_dir + "/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++usage.open_fds;
  }
  return usage;
}

void AddProcessMetrics(Metrics* metrics, const std::string& proc_dir) {
  const auto add = [&](const char* name, const char* help, Metrics::Type type, auto field) {
    metrics->AddCallback(name, help, type, [proc_dir, field] {
      return static_cast<double>(ReadProcessUsage(proc_dir).*field);
    });
  };
  add("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", Metrics::Type::kCounter,
      &ProcessUsage::cpu_seconds);
  add("process_resident_memory_bytes", "Resident memory size in bytes.", Metrics::Type::kGauge,
      &ProcessUsage::resident_bytes);
  add("process_max_resident_memory_bytes", "Largest resident memory size so far, in bytes.", Metrics::Type::kGauge,
      &ProcessUsage::max_resident_bytes);
  add("process_threads", "Threads of the process.", Metrics::Type::kGauge, &ProcessUsage::threads);
  add("process_open_fds", "Open file descriptors.", Metrics::Type::kGauge, &ProcessUsage::open_fds);
}

}  // namespace gateway::common
