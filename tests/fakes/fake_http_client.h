// An in-memory HttpClient: records every request and answers from a handler
// the test sets, synchronously, on the caller's thread.
#ifndef TESTS_FAKES_FAKE_HTTP_CLIENT_H_
#define TESTS_FAKES_FAKE_HTTP_CLIENT_H_

#include <functional>
#include <utility>
#include <vector>

#include "server/http/http_client.h"

namespace gateway::testing {

struct RecordedRequest {
  http::HttpRequest request;
  absl::Time deadline;
};

class FakeHttpClient final : public http::HttpClient {
 public:
  using Handler = std::function<absl::StatusOr<http::HttpResponse>(const http::HttpRequest&)>;

  void SetHandler(Handler handler) { handler_ = std::move(handler); }

  // Answers every request with `status` and `body` (and a request id header).
  void RespondWith(int status, std::string body) {
    handler_ = [status, body = std::move(body)](const http::HttpRequest&) -> absl::StatusOr<http::HttpResponse> {
      http::HttpResponse response;
      response.status = status;
      response.headers["peeker-request-id"] = "req_FAKE";
      response.body = body;
      return response;
    };
  }

  void Send(http::HttpRequest request, absl::Time deadline, Callback done) override {
    requests_.push_back({request, deadline});
    std::move(done)(handler_ ? handler_(request) : absl::UnavailableError("no handler set"));
  }

  const std::vector<RecordedRequest>& requests() const { return requests_; }

 private:
  Handler handler_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace gateway::testing

#endif  // TESTS_FAKES_FAKE_HTTP_CLIENT_H_
