// Scenarios 4, 5, 9 and 10: signed webhooks posted to the gateway over
// HTTP, stored in its event log (SQLite, or a redis-server several gateways
// share) and streamed to StreamOrderEvents subscribers on the gRPC callback
// API; one order's replay from each store holding a million other events;
// and fan-out from one replica's webhooks to another replica's subscribers.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "httplib.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "server/events/redis_event_log.h"
#include "server/events/sqlite_event_log.h"
#include "server/events/webhook_verifier.h"
#include "tests/bench/bench_support.h"
#include "tests/integration/redis_server.h"

namespace gateway::bench {
namespace {

namespace v1 = ::peeker::partner::v1;
using testing::Stack;

constexpr char kWebhookPath[] = "/webhooks/peeker";

// Signed deliveries whose event ids are `evt_bench_<run>_<index>`.
class EventFactory {
 public:
  struct Delivery {
    httplib::Headers headers;
    std::string body;
  };

  explicit EventFactory(std::string run) : run_(std::move(run)) {}

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
};

// The index of an `evt_bench_<run>_<index>` id, or -1.
int64_t IndexOf(const std::string& id) {
  const size_t underscore = id.rfind('_');
  int64_t index = -1;
  if (underscore == std::string::npos || !absl::SimpleAtoi(id.substr(underscore + 1), &index)) return -1;
  return index;
}

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
  bool Post(const EventFactory::Delivery& delivery) {
    auto result = client_.Post(kWebhookPath, delivery.headers, delivery.body, "application/json");
    return result && result->status == 200;
  }

 private:
  httplib::Client client_;
};

// Counts shared by the subscribers of one phase.
struct Tally {
  absl::Mutex mu;
  int64_t received ABSL_GUARDED_BY(mu) = 0;
  int64_t done ABSL_GUARDED_BY(mu) = 0;

  // Waits until `*field` reaches `target` or `timeout` passes; whether it did.
  bool WaitFor(int64_t Tally::*field, int64_t target, absl::Duration timeout) {
    absl::MutexLock lock(&mu);
    int64_t* value = &(this->*field);
    auto reached = [value, target]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return *value >= target; };
    return mu.AwaitWithTimeout(absl::Condition(&reached), timeout);
  }
};

// One StreamOrderEvents subscriber on the callback API: when each event of
// this run arrived.
class Subscriber : public grpc::ClientReadReactor<v1::StreamOrderEventsResponse> {
 public:
  Subscriber(v1::OrderEventService::Stub* stub, const std::string& order_id, Tally* tally) : tally_(tally) {
    request_.add_order_ids(order_id);
    stub->async()->StreamOrderEvents(&context_, &request_, this);
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows.
    if (response_.has_event()) {
      arrivals_.emplace_back(IndexOf(response_.event().id()), NowNs());
      absl::MutexLock lock(&tally_->mu);
      ++tally_->received;
    }
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& final_status) override {
    status_ = final_status;
    absl::MutexLock lock(&tally_->mu);
    ++tally_->done;
  }

  void Cancel() { context_.TryCancel(); }

  // Read once the stream is done.
  const std::vector<std::pair<int64_t, int64_t>>& arrivals() const { return arrivals_; }
  const grpc::Status& status() const { return status_; }

 private:
  grpc::ClientContext context_;
  v1::StreamOrderEventsRequest request_;
  v1::StreamOrderEventsResponse response_;
  std::vector<std::pair<int64_t, int64_t>> arrivals_;  // (event index, when)
  grpc::Status status_;
  Tally* const tally_;
};

// Subscribers spread over `channels` HTTP/2 connections.
class Subscribers {
 public:
  Subscribers(const std::string& target, int channels) {
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("gateway_bench.connection", i);  // Distinct args: a connection of its own.
      stubs_.push_back(v1::OrderEventService::NewStub(
          grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args)));
    }
  }
  ~Subscribers() { Close(); }

  void Add(const std::string& order_id) {
    subscribers_.push_back(
        std::make_unique<Subscriber>(stubs_[subscribers_.size() % stubs_.size()].get(), order_id, &tally_));
  }

  // Cancels every stream and waits until each has finished; how many had
  // ended before that on their own (a dropped subscriber).
  int64_t Close() {
    if (closed_) return ended_early_;
    closed_ = true;
    {
      absl::MutexLock lock(&tally_.mu);
      ended_early_ = tally_.done;
    }
    for (auto& subscriber : subscribers_) subscriber->Cancel();
    if (!tally_.WaitFor(&Tally::done, static_cast<int64_t>(subscribers_.size()), absl::Seconds(60))) {
      Report::Progress("some streams did not finish after cancellation");
      std::_Exit(1);  // The reactors still reference this object.
    }
    return ended_early_;
  }

  Tally& tally() { return tally_; }
  const std::vector<std::unique_ptr<Subscriber>>& all() const { return subscribers_; }

 private:
  std::vector<std::unique_ptr<v1::OrderEventService::Stub>> stubs_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;
  Tally tally_;
  bool closed_ = false;
  int64_t ended_early_ = 0;
};

// Waits until the gateway counts `count` open streams.
bool AwaitSubscribers(const GatewayMetrics& metrics, int count) {
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  while (absl::Now() < deadline) {
    if (metrics.Sample("gateway_event_subscribers").value_or(0) >= count) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

// Posts events `first` .. `first + count - 1` at `rate` per second from
// `posters` threads, each at its scheduled time; when each POST started
// (index - first), or -1 where it was not acknowledged.
std::vector<int64_t> PostPaced(int port, const EventFactory& factory, uint64_t first, int64_t count, double rate,
                               int posters, const std::function<std::string(int64_t)>& order_of) {
  std::vector<int64_t> posted_at(static_cast<size_t>(count), -1);
  std::atomic<int64_t> next{0};
  const int64_t start = NowNs() + 10'000'000;
  std::vector<std::thread> threads;
  for (int p = 0; p < posters; ++p) {
    threads.emplace_back([&] {
      Poster poster(port);
      for (int64_t k; (k = next.fetch_add(1)) < count;) {
        const EventFactory::Delivery delivery = factory.Make(first + static_cast<uint64_t>(k), order_of(k));
        const int64_t due = start + static_cast<int64_t>(static_cast<double>(k) * 1e9 / rate);
        absl::SleepFor(absl::Nanoseconds(due - NowNs()));
        const int64_t sent = NowNs();
        if (poster.Post(delivery)) posted_at[static_cast<size_t>(k)] = sent;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return posted_at;
}

struct FanOutCase {
  std::string name;
  int subscribers;
  bool own_order;  // each subscriber watches an order of its own
  double rate;
};

// Posts to `posted_to`'s receiver; the subscribers are on `subscribed_to`
// (the same gateway, or another replica sharing its Redis event log).
void RunFanOut(Stack& posted_to, Stack& subscribed_to, const Settings& settings, const FanOutCase& fan_out,
               uint64_t first, const EventFactory& factory, Report* report) {
  const GatewayMetrics metrics(subscribed_to.admin_port());
  const double rss_before = metrics.resident_mib();
  Subscribers subscribers(subscribed_to.gateway_target(), fan_out.subscribers >= 5000 ? 16 : 8);
  auto order_of = [&](int64_t k) {
    return fan_out.own_order ? absl::StrCat("ord_", fan_out.name, "_", k % fan_out.subscribers)
                             : absl::StrCat("ord_", fan_out.name);
  };
  for (int i = 0; i < fan_out.subscribers; ++i) subscribers.Add(order_of(i));
  if (!AwaitSubscribers(metrics, fan_out.subscribers)) {
    report->Fail(absl::StrCat("case ", fan_out.name, ": the subscribers did not all connect within 120 s"));
    return;
  }
  const double rss_after = metrics.resident_mib();
  const int threads = metrics.threads();
  const int64_t events = std::max<int64_t>(1, static_cast<int64_t>(fan_out.rate * settings.seconds));
  Report::Progress(absl::StrCat("   ", fan_out.name, ": ", fan_out.subscribers, " subscribers open; posting ",
                                events, " events at ", fan_out.rate, "/s"));
  const double cpu_before = metrics.cpu_seconds();
  const std::vector<int64_t> posted_at = PostPaced(posted_to.webhook_port(), factory, first, events, fan_out.rate,
                                                   fan_out.rate >= 500 ? 8 : 2, order_of);
  int64_t acknowledged = 0;
  for (int64_t at : posted_at) acknowledged += at >= 0 ? 1 : 0;
  const int64_t expected = fan_out.own_order ? acknowledged : acknowledged * fan_out.subscribers;
  subscribers.tally().WaitFor(&Tally::received, expected, absl::Seconds(30));
  const double cpu = metrics.cpu_seconds() - cpu_before;
  const int64_t dropped = subscribers.Close();

  Latencies latencies;
  for (const auto& subscriber : subscribers.all()) {
    for (const auto& [index, when] : subscriber->arrivals()) {
      const int64_t k = index - static_cast<int64_t>(first);
      if (k < 0 || k >= events || posted_at[static_cast<size_t>(k)] < 0) continue;
      latencies.Add(when - posted_at[static_cast<size_t>(k)]);
    }
  }
  latencies.Finish();
  const double per_subscriber_kib = (rss_after - rss_before) * 1024 / fan_out.subscribers;
  report->Table({"case", "subscribers", "events", "deliveries", "missing", "dropped streams", "p50", "p99", "max",
                 "gateway CPU", "memory per subscriber", "gateway threads"},
                {{fan_out.name, Thousands(fan_out.subscribers), absl::StrCat(Thousands(static_cast<double>(acknowledged)), " at ",
                                                                                Thousands(fan_out.rate), "/s"),
                  Thousands(static_cast<double>(latencies.count())),
                  Thousands(static_cast<double>(expected - static_cast<int64_t>(latencies.count()))),
                  absl::StrCat(dropped), Ms(latencies.PercentileMs(0.5)),
                  Ms(latencies.PercentileMs(0.99)), Ms(latencies.MaxMs()),
                  absl::StrFormat("%.2f s", cpu), absl::StrFormat("%.1f KiB", per_subscriber_kib), absl::StrCat(threads)}});
  const bool complete = dropped == 0 && static_cast<int64_t>(latencies.count()) == expected && acknowledged == events;
  report->AddTarget({absl::StrCat("fan-out ", fan_out.name, ": p99 ≤ 25 ms, no subscriber dropped"),
                     absl::StrFormat("p99 %.2f ms, %d dropped, %s of %s deliveries", latencies.PercentileMs(0.99),
                                     dropped, Thousands(static_cast<double>(latencies.count())),
                                     Thousands(static_cast<double>(events * (fan_out.own_order ? 1 : fan_out.subscribers)))),
                     complete && latencies.PercentileMs(0.99) <= 25});
}

}  // namespace

void FanOut(const Settings& settings, Report* report) {
  report->Section("4. Fan-out: webhook to subscribers");
  auto stack = StartBenchStack(report, {}, {"--stream-buffer", "10000"}, /*webhooks=*/true);
  if (stack == nullptr) return;
  const std::vector<FanOutCase> cases = {
      {"a", settings.smoke ? 20 : 1000, false, 100},
      {"b", settings.smoke ? 200 : 10000, true, 1000},
  };
  report->Text(absl::StrCat(
      "Signed `order.in_progress` webhooks are posted to the gateway's receiver over keep-alive HTTP/1.1 at a fixed "
      "rate for ", settings.seconds, " s, each at its scheduled time; the gateway verifies, stores (SQLite, "
      "`synchronous=FULL`) and acknowledges each, then streams it. Subscribers are `StreamOrderEvents` streams on "
      "the gRPC callback API in this process, over 8 (a) or 16 (b) HTTP/2 connections. **(a)** every subscriber "
      "watches the same order, so each event goes to all of them; **(b)** each subscriber watches an order of its "
      "own and event k goes to order k mod N. Latency is from just before the POST until a subscriber read the "
      "event, for every delivery (it includes the durable append). Memory per subscriber is the growth of the "
      "gateway's resident memory while the streams opened, divided by their number."));
  const EventFactory factory(absl::StrCat(absl::ToUnixSeconds(absl::Now()), "p", ::getpid()));
  uint64_t first = 0;
  for (const FanOutCase& fan_out : cases) {
    RunFanOut(*stack, *stack, settings, fan_out, first, factory, report);
    first += 1'000'000;
  }
}

void CrossReplicaFanOut(const Settings& settings, Report* report) {
  report->Section("10. Fan-out across replicas: webhooks on one, subscribers on another");
  std::unique_ptr<testing::RedisServer> redis = StartRedis(report);
  if (redis == nullptr) return;
  const std::vector<std::string> shared = {"--stream-buffer", "10000", "--event-log",
                                           absl::StrCat("redis://127.0.0.1:", redis->port())};
  auto a = StartBenchStack(report, {}, shared, /*webhooks=*/true);
  if (a == nullptr) return;
  auto b = StartBenchStack(report, {}, shared, /*webhooks=*/true);
  if (b == nullptr) return;
  const int subscribers = settings.smoke ? 100 : 1000;
  report->Text(absl::StrCat(
      "Two gateways share one redis-server (AOF, `appendfsync always`) as their event log. As in 4 (b), each of ",
      Thousands(subscribers), " subscribers watches an order of its own and event k goes to order k mod N, at "
      "1,000 events/s for ", settings.seconds, " s. Case **same** posts to replica A and subscribes on A; case "
      "**across** posts to A and subscribes on B, which gets the events by tailing the shared log (`XREAD "
      "BLOCK`). Latency is from just before the POST until a subscriber read the event; what **across** adds "
      "over **same** is the cost of crossing replicas."));
  const EventFactory factory(absl::StrCat(absl::ToUnixSeconds(absl::Now()), "x", ::getpid()));
  RunFanOut(*a, *a, settings, {"same", subscribers, true, 1000}, 0, factory, report);
  RunFanOut(*a, *b, settings, {"across", subscribers, true, 1000}, 1'000'000, factory, report);
}

void Ingest(const Settings& settings, Report* report) {
  report->Section("5. Ingest: verified, durable webhook events per second");
  std::unique_ptr<testing::RedisServer> redis = StartRedis(report);
  if (redis == nullptr) return;
  const int64_t events = settings.smoke ? 300 : 20000;
  report->Text(absl::StrCat(
      "C posters, each on its own keep-alive connection, post ", Thousands(static_cast<double>(events)),
      " distinct signed events (signed before the clock starts), each sending its next as soon as the previous is "
      "acknowledged. An acknowledgement means verified, parsed, deduplicated and stored durably: committed to the "
      "SQLite log with `synchronous=FULL`, or applied by a redis-server with AOF and `appendfsync always` (on the "
      "same machine). One subscriber watches the order and must receive every acknowledged event."));
  const EventFactory factory(absl::StrCat(absl::ToUnixSeconds(absl::Now()), "p", ::getpid()));
  std::vector<std::vector<std::string>> rows;
  double best = 0;
  uint64_t first = 0;
  const std::vector<std::pair<std::string, std::vector<std::string>>> stores = {
      {"SQLite", {}},
      {"Redis", {"--event-log", absl::StrCat("redis://127.0.0.1:", redis->port())}}};
  for (const auto& [store, store_args] : stores) {
    auto stack = StartBenchStack(report, {}, store_args, /*webhooks=*/true);
    if (stack == nullptr) return;
    const GatewayMetrics metrics(stack->admin_port());
    for (int posters : {1, 8, 32}) {
      const std::string order_id = absl::StrCat("ord_ingest_", posters);
      Subscribers subscribers(stack->gateway_target(), 1);
      subscribers.Add(order_id);
      if (!AwaitSubscribers(metrics, 1)) {
        report->Fail("the ingest subscriber did not connect within 120 s");
        return;
      }
      std::vector<EventFactory::Delivery> deliveries;
      for (int64_t k = 0; k < events; ++k) deliveries.push_back(factory.Make(first + static_cast<uint64_t>(k), order_id));
      first += static_cast<uint64_t>(events);
      Latencies acks;
      absl::Mutex acks_mu;
      std::atomic<int64_t> next{0};
      std::atomic<int64_t> acknowledged{0};
      const double cpu_before = metrics.cpu_seconds();
      const int64_t start = NowNs();
      std::vector<std::thread> threads;
      for (int p = 0; p < posters; ++p) {
        threads.emplace_back([&] {
          Poster poster(stack->webhook_port());
          std::vector<int64_t> mine;
          for (int64_t k; (k = next.fetch_add(1)) < events;) {
            const int64_t sent = NowNs();
            if (!poster.Post(deliveries[static_cast<size_t>(k)])) continue;
            mine.push_back(NowNs() - sent);
            acknowledged.fetch_add(1);
          }
          absl::MutexLock lock(&acks_mu);
          for (int64_t ack : mine) acks.Add(ack);
        });
      }
      for (std::thread& thread : threads) thread.join();
      const double seconds = static_cast<double>(NowNs() - start) / 1e9;
      const bool all_streamed = subscribers.tally().WaitFor(&Tally::received, acknowledged.load(), absl::Seconds(30));
      const double cpu = metrics.cpu_seconds() - cpu_before;
      subscribers.Close();
      acks.Finish();
      const double rate = static_cast<double>(acknowledged.load()) / seconds;
      if (store == "SQLite") best = std::max(best, rate);
      rows.push_back({store, absl::StrCat(posters), Thousands(static_cast<double>(acknowledged.load())),
                      absl::StrCat(Thousands(rate), "/s"), Ms(acks.PercentileMs(0.5)),
                      Ms(acks.PercentileMs(0.99)),
                      absl::StrFormat("%.0f µs", cpu * 1e6 / std::max<double>(1, static_cast<double>(acknowledged.load()))),
                      all_streamed ? "all" : "**incomplete**"});
    }
  }
  report->Table({"store", "C", "acknowledged", "rate", "ack p50", "ack p99", "gateway CPU per event", "streamed"}, rows);
  report->AddTarget(
      {"≥ 5,000 durable ingested events/s (SQLite)", absl::StrCat(Thousands(best), "/s (best C)"), best >= 5000});
}

void OrderReplay(const Settings& settings, Report* report) {
  report->Section("9. Replaying one order among a week of events");
  const int64_t others = settings.smoke ? 10'000 : 1'000'000;
  constexpr int64_t kBatch = 1000;
  constexpr int kOrderEvents = 50;
  constexpr int kReplays = 20;
  const char* tmp = std::getenv("TMPDIR");
  const std::string sqlite_path = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/replay-", ::getpid(), ".db");
  std::unique_ptr<testing::RedisServer> redis = StartRedis(report);
  if (redis == nullptr) return;
  struct Store {
    std::string name;
    std::unique_ptr<events::EventLog> log;
  };
  std::vector<Store> stores;
  {
    auto sqlite = events::SqliteEventLog::Open(sqlite_path);
    events::RedisEventLog::Options options;
    options.server.port = redis->port();
    if (!sqlite.ok()) {
      report->Fail(absl::StrCat("the SQLite log did not open: ", sqlite.status().ToString()));
      return;
    }
    stores.push_back({"SQLite", *std::move(sqlite)});
    stores.push_back({"Redis (AOF, appendfsync always)", std::make_unique<events::RedisEventLog>(options)});
  }
  std::vector<std::vector<std::string>> rows;
  for (Store& store : stores) {
    Report::Progress(absl::StrCat("   ", store.name, ": storing ", Thousands(static_cast<double>(others)), " events"));
    // Events of 10,000 other orders, with the order's own every
    // `others / kOrderEvents` among them.
    const int64_t started = NowNs();
    for (int64_t first = 0; first < others; first += kBatch) {
      std::vector<events::StoredEvent> batch;
      for (int64_t i = first; i < std::min(others, first + kBatch); ++i) {
        events::StoredEvent event;
        event.id = absl::StrCat("evt_replay_", i);
        event.type = "order.in_progress";
        event.environment = v1::ENVIRONMENT_SANDBOX;
        event.created_at = event.received_at = absl::Now();
        const bool own = i % (others / kOrderEvents) == 0;
        event.order_id = own ? "ord_replayed" : absl::StrCat("ord_other_", i % 10'000);
        event.data = absl::StrCat(R"({"order":{"id":")", event.order_id, R"(","status":"in_progress"}})");
        batch.push_back(std::move(event));
      }
      if (auto appended = store.log->AppendBatch(batch); !appended.ok()) {
        report->Fail(absl::StrCat(store.name, ": ", appended.status().ToString()));
        return;
      }
    }
    const double fill_seconds = static_cast<double>(NowNs() - started) / 1e9;
    Latencies replays;
    size_t replayed = 0;
    for (int i = 0; i < kReplays; ++i) {
      const int64_t begin = NowNs();
      auto events = store.log->ReadAfter(0, 1000, {"ord_replayed"});
      replays.Add(NowNs() - begin);
      if (!events.ok()) {
        report->Fail(absl::StrCat(store.name, ": ", events.status().ToString()));
        return;
      }
      replayed = events->size();
    }
    replays.Finish();
    rows.push_back({store.name, Thousands(static_cast<double>(others)),
                    absl::StrCat(Thousands(static_cast<double>(others) / fill_seconds), "/s"), absl::StrCat(replayed),
                    Ms(replays.PercentileMs(0.5)), Ms(replays.MaxMs())});
    if (replayed != static_cast<size_t>(kOrderEvents)) {
      report->Fail(absl::StrCat(store.name, ": replayed ", replayed, " of the order's ", kOrderEvents, " events"));
    }
  }
  std::remove(sqlite_path.c_str());
  report->Text(absl::StrCat(
      "Each store holds ", Thousands(static_cast<double>(others)), " events of 10,000 orders, stored in batches of ",
      kBatch, ", ", kOrderEvents, " of them the replayed order's, spread evenly. A replay is "
      "`ReadAfter(0, 1000, {order})`, what WatchOrder and `StreamOrderEvents` with `order_ids` and "
      "`resume_after: \"0\"` read first; it goes through the store's per-order index (SQLite's "
      "`events_by_order_id`, the Redis log's sorted set per order), so it reads only that order's events. ",
      kReplays, " replays each, one at a time, straight on the store (no gateway). Redis is a redis-server of the "
      "harness on loopback."));
  report->Table({"store", "events stored", "stored at", "order events replayed", "replay p50", "replay slowest"},
                rows);
}

}  // namespace gateway::bench
