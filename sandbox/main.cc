// partner-sandbox: serves PartnerEmulator over HTTP so the gateway and its
// integration tests can run against a local, deterministic Partner API.
// See sandbox/README.md for flags, rules and control endpoints.
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "sandbox/partner_emulator.h"

namespace gateway::sandbox {
namespace {

constexpr char kUsage[] =
    "Usage: partner-sandbox [--listen HOST:PORT] [--threads N] "
    "[--latency-ms N] [--quiet] [--help]\n"
    "\n"
    "Offline emulator of the Peeker Partner API (base path /partner/v1).\n"
    "\n"
    "  --listen HOST:PORT  address to serve on (default 127.0.0.1:8081;\n"
    "                      port 0 picks a free port)\n"
    "  --threads N         worker threads (default 64)\n"
    "  --latency-ms N      delay every Partner API response by N ms "
    "(default 0)\n"
    "  --quiet             no per-request log lines on stderr\n"
    "  --help              show this help\n";

struct Flags {
  std::string host = "127.0.0.1";
  int port = 8081;
  int threads = 64;
  int64_t latency_ms = 0;
  bool quiet = false;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr,
               "partner-sandbox: %s\n"
               "Run 'partner-sandbox --help' for usage.\n",
               message.c_str());
  return 2;
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
    std::string name = arg;
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    if (name != "--listen" && name != "--threads" && name != "--latency-ms") {
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
          threads > 4096) {
        return UsageError(absl::StrCat(
            "--threads wants an integer from 1 to 4096, got '", value, "'"));
      }
      flags->threads = threads;
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
  return -1;
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
  return request;
}

int Run(int argc, char** argv) {
  Flags flags;
  if (const int rc = ParseFlags(argc, argv, &flags); rc >= 0) return rc;

  // Block the stop signals before any thread exists so every thread inherits
  // the mask and only the sigwait thread ever sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  PartnerEmulator::Options options;
  options.latency = absl::Milliseconds(flags.latency_ms);
  PartnerEmulator emulator(options);

  httplib::Server server;
  // httplib writes headers and body separately; without TCP_NODELAY the body
  // waits ~40 ms for the client's delayed ACK.
  server.set_tcp_nodelay(true);
  // httplib listens with a backlog of 5, so a burst of connections (a
  // gateway opening dozens at once) has its SYNs dropped and retried a
  // second later. Remember the listening socket to raise its backlog.
  int listen_fd = -1;
  server.set_socket_options([&listen_fd](int fd) {
    httplib::default_socket_options(fd);
    listen_fd = fd;
  });
  const size_t threads = static_cast<size_t>(flags.threads);
  server.new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
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
    if (response.body.empty()) {
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
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);
  server.Options(".*", handler);

  int port = flags.port;
  if (port == 0) {
    port = server.bind_to_any_port(flags.host);
    if (port < 0) port = 0;
  } else if (!server.bind_to_port(flags.host, port)) {
    port = 0;
  }
  if (port == 0) {
    std::fprintf(stderr, "partner-sandbox: cannot bind %s:%d\n",
                 flags.host.c_str(), flags.port);
    return 1;
  }
  if (::listen(listen_fd, SOMAXCONN) != 0) {
    std::fprintf(stderr, "partner-sandbox: cannot raise the listen backlog: %s\n",
                 std::strerror(errno));
    return 1;
  }
  std::printf("partner-sandbox listening on http://%s:%d\n",
              flags.host.c_str(), port);
  std::fflush(stdout);

  std::atomic<bool> listen_done{false};
  std::atomic<bool> signalled{false};
  std::thread signal_thread([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    signalled.store(true);
    if (listen_done.load()) return;
    // stop() is a no-op until listen_after_bind() is running, so wait for it.
    while (!server.is_running() && !listen_done.load()) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    if (!listen_done.load()) server.stop();
  });

  const bool ok = server.listen_after_bind();
  listen_done.store(true);
  // Wake the signal thread if the server stopped for another reason; the
  // signal is blocked everywhere, so this only reaches sigwait.
  if (!signalled.load()) kill(getpid(), SIGTERM);
  signal_thread.join();
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace gateway::sandbox

int main(int argc, char** argv) { return gateway::sandbox::Run(argc, argv); }
