// partner-sandbox: serves PartnerEmulator over HTTP so the gateway and its
// integration tests can run against a local, deterministic Partner API.
// See sandbox/README.md for flags, rules and control endpoints.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "sandbox/partner_emulator.h"
#include "sandbox/webhook_sender.h"
#include "server/http/http_listener.h"

namespace gateway::sandbox {
namespace {

constexpr char kUsage[] =
    "Usage: partner-sandbox [--listen HOST:PORT] [--threads N] "
    "[--latency-ms N] [--rate-limit N] [--quiet]\n"
    "                       [--webhook-url URL --webhook-secret-file PATH "
    "[webhook flags]] [--help]\n"
    "\n"
    "Offline emulator of the Peeker Partner API (base path /partner/v1).\n"
    "\n"
    "  --listen HOST:PORT  address to serve on (default 127.0.0.1:8081;\n"
    "                      port 0 picks a free port)\n"
    "  --threads N         worker threads, each serving one open connection\n"
    "                      at a time (default 64, at most 16384)\n"
    "  --latency-ms N      delay every Partner API response by N ms "
    "(default 0)\n"
    "  --rate-limit N      Partner API requests per key in any 60 s; more\n"
    "                      get 429 rate_limited (default 600, like the\n"
    "                      Partner; 0 turns the limit off)\n"
    "  --quiet             no per-request or per-webhook-attempt log lines "
    "on stderr\n"
    "  --help              show this help\n"
    "\n"
    "Webhooks: after each new order, POST order.in_progress, one\n"
    "domain.connected per domain, then order.completed to a URL, signed like\n"
    "the Partner (Peeker-Event-Id, Peeker-Timestamp, Peeker-Signature: "
    "v1=<hex>).\n"
    "  --webhook-url URL            enable deliveries to this http:// or "
    "https:// URL\n"
    "  --webhook-secret-file PATH   file holding the signing secret "
    "(trimmed);\n"
    "                               required with --webhook-url\n"
    "  --webhook-signing MODE       timestamp-body (HMAC of "
    "\"{timestamp}.{body}\",\n"
    "                               default) or body (HMAC of the raw body)\n"
    "  --webhook-data SHAPE         nested (data.order / data.domain, "
    "default) or\n"
    "                               flat (the resource's fields directly in "
    "data)\n"
    "  --webhook-delay-ms N         delay before an order's first event "
    "(default 0)\n"
    "  --webhook-interval-ms N      gap between an order's events "
    "(default 200)\n"
    "  --webhook-retry-base-ms N    first retry wait, doubled each time "
    "(default 1000);\n"
    "                               5 attempts in all, 10 s timeout each\n"
    "  --webhook-duplicate          deliver every event twice (same id, "
    "same body)\n"
    "  --webhook-reorder            deliver each order's events in reverse "
    "order\n"
    "                               (created_at keeps the logical order)\n";

struct Flags {
  std::string host = "127.0.0.1";
  int port = 8081;
  int threads = 64;
  int64_t latency_ms = 0;
  int rate_limit = 600;
  bool quiet = false;

  std::string webhook_url;  // empty = no webhooks
  std::string webhook_secret_file;
  WebhookSigning webhook_signing = WebhookSigning::kTimestampBody;
  WebhookDataShape webhook_data = WebhookDataShape::kNested;
  int64_t webhook_delay_ms = 0;
  int64_t webhook_interval_ms = 200;
  int64_t webhook_retry_base_ms = 1000;
  bool webhook_duplicate = false;
  bool webhook_reorder = false;
  // Every --webhook-* flag given, to reject them without --webhook-url.
  std::vector<std::string> webhook_flags_seen;
};

// What a delivery attempt may wait for an answer (CONTRACT.md section 10
// gives 10 s for Gen A and 15 s for Gen B; see section 11.6).
constexpr absl::Duration kWebhookTimeout = absl::Seconds(10);
constexpr int64_t kMaxMs = 600'000;

int UsageError(const std::string& message) {
  std::fprintf(stderr,
               "partner-sandbox: %s\n"
               "Run 'partner-sandbox --help' for usage.\n",
               message.c_str());
  return 2;
}

// Parses a millisecond count from 0 to kMaxMs.
bool ParseMs(const std::string& value, int64_t* out) {
  int64_t ms = -1;
  if (!absl::SimpleAtoi(value, &ms) || ms < 0 || ms > kMaxMs) return false;
  *out = ms;
  return true;
}

bool IsValueFlag(const std::string& name) {
  for (const char* known :
       {"--listen", "--threads", "--latency-ms", "--rate-limit", "--webhook-url",
        "--webhook-secret-file", "--webhook-signing", "--webhook-data",
        "--webhook-delay-ms", "--webhook-interval-ms",
        "--webhook-retry-base-ms"}) {
    if (name == known) return true;
  }
  return false;
}

// Returns -1 on success (continue), otherwise the process exit code.
int ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--quiet") {
      flags->quiet = true;
      continue;
    }
    if (arg == "--webhook-duplicate" || arg == "--webhook-reorder") {
      (arg == "--webhook-duplicate" ? flags->webhook_duplicate
                                    : flags->webhook_reorder) = true;
      flags->webhook_flags_seen.push_back(arg);
      continue;
    }
    std::string name = arg;
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    if (!IsValueFlag(name)) {
      return UsageError(absl::StrCat("unknown flag: ", arg));
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        return UsageError(absl::StrCat(name, " needs a value"));
      }
      value = argv[++i];
    }
    if (name == "--listen") {
      const size_t colon = value.rfind(':');
      int port = -1;
      if (colon == std::string::npos || colon == 0 ||
          !absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 0 ||
          port > 65535) {
        return UsageError(
            absl::StrCat("--listen wants HOST:PORT (port 0-65535), got '",
                         value, "'"));
      }
      flags->host = value.substr(0, colon);
      flags->port = port;
    } else if (name == "--threads") {
      int threads = 0;
      if (!absl::SimpleAtoi(value, &threads) || threads < 1 ||
          threads > 16384) {
        return UsageError(absl::StrCat(
            "--threads wants an integer from 1 to 16384, got '", value, "'"));
      }
      flags->threads = threads;
    } else if (name == "--rate-limit") {
      int limit = -1;
      if (!absl::SimpleAtoi(value, &limit) || limit < 0 || limit > 1'000'000) {
        return UsageError(absl::StrCat(
            "--rate-limit wants an integer from 0 to 1000000, got '", value,
            "'"));
      }
      flags->rate_limit = limit;
    } else if (absl::StartsWith(name, "--webhook-")) {
      flags->webhook_flags_seen.push_back(name);
      if (name == "--webhook-url") {
        if (!ParseWebhookUrl(value).ok()) {
          return UsageError(absl::StrCat(
              "--webhook-url wants an http:// or https:// URL with a host, "
              "got '",
              value, "'"));
        }
        flags->webhook_url = value;
      } else if (name == "--webhook-secret-file") {
        if (value.empty()) {
          return UsageError("--webhook-secret-file wants a file path");
        }
        flags->webhook_secret_file = value;
      } else if (name == "--webhook-signing") {
        if (value == "timestamp-body") {
          flags->webhook_signing = WebhookSigning::kTimestampBody;
        } else if (value == "body") {
          flags->webhook_signing = WebhookSigning::kBody;
        } else {
          return UsageError(absl::StrCat(
              "--webhook-signing wants timestamp-body or body, got '", value,
              "'"));
        }
      } else if (name == "--webhook-data") {
        if (value == "nested") {
          flags->webhook_data = WebhookDataShape::kNested;
        } else if (value == "flat") {
          flags->webhook_data = WebhookDataShape::kFlat;
        } else {
          return UsageError(absl::StrCat(
              "--webhook-data wants nested or flat, got '", value, "'"));
        }
      } else {
        int64_t* out = &flags->webhook_retry_base_ms;
        if (name == "--webhook-delay-ms") out = &flags->webhook_delay_ms;
        if (name == "--webhook-interval-ms") out = &flags->webhook_interval_ms;
        if (!ParseMs(value, out)) {
          return UsageError(absl::StrCat(name,
                                         " wants an integer from 0 to ",
                                         kMaxMs, ", got '", value, "'"));
        }
      }
    } else {
      int64_t latency = -1;
      if (!absl::SimpleAtoi(value, &latency) || latency < 0 ||
          latency > 600'000) {
        return UsageError(absl::StrCat(
            "--latency-ms wants an integer from 0 to 600000, got '", value,
            "'"));
      }
      flags->latency_ms = latency;
    }
  }
  if (flags->webhook_url.empty() && !flags->webhook_flags_seen.empty()) {
    return UsageError(absl::StrCat(flags->webhook_flags_seen.front(),
                                   " needs --webhook-url"));
  }
  if (!flags->webhook_url.empty() && flags->webhook_secret_file.empty()) {
    return UsageError("--webhook-url needs --webhook-secret-file");
  }
  return -1;
}

// Reads the webhook signing secret: the file's content without surrounding
// whitespace. Returns -1 on success, otherwise the process exit code. The
// secret itself never appears in a message.
int ReadSecretFile(const std::string& path, std::string* secret) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  if (file) content << file.rdbuf();
  if (!file || file.bad()) {
    return UsageError(absl::StrCat("--webhook-secret-file: cannot read '",
                                   path, "'"));
  }
  *secret = std::string(absl::StripAsciiWhitespace(content.str()));
  if (secret->empty()) {
    return UsageError(
        absl::StrCat("--webhook-secret-file: '", path, "' is empty"));
  }
  return -1;
}

void LogLine(const std::string& line) {
  const std::string with_newline = absl::StrCat(line, "\n");
  std::fwrite(with_newline.data(), 1, with_newline.size(), stderr);
}

ApiRequest ToApiRequest(const httplib::Request& req) {
  ApiRequest request;
  request.method = req.method;
  request.path = req.path;
  for (const auto& [key, value] : req.params) request.query[key] = value;
  for (const auto& [key, value] : req.headers) {
    request.headers[absl::AsciiStrToLower(key)] = value;
  }
  request.body = req.body;
  request.client = absl::StrCat(req.remote_addr, ":", req.remote_port);
  return request;
}

// The "host:port" of a socket address (IPv4 or IPv6), as httplib reports
// the ends of a connection.
std::string AddressText(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {};
  int port = 0;
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, host, sizeof(host));
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof(host));
    port = ntohs(v6.sin6_port);
  }
  return absl::StrCat(host, ":", port);
}

// Ends the connection `req` came on before a byte of the answer is written:
// httplib offers no handle on it, so it is found among the process's open
// sockets by its two addresses. httplib's write of the response then fails
// and it closes the socket as usual.
void CloseConnectionOf(const httplib::Request& req) {
  const std::string peer = absl::StrCat(req.remote_addr, ":", req.remote_port);
  const std::string local = absl::StrCat(req.local_addr, ":", req.local_port);
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return;
  while (const dirent* entry = readdir(fds)) {
    int fd = -1;
    if (!absl::SimpleAtoi(entry->d_name, &fd)) continue;
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 || AddressText(address) != peer) {
      continue;
    }
    length = sizeof(address);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 && AddressText(address) == local) {
      shutdown(fd, SHUT_RDWR);
    }
  }
  closedir(fds);
}

int Run(int argc, char** argv) {
  Flags flags;
  if (const int rc = ParseFlags(argc, argv, &flags); rc >= 0) return rc;
  std::string webhook_secret;
  if (!flags.webhook_url.empty()) {
    if (const int rc = ReadSecretFile(flags.webhook_secret_file,
                                      &webhook_secret);
        rc >= 0) {
      return rc;
    }
  }
  // A client that hangs up mid-response must not kill the server: writes
  // to its socket fail with EPIPE instead.
  signal(SIGPIPE, SIG_IGN);

  // Block the stop signals before any thread exists so every thread inherits
  // the mask and only the sigwait thread ever sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Declared before the emulator, which hands it every new order's events;
  // stopped (below) before the emulator, which records its attempts.
  std::unique_ptr<WebhookSender> webhooks;
  PartnerEmulator::Options options;
  options.latency = absl::Milliseconds(flags.latency_ms);
  options.rate_limit_per_minute = flags.rate_limit;
  if (!flags.webhook_url.empty()) {
    options.on_order_events = [&webhooks](std::vector<WebhookEvent> events) {
      webhooks->Enqueue(std::move(events));
    };
    options.webhook_data = flags.webhook_data;
    options.webhook_delay = absl::Milliseconds(flags.webhook_delay_ms);
    options.webhook_interval = absl::Milliseconds(flags.webhook_interval_ms);
  }
  PartnerEmulator emulator(options);
  if (!flags.webhook_url.empty()) {
    WebhookSender::Options sender_options;
    sender_options.secret = std::move(webhook_secret);
    sender_options.signing = flags.webhook_signing;
    sender_options.delay = options.webhook_delay;
    sender_options.interval = options.webhook_interval;
    sender_options.retry_base =
        absl::Milliseconds(flags.webhook_retry_base_ms);
    sender_options.duplicate = flags.webhook_duplicate;
    sender_options.reorder = flags.webhook_reorder;
    sender_options.on_attempt = [&emulator](const WebhookAttempt& attempt) {
      emulator.RecordWebhookAttempt(attempt);
    };
    sender_options.log = LogLine;
    sender_options.log_attempts = !flags.quiet;
    // Validated by ParseFlags.
    WebhookUrl url = *ParseWebhookUrl(flags.webhook_url);
    webhooks = std::make_unique<WebhookSender>(
        std::move(sender_options),
        NewHttpWebhookTransport(std::move(url), kWebhookTimeout));
  }
  // Runs on every return below: stops the sender (dropping and counting
  // what is pending) while the emulator still exists.
  absl::Cleanup stop_webhooks = [&webhooks] { webhooks.reset(); };

  auto server = std::make_unique<httplib::Server>();
  // httplib closes a keep-alive connection after 5 requests; a real API
  // front (nginx's default) keeps it for 1000, and callers' connection reuse
  // is part of what the sandbox should let them measure.
  server->set_keep_alive_max_count(1000);
  const bool quiet = flags.quiet;
  auto handler = [&emulator, quiet](const httplib::Request& req,
                                    httplib::Response& res) {
    const ApiResponse response = emulator.Handle(ToApiRequest(req));
    res.status = response.status;
    std::string request_id;
    for (const auto& [key, value] : response.headers) {
      if (key == "Peeker-Request-Id") request_id = value;
      if (key != "Content-Type") res.set_header(key, value);
    }
    if (response.cut == ResponseCut::kClose) {
      CloseConnectionOf(req);
    } else if (response.cut != ResponseCut::kNone) {
      // The declared length is the whole body; the connection closes after
      // `keep` bytes of it (none for a reset).
      const size_t keep =
          response.cut == ResponseCut::kTruncate ? response.body.size() / 2 : 0;
      res.set_content_provider(
          std::max<size_t>(response.body.size(), 1), "application/json",
          [body = response.body, keep](size_t offset, size_t,
                                       httplib::DataSink& sink) {
            if (offset >= keep) return false;
            sink.write(body.data() + offset, keep - offset);
            return true;
          });
    } else if (response.body.empty()) {
      res.set_header("Content-Type", "application/json");
    } else {
      res.set_content(response.body, "application/json");
    }
    if (!quiet) {
      // Only method, path, status and id: never headers (the key) or bodies
      // (the sequencer password).
      const std::string line =
          absl::StrCat("method=", req.method, " path=", req.path,
                       " status=", response.status,
                       " request_id=", request_id, "\n");
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
  };
  server->Get(".*", handler);
  server->Post(".*", handler);
  server->Put(".*", handler);
  server->Patch(".*", handler);
  server->Delete(".*", handler);
  server->Options(".*", handler);

  auto listener = http::HttpListener::Start(std::move(server), absl::StrCat(flags.host, ":", flags.port),
                                            flags.threads);
  if (!listener.ok()) {
    std::fprintf(stderr, "partner-sandbox: %s\n", std::string(listener.status().message()).c_str());
    return 1;
  }
  std::printf("partner-sandbox listening on http://%s:%d\n", flags.host.c_str(), (*listener)->port());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  return 0;  // The listener stops (finishing requests in progress), then the webhook sender.
}

}  // namespace
}  // namespace gateway::sandbox

int main(int argc, char** argv) { return gateway::sandbox::Run(argc, argv); }
