// A stand-in for the Partner API that answers every request after a fixed
// delay, for the concurrency benchmark. partner-sandbox serves each open
// connection on a thread of its own (cpp-httplib), so thousands of calls
// waiting upstream at once would measure its thread pool, not the gateway;
// this upstream holds any number of them on one epoll thread. It answers
// GET .../me with an account and anything else with the availability of
// acme-mail.com, both as partner-sandbox does.
#ifndef TESTS_BENCH_SLOW_UPSTREAM_H_
#define TESTS_BENCH_SLOW_UPSTREAM_H_

#include <atomic>
#include <memory>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gateway::bench {

class SlowUpstream {
 public:
  static absl::StatusOr<std::unique_ptr<SlowUpstream>> Start(absl::Duration delay);
  ~SlowUpstream();

  int port() const { return port_; }

 private:
  SlowUpstream(absl::Duration delay, int listen_fd, int port);
  void Run();

  const absl::Duration delay_;
  const int listen_fd_;
  const int port_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace gateway::bench

#endif  // TESTS_BENCH_SLOW_UPSTREAM_H_
