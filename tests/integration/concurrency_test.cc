// The proof that nothing blocks: 200 calls in flight at once against an
// upstream that takes 500 ms each finish together, not one after another
// (serialized they would take 100 s; over the default 64 Partner connections
// they take four waves, about 2 s), and the gateway's thread count does not
// grow with them.
#include <dirent.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;

int ThreadCount(int pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

TEST(ConcurrencyTest, TwoHundredSlowCallsCompleteTogether) {
  constexpr int kCalls = 200;
  Stack::Options options;
  options.sandbox_args = {"--latency-ms", "500", "--threads", "256", "--quiet"};
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  auto stub = v1::DomainService::NewStub((*stack)->channel());

  {  // Warm up the channel and the gateway's connection to the sandbox.
    grpc::ClientContext context;
    v1::CheckAvailabilityRequest request;
    request.add_domains("warmup-avail.com");
    v1::CheckAvailabilityResponse reply;
    ASSERT_TRUE(stub->CheckAvailability(&context, request, &reply).ok());
  }
  const int threads_idle = ThreadCount((*stack)->gateway().pid());

  struct Call {
    grpc::ClientContext context;
    v1::CheckAvailabilityRequest request;
    v1::CheckAvailabilityResponse reply;
    grpc::Status status;
  };
  std::vector<Call> calls(kCalls);
  std::atomic<int> remaining{kCalls};
  absl::Notification all_done;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) {
    Call& call = calls[i];
    call.context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    call.request.add_domains("concurrent" + std::to_string(i) + "-avail.com");
    stub->async()->CheckAvailability(&call.context, &call.request, &call.reply, [&call, &remaining, &all_done](grpc::Status s) {
      call.status = std::move(s);
      if (remaining.fetch_sub(1) == 1) all_done.Notify();
    });
  }
  // Sample the thread count for as long as calls are in flight.
  int threads_busy = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!all_done.WaitForNotificationWithTimeout(absl::Milliseconds(20))) {
    threads_busy = std::max(threads_busy, ThreadCount((*stack)->gateway().pid()));
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "calls did not finish";
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  int ok = 0;
  for (const Call& call : calls) ok += call.status.ok() ? 1 : 0;
  std::printf("200 concurrent calls with 500 ms upstream latency: %.3f s; gateway threads idle %d, busy %d\n",
              seconds, threads_idle, threads_busy);
  EXPECT_EQ(ok, kCalls);
  EXPECT_LT(seconds, 5.0);
  EXPECT_LE(threads_busy, threads_idle + 4);
}

}  // namespace
}  // namespace gateway::testing
