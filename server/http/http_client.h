// The seam between the typed Partner client and the network: an asynchronous
// HTTP client. Everything above it is tested without sockets.
#ifndef SERVER_HTTP_HTTP_CLIENT_H_
#define SERVER_HTTP_HTTP_CLIENT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gateway::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Not sent before this time: a retry's backoff. The wait blocks nothing.
  absl::Time not_before = absl::InfinitePast();
  // False for a request whose repetition could repeat a side effect (a
  // write the Partner does not dedupe). It goes on a new connection, never
  // a pooled one, so a connection that closes before the answer means the
  // server may have acted on it, never merely that the pool held a stale
  // connection. Repeatable requests reuse pooled connections.
  bool repeatable = true;
};

struct HttpResponse {
  int status = 0;
  // Header names lower-cased; a repeated header keeps its last value.
  absl::flat_hash_map<std::string, std::string> headers;
  std::string body;

  // The value of header `name` (any case), or "" when absent.
  std::string Header(std::string_view name) const;
};

// Marks `status`, an error, as the failure of a request that never went on
// the wire (no connection, TLS handshake failed, cancelled or out of time
// before sending): retrying it cannot repeat a side effect.
absl::Status NotSentError(absl::Status status);
bool WasNotSent(const absl::Status& status);

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  using Callback = absl::AnyInvocable<void(absl::StatusOr<HttpResponse>) &&>;

  // Sends `request` and calls `done` exactly once, on a thread owned by the
  // client, with the response (any HTTP status) or an error:
  // DEADLINE_EXCEEDED when `deadline` passed first, UNAVAILABLE when the
  // connection or TLS failed or was reset; an error is marked by
  // NotSentError when no byte of the request can have reached the server.
  // One Send puts the request on the wire at most once: a connection that
  // dies without an answer fails the call, it is never resent underneath.
  // The transfer is abandoned, and its connection closed, no later than
  // `deadline`. `done` must not block.
  virtual void Send(HttpRequest request, absl::Time deadline, Callback done) = 0;
};

}  // namespace gateway::http

#endif  // SERVER_HTTP_HTTP_CLIENT_H_
