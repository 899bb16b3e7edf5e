// Serves a cpp-httplib server on a host:port of its own (the webhook
// receiver, the admin endpoints), on the server's own worker threads.
#ifndef SERVER_HTTP_HTTP_LISTENER_H_
#define SERVER_HTTP_HTTP_LISTENER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "httplib.h"

namespace gateway::http {

class HttpListener {
 public:
  // Binds `listen` (host:port; port 0 picks a free one) and starts serving
  // `server` with `threads` workers. Returns once connections are accepted.
  static absl::StatusOr<std::unique_ptr<HttpListener>> Start(std::unique_ptr<httplib::Server> server,
                                                             const std::string& listen, int threads);
  // Stops accepting, lets requests in progress finish, joins the threads.
  ~HttpListener();

  int port() const { return port_; }

 private:
  HttpListener() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace gateway::http

#endif  // SERVER_HTTP_HTTP_LISTENER_H_
