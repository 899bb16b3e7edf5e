#include "server/common/process_metrics.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace gateway::common {
namespace {

TEST(ProcessMetricsTest, CountsThreadsAndDescriptorsAsTheyComeAndGo) {
  const ProcessUsage before = ReadProcessUsage();
  std::atomic<bool> stop{false};
  std::thread other([&stop] {
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  const ProcessUsage during = ReadProcessUsage();
  stop = true;
  other.join();
  ::close(fd);
  const ProcessUsage after = ReadProcessUsage();

  EXPECT_GE(before.threads, 1);
  EXPECT_EQ(during.threads, before.threads + 1);
  EXPECT_EQ(after.threads, before.threads);
  EXPECT_EQ(during.open_fds, before.open_fds + 1);
  EXPECT_EQ(after.open_fds, before.open_fds);
}

TEST(ProcessMetricsTest, CpuGrowsWithWorkAndMemoryIsResident) {
  const ProcessUsage before = ReadProcessUsage();
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  volatile uint64_t spin = 0;
  while (std::chrono::steady_clock::now() < until) spin = spin + 1;
  const ProcessUsage after = ReadProcessUsage();

  EXPECT_GE(after.cpu_seconds - before.cpu_seconds, 0.03);
  EXPECT_GT(after.resident_bytes, 0);
  EXPECT_GE(after.max_resident_bytes, after.resident_bytes);
}

TEST(ProcessMetricsTest, AnotherProcessIsReadByItsDirectoryAndAMissingOneIsZero) {
  const ProcessUsage self = ReadProcessUsage(absl::StrCat("/proc/", ::getpid()));
  EXPECT_GE(self.threads, 1);
  EXPECT_GT(self.resident_bytes, 0);
  const ProcessUsage missing = ReadProcessUsage("/proc/no-such-process");
  EXPECT_EQ(missing.threads, 0);
  EXPECT_EQ(missing.resident_bytes, 0);
  EXPECT_EQ(missing.cpu_seconds, 0);
  EXPECT_EQ(missing.open_fds, 0);
}

TEST(ProcessMetricsTest, EachFigureIsDeclaredAndReadAtEveryScrape) {
  Metrics metrics;
  AddProcessMetrics(&metrics);
  const ProcessUsage now = ReadProcessUsage();
  EXPECT_GT(*metrics.Value("process_cpu_seconds_total"), 0);
  EXPECT_NEAR(*metrics.Value("process_threads"), static_cast<double>(now.threads), 4);
  EXPECT_GT(*metrics.Value("process_resident_memory_bytes"), 0);
  EXPECT_GE(*metrics.Value("process_max_resident_memory_bytes"), *metrics.Value("process_resident_memory_bytes") / 2);
  EXPECT_GT(*metrics.Value("process_open_fds"), 0);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE process_threads gauge\n"), std::string::npos);
  // Read again at the next scrape: a thread more shows.
  std::thread sleeper([] { absl::SleepFor(absl::Milliseconds(300)); });
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_GE(*metrics.Value("process_threads"), static_cast<double>(now.threads) + 1);
  sleeper.join();
}

}  // namespace
}  // namespace gateway::common
