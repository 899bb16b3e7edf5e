// One-line, key=value structured logging to a sink (stderr by default).
// Lines are assembled completely before they are written, so concurrent
// writers never interleave within a line. Secrets never go through here:
// they are held in `Secret`, which has no string conversion.
#ifndef SERVER_COMMON_LOG_H_
#define SERVER_COMMON_LOG_H_

#include <cstdio>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace gateway::common {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Where log lines go. Tests swap the sink to capture output.
void SetLogSink(std::FILE* sink);
void SetMinLogLevel(LogLevel level);

// Writes `level=… msg="…" k=v …` with a UTC timestamp. Values are quoted when
// they contain spaces, quotes or '='.
void Log(LogLevel level, absl::string_view message,
         const std::vector<std::pair<absl::string_view, std::string>>& fields = {});

}  // namespace gateway::common

#endif  // SERVER_COMMON_LOG_H_
