// The production HttpClient: libcurl's multi interface driven by one event
// thread. Any number of transfers share that thread and a pool of reused
// connections, so in-flight calls cost memory, not threads. The thread waits
// in epoll and hands libcurl only the sockets that are ready
// (curl_multi_socket_action), so the work per wakeup does not grow with the
// number of transfers in flight. TLS peer and host verification are always
// on. libcurl's own resend of a request whose reused connection closed
// without an answer is refused (CURLOPT_PREREQFUNCTION counts each send), so
// a request reaches the server at most once per Send.
#ifndef SERVER_HTTP_CURL_HTTP_CLIENT_H_
#define SERVER_HTTP_CURL_HTTP_CLIENT_H_

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/http/http_client.h"

namespace gateway::http {

class CurlHttpClient final : public HttpClient {
 public:
  struct Options {
    // Longest wait for a TCP + TLS connection; a transfer's deadline may cut
    // it shorter.
    absl::Duration connect_timeout = absl::Seconds(3);
    // PEM bundle of trusted CAs; empty means the system store.
    std::string ca_file;
    // Open connections per host at most (further transfers queue); 0 means
    // no limit.
    long max_connections_per_host = 0;
    std::string user_agent = "partner-gateway";
    // Larger response bodies fail the call as UNAVAILABLE.
    size_t max_response_bytes = 16 << 20;
  };

  explicit CurlHttpClient(Options options);
  // Fails every call still in flight with CANCELLED, then stops the thread.
  ~CurlHttpClient() override;

  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  void Send(HttpRequest request, absl::Time deadline, Callback done) override;

  // Calls accepted by Send whose callback has not run yet.
  size_t InFlight() const { return in_flight_.load(std::memory_order_relaxed); }

 private:
  struct Transfer;

  void Run();
  void Wake();
  // libcurl's CURLMOPT_SOCKETFUNCTION and CURLMOPT_TIMERFUNCTION.
  static int OnSocket(void* easy, int fd, int what, void* client, void* socket_data);
  static int OnTimer(void* multi, long timeout_ms, void* client);
  void Start(std::unique_ptr<Transfer> transfer);
  void FinishCompleted();
  void Finish(Transfer* transfer, absl::StatusOr<HttpResponse> result);

  const Options options_;
  void* const multi_;  // CURLM*, kept out of the header.
  const int epoll_fd_;
  const int wake_fd_;  // an eventfd in the epoll set
  std::atomic<size_t> in_flight_{0};

  absl::Mutex mutex_;
  std::vector<std::unique_ptr<Transfer>> pending_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;

  // Touched only by the event thread: when libcurl wants its timeout
  // handled, transfers waiting for their not_before, and transfers added to
  // the multi handle.
  absl::Time curl_timer_ = absl::InfiniteFuture();
  std::multimap<absl::Time, std::unique_ptr<Transfer>> waiting_;
  absl::flat_hash_map<Transfer*, std::unique_ptr<Transfer>> active_;
  std::thread thread_;
};

}  // namespace gateway::http

#endif  // SERVER_HTTP_CURL_HTTP_CLIENT_H_
