// CurlHttpClient against an in-process cpp-httplib server on 127.0.0.1:0.
#include "server/http/curl_http_client.h"

#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "server/http/http_listener.h"

namespace gateway::http {
namespace {

using ::testing::HasSubstr;

// Runs a cpp-httplib server on an ephemeral loopback port. Routes are added
// with server() before Start().
class TestServer {
 public:
  explicit TestServer(std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>())
      : server_(server.get()), owned_(std::move(server)) {}

  httplib::Server& server() { return *server_; }

  void Start() {
    auto listener = http::HttpListener::Start(std::move(owned_), "127.0.0.1:0", 256);
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
  }

  std::string Url(const std::string& path, const char* scheme = "http") const {
    return absl::StrCat(scheme, "://127.0.0.1:", listener_->port(), path);
  }

 private:
  httplib::Server* const server_;
  std::unique_ptr<httplib::Server> owned_;  // Until Start() hands it to the listener.
  std::unique_ptr<http::HttpListener> listener_;
};

// An HTTP/1.1 server on raw sockets, for what cpp-httplib cannot do: close a
// connection after reading a request, before a byte of the answer. It
// records every request it reads; `answer(request_line, n)` says whether the
// n-th request (from 1) of its connection gets a 200 or a closed connection.
class RawServer {
 public:
  struct Seen {
    int connection;  // from 1, in accept order
    std::string request_line;
  };
  using Answer = std::function<bool(const std::string& request_line, int nth_on_connection)>;

  explicit RawServer(Answer answer) : answer_(std::move(answer)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(::listen(listen_fd_, 16), 0);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~RawServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    ::close(listen_fd_);
    for (std::thread& connection : connections_) connection.join();
  }

  std::string Url(const std::string& path) const { return absl::StrCat("http://127.0.0.1:", port_, path); }
  std::vector<Seen> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

 private:
  void Accept() {
    for (int number = 1;; ++number) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      connections_.emplace_back([this, fd, number] { Serve(fd, number); });
    }
  }

  void Serve(int fd, int connection) {
    std::string buffer;
    for (int nth = 1;; ++nth) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!Read(fd, buffer)) return (void)::close(fd);
      }
      const std::string head = buffer.substr(0, end);
      buffer.erase(0, end + 4);
      size_t body_length = 0;
      for (absl::string_view line : absl::StrSplit(head, "\r\n")) {
        if (absl::StartsWithIgnoreCase(line, "content-length:")) {
          (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(15)), &body_length);
        }
      }
      while (buffer.size() < body_length) {
        if (!Read(fd, buffer)) return (void)::close(fd);
      }
      buffer.erase(0, body_length);
      const std::string request_line = head.substr(0, head.find("\r\n"));
      {
        absl::MutexLock lock(&mu_);
        seen_.push_back({connection, request_line});
      }
      if (!answer_(request_line, nth)) return (void)::close(fd);
      constexpr absl::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      if (::send(fd, kOk.data(), kOk.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(kOk.size())) {
        return (void)::close(fd);
      }
    }
  }

  static bool Read(int fd, std::string& buffer) {
    char chunk[4096];
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }

  const Answer answer_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::vector<std::thread> connections_;  // touched by the acceptor, then the destructor
  absl::Mutex mu_;
  std::vector<Seen> seen_ ABSL_GUARDED_BY(mu_);
};

// Sends one request and waits for its callback.
absl::StatusOr<HttpResponse> SendAndWait(HttpClient& client, HttpRequest request,
                                         absl::Duration timeout = absl::Seconds(10)) {
  absl::StatusOr<HttpResponse> result = absl::UnknownError("no callback");
  absl::Notification done;
  client.Send(std::move(request), absl::Now() + timeout, [&](absl::StatusOr<HttpResponse> response) {
    result = std::move(response);
    done.Notify();
  });
  EXPECT_TRUE(done.WaitForNotificationWithTimeout(timeout + absl::Seconds(5)));
  return result;
}

HttpRequest Request(std::string method, std::string url, std::string body = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  return request;
}

HttpRequest Get(std::string url) { return Request("GET", std::move(url)); }

size_t ThreadCount() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++count;
  return count;
}

class CurlHttpClientTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(CurlHttpClientTest, SendsMethodHeadersAndBodyAndReturnsTheResponse) {
  server_.server().Patch("/echo", [](const httplib::Request& request, httplib::Response& response) {
    response.status = 202;
    response.set_header("Peeker-Request-Id", "req_1");
    response.set_content(absl::StrCat(request.method, " ", request.get_header_value("X-Test"), " ", request.body),
                         "text/plain");
  });
  server_.Start();
  CurlHttpClient client({});
  HttpRequest patch = Request("PATCH", server_.Url("/echo"), R"({"a":1})");
  patch.headers = {{"X-Test", "yes"}};
  absl::StatusOr<HttpResponse> response = SendAndWait(client, std::move(patch));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 202);
  EXPECT_EQ(response->body, "PATCH yes {\"a\":1}");
  EXPECT_EQ(response->Header("peeker-request-id"), "req_1");
  EXPECT_EQ(response->Header("PEEKER-REQUEST-ID"), "req_1");
  EXPECT_EQ(response->Header("absent"), "");
}

TEST_F(CurlHttpClientTest, ErrorStatusesAreResponsesNotErrors) {
  server_.server().Get("/missing", [](const httplib::Request&, httplib::Response& response) {
    response.status = 404;
    response.set_content(R"({"error":{"code":"not_found"}})", "application/json");
  });
  server_.Start();
  CurlHttpClient client({});
  absl::StatusOr<HttpResponse> response = SendAndWait(client, Get(server_.Url("/missing")));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 404);
  EXPECT_THAT(response->body, HasSubstr("not_found"));
}

TEST_F(CurlHttpClientTest, ReusesTheConnection) {
  std::atomic<int> first_port{0};
  std::atomic<bool> same_port{true};
  server_.server().Get("/", [&](const httplib::Request& request, httplib::Response& response) {
    int expected = 0;
    if (!first_port.compare_exchange_strong(expected, request.remote_port)) {
      same_port = same_port && request.remote_port == expected;
    }
    response.set_content("ok", "text/plain");
  });
  server_.Start();
  CurlHttpClient client({});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(SendAndWait(client, Get(server_.Url("/"))).ok());
  EXPECT_TRUE(same_port);
}

TEST_F(CurlHttpClientTest, DeadlineEndsTheCallPromptlyAndTheClientStaysUsable) {
  absl::Notification release;
  server_.server().Get("/slow", [&](const httplib::Request&, httplib::Response& response) {
    release.WaitForNotificationWithTimeout(absl::Seconds(10));
    response.set_content("late", "text/plain");
  });
  server_.server().Get("/fast", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  });
  server_.Start();
  CurlHttpClient client({});
  const absl::Time start = absl::Now();
  absl::StatusOr<HttpResponse> response = SendAndWait(client, Get(server_.Url("/slow")), absl::Milliseconds(200));
  const absl::Duration elapsed = absl::Now() - start;
  release.Notify();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_LT(elapsed, absl::Seconds(2));
  EXPECT_TRUE(SendAndWait(client, Get(server_.Url("/fast"))).ok());
  EXPECT_EQ(client.InFlight(), 0u);
}

TEST_F(CurlHttpClientTest, PastDeadlineFailsWithoutSending) {
  std::atomic<int> hits{0};
  server_.server().Get("/", [&](const httplib::Request&, httplib::Response&) { ++hits; });
  server_.Start();
  CurlHttpClient client({});
  absl::StatusOr<HttpResponse> response = SendAndWait(client, Get(server_.Url("/")), absl::ZeroDuration());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(hits, 0);
}

TEST_F(CurlHttpClientTest, RefusedConnectionIsUnavailable) {
  std::string url;
  {
    TestServer stopped;
    stopped.Start();
    url = stopped.Url("/");
  }
  CurlHttpClient client({});
  absl::StatusOr<HttpResponse> response = SendAndWait(client, Get(url));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_TRUE(WasNotSent(response.status()));  // Nothing reached a server: safe to retry.
}

TEST(CurlHttpClientAtMostOnceTest, AReusedConnectionThatClosesWithoutAnAnswerIsNotResentUnderneath) {
  // Every connection answers its first request and closes on the second one
  // after reading it. libcurl, left alone, would send that request again on a
  // new connection, where it would be answered: two requests for one call.
  RawServer server([](const std::string&, int nth) { return nth == 1; });
  CurlHttpClient client({});
  ASSERT_TRUE(SendAndWait(client, Get(server.Url("/warm"))).ok());
  HttpRequest write = Request("POST", server.Url("/orders"), R"({"a":1})");
  ASSERT_TRUE(write.repeatable);  // Even a repeatable request: the caller decides about a second one.
  absl::StatusOr<HttpResponse> response = SendAndWait(client, std::move(write));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_FALSE(WasNotSent(response.status()));  // The server may have acted on it.
  const std::vector<RawServer::Seen> seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].request_line, "POST /orders HTTP/1.1");
  EXPECT_EQ(seen[1].connection, seen[0].connection);  // It went on the reused connection.
  EXPECT_EQ(client.InFlight(), 0u);
}

TEST(CurlHttpClientAtMostOnceTest, AWriteThatMustNotBeRepeatedGoesOnANewConnectionOnce) {
  RawServer server([](const std::string& request_line, int) { return !absl::StartsWith(request_line, "POST /bundles"); });
  CurlHttpClient client({});
  ASSERT_TRUE(SendAndWait(client, Get(server.Url("/warm"))).ok());
  HttpRequest write = Request("POST", server.Url("/bundles"), R"({"name":"x"})");
  write.repeatable = false;
  absl::StatusOr<HttpResponse> response = SendAndWait(client, std::move(write));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable) << response.status();
  EXPECT_FALSE(WasNotSent(response.status()));
  // An answered one works the same way, and a repeatable request still
  // takes a pooled connection.
  HttpRequest answered = Request("POST", server.Url("/users"), R"({"email":"a@b.test"})");
  answered.repeatable = false;
  ASSERT_TRUE(SendAndWait(client, std::move(answered)).ok());
  ASSERT_TRUE(SendAndWait(client, Get(server.Url("/again"))).ok());
  const std::vector<RawServer::Seen> seen = server.seen();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[1].request_line, "POST /bundles HTTP/1.1");
  EXPECT_NE(seen[1].connection, seen[0].connection);
  EXPECT_NE(seen[2].connection, seen[0].connection);
  EXPECT_NE(seen[2].connection, seen[1].connection);
  EXPECT_TRUE(seen[3].connection == seen[0].connection || seen[3].connection == seen[2].connection);
}

TEST_F(CurlHttpClientTest, OversizedBodyIsUnavailable) {
  server_.server().Get("/big", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(std::string(4096, 'x'), "text/plain");
  });
  server_.Start();
  CurlHttpClient::Options options;
  options.max_response_bytes = 1024;
  CurlHttpClient client(options);
  absl::StatusOr<HttpResponse> response = SendAndWait(client, Get(server_.Url("/big")));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("larger than 1024 bytes"));
  EXPECT_FALSE(WasNotSent(response.status()));  // The server saw the request.
}

TEST_F(CurlHttpClientTest, ManyConcurrentCallsShareOneThread) {
  constexpr int kCalls = 200;
  std::atomic<int> waiting{0};
  absl::Notification all_waiting;
  absl::Notification release;
  server_.server().Get("/warmup", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  });
  server_.server().Get("/", [&](const httplib::Request&, httplib::Response& response) {
    if (++waiting == kCalls) all_waiting.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(20));
    response.set_content("ok", "text/plain");
  });
  server_.Start();
  CurlHttpClient client({});
  // After one call every thread of the client and of the server exists.
  ASSERT_TRUE(SendAndWait(client, Get(server_.Url("/warmup"))).ok());
  const size_t threads_before = ThreadCount();
  std::atomic<int> ok{0};
  std::atomic<int> finished{0};
  absl::Notification all_finished;
  for (int i = 0; i < kCalls; ++i) {
    client.Send(Get(server_.Url("/")), absl::Now() + absl::Seconds(30), [&](absl::StatusOr<HttpResponse> response) {
      if (response.ok() && response->status == 200) ++ok;
      if (++finished == kCalls) all_finished.Notify();
    });
  }
  ASSERT_TRUE(all_waiting.WaitForNotificationWithTimeout(absl::Seconds(20))) << waiting << " arrived";
  EXPECT_EQ(client.InFlight(), static_cast<size_t>(kCalls));
  EXPECT_EQ(ThreadCount(), threads_before);
  release.Notify();
  ASSERT_TRUE(all_finished.WaitForNotificationWithTimeout(absl::Seconds(20)));
  EXPECT_EQ(ok, kCalls);
}

TEST_F(CurlHttpClientTest, ConnectionLimitQueuesTheCallsBeyondIt) {
  constexpr int kCalls = 6;
  std::atomic<int> open{0};
  std::atomic<int> most_open{0};
  server_.server().Get("/", [&](const httplib::Request&, httplib::Response& response) {
    const int now = ++open;
    int seen = most_open.load();
    while (now > seen && !most_open.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    --open;
    response.set_content("ok", "text/plain");
  });
  server_.Start();
  CurlHttpClient::Options options;
  options.max_connections_per_host = 2;
  CurlHttpClient client(options);
  std::atomic<int> ok{0};
  std::atomic<int> finished{0};
  absl::Notification all_finished;
  for (int i = 0; i < kCalls; ++i) {
    client.Send(Get(server_.Url("/")), absl::Now() + absl::Seconds(10), [&](absl::StatusOr<HttpResponse> response) {
      if (response.ok() && response->status == 200) ++ok;
      if (++finished == kCalls) all_finished.Notify();
    });
  }
  ASSERT_TRUE(all_finished.WaitForNotificationWithTimeout(absl::Seconds(15)));
  EXPECT_EQ(ok, kCalls);
  EXPECT_EQ(most_open, 2);
}

TEST_F(CurlHttpClientTest, NotBeforeDelaysTheSendWithoutBlockingOthers) {
  std::atomic<int> arrivals{0};
  server_.server().Get("/", [&](const httplib::Request&, httplib::Response& response) {
    ++arrivals;
    response.set_content("ok", "text/plain");
  });
  server_.Start();
  CurlHttpClient client({});
  const absl::Time start = absl::Now();
  HttpRequest later = Get(server_.Url("/"));
  later.not_before = start + absl::Milliseconds(300);
  absl::Time later_done;
  absl::Notification done;
  client.Send(std::move(later), start + absl::Seconds(10), [&](absl::StatusOr<HttpResponse> response) {
    EXPECT_TRUE(response.ok()) << response.status();
    later_done = absl::Now();
    done.Notify();
  });
  // A call without a wait goes first.
  ASSERT_TRUE(SendAndWait(client, Get(server_.Url("/"))).ok());
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(300));
  EXPECT_EQ(arrivals, 1);
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_GE(later_done - start, absl::Milliseconds(300));
  EXPECT_EQ(arrivals, 2);
}

TEST_F(CurlHttpClientTest, AWaitingSendIsCancelledWithTheClient) {
  absl::StatusOr<HttpResponse> result = absl::UnknownError("no callback");
  {
    CurlHttpClient client({});
    HttpRequest request = Get("http://127.0.0.1:9/");
    request.not_before = absl::Now() + absl::Hours(1);
    client.Send(std::move(request), absl::Now() + absl::Hours(2),
                [&](absl::StatusOr<HttpResponse> response) { result = std::move(response); });
  }
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
}

TEST_F(CurlHttpClientTest, CallbackMaySendAgain) {
  server_.server().Get("/", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  });
  server_.Start();
  CurlHttpClient client({});
  absl::Notification second_done;
  client.Send(Get(server_.Url("/")), absl::Now() + absl::Seconds(10), [&](absl::StatusOr<HttpResponse> first) {
    ASSERT_TRUE(first.ok());
    client.Send(Get(server_.Url("/")), absl::Now() + absl::Seconds(10),
                [&](absl::StatusOr<HttpResponse> second) {
                  EXPECT_TRUE(second.ok());
                  second_done.Notify();
                });
  });
  EXPECT_TRUE(second_done.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

TEST_F(CurlHttpClientTest, DestructionCancelsCallsInFlight) {
  absl::Notification arrived;
  absl::Notification release;
  server_.server().Get("/", [&](const httplib::Request&, httplib::Response&) {
    arrived.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(10));
  });
  server_.Start();
  absl::StatusOr<HttpResponse> result = absl::UnknownError("no callback");
  {
    CurlHttpClient client({});
    client.Send(Get(server_.Url("/")), absl::Now() + absl::Seconds(30),
                [&](absl::StatusOr<HttpResponse> response) { result = std::move(response); });
    ASSERT_TRUE(arrived.WaitForNotificationWithTimeout(absl::Seconds(10)));
  }
  release.Notify();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
}

// A self-signed certificate for 127.0.0.1, written as PEM files.
struct SelfSigned {
  std::string cert_path;
  std::string key_path;
};

SelfSigned MakeSelfSigned() {
  SelfSigned files{::testing::TempDir() + "/curl_test_cert.pem", ::testing::TempDir() + "/curl_test_key.pem"};
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1");
  X509_add_ext(cert, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(cert, key, EVP_sha256());
  FILE* cert_file = std::fopen(files.cert_path.c_str(), "w");
  PEM_write_X509(cert_file, cert);
  std::fclose(cert_file);
  FILE* key_file = std::fopen(files.key_path.c_str(), "w");
  PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(key_file);
  X509_free(cert);
  EVP_PKEY_free(key);
  return files;
}

TEST(CurlHttpClientTlsTest, VerifiesThePeerAndTrustsTheConfiguredCa) {
  const SelfSigned files = MakeSelfSigned();
  TestServer server(std::make_unique<httplib::SSLServer>(files.cert_path.c_str(), files.key_path.c_str()));
  server.server().Get("/", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("secure", "text/plain");
  });
  server.Start();

  CurlHttpClient system_store({});
  absl::StatusOr<HttpResponse> untrusted = SendAndWait(system_store, Get(server.Url("/", "https")));
  EXPECT_EQ(untrusted.status().code(), absl::StatusCode::kUnavailable) << untrusted.status();

  CurlHttpClient::Options options;
  options.ca_file = files.cert_path;
  CurlHttpClient pinned(options);
  absl::StatusOr<HttpResponse> trusted = SendAndWait(pinned, Get(server.Url("/", "https")));
  ASSERT_TRUE(trusted.ok()) << trusted.status();
  EXPECT_EQ(trusted->body, "secure");
}

}  // namespace
}  // namespace gateway::http
