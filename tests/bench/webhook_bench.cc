// Webhook benchmark: a real partner-sandbox + partner-gateway on loopback
// (the integration Stack), signed webhooks posted over HTTP, events read back
// through StreamOrderEvents with the gRPC callback API. Prints figures; it is
// not a pass/fail test (DESIGN.md §8).
//
//   1. Webhook → subscriber latency: S live subscribers, N events posted one
//      after another; per event and subscriber, the time from just before the
//      POST until the subscriber received it, plus the POST round trip (the
//      ack, which waits for the fsync).
//   2. Ingest rate: C concurrent posters, each posting its next event as soon
//      as the previous one is acknowledged; one live subscriber counts.
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "httplib.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "server/events/webhook_verifier.h"
#include "tests/integration/stack.h"

namespace gateway::bench {
namespace {

namespace v1 = ::peeker::partner::v1;
using gateway::testing::Stack;

constexpr char kWebhookPath[] = "/webhooks/peeker";

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

// Nearest-rank percentile of sorted `values` (0 < p ≤ 1).
int64_t Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p * static_cast<double>(sorted.size()));
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(std::max(rank, 1.0)) - 1);
  return sorted[index];
}

std::string Summary(std::vector<int64_t> values, bool with_p90 = true) {
  if (values.empty()) return "no samples";
  std::sort(values.begin(), values.end());
  std::string text = absl::StrFormat("p50 %7.2f", Ms(Percentile(values, 0.5)));
  if (with_p90) absl::StrAppendFormat(&text, "  p90 %7.2f", Ms(Percentile(values, 0.9)));
  absl::StrAppendFormat(&text, "  p99 %7.2f  max %7.2f ms", Ms(Percentile(values, 0.99)), Ms(values.back()));
  return text;
}

std::string FilesystemType(const std::string& path) {
  struct statfs info {};
  if (::statfs(path.c_str(), &info) != 0) return "unknown filesystem";
  switch (static_cast<uint64_t>(info.f_type)) {
    case 0x01021994: return "tmpfs (fsync is nearly free)";
    case 0xEF53: return "ext2/3/4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x794C7630: return "overlayfs";
    case 0x2FC12FC1: return "zfs";
    case 0x6969: return "nfs";
    default: return absl::StrFormat("filesystem type 0x%x", static_cast<uint64_t>(info.f_type));
  }
}

// CPU time (user + system) a process has used so far, from /proc; 0 if
// unreadable.
double CpuSeconds(pid_t pid) {
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');  // The command name may hold spaces.
  if (close == std::string::npos) return 0;
  const std::vector<std::string> fields = absl::StrSplit(stat.substr(close + 2), ' ');
  // After the name: state is field 3 of stat(5), utime 14, stime 15.
  double utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtod(fields[11], &utime) || !absl::SimpleAtod(fields[12], &stime)) return 0;
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU used by the gateway and by this process between construction and
// Print(), to show which side was busy.
class CpuMeter {
 public:
  explicit CpuMeter(pid_t gateway)
      : gateway_(gateway), gateway_start_(CpuSeconds(gateway)), self_start_(CpuSeconds(::getpid())), start_(NowNs()) {}
  std::string Summary() const {
    const double wall = static_cast<double>(NowNs() - start_) / 1e9;
    return absl::StrFormat("CPU over %.2f s wall: partner-gateway %.2f s, this client %.2f s (of %ld cores)", wall,
                           CpuSeconds(gateway_) - gateway_start_, CpuSeconds(::getpid()) - self_start_,
                           ::sysconf(_SC_NPROCESSORS_ONLN));
  }

 private:
  const pid_t gateway_;
  const double gateway_start_;
  const double self_start_;
  const int64_t start_;
};

// Builds and signs deliveries whose ids are `evt_bench_<run>_<i>`.
class EventFactory {
 public:
  explicit EventFactory(std::string run) : run_(std::move(run)) {}

  uint64_t Reserve(uint64_t count) { return next_.fetch_add(count); }

  struct Delivery {
    httplib::Headers headers;
    std::string body;
  };
  Delivery Make(uint64_t index, const std::string& order_id) const {
    const std::string id = absl::StrCat("evt_bench_", run_, "_", index);
    const absl::Time now = absl::Now();
    Delivery delivery;
    delivery.body = absl::StrCat(R"({"id":")", id, R"(","type":"order.in_progress","created_at":")",
                                 absl::FormatTime(absl::RFC3339_full, now, absl::UTCTimeZone()),
                                 R"(","data":{"order":{"id":")", order_id, R"(","status":"in_progress"}}})");
    const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(now));
    delivery.headers = {{"Peeker-Event-Id", id},
                        {"Peeker-Timestamp", timestamp},
                        {"Peeker-Signature",
                         events::WebhookVerifier::Sign(Stack::kWebhookSecret, events::SignedPayload::kTimestampAndBody,
                                                       timestamp, delivery.body)}};
    return delivery;
  }

 private:
  const std::string run_;
  std::atomic<uint64_t> next_{0};
};

// The index `i` of an `evt_bench_<run>_<i>` id, or -1.
int64_t IndexOf(const std::string& id) {
  const size_t underscore = id.rfind('_');
  int64_t index = -1;
  if (underscore == std::string::npos || !absl::SimpleAtoi(id.substr(underscore + 1), &index)) return -1;
  return index;
}

// What every subscriber of a phase reports into.
struct Tally {
  absl::Mutex mu;
  int64_t warmed ABSL_GUARDED_BY(mu) = 0;    // subscribers that saw the warm-up event
  int64_t received ABSL_GUARDED_BY(mu) = 0;  // timed events received, all subscribers
  int64_t done ABSL_GUARDED_BY(mu) = 0;      // streams finished

  // Waits until `*field` reaches `target` or `timeout` passes; whether it did.
  bool WaitFor(int64_t Tally::*field, int64_t target, absl::Duration timeout) {
    struct Goal {
      const int64_t* value;
      int64_t target;
      static bool Reached(const Goal* goal) { return *goal->value >= goal->target; }
    };
    absl::MutexLock lock(&mu);
    const Goal goal{&(this->*field), target};
    return mu.AwaitWithTimeout(absl::Condition(&Goal::Reached, &goal), timeout);
  }
};

// One StreamOrderEvents subscriber on the callback API. Events with index
// ≥ `base` are timed into `received_at[index - base]`; earlier ones are
// warm-ups that show the stream is live.
class Subscriber : public grpc::ClientReadReactor<v1::StreamOrderEventsResponse> {
 public:
  Subscriber(v1::OrderEventService::Stub* stub, const std::string& order_id, uint64_t base, size_t count,
             Tally* tally)
      : base_(base), received_at_(count, -1), tally_(tally) {
    request_.add_order_ids(order_id);
    request_.set_resume_after("0");  // Replays this phase's warm-up if the stream opens late.
    stub->async()->StreamOrderEvents(&context_, &request_, this);
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows.
    if (response_.has_event()) {
      const int64_t now = NowNs();
      const int64_t index = IndexOf(response_.event().id());
      if (index >= 0 && static_cast<uint64_t>(index) < base_) {
        if (!warmed_) {
          warmed_ = true;
          absl::MutexLock lock(&tally_->mu);
          ++tally_->warmed;
        }
      } else if (index >= 0 && static_cast<uint64_t>(index) - base_ < received_at_.size() &&
                 received_at_[static_cast<size_t>(index) - base_] < 0) {
        received_at_[static_cast<size_t>(index) - base_] = now;
        absl::MutexLock lock(&tally_->mu);
        ++tally_->received;
      } else {
        ++unexpected_;
      }
    }
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& final_status) override {
    status_ = final_status;
    absl::MutexLock lock(&tally_->mu);
    ++tally_->done;
  }

  void Cancel() { context_.TryCancel(); }

  // Read after the stream is done (Tally::done), or for a count that the
  // tally already confirmed.
  const std::vector<int64_t>& received_at() const { return received_at_; }
  const grpc::Status& status() const { return status_; }
  int64_t unexpected() const { return unexpected_; }

 private:
  grpc::ClientContext context_;
  v1::StreamOrderEventsRequest request_;
  v1::StreamOrderEventsResponse response_;
  const uint64_t base_;
  std::vector<int64_t> received_at_;
  bool warmed_ = false;
  int64_t unexpected_ = 0;
  grpc::Status status_;
  Tally* const tally_;
};

// A webhook poster on its own keep-alive connection.
class Poster {
 public:
  explicit Poster(int port) : client_("127.0.0.1", port) {
    client_.set_keep_alive(true);
    // httplib writes headers and body separately: without TCP_NODELAY, Nagle
    // and the server's delayed ACK add ~40 ms to every POST (curl, and most
    // senders, set it).
    client_.set_tcp_nodelay(true);
    client_.set_read_timeout(30, 0);
  }
  // The HTTP status, or 0 when the request failed.
  int Post(const EventFactory::Delivery& delivery) {
    auto result = client_.Post(kWebhookPath, delivery.headers, delivery.body, "application/json");
    if (!result) return 0;
    if (result->status != 200 && errors_ < 3) {
      std::fprintf(stderr, "  POST answered %d: %s\n", result->status, result->body.c_str());
      ++errors_;
    }
    return result->status;
  }

 private:
  httplib::Client client_;
  int errors_ = 0;
};

struct Settings {
  int events = 500;
  std::vector<int> subscribers = {1, 100};
  std::vector<int> posters = {1, 4, 16};
  int ingest_events = 2000;
  int channels = 4;
};

class Bench {
 public:
  Bench(Stack* stack, const Settings& settings, std::string run)
      : stack_(stack), settings_(settings), run_(run), factory_(std::move(run)) {
    for (int i = 0; i < settings_.channels; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("webhook_bench.connection", i);  // Distinct args: a connection of its own.
      stubs_.push_back(v1::OrderEventService::NewStub(
          grpc::CreateCustomChannel(stack_->gateway_target(), grpc::InsecureChannelCredentials(), args)));
    }
  }

  // Opens `count` subscribers on `order_id`, posts the warm-up event
  // `warmup` (< `base`) and waits until each subscriber has seen it. Returns
  // false (after printing why) if they did not.
  bool Subscribe(const std::string& order_id, int count, uint64_t warmup, uint64_t base, size_t events, Tally* tally,
                 std::vector<std::unique_ptr<Subscriber>>* subscribers) {
    for (int i = 0; i < count; ++i) {
      subscribers->push_back(std::make_unique<Subscriber>(stubs_[static_cast<size_t>(i) % stubs_.size()].get(),
                                                          order_id, base, events, tally));
    }
    Poster poster(stack_->webhook_port());
    if (poster.Post(factory_.Make(warmup, order_id)) != 200) {
      std::printf("  the warm-up event was not acknowledged\n");
      return false;
    }
    if (!tally->WaitFor(&Tally::warmed, count, absl::Seconds(30))) {
      absl::MutexLock lock(&tally->mu);
      std::printf("  only %lld of %d subscribers saw the warm-up event\n", static_cast<long long>(tally->warmed), count);
      return false;
    }
    return true;
  }

  // Cancels every stream, waits for them to finish, and prints any that had
  // ended on their own before (e.g. RESOURCE_EXHAUSTED for a slow reader).
  void Unsubscribe(std::vector<std::unique_ptr<Subscriber>>& subscribers, Tally* tally) {
    int64_t ended_early = 0;
    {
      absl::MutexLock lock(&tally->mu);
      ended_early = tally->done;
    }
    for (auto& subscriber : subscribers) subscriber->Cancel();
    if (!tally->WaitFor(&Tally::done, static_cast<int64_t>(subscribers.size()), absl::Seconds(30))) {
      std::printf("  some streams did not finish after cancellation\n");
      std::fflush(stdout);
      std::_Exit(1);  // The reactors still reference this frame.
    }
    if (ended_early > 0) {
      for (auto& subscriber : subscribers) {
        if (subscriber->status().error_code() != grpc::StatusCode::CANCELLED) {
          std::printf("  a stream ended early: code %d, %s\n", static_cast<int>(subscriber->status().error_code()),
                      subscriber->status().error_message().c_str());
          break;
        }
      }
      std::printf("  %lld stream(s) ended before the phase did\n", static_cast<long long>(ended_early));
    }
  }

  void Latency(int subscriber_count) {
    const size_t n = static_cast<size_t>(settings_.events);
    const std::string order_id = absl::StrCat("ord_bench_", run_, "_latency", subscriber_count);
    Tally tally;
    std::vector<std::unique_ptr<Subscriber>> subscribers;
    const uint64_t warmup = factory_.Reserve(1);
    const uint64_t base = factory_.Reserve(n);
    if (!Subscribe(order_id, subscriber_count, warmup, base, n, &tally, &subscribers)) {
      Unsubscribe(subscribers, &tally);
      return;
    }
    std::vector<int64_t> posted_at(n), acked_at(n);
    Poster poster(stack_->webhook_port());
    const CpuMeter cpu(stack_->gateway().pid());
    int refused = 0;
    for (size_t i = 0; i < n; ++i) {
      const EventFactory::Delivery delivery = factory_.Make(base + i, order_id);
      posted_at[i] = NowNs();
      const int status = poster.Post(delivery);
      acked_at[i] = NowNs();
      if (status != 200) ++refused;
    }
    const int64_t expected = static_cast<int64_t>(n - static_cast<size_t>(refused)) * subscriber_count;
    tally.WaitFor(&Tally::received, expected, absl::Seconds(30));
    const std::string cpu_used = cpu.Summary();
    Unsubscribe(subscribers, &tally);

    std::vector<int64_t> latencies, slowest_per_event(n, -1), acks;
    int64_t received = 0, unexpected = 0, last_received = posted_at[0];
    for (const auto& subscriber : subscribers) {
      unexpected += subscriber->unexpected();
      for (size_t i = 0; i < n; ++i) {
        const int64_t at = subscriber->received_at()[i];
        if (at < 0) continue;
        ++received;
        last_received = std::max(last_received, at);
        latencies.push_back(at - posted_at[i]);
        slowest_per_event[i] = std::max(slowest_per_event[i], at - posted_at[i]);
      }
    }
    for (size_t i = 0; i < n; ++i) acks.push_back(acked_at[i] - posted_at[i]);
    slowest_per_event.erase(std::remove(slowest_per_event.begin(), slowest_per_event.end(), -1),
                            slowest_per_event.end());
    const double posting = static_cast<double>(acked_at[n - 1] - posted_at[0]) / 1e9;
    const double delivering = static_cast<double>(last_received - posted_at[0]) / 1e9;
    std::printf("  S=%-3d %lld/%lld deliveries; posted at %.0f events/s; all delivered %.2f s after the first POST"
                " (%.0f deliveries/s)\n",
                subscriber_count, static_cast<long long>(received),
                static_cast<long long>(static_cast<int64_t>(n) * subscriber_count),
                static_cast<double>(n) / posting, delivering, static_cast<double>(received) / delivering);
    std::printf("        POST -> each subscriber:    %s\n", Summary(latencies).c_str());
    if (subscriber_count > 1) {
      std::printf("        POST -> last subscriber:    %s\n", Summary(slowest_per_event).c_str());
    }
    std::printf("        ack (POST round trip):      %s\n", Summary(acks, /*with_p90=*/false).c_str());
    if (refused > 0) std::printf("        %d POSTs were not acknowledged with 200\n", refused);
    if (received < expected) {
      std::printf("        MISSING: %lld deliveries never arrived (waited 30 s)\n",
                  static_cast<long long>(expected - received));
    }
    if (unexpected > 0) std::printf("        %lld unexpected or duplicate events\n", static_cast<long long>(unexpected));
    std::printf("        %s\n", cpu_used.c_str());
    std::fflush(stdout);
  }

  void Ingest(int poster_count) {
    const size_t n = static_cast<size_t>(settings_.ingest_events);
    const std::string order_id = absl::StrCat("ord_bench_", run_, "_ingest", poster_count);
    Tally tally;
    std::vector<std::unique_ptr<Subscriber>> subscribers;
    const uint64_t warmup = factory_.Reserve(1);
    const uint64_t base = factory_.Reserve(n);
    if (!Subscribe(order_id, 1, warmup, base, n, &tally, &subscribers)) {
      Unsubscribe(subscribers, &tally);
      return;
    }
    // Signed ahead, so the posters measure the gateway, not HMAC.
    std::vector<EventFactory::Delivery> deliveries(n);
    for (size_t i = 0; i < n; ++i) deliveries[i] = factory_.Make(base + i, order_id);
    std::vector<int64_t> acks(n, -1);
    std::atomic<size_t> next{0};
    std::atomic<int64_t> acknowledged{0};
    const CpuMeter cpu(stack_->gateway().pid());
    const int64_t start = NowNs();
    std::vector<std::thread> threads;
    for (int p = 0; p < poster_count; ++p) {
      threads.emplace_back([&] {
        Poster poster(stack_->webhook_port());
        for (size_t i; (i = next.fetch_add(1)) < n;) {
          const int64_t posted = NowNs();
          if (poster.Post(deliveries[i]) == 200) {
            acks[i] = NowNs() - posted;
            acknowledged.fetch_add(1);
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    const int64_t elapsed = NowNs() - start;
    const bool complete = tally.WaitFor(&Tally::received, acknowledged.load(), absl::Seconds(30));
    const std::string cpu_used = cpu.Summary();
    Unsubscribe(subscribers, &tally);

    int64_t last_received = 0, received = 0;
    for (int64_t at : subscribers[0]->received_at()) {
      if (at < 0) continue;
      ++received;
      last_received = std::max(last_received, at);
    }
    std::vector<int64_t> ack_samples;
    for (int64_t ack : acks) {
      if (ack >= 0) ack_samples.push_back(ack);
    }
    const double seconds = static_cast<double>(elapsed) / 1e9;
    std::printf("  C=%-3d %lld events acknowledged in %.2f s = %6.0f events/s; ack %s\n", poster_count,
                static_cast<long long>(acknowledged.load()), seconds,
                static_cast<double>(acknowledged.load()) / seconds, Summary(ack_samples, false).c_str());
    if (complete && received == acknowledged.load()) {
      std::printf("        subscriber received all %lld, the last %.2f s after the first POST\n",
                  static_cast<long long>(received), static_cast<double>(last_received - start) / 1e9);
    } else {
      std::printf("        SUBSCRIBER INCOMPLETE: received %lld of %lld acknowledged events (waited 30 s)\n",
                  static_cast<long long>(received), static_cast<long long>(acknowledged.load()));
    }
    if (acknowledged.load() < static_cast<int64_t>(n)) {
      std::printf("        %lld POSTs were not acknowledged with 200\n",
                  static_cast<long long>(static_cast<int64_t>(n) - acknowledged.load()));
    }
    std::printf("        %s\n", cpu_used.c_str());
    std::fflush(stdout);
  }

 private:
  Stack* const stack_;
  const Settings settings_;
  const std::string run_;
  EventFactory factory_;
  std::vector<std::unique_ptr<v1::OrderEventService::Stub>> stubs_;
};

constexpr char kUsage[] =
    "usage: webhook_bench [--events N] [--subscribers LIST] [--posters LIST] [--ingest-events N]\n"
    "\n"
    "Starts partner-sandbox + partner-gateway on loopback (webhooks on, event log in a\n"
    "fresh temp dir) and prints:\n"
    "  1. webhook -> subscriber latency: for S live StreamOrderEvents subscribers (each\n"
    "     S in --subscribers), N events (--events) posted one after another; time from\n"
    "     just before each POST until each subscriber received it, and the POST round\n"
    "     trip (the ack, after the fsync)\n"
    "  2. ingest rate: for C concurrent posters (each C in --posters), --ingest-events\n"
    "     distinct events posted as fast as acks come back, one subscriber counting\n"
    "\n"
    "  --events N          events per latency run (default 500)\n"
    "  --subscribers LIST  comma-separated subscriber counts (default 1,100)\n"
    "  --posters LIST      comma-separated poster counts (default 1,4,16)\n"
    "  --ingest-events N   events per ingest run (default 2000)\n"
    "  --help              this text\n"
    "\n"
    "TMPDIR chooses where the event log lives (tmpfs makes fsync nearly free).\n";

bool ParsePositive(const std::string& text, int* out) { return absl::SimpleAtoi(text, out) && *out > 0; }

bool ParseList(const std::string& text, std::vector<int>* out) {
  out->clear();
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int value = 0;
    if (!ParsePositive(std::string(part), &value)) return false;
    out->push_back(value);
  }
  return !out->empty();
}

// 0 to run, else the exit code.
int ParseFlags(int argc, char** argv, Settings* settings) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      return -1;
    }
    if (const size_t equals = flag.find('='); equals != std::string::npos) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    bool ok = false;
    if (flag == "--events") {
      ok = ParsePositive(value, &settings->events);
    } else if (flag == "--ingest-events") {
      ok = ParsePositive(value, &settings->ingest_events);
    } else if (flag == "--subscribers") {
      ok = ParseList(value, &settings->subscribers);
    } else if (flag == "--posters") {
      ok = ParseList(value, &settings->posters);
    }
    if (!ok) {
      std::fprintf(stderr, "webhook_bench: bad flag or value: %s %s\n\n%s", flag.c_str(), value.c_str(), kUsage);
      return 2;
    }
  }
  return 0;
}

int Main(int argc, char** argv) {
  Settings settings;
  if (const int code = ParseFlags(argc, argv, &settings); code != 0) return code < 0 ? 0 : code;

  const char* tmp = std::getenv("TMPDIR");
  std::string dir_template = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/webhook-bench-XXXXXX");
  if (::mkdtemp(dir_template.data()) == nullptr) {
    std::perror("webhook_bench: mkdtemp");
    return 1;
  }
  const std::string dir = dir_template;
  // The harness writes its secret files under TMPDIR too: keep them in `dir`.
  ::setenv("TMPDIR", dir.c_str(), 1);
  const std::string event_log = dir + "/events.db";
  const std::string run = absl::StrCat(absl::ToUnixSeconds(absl::Now()), "p", ::getpid());

  std::printf("webhook_bench: %ld cores (nproc); event log %s on %s; run %s\n", ::sysconf(_SC_NPROCESSORS_ONLN),
              event_log.c_str(), FilesystemType(dir).c_str(), run.c_str());
  std::printf("  partner-gateway + partner-sandbox on loopback; posts are signed, over keep-alive HTTP/1.1 with TCP_NODELAY;\n"
              "  subscribers use the gRPC callback API over %d connections; times are client-side wall clock\n",
              settings.channels);
  std::fflush(stdout);

  int code = 0;
  {
    Stack::Options options;
    options.webhooks = true;
    options.event_log = event_log;
    auto stack = Stack::Start(options);
    if (!stack.ok()) {
      std::fprintf(stderr, "webhook_bench: the stack did not start: %s\n", stack.status().ToString().c_str());
      code = 1;
    } else {
      Bench bench(stack->get(), settings, run);
      std::printf("\n1. Webhook -> subscriber latency: %d signed events posted one after another (next POST after\n"
                  "   the previous ack); per event and live subscriber, time from just before the POST until\n"
                  "   the subscriber read it. ack = POST round trip, which includes the durable append (fsync).\n",
                  settings.events);
      for (int subscribers : settings.subscribers) bench.Latency(subscribers);
      std::printf("\n2. Ingest rate: C concurrent posters, %d distinct events per C, each poster sending its next\n"
                  "   event as soon as its previous one is acknowledged; one live subscriber counts them.\n",
                  settings.ingest_events);
      for (int posters : settings.posters) bench.Ingest(posters);
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return code;
}

}  // namespace
}  // namespace gateway::bench

int main(int argc, char** argv) { return gateway::bench::Main(argc, argv); }
