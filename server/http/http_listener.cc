#include "server/http/http_listener.h"

#include <sys/socket.h>

#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gateway::http {

absl::StatusOr<std::unique_ptr<HttpListener>> HttpListener::Start(std::unique_ptr<httplib::Server> server,
                                                                  const std::string& listen, int threads) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("\"", listen, "\" is not host:port"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  std::unique_ptr<HttpListener> listener(new HttpListener());
  listener->server_ = std::move(server);
  httplib::Server& http = *listener->server_;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // httplib writes headers and body separately: without TCP_NODELAY a reply
  // waits for the peer's delayed ACK. Its listen backlog is 5, so remember
  // the socket to raise it after bind.
  http.set_tcp_nodelay(true);
  int listen_fd = -1;
  // SO_REUSEADDR, for a restart while old connections linger in TIME_WAIT;
  // not httplib's default SO_REUSEPORT, which would let a second process
  // bind the same port and silently take half of its connections.
  http.set_socket_options([&listen_fd](int fd) {
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd = fd;
  });
  listener->port_ = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (listener->port_ <= 0) return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  ::listen(listen_fd, SOMAXCONN);
  listener->thread_ = std::thread([&http] { http.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs.
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return listener;
}

HttpListener::~HttpListener() {
  server_->stop();
  // No thread when Start failed to bind.
  if (thread_.joinable()) thread_.join();
}

}  // namespace gateway::http
