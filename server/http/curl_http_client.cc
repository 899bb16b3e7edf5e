#include "server/http/curl_http_client.h"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

namespace gateway::http {
namespace {

CURLM* Multi(void* handle) { return static_cast<CURLM*>(handle); }

void* NewMulti() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return curl_multi_init();
}

long Milliseconds(absl::Duration duration) {
  return static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(duration)));
}

}  // namespace

struct CurlHttpClient::Transfer {
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(header_list);
  }

  HttpRequest request;
  absl::Time deadline;
  Callback done;
  size_t max_response_bytes = 0;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpResponse response;
  // How often libcurl was about to put the request on a connection. libcurl
  // resends a request by itself when a reused connection closes before any
  // answer; the second time is refused, so this never exceeds 2.
  int sends = 0;
  bool body_too_large = false;
  char error[CURL_ERROR_SIZE] = {};
};

namespace {

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const absl::string_view line(data, size * count);
  if (absl::StartsWith(line, "HTTP/")) {
    // A new status line (after 100 Continue, for instance) starts over.
    response->headers.clear();
    return line.size();
  }
  const size_t colon = line.find(':');
  if (colon != absl::string_view::npos) {
    response->headers[absl::AsciiStrToLower(absl::StripAsciiWhitespace(line.substr(0, colon)))] =
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  }
  return line.size();
}

// CURLOPT_PREREQFUNCTION: runs each time libcurl has a connection and is
// about to send the request on it.
int OnPrerequest(void* user, char* /*primary_ip*/, char* /*local_ip*/, int /*primary_port*/, int /*local_port*/) {
  int& sends = *static_cast<int*>(user);
  return ++sends == 1 ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT;
}

}  // namespace

CurlHttpClient::CurlHttpClient(Options options)
    : options_(std::move(options)),
      multi_(NewMulti()),
      epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
  curl_multi_setopt(Multi(multi_), CURLMOPT_MAX_HOST_CONNECTIONS, options_.max_connections_per_host);
  curl_multi_setopt(Multi(multi_), CURLMOPT_SOCKETFUNCTION, &CurlHttpClient::OnSocket);
  curl_multi_setopt(Multi(multi_), CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(Multi(multi_), CURLMOPT_TIMERFUNCTION, &CurlHttpClient::OnTimer);
  curl_multi_setopt(Multi(multi_), CURLMOPT_TIMERDATA, this);
  thread_ = std::thread([this] { Run(); });
}

CurlHttpClient::~CurlHttpClient() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  Wake();
  thread_.join();
  curl_multi_cleanup(Multi(multi_));
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void CurlHttpClient::Send(HttpRequest request, absl::Time deadline, Callback done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->deadline = deadline;
  transfer->done = std::move(done);
  transfer->max_response_bytes = options_.max_response_bytes;
  in_flight_.fetch_add(1, std::memory_order_relaxed);
  bool was_empty;
  {
    absl::MutexLock lock(&mutex_);
    was_empty = pending_.empty();
    pending_.push_back(std::move(transfer));
  }
  // The event thread takes everything pending at once; one wakeup is enough.
  if (was_empty) Wake();
}

void CurlHttpClient::Wake() {
  const uint64_t one = 1;
  // The eventfd only fails to count if it is already at its maximum, which
  // still wakes the thread.
  (void)!::write(wake_fd_, &one, sizeof(one));
}

int CurlHttpClient::OnSocket(void* /*easy*/, int fd, int what, void* client, void* socket_data) {
  auto* self = static_cast<CurlHttpClient*>(client);
  if (what == CURL_POLL_REMOVE) {
    // libcurl may already have closed the socket, which left the set then.
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    return 0;
  }
  epoll_event event{};
  event.events = ((what & CURL_POLL_IN) != 0 ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0u);
  event.data.fd = fd;
  // socket_data marks a socket already in the epoll set.
  if (socket_data != nullptr) {
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, fd, &event);
  } else {
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_ADD, fd, &event);
    curl_multi_assign(Multi(self->multi_), fd, self);
  }
  return 0;
}

int CurlHttpClient::OnTimer(void* /*multi*/, long timeout_ms, void* client) {
  auto* self = static_cast<CurlHttpClient*>(client);
  self->curl_timer_ = timeout_ms < 0 ? absl::InfiniteFuture() : absl::Now() + absl::Milliseconds(timeout_ms);
  return 0;
}

void CurlHttpClient::Run() {
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  while (true) {
    std::vector<std::unique_ptr<Transfer>> starting;
    bool stopping;
    {
      absl::MutexLock lock(&mutex_);
      starting.swap(pending_);
      stopping = stopping_;
    }
    for (auto& transfer : starting) {
      const absl::Time not_before = transfer->request.not_before;
      waiting_.emplace(not_before, std::move(transfer));
    }
    if (stopping) {
      const absl::Status cancelled = absl::CancelledError("the HTTP client is shutting down");
      for (auto& [unused, transfer] : waiting_) Finish(transfer.get(), cancelled);
      waiting_.clear();
      while (!active_.empty()) Finish(active_.begin()->first, cancelled);
      return;
    }
    absl::Time now = absl::Now();
    while (!waiting_.empty() && waiting_.begin()->first <= now) {
      Start(std::move(waiting_.begin()->second));
      waiting_.erase(waiting_.begin());
    }
    int running = 0;
    if (curl_timer_ <= now) {
      curl_timer_ = absl::InfiniteFuture();
      curl_multi_socket_action(Multi(multi_), CURL_SOCKET_TIMEOUT, 0, &running);
      FinishCompleted();
    }
    // Sleeps until a socket is ready, libcurl's timer, the next waiting
    // transfer is due, or a wakeup from Send or the destructor.
    absl::Time until = std::min(curl_timer_, absl::Now() + absl::Seconds(1));
    if (!waiting_.empty()) until = std::min(until, waiting_.begin()->first);
    const int sleep_ms = static_cast<int>(
        absl::ToInt64Milliseconds(absl::Ceil(std::max(until - absl::Now(), absl::ZeroDuration()), absl::Milliseconds(1))));
    const int ready = ::epoll_wait(epoll_fd_, events, kMaxEvents, sleep_ms);
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        uint64_t count = 0;
        (void)!::read(wake_fd_, &count, sizeof(count));
        continue;
      }
      const uint32_t what = events[i].events;
      const int action = ((what & (EPOLLIN | EPOLLHUP)) != 0 ? CURL_CSELECT_IN : 0) |
                         ((what & EPOLLOUT) != 0 ? CURL_CSELECT_OUT : 0) | ((what & EPOLLERR) != 0 ? CURL_CSELECT_ERR : 0);
      curl_multi_socket_action(Multi(multi_), fd, action, &running);
    }
    FinishCompleted();
  }
}

void CurlHttpClient::Start(std::unique_ptr<Transfer> transfer) {
  Transfer* t = transfer.get();
  const absl::Duration left = t->deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    Finish(t, absl::DeadlineExceededError("the deadline passed before the request was sent"));
    return;
  }
  t->easy = curl_easy_init();
  if (t->easy == nullptr) {
    Finish(t, absl::ResourceExhaustedError("libcurl could not create a transfer"));
    return;
  }
  CURL* easy = t->easy;
  curl_easy_setopt(easy, CURLOPT_URL, t->request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, Milliseconds(options_.connect_timeout));
  if (left < absl::Hours(24)) curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, Milliseconds(left));
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* user) -> size_t {
    auto* target = static_cast<Transfer*>(user);
    if (target->response.body.size() + size * count > target->max_response_bytes) {
      target->body_too_large = true;
      return 0;  // Aborts the transfer.
    }
    target->response.body.append(data, size * count);
    return size * count;
  });
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t->response);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
  // libcurl silently sends a request again when a reused connection closes
  // before any answer: the server may have acted on the first one. The
  // gateway decides about every repetition itself, so that one is refused.
  curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &OnPrerequest);
  curl_easy_setopt(easy, CURLOPT_PREREQDATA, &t->sends);
  if (!t->request.repeatable) curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  if (t->request.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, t->request.method.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->request.body.size()));
  }
  for (const auto& [name, value] : t->request.headers) {
    t->header_list = curl_slist_append(t->header_list, absl::StrCat(name, ": ", value).c_str());
  }
  // The Partner answers at once; waiting for "100 Continue" only adds a
  // round trip.
  t->header_list = curl_slist_append(t->header_list, "Expect:");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->header_list);
  curl_multi_add_handle(Multi(multi_), easy);
  active_.emplace(t, std::move(transfer));
}

void CurlHttpClient::FinishCompleted() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(Multi(multi_), &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
    const CURLcode code = message->data.result;
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      t->response.status = static_cast<int>(status);
      Finish(t, std::move(t->response));
      continue;
    }
    if (t->body_too_large) {
      Finish(t, absl::UnavailableError(absl::StrCat("the response body is larger than ", t->max_response_bytes, " bytes")));
      continue;
    }
    if (t->sends > 1) {
      Finish(t, absl::UnavailableError("the connection closed without an answer after the request was sent; the server "
                                       "may have acted on it, so it was not sent again"));
      continue;
    }
    const std::string what = absl::StrCat(curl_easy_strerror(code), t->error[0] != '\0' ? ": " : "", t->error);
    if (code == CURLE_OPERATION_TIMEDOUT && absl::Now() >= t->deadline - absl::Milliseconds(5)) {
      Finish(t, absl::DeadlineExceededError(absl::StrCat("no answer before the deadline (", what, ")")));
    } else {
      Finish(t, absl::UnavailableError(what));
    }
  }
}

void CurlHttpClient::Finish(Transfer* transfer, absl::StatusOr<HttpResponse> result) {
  std::unique_ptr<Transfer> owned;
  if (auto it = active_.find(transfer); it != active_.end()) {
    owned = std::move(it->second);
    active_.erase(it);
    // Removing an unfinished transfer closes its connection.
    curl_multi_remove_handle(Multi(multi_), transfer->easy);
  }
  // Whatever went wrong, a request that never went on the wire can be
  // retried without repeating anything.
  if (!result.ok() && transfer->sends == 0) result = NotSentError(result.status());
  Callback done = std::move(transfer->done);
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  std::move(done)(std::move(result));
}

}  // namespace gateway::http
