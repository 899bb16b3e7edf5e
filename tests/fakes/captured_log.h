// The log lines a piece of code writes: runs it with the log sink swapped
// for a temporary file and returns what was written.
#ifndef TESTS_FAKES_CAPTURED_LOG_H_
#define TESTS_FAKES_CAPTURED_LOG_H_

#include <cstdio>
#include <string>

#include "server/common/log.h"

namespace gateway::testing {

template <typename Run>
std::string CapturedLog(const Run& run) {
  std::FILE* sink = std::tmpfile();
  common::SetLogSink(sink);
  run();
  common::SetLogSink(nullptr);
  std::rewind(sink);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), sink)) > 0;) text.append(buffer, n);
  std::fclose(sink);
  return text;
}

}  // namespace gateway::testing

#endif  // TESTS_FAKES_CAPTURED_LOG_H_
