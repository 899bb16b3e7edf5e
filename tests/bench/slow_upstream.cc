#include "tests/bench/slow_upstream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gateway::bench {
namespace {

constexpr char kAvailability[] =
    R"({"data":{"domains":[{"available":true,"currency":"usd","domain":"acme-mail.com","premium":false,)"
    R"("price_cents":1400,"renewal_price_cents":1600,"usable_for":["google","microsoft"]}]}})";
constexpr char kMe[] =
    R"({"data":{"api_key":{"environment":"test","permission_preset":"full"},)"
    R"("partner":{"id":"org_01JA00000000000000SANDBOX0","name":"Sandbox Partner"}}})";

std::string Response(absl::string_view body) {
  return absl::StrCat("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ", body.size(),
                      "\r\nPeeker-Request-Id: req_bench\r\n\r\n", body);
}

// The length of the first complete request in `buffer` (headers and
// Content-Length body), or 0 while it is incomplete.
size_t CompleteRequest(const std::string& buffer) {
  const size_t headers_end = buffer.find("\r\n\r\n");
  if (headers_end == std::string::npos) return 0;
  size_t length = 0;
  const std::string headers = absl::AsciiStrToLower(buffer.substr(0, headers_end));
  if (const size_t at = headers.find("\r\ncontent-length:"); at != std::string::npos) {
    const size_t start = at + sizeof("\r\ncontent-length:") - 1;
    const size_t end = headers.find("\r\n", start);
    (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(headers.substr(start, end - start)), &length);
  }
  const size_t total = headers_end + 4 + length;
  return buffer.size() >= total ? total : 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SlowUpstream>> SlowUpstream::Start(absl::Duration delay) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, SOMAXCONN) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    return absl::UnavailableError("the slow upstream cannot listen on loopback");
  }
  return std::unique_ptr<SlowUpstream>(new SlowUpstream(delay, fd, ntohs(address.sin_port)));
}

SlowUpstream::SlowUpstream(absl::Duration delay, int listen_fd, int port)
    : delay_(delay), listen_fd_(listen_fd), port_(port), thread_([this] { Run(); }) {}

SlowUpstream::~SlowUpstream() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void SlowUpstream::Run() {
  struct Connection {
    std::string in;
    uint64_t generation = 0;
  };
  struct Due {
    absl::Time at;
    int fd;
    uint64_t generation;  // the connection the answer is for, should the fd be reused
    bool me;
  };
  const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event listen_event{};
  listen_event.events = EPOLLIN;
  listen_event.data.fd = listen_fd_;
  ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd_, &listen_event);
  absl::flat_hash_map<int, Connection> connections;
  std::deque<Due> due;  // in time order: every answer waits the same delay
  uint64_t generations = 0;
  const std::string availability = Response(kAvailability), me = Response(kMe);
  epoll_event events[512];
  while (!stop_.load()) {
    const absl::Time now = absl::Now();
    while (!due.empty() && due.front().at <= now) {
      const Due answer = due.front();
      due.pop_front();
      auto it = connections.find(answer.fd);
      if (it == connections.end() || it->second.generation != answer.generation) continue;
      const std::string& text = answer.me ? me : availability;
      // Answers are small: the socket's send buffer takes them whole.
      (void)!::send(answer.fd, text.data(), text.size(), MSG_NOSIGNAL);
    }
    int timeout_ms = 100;
    if (!due.empty()) {
      timeout_ms = static_cast<int>(
          std::min<int64_t>(100, absl::ToInt64Milliseconds(absl::Ceil(due.front().at - absl::Now(), absl::Milliseconds(1)))));
    }
    const int ready = ::epoll_wait(epoll_fd, events, 512, std::max(0, timeout_ms));
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listen_fd_) {
        for (int client; (client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
          const int one = 1;
          ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
          epoll_event event{};
          event.events = EPOLLIN;
          event.data.fd = client;
          ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, client, &event);
          connections[client] = Connection{"", ++generations};
        }
        continue;
      }
      Connection& connection = connections[fd];
      char buffer[16384];
      ssize_t n;
      while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) connection.in.append(buffer, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        connections.erase(fd);
        continue;
      }
      for (size_t length; (length = CompleteRequest(connection.in)) > 0;) {
        const bool is_me = absl::StartsWith(connection.in, "GET ") &&
                           connection.in.substr(0, connection.in.find(' ', 4)).ends_with("/me");
        due.push_back(Due{absl::Now() + delay_, fd, connection.generation, is_me});
        connection.in.erase(0, length);
      }
    }
  }
  for (const auto& [fd, unused] : connections) ::close(fd);
  ::close(epoll_fd);
}

}  // namespace gateway::bench
