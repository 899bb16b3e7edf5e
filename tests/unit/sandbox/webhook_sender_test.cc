// Unit tests for WebhookSender: signing (known answers), URL parsing, and
// real deliveries to an in-process cpp-httplib receiver on 127.0.0.1:0 with
// millisecond intervals and backoff. Every wait is a condition with a timeout.
#include "sandbox/webhook_sender.h"

#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "sandbox/partner_emulator.h"
#include "server/http/http_listener.h"

namespace gateway::sandbox {
namespace {

using json = nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kSecret[] = "whsec_sandbox_test";
constexpr absl::Duration kWait = absl::Seconds(5);

// Independent oracle: OpenSSL's HMAC, hex-encoded here.
std::string OracleHmacHex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
       &size);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    absl::StrAppend(&hex, absl::Hex(mac[i], absl::kZeroPad2));
  }
  return hex;
}

// Blocks until `pred` (reading state guarded by `mu`) holds or `timeout`.
template <typename Pred>
bool WaitUntil(absl::Mutex& mu, Pred pred, absl::Duration timeout = kWait) {
  absl::MutexLock lock(&mu);
  return mu.AwaitWithTimeout(absl::Condition(&pred), timeout);
}

// One request as the receiver saw it.
struct Received {
  std::string event_id;
  std::string timestamp;
  std::string signature;
  std::string content_type;
  std::string body;
  absl::Time at;
};

// A webhook endpoint on 127.0.0.1:0. `answer(request, n)` picks the status
// for the n-th (0-based) request carrying that event id (default 200). With
// Hold(), requests wait (up to 5 s) until Release() before being answered.
class Receiver {
 public:
  using Answer = std::function<int(const Received&, int)>;

  explicit Receiver(Answer answer = nullptr) : answer_(std::move(answer)) {
    auto server = std::make_unique<httplib::Server>();
    server->Post("/hooks", [this](const httplib::Request& req,
                                  httplib::Response& res) {
      Received r;
      r.event_id = req.get_header_value("Peeker-Event-Id");
      r.timestamp = req.get_header_value("Peeker-Timestamp");
      r.signature = req.get_header_value("Peeker-Signature");
      r.content_type = req.get_header_value("Content-Type");
      r.body = req.body;
      r.at = absl::Now();
      int status = 200;
      {
        absl::MutexLock lock(&mu_);
        const int seen = seen_[r.event_id]++;
        if (answer_) status = answer_(r, seen);
        received_.push_back(r);
        if (hold_) {
          mu_.AwaitWithTimeout(absl::Condition(&released_), kWait);
        }
      }
      res.status = status;
      res.set_content("ok", "text/plain");
    });
    auto listener = http::HttpListener::Start(std::move(server), "127.0.0.1:0", 8);
    EXPECT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
    port_ = listener_->port();
  }

  ~Receiver() {
    Release();
    listener_.reset();
  }

  std::string Url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/hooks?source=sandbox");
  }

  void Hold() {
    absl::MutexLock lock(&mu_);
    hold_ = true;
  }

  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }

  bool WaitForCount(size_t n) {
    return WaitUntil(mu_, [this, n]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return received_.size() >= n;
    });
  }

  std::vector<Received> Snapshot() {
    absl::MutexLock lock(&mu_);
    return received_;
  }

 private:
  const Answer answer_;
  int port_ = 0;
  absl::Mutex mu_;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> seen_ ABSL_GUARDED_BY(mu_);
  bool hold_ ABSL_GUARDED_BY(mu_) = false;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<http::HttpListener> listener_;  // Last: its handlers use the members above.
};

// One order's events in logical order, shaped like the emulator's, with
// created_at 1 ms apart.
std::vector<WebhookEvent> MakeEvents(const std::string& order_id,
                                     int domains) {
  std::vector<std::string> types = {"order.in_progress"};
  for (int i = 0; i < domains; ++i) types.push_back("domain.connected");
  types.push_back("order.completed");
  const absl::Time start = absl::FromUnixMillis(1782898200000);
  std::vector<WebhookEvent> events;
  for (size_t i = 0; i < types.size(); ++i) {
    WebhookEvent event;
    event.id = absl::StrCat("evt_", order_id, "_", i);
    event.type = types[i];
    event.order_id = order_id;
    event.created_at = start + absl::Milliseconds(static_cast<int64_t>(i));
    event.body = json{{"id", event.id},
                      {"type", event.type},
                      {"created_at", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ",
                                                      event.created_at,
                                                      absl::UTCTimeZone())},
                      {"data", {{"order", {{"id", order_id}}}}}}
                     .dump();
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<std::string> Ids(const std::vector<WebhookEvent>& events) {
  std::vector<std::string> ids;
  for (const WebhookEvent& event : events) ids.push_back(event.id);
  return ids;
}

std::vector<std::string> Ids(const std::vector<Received>& received) {
  std::vector<std::string> ids;
  for (const Received& r : received) ids.push_back(r.event_id);
  return ids;
}

class WebhookSenderTest : public ::testing::Test {
 protected:
  WebhookSenderTest() {
    // A receiver answering a socket the sender has shut down must not die
    // of SIGPIPE (httplib writes without MSG_NOSIGNAL).
    signal(SIGPIPE, SIG_IGN);
  }

  // Fast settings; attempts and log lines are collected.
  WebhookSender::Options FastOptions() {
    WebhookSender::Options options;
    options.secret = kSecret;
    options.interval = absl::Milliseconds(1);
    options.retry_base = absl::Milliseconds(5);
    options.on_attempt = [this](const WebhookAttempt& attempt) {
      absl::MutexLock lock(&mu_);
      attempts_.push_back(attempt);
    };
    options.log = [this](const std::string& line) {
      absl::MutexLock lock(&mu_);
      logs_.push_back(line);
    };
    return options;
  }

  static std::unique_ptr<WebhookTransport> Transport(
      const std::string& url, absl::Duration timeout = absl::Seconds(10)) {
    absl::StatusOr<WebhookUrl> parsed = ParseWebhookUrl(url);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return NewHttpWebhookTransport(*parsed, timeout);
  }

  bool WaitForAttempts(size_t n) {
    return WaitUntil(mu_, [this, n]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return attempts_.size() >= n;
    });
  }

  std::vector<WebhookAttempt> Attempts() {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

  std::vector<std::string> Logs() {
    absl::MutexLock lock(&mu_);
    return logs_;
  }

  // Asserts `r` carries a valid signature under `signing` and a fresh
  // timestamp.
  static void ExpectSigned(const Received& r, WebhookSigning signing) {
    EXPECT_EQ(r.content_type, "application/json");
    int64_t timestamp = 0;
    ASSERT_TRUE(absl::SimpleAtoi(r.timestamp, &timestamp)) << r.timestamp;
    EXPECT_LE(std::abs(absl::ToUnixSeconds(absl::Now()) - timestamp), 5);
    const std::string signed_bytes =
        signing == WebhookSigning::kBody
            ? r.body
            : absl::StrCat(r.timestamp, ".", r.body);
    EXPECT_EQ(r.signature,
              absl::StrCat("v1=", OracleHmacHex(kSecret, signed_bytes)));
  }

  absl::Mutex mu_;
  std::vector<WebhookAttempt> attempts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> logs_ ABSL_GUARDED_BY(mu_);
};

// ----------------------------------------------------------------- signing

TEST(WebhookSigningTest, HmacSha256KnownAnswerRfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSigningTest, SignatureHeaderForBothModes) {
  const std::string body = R"({"id":"evt_01","type":"order.in_progress"})";
  // Expected values computed independently (Python hmac/hashlib).
  EXPECT_EQ(WebhookSignature(WebhookSigning::kTimestampBody, "whsec_test",
                             1782898200, body),
            "v1=78378d03e2bb1ea144fa764fd1913ea7d744fd9e7f41fdb5a2bea9380af162"
            "ed");
  EXPECT_EQ(WebhookSignature(WebhookSigning::kBody, "whsec_test", 1782898200,
                             body),
            "v1=3506a5b0fb8f4912cba3344a8c2c130f72692ae13036a84ebece596a518fb8"
            "91");
}

// ---------------------------------------------------------------- URLs

TEST(WebhookUrlTest, AcceptsHttpAndHttpsWithPathAndQuery) {
  struct Case {
    std::string url, origin, path;
  };
  const std::vector<Case> cases = {
      {"http://127.0.0.1:8080/hooks?x=1#frag", "http://127.0.0.1:8080",
       "/hooks?x=1"},
      {"HTTPS://example.test", "https://example.test", "/"},
      {"https://example.test?x", "https://example.test", "/?x"},
      {"http://[::1]:9000/a/b", "http://[::1]:9000", "/a/b"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    const absl::StatusOr<WebhookUrl> parsed = ParseWebhookUrl(c.url);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->origin, c.origin);
    EXPECT_EQ(parsed->path, c.path);
  }
}

TEST(WebhookUrlTest, RejectsEverythingElse) {
  for (const char* url :
       {"", "example.test/hooks", "ftp://example.test/", "http://",
        "http://:80/", "http://h:0/", "http://h:65536/", "http://h:8a/",
        "http://h:+80/", "http://user:pw@h/", "http://h/a b", "http://[::1",
        "http://h/\n"}) {
    SCOPED_TRACE(url);
    const absl::StatusOr<WebhookUrl> parsed = ParseWebhookUrl(url);
    EXPECT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

// -------------------------------------------------------------- deliveries

TEST_F(WebhookSenderTest, DeliversAnOrdersEventsSignedInLogicalOrder) {
  Receiver receiver;
  // Events as the emulator makes them for a real order.
  std::vector<WebhookEvent> events;
  PartnerEmulator::Options emulator_options;
  emulator_options.on_order_events = [&events](std::vector<WebhookEvent> e) {
    events = std::move(e);
  };
  PartnerEmulator emulator(emulator_options);
  auto post = [&emulator](const std::string& path, const json& body) {
    ApiRequest request{"POST", path, {}, {}, body.dump(), ""};
    request.headers["authorization"] = "Bearer pk_test_abc";
    return json::parse(emulator.Handle(request).body)["data"];
  };
  const json bundle = post("/partner/v1/bundles",
                           {{"name", "s"}, {"monthly_sending_volume", 1000}});
  post("/partner/v1/orders",
       {{"user", "ops@client.test"},
        {"bundle_id", bundle["id"]},
        {"sequencer",
         {{"provider", "smartlead"},
          {"login_email", "sl@client.test"},
          {"login_password", "pw"}}},
        {"domains", {"avail-one.com", "avail-two.com"}},
        {"personas",
         {{{"first_name", "A"},
           {"last_name", "B"},
           {"profile_picture_url", nullptr}}}}});
  ASSERT_EQ(events.size(), 4u);
  const std::vector<std::string> want_ids = Ids(events);

  WebhookSender::Options options = FastOptions();
  options.delay = absl::Milliseconds(30);
  options.interval = absl::Milliseconds(10);
  WebhookSender sender(std::move(options), Transport(receiver.Url()));
  const absl::Time enqueued = absl::Now();
  sender.Enqueue(events);

  ASSERT_TRUE(receiver.WaitForCount(4));
  const std::vector<Received> received = receiver.Snapshot();
  EXPECT_THAT(Ids(received), ElementsAreArray(want_ids));
  for (size_t i = 0; i < received.size(); ++i) {
    SCOPED_TRACE(i);
    ExpectSigned(received[i], WebhookSigning::kTimestampBody);
    EXPECT_EQ(received[i].body, events[i].body);
    EXPECT_EQ(json::parse(received[i].body)["id"], received[i].event_id);
  }
  // Event i is due delay + i * interval after Enqueue().
  for (size_t i = 0; i < received.size(); ++i) {
    EXPECT_GE(received[i].at - enqueued,
              absl::Milliseconds(30 + 10 * static_cast<int64_t>(i)));
  }
  ASSERT_TRUE(WaitForAttempts(4));
  for (const WebhookAttempt& attempt : Attempts()) {
    EXPECT_EQ(attempt.attempt, 1);
    EXPECT_EQ(attempt.status, 200);
    EXPECT_EQ(attempt.outcome, WebhookOutcome::kDelivered);
    EXPECT_EQ(attempt.order_id, events[0].order_id);
  }
  EXPECT_EQ(sender.Stop(), 0u);
  for (const std::string& line : Logs()) {
    EXPECT_THAT(line, Not(HasSubstr(kSecret)));
  }
  EXPECT_THAT(Logs().front(),
              MatchesRegex("webhook event=evt_[0-9A-Z]{26} "
                           "type=order[.]in_progress order=ord_[0-9A-Z]{26} "
                           "attempt=1 status=200"));
}

TEST_F(WebhookSenderTest, BodySigningModeSignsTheRawBody) {
  Receiver receiver;
  WebhookSender::Options options = FastOptions();
  options.signing = WebhookSigning::kBody;
  WebhookSender sender(std::move(options), Transport(receiver.Url()));
  sender.Enqueue(MakeEvents("ord_1", 1));
  ASSERT_TRUE(receiver.WaitForCount(3));
  for (const Received& r : receiver.Snapshot()) {
    ExpectSigned(r, WebhookSigning::kBody);
  }
}

TEST_F(WebhookSenderTest, Non2xxIsRetriedWithSameEventIdAndBackoff) {
  // 500, 500, then 200 for every event.
  Receiver receiver([](const Received&, int n) { return n < 2 ? 500 : 200; });
  WebhookSender::Options options = FastOptions();
  options.retry_base = absl::Milliseconds(20);
  WebhookSender sender(std::move(options), Transport(receiver.Url()));
  std::vector<WebhookEvent> events = MakeEvents("ord_1", 1);
  events.resize(1);
  sender.Enqueue(events);

  ASSERT_TRUE(WaitForAttempts(3));
  const std::vector<Received> received = receiver.Snapshot();
  ASSERT_EQ(received.size(), 3u);
  for (const Received& r : received) {
    EXPECT_EQ(r.event_id, events[0].id);
    EXPECT_EQ(r.body, events[0].body);
    ExpectSigned(r, WebhookSigning::kTimestampBody);
  }
  // Backoff: base, then twice the base.
  EXPECT_GE(received[1].at - received[0].at, absl::Milliseconds(20));
  EXPECT_GE(received[2].at - received[1].at, absl::Milliseconds(40));
  const std::vector<WebhookAttempt> attempts = Attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].status, 500);
  EXPECT_EQ(attempts[0].outcome, WebhookOutcome::kWillRetry);
  EXPECT_EQ(attempts[1].attempt, 2);
  EXPECT_EQ(attempts[1].outcome, WebhookOutcome::kWillRetry);
  EXPECT_EQ(attempts[2].attempt, 3);
  EXPECT_EQ(attempts[2].status, 200);
  EXPECT_EQ(attempts[2].outcome, WebhookOutcome::kDelivered);
  EXPECT_EQ(sender.Stop(), 0u);
  EXPECT_THAT(Logs()[0], HasSubstr("attempt=1 status=500 retry_in=20ms"));
}

TEST_F(WebhookSenderTest, FiveFailuresMeanExactlyFiveAttemptsThenDropped) {
  Receiver receiver([](const Received&, int) { return 503; });
  WebhookSender sender(FastOptions(), Transport(receiver.Url()));
  std::vector<WebhookEvent> events = MakeEvents("ord_1", 1);
  events.resize(1);
  sender.Enqueue(events);

  ASSERT_TRUE(WaitForAttempts(5));
  ASSERT_TRUE(WaitUntil(mu_, [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return attempts_.back().outcome != WebhookOutcome::kWillRetry;
  }));
  // Stop() joins the sender: nothing can be sent after it.
  EXPECT_EQ(sender.Stop(), 0u);
  EXPECT_EQ(receiver.Snapshot().size(), 5u);
  const std::vector<WebhookAttempt> attempts = Attempts();
  ASSERT_EQ(attempts.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(attempts[i].attempt, i + 1);
  EXPECT_EQ(attempts[4].outcome, WebhookOutcome::kDropped);
  EXPECT_THAT(Logs(), Contains(HasSubstr("dropped after 5 attempts")));
}

TEST_F(WebhookSenderTest, ConnectionErrorIsRetried) {
  // Bound but not listening: connecting is refused at once.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t size = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size), 0);
  const std::string url =
      absl::StrCat("http://127.0.0.1:", ntohs(addr.sin_port), "/hooks");

  WebhookSender::Options options = FastOptions();
  options.max_attempts = 2;
  WebhookSender sender(std::move(options), Transport(url));
  std::vector<WebhookEvent> events = MakeEvents("ord_1", 1);
  events.resize(1);
  sender.Enqueue(events);
  ASSERT_TRUE(WaitForAttempts(2));
  const std::vector<WebhookAttempt> attempts = Attempts();
  EXPECT_EQ(attempts[0].status, 0);
  EXPECT_EQ(attempts[0].error, "connection failed");
  EXPECT_EQ(attempts[0].outcome, WebhookOutcome::kWillRetry);
  EXPECT_EQ(attempts[1].outcome, WebhookOutcome::kDropped);
  sender.Stop();
  ::close(fd);
}

TEST_F(WebhookSenderTest, TimeoutIsRetried) {
  Receiver receiver;
  receiver.Hold();  // never answers within the sender's timeout
  WebhookSender::Options options = FastOptions();
  options.max_attempts = 2;
  WebhookSender sender(std::move(options),
                       Transport(receiver.Url(), absl::Milliseconds(100)));
  std::vector<WebhookEvent> events = MakeEvents("ord_1", 1);
  events.resize(1);
  sender.Enqueue(events);
  ASSERT_TRUE(WaitForAttempts(2));
  const std::vector<WebhookAttempt> attempts = Attempts();
  EXPECT_EQ(attempts[0].status, 0);
  EXPECT_EQ(attempts[0].error, "read failed or timed out");
  EXPECT_EQ(attempts[1].outcome, WebhookOutcome::kDropped);
  EXPECT_EQ(receiver.Snapshot().size(), 2u);
  sender.Stop();
}

TEST_F(WebhookSenderTest, DuplicateDeliversEveryEventTwiceUnchanged) {
  Receiver receiver;
  WebhookSender::Options options = FastOptions();
  options.duplicate = true;
  WebhookSender sender(std::move(options), Transport(receiver.Url()));
  const std::vector<WebhookEvent> events = MakeEvents("ord_1", 2);
  sender.Enqueue(events);

  ASSERT_TRUE(receiver.WaitForCount(8));
  ASSERT_TRUE(WaitForAttempts(8));
  const std::vector<Received> received = receiver.Snapshot();
  ASSERT_EQ(received.size(), 8u);
  for (const WebhookEvent& event : events) {
    SCOPED_TRACE(event.id);
    int copies = 0;
    for (const Received& r : received) {
      if (r.event_id != event.id) continue;
      ++copies;
      EXPECT_EQ(r.body, event.body);
      ExpectSigned(r, WebhookSigning::kTimestampBody);
    }
    EXPECT_EQ(copies, 2);
  }
  int duplicates = 0;
  for (const WebhookAttempt& attempt : Attempts()) {
    duplicates += attempt.duplicate ? 1 : 0;
  }
  EXPECT_EQ(duplicates, 4);
}

TEST_F(WebhookSenderTest, ReorderDeliversAnOrderInReverse) {
  Receiver receiver;
  WebhookSender::Options options = FastOptions();
  options.reorder = true;
  WebhookSender sender(std::move(options), Transport(receiver.Url()));
  const std::vector<WebhookEvent> events = MakeEvents("ord_1", 3);
  sender.Enqueue(events);

  ASSERT_TRUE(receiver.WaitForCount(5));
  const std::vector<Received> received = receiver.Snapshot();
  std::vector<std::string> want = Ids(events);
  std::reverse(want.begin(), want.end());
  EXPECT_THAT(Ids(received), ElementsAreArray(want));
  // Arrival order differs from created_at order; created_at itself still
  // follows the logical order.
  std::vector<std::string> created;
  for (const Received& r : received) {
    created.push_back(json::parse(r.body)["created_at"]);
  }
  EXPECT_FALSE(std::is_sorted(created.begin(), created.end()));
  std::vector<std::string> sorted_ids;
  std::vector<size_t> by_created(received.size());
  for (size_t i = 0; i < by_created.size(); ++i) by_created[i] = i;
  std::sort(by_created.begin(), by_created.end(),
            [&](size_t a, size_t b) { return created[a] < created[b]; });
  for (size_t i : by_created) sorted_ids.push_back(received[i].event_id);
  EXPECT_THAT(sorted_ids, ElementsAreArray(Ids(events)));
  EXPECT_EQ(json::parse(received.front().body)["type"], "order.completed");
  EXPECT_EQ(json::parse(received.back().body)["type"], "order.in_progress");
}

TEST_F(WebhookSenderTest, DestructionWithPendingDeliveriesIsPrompt) {
  Receiver receiver;
  receiver.Hold();  // the first attempt stays in flight
  auto sender = std::make_unique<WebhookSender>(FastOptions(),
                                                Transport(receiver.Url()));
  sender->Enqueue(MakeEvents("ord_1", 2));  // 4 deliveries
  sender->Enqueue(MakeEvents("ord_2", 1));  // 3 more
  ASSERT_TRUE(receiver.WaitForCount(1));
  EXPECT_EQ(sender->Pending(), 7u);

  const absl::Time start = absl::Now();
  sender.reset();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(receiver.Snapshot().size(), 1u);
  EXPECT_THAT(Attempts(), IsEmpty());  // the cancelled attempt is not one
  EXPECT_THAT(Logs(), ElementsAre(
                          "webhook sender stopped; dropped 7 pending "
                          "deliveries"));
}

TEST_F(WebhookSenderTest, StopIsIdempotentAndLaterEnqueuesAreIgnored) {
  Receiver receiver;
  WebhookSender sender(FastOptions(), Transport(receiver.Url()));
  EXPECT_EQ(sender.Stop(), 0u);
  EXPECT_EQ(sender.Stop(), 0u);
  sender.Enqueue(MakeEvents("ord_1", 1));
  EXPECT_EQ(sender.Pending(), 0u);
  EXPECT_THAT(receiver.Snapshot(), IsEmpty());
}

}  // namespace
}  // namespace gateway::sandbox
