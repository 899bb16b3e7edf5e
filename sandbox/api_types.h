// The transport-level types of the Partner API emulator: one request as the
// HTTP server saw it, the answer it should send, and a composed webhook event.
#ifndef GATEWAY_SANDBOX_API_TYPES_H_
#define GATEWAY_SANDBOX_API_TYPES_H_

#include <map>
#include <string>

#include "absl/time/time.h"

namespace gateway::sandbox {

// One HTTP request as the transport saw it.
struct ApiRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query string
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  // The client's end of the connection, "host:port"; empty when unknown.
  // Requests on one kept-alive connection share it.
  std::string client;
};

// How the transport breaks a response on purpose (fault injection).
enum class ResponseCut {
  kNone,
  kClose,     // close the connection without sending a byte of the response
  kReset,     // send the status line and headers, then close
  kTruncate,  // send the headers and half the body, then close
};

// The answer the transport should send.
struct ApiResponse {
  int status = 200;
  std::map<std::string, std::string> headers;  // always has Peeker-Request-Id
  std::string body;                            // empty for 204
  ResponseCut cut = ResponseCut::kNone;
};

// One webhook event, ready to send: `body` is the exact JSON envelope
// {"id","type","created_at","data"} and never changes between attempts.
struct WebhookEvent {
  std::string id;        // evt_<26 chars>, also the Peeker-Event-Id header
  std::string type;      // "order.in_progress", "domain.connected", ...
  std::string order_id;  // the order the event belongs to
  absl::Time created_at;
  std::string body;
};

// How the resource sits in an event's `data` (CONTRACT.md section 11.5).
enum class WebhookDataShape {
  kNested,  // data = {"order": {...}} or {"domain": {...}}
  kFlat,    // data = the resource's fields
};

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_API_TYPES_H_
