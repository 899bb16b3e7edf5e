#include "server/common/log.h"

#include <atomic>

#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gateway::common {
namespace {

std::atomic<std::FILE*> g_sink{nullptr};
std::atomic<LogLevel> g_min_level{LogLevel::kInfo};

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void AppendValue(std::string& line, absl::string_view value) {
  if (!value.empty() && value.find_first_of(" \"=\n\t") == absl::string_view::npos) {
    line.append(value.data(), value.size());
    return;
  }
  absl::StrAppend(&line, "\"",
                  absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}}),
                  "\"");
}

}  // namespace

void SetLogSink(std::FILE* sink) { g_sink.store(sink); }
void SetMinLogLevel(LogLevel level) { g_min_level.store(level); }

void Log(LogLevel level, absl::string_view message,
         const std::vector<std::pair<absl::string_view, std::string>>& fields) {
  if (level < g_min_level.load()) return;
  std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      " level=", LevelName(level), " msg=");
  AppendValue(line, message);
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, " ", key, "=");
    AppendValue(line, value);
  }
  line.push_back('\n');
  std::FILE* sink = g_sink.load();
  if (sink == nullptr) sink = stderr;
  std::fwrite(line.data(), 1, line.size(), sink);
  std::fflush(sink);
}

}  // namespace gateway::common
