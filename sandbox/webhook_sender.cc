// Implementation of WebhookSender and its cpp-httplib transport.
#include "sandbox/webhook_sender.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace gateway::sandbox {
namespace {

// Stop() re-cancels the transport this often until the attempt in flight has
// returned: a Cancel() racing with the start of a connect can miss it.
constexpr absl::Duration kCancelRetryPeriod = absl::Milliseconds(20);

absl::Status BadUrl(absl::string_view url, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("want an http:// or https:// URL (", why, "), got '", url,
                   "'"));
}

std::string DescribeHttplibError(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection: return "connection failed";
    case httplib::Error::ConnectionTimeout: return "connect timed out";
    case httplib::Error::Read: return "read failed or timed out";
    case httplib::Error::Write: return "write failed or timed out";
    case httplib::Error::Canceled: return "cancelled";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "cannot load CA certificates";
    case httplib::Error::SSLServerVerification:
      return "TLS server certificate not trusted";
    default:
      return absl::StrCat("HTTP client error ", httplib::to_string(error));
  }
}

class HttpWebhookTransport final : public WebhookTransport {
 public:
  HttpWebhookTransport(WebhookUrl url, absl::Duration timeout)
      : url_(std::move(url)), timeout_(timeout) {}

  ~HttpWebhookTransport() override { ReleaseSocket(); }

  absl::StatusOr<int> Post(const Headers& headers,
                           const std::string& body) override {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) return absl::CancelledError("sender is stopping");
    }
    // httplib reports failures as values, but a third-party library is
    // still a boundary: no exception may leave the sender thread.
    try {
      httplib::Client client(url_.origin);
      const std::chrono::microseconds timeout =
          absl::ToChronoMicroseconds(timeout_);
      client.set_connection_timeout(timeout);
      client.set_read_timeout(timeout);
      client.set_write_timeout(timeout);
      client.set_keep_alive(false);
      client.set_socket_options([this](int fd) { AdoptSocket(fd); });
      httplib::Headers request_headers;
      for (const auto& [name, value] : headers) {
        request_headers.emplace(name, value);
      }
      const httplib::Result result =
          client.Post(url_.path, request_headers, body, "application/json");
      ReleaseSocket();
      if (!result) {
        absl::MutexLock lock(&mu_);
        if (cancelled_) return absl::CancelledError("sender is stopping");
        return absl::UnavailableError(DescribeHttplibError(result.error()));
      }
      return result->status;
    } catch (const std::exception& e) {
      ReleaseSocket();
      return absl::InternalError(
          absl::StrCat("HTTP client failed: ", e.what()));
    } catch (...) {
      ReleaseSocket();
      return absl::InternalError("HTTP client failed");
    }
  }

  void Cancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (socket_ >= 0) ::shutdown(socket_, SHUT_RDWR);
  }

 private:
  // httplib owns and closes `fd`; a duplicate of our own keeps the socket
  // valid for Cancel() (shutdown acts on the socket, so it aborts httplib's
  // I/O) without ever touching a descriptor number that was reused.
  void AdoptSocket(int fd) {
    absl::MutexLock lock(&mu_);
    if (socket_ >= 0) ::close(socket_);
    socket_ = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (cancelled_ && socket_ >= 0) ::shutdown(socket_, SHUT_RDWR);
  }

  void ReleaseSocket() {
    absl::MutexLock lock(&mu_);
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
  }

  const WebhookUrl url_;
  const absl::Duration timeout_;
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  int socket_ ABSL_GUARDED_BY(mu_) = -1;  // our duplicate, or -1
};

}  // namespace

std::string HmacSha256Hex(absl::string_view key, absl::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  static constexpr unsigned char kEmpty[1] = {0};
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  const void* key_bytes =
      key.empty() ? static_cast<const void*>(kEmpty) : key.data();
  const unsigned char* data_bytes =
      data.empty() ? kEmpty
                   : reinterpret_cast<const unsigned char*>(data.data());
  if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()), data_bytes,
           data.size(), mac, &mac_size) == nullptr) {
    return "";
  }
  std::string hex;
  hex.reserve(2 * mac_size);
  for (unsigned int i = 0; i < mac_size; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0x0f]);
  }
  return hex;
}

std::string WebhookSignature(WebhookSigning signing, absl::string_view secret,
                             int64_t timestamp, absl::string_view body) {
  if (signing == WebhookSigning::kBody) {
    return absl::StrCat("v1=", HmacSha256Hex(secret, body));
  }
  return absl::StrCat(
      "v1=", HmacSha256Hex(secret, absl::StrCat(timestamp, ".", body)));
}

absl::StatusOr<WebhookUrl> ParseWebhookUrl(absl::string_view url) {
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return BadUrl(url, "no spaces or control characters");
    }
  }
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return BadUrl(url, "no scheme");
  const std::string scheme = absl::AsciiStrToLower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return BadUrl(url, "unsupported scheme");
  }
  absl::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t path_start = rest.find_first_of("/?");
  const absl::string_view authority = rest.substr(0, path_start);
  if (authority.find('@') != absl::string_view::npos) {
    return BadUrl(url, "user info is not supported");
  }
  absl::string_view host = authority;
  absl::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) {
      return BadUrl(url, "unclosed IPv6 literal");
    }
    host = authority.substr(0, close + 1);
    const absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return BadUrl(url, "bad port");
      port = after.substr(1);
      has_port = true;
    }
  } else if (const size_t colon = authority.rfind(':');
             colon != absl::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    has_port = true;
  }
  if (host.empty() || host == "[]") return BadUrl(url, "no host");
  int port_number = 0;
  if (has_port &&
      (!std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
       !absl::SimpleAtoi(port, &port_number) || port_number < 1 ||
       port_number > 65535)) {
    return BadUrl(url, "port must be 1-65535");
  }
  // Everything after the authority; a bare "?query" gets its root '/'.
  const absl::string_view path =
      path_start == absl::string_view::npos ? "" : rest.substr(path_start);
  WebhookUrl parsed;
  parsed.origin = absl::StrCat(scheme, "://", host);
  if (has_port) absl::StrAppend(&parsed.origin, ":", port_number);
  parsed.path = absl::StrCat(absl::StartsWith(path, "/") ? "" : "/", path);
  return parsed;
}

std::unique_ptr<WebhookTransport> NewHttpWebhookTransport(
    WebhookUrl url, absl::Duration timeout) {
  return std::make_unique<HttpWebhookTransport>(std::move(url), timeout);
}

// ---------------------------------------------------------------------------
// WebhookSender

WebhookSender::WebhookSender(Options options,
                             std::unique_ptr<WebhookTransport> transport)
    : options_(std::move(options)),
      transport_(std::move(transport)),
      thread_([this] { Run(); }) {}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Enqueue(std::vector<WebhookEvent> events) {
  std::vector<std::shared_ptr<const WebhookEvent>> slots;
  slots.reserve(events.size());
  for (WebhookEvent& event : events) {
    slots.push_back(std::make_shared<const WebhookEvent>(std::move(event)));
  }
  if (options_.reorder) std::reverse(slots.begin(), slots.end());
  const absl::Time first = absl::Now() + options_.delay;
  absl::MutexLock lock(&mu_);
  if (stopping_) return;
  for (size_t i = 0; i < slots.size(); ++i) {
    const absl::Time due =
        first + options_.interval * static_cast<int64_t>(i);
    Delivery original;
    original.event = slots[i];
    Push(due, std::move(original));
    if (options_.duplicate) {
      Delivery copy;
      copy.event = slots[i];
      copy.duplicate = true;
      Push(due, std::move(copy));
    }
  }
}

size_t WebhookSender::Pending() const {
  absl::MutexLock lock(&mu_);
  return queue_.size() + (in_flight_ ? 1 : 0);
}

size_t WebhookSender::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return 0;
    stopped_ = true;
    stopping_ = true;
    wake_.SignalAll();
  }
  for (;;) {
    transport_->Cancel();
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&thread_done_),
                             kCancelRetryPeriod)) {
      break;
    }
  }
  thread_.join();
  size_t dropped = 0;
  {
    absl::MutexLock lock(&mu_);
    dropped = queue_.size() + cancelled_in_flight_;
    queue_.clear();
  }
  Log(absl::StrCat("webhook sender stopped; dropped ", dropped,
                   " pending deliveries"));
  return dropped;
}

void WebhookSender::Push(absl::Time due, Delivery delivery) {
  queue_.emplace(QueueKey(due, sequence_++), std::move(delivery));
  wake_.Signal();
}

void WebhookSender::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void WebhookSender::Run() {
  // httplib writes without MSG_NOSIGNAL, so a receiver that hangs up (or a
  // cancelled socket) would raise SIGPIPE and kill the process. Blocked on
  // this thread, the write just fails with EPIPE.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);

  mu_.Lock();
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.Wait(&mu_);
      continue;
    }
    const absl::Time due = queue_.begin()->first.first;
    if (due > absl::Now()) {
      wake_.WaitWithDeadline(&mu_, due);
      continue;
    }
    Delivery delivery = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    in_flight_ = true;
    mu_.Unlock();

    // Every attempt is signed afresh, so Peeker-Timestamp is always recent.
    const WebhookEvent& event = *delivery.event;
    const int attempt = ++delivery.attempts;
    const int64_t timestamp = absl::ToUnixSeconds(absl::Now());
    const WebhookTransport::Headers headers = {
        {"Peeker-Event-Id", event.id},
        {"Peeker-Timestamp", absl::StrCat(timestamp)},
        {"Peeker-Signature", WebhookSignature(options_.signing,
                                              options_.secret, timestamp,
                                              event.body)},
    };
    const absl::StatusOr<int> result = transport_->Post(headers, event.body);
    const bool delivered = result.ok() && *result >= 200 && *result < 300;

    mu_.Lock();
    if (!delivered && stopping_) {
      // Cancelled (or failed) while stopping: counted as dropped by Stop().
      in_flight_ = false;
      ++cancelled_in_flight_;
      break;
    }
    mu_.Unlock();

    WebhookAttempt record;
    record.event_id = event.id;
    record.type = event.type;
    record.order_id = event.order_id;
    record.attempt = attempt;
    record.duplicate = delivery.duplicate;
    if (result.ok()) {
      record.status = *result;
    } else {
      record.error = std::string(result.status().message());
    }
    if (delivered) {
      record.outcome = WebhookOutcome::kDelivered;
    } else if (attempt >= options_.max_attempts) {
      record.outcome = WebhookOutcome::kDropped;
    } else {
      record.outcome = WebhookOutcome::kWillRetry;
    }
    record.at = absl::Now();
    const absl::Duration backoff =
        options_.retry_base * (int64_t{1} << std::min(attempt - 1, 30));
    if (options_.on_attempt) options_.on_attempt(record);

    const std::string what =
        absl::StrCat("webhook event=", event.id, " type=", event.type,
                     " order=", event.order_id, " attempt=", attempt,
                     delivery.duplicate ? " copy=2" : "");
    if (options_.log_attempts) {
      std::string line =
          result.ok() ? absl::StrCat(what, " status=", *result)
                      : absl::StrCat(what, " error=\"", record.error, "\"");
      if (record.outcome == WebhookOutcome::kWillRetry) {
        absl::StrAppend(&line, " retry_in=", absl::FormatDuration(backoff));
      }
      Log(line);
    }
    if (record.outcome == WebhookOutcome::kDropped) {
      Log(absl::StrCat("webhook event=", event.id, " type=", event.type,
                       " order=", event.order_id, " dropped after ", attempt,
                       " attempts"));
    }

    mu_.Lock();
    in_flight_ = false;
    if (record.outcome == WebhookOutcome::kWillRetry) {
      if (stopping_) {
        ++cancelled_in_flight_;
      } else {
        Push(absl::Now() + backoff, std::move(delivery));
      }
    }
  }
  thread_done_ = true;
  mu_.Unlock();
}

}  // namespace gateway::sandbox
