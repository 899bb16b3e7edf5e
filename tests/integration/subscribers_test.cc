// Fan-out at scale: 1,000 StreamOrderEvents subscribers on one gateway all
// receive an event, and a subscriber that stops reading is ended with its
// cursor instead of delaying the others.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "server/events/webhook_verifier.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;

// A live StreamOrderEvents subscriber on the callback API that counts the
// events it reads.
class Subscriber final : public grpc::ClientReadReactor<v1::StreamOrderEventsResponse> {
 public:
  // `types` empty: every event.
  Subscriber(v1::OrderEventService::Stub* stub, bool reading, std::vector<std::string> types = {})
      : reading_(reading) {
    for (std::string& type : types) request_.add_event_types(std::move(type));
    stub->async()->StreamOrderEvents(&context_, &request_, this);
    if (reading) StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (response_.has_event()) {
      absl::MutexLock lock(&mu_);
      cursors_.push_back(response_.event().cursor());
      last_event_at_ = absl::Now();
    }
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    status_ = status;
    done_ = true;
  }

  // Starts reading (for a subscriber created stalled).
  void Resume() {
    {
      absl::MutexLock lock(&mu_);
      if (reading_ || done_) return;
      reading_ = true;
    }
    StartRead(&response_);
  }
  void Cancel() { context_.TryCancel(); }

  size_t events() {
    absl::MutexLock lock(&mu_);
    return cursors_.size();
  }
  std::vector<std::string> cursors() {
    absl::MutexLock lock(&mu_);
    return cursors_;
  }
  absl::Time last_event_at() {
    absl::MutexLock lock(&mu_);
    return last_event_at_;
  }
  bool WaitDone(absl::Duration timeout, grpc::Status* status) {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&done_), timeout)) return false;
    *status = status_;
    return true;
  }

 private:
  bool reading_ ABSL_GUARDED_BY(mu_);
  grpc::ClientContext context_;
  v1::StreamOrderEventsRequest request_;
  v1::StreamOrderEventsResponse response_;
  absl::Mutex mu_;
  std::vector<std::string> cursors_ ABSL_GUARDED_BY(mu_);
  absl::Time last_event_at_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

// Posts one signed event; true on 200.
bool Deliver(int port, const std::string& id, const std::string& type, const std::string& padding) {
  const std::string body = absl::StrCat(R"({"id":")", id, R"(","type":")", type,
                                        R"(","created_at":"2026-07-01T11:00:00Z",)",
                                        R"("data":{"domain":{"name":"fan.com","order_id":"ord_fan"},"note":")",
                                        padding, R"("}})");
  const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(absl::Now()));
  httplib::Client partner("127.0.0.1", port);
  auto result = partner.Post(
      "/webhooks/peeker",
      {{"Peeker-Event-Id", id},
       {"Peeker-Timestamp", timestamp},
       {"Peeker-Signature", events::WebhookVerifier::Sign(Stack::kWebhookSecret,
                                                          events::SignedPayload::kTimestampAndBody, timestamp, body)}},
      body, "application/json");
  return result && result->status == 200;
}

// The gateway's open-stream gauge.
int Subscribers(int admin_port) {
  httplib::Client admin("127.0.0.1", admin_port);
  auto metrics = admin.Get("/metrics");
  if (!metrics) return -1;
  const size_t at = metrics->body.find("\ngateway_event_subscribers ");
  return at == std::string::npos ? -1 : std::atoi(metrics->body.c_str() + at + 27);
}

template <typename Predicate>
bool WaitFor(Predicate predicate, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!predicate()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

TEST(SubscribersTest, AThousandSubscribersGetAnEventAndAStalledOneDelaysNobody) {
  constexpr int kSubscribers = 1000;
  constexpr int kChannels = 10;
  constexpr int kBurst = 100;  // × 16 KiB: far more than a stream's transport buffers.
  Stack::Options options;
  options.webhooks = true;
  options.gateway_args = {"--stream-buffer", "16", "--log-level", "warning"};
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  const int webhook_port = (*stack)->webhook_port();

  // Separate connections, so the stalled stream's flow control is its own.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<v1::OrderEventService::Stub>> stubs;
  for (int i = 0; i <= kChannels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    if (i == kChannels) {
      // The stalled stream's window stays at 64 KiB: no BDP probing grows it.
      args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
      args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 64 << 10);
    }
    channels.push_back(grpc::CreateCustomChannel((*stack)->gateway_target(), grpc::InsecureChannelCredentials(), args));
    stubs.push_back(v1::OrderEventService::NewStub(channels.back()));
  }
  // The stalled subscriber takes every event and never reads; the others
  // want domain.connected only.
  auto stalled = std::make_unique<Subscriber>(stubs[kChannels].get(), /*reading=*/false);
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    subscribers.push_back(std::make_unique<Subscriber>(stubs[i % kChannels].get(), /*reading=*/true,
                                                       std::vector<std::string>{"domain.connected"}));
  }
  // Every stream ends before its reactor goes, whatever the test's outcome.
  absl::Cleanup end_streams = [&] {
    grpc::Status ignored;
    stalled->Resume();
    stalled->Cancel();
    stalled->WaitDone(absl::Seconds(30), &ignored);
    for (auto& subscriber : subscribers) subscriber->Cancel();
    for (auto& subscriber : subscribers) subscriber->WaitDone(absl::Seconds(30), &ignored);
  };
  ASSERT_TRUE(WaitFor([&] { return Subscribers((*stack)->admin_port()) == kSubscribers + 1; }, absl::Seconds(60)))
      << Subscribers((*stack)->admin_port());
  auto everyone_has = [&](size_t count) {
    for (auto& subscriber : subscribers) {
      if (subscriber->events() < count) return false;
    }
    return true;
  };
  auto deliver_to_all = [&](const std::string& id) {
    const size_t expected = subscribers.front()->events() + 1;
    const absl::Time sent = absl::Now();
    EXPECT_TRUE(Deliver(webhook_port, id, "domain.connected", "x"));
    EXPECT_TRUE(WaitFor([&] { return everyone_has(expected); }, absl::Seconds(30)));
    absl::Time last = sent;
    for (auto& subscriber : subscribers) last = std::max(last, subscriber->last_event_at());
    return absl::ToDoubleMilliseconds(last - sent);
  };

  const double before = deliver_to_all("evt_fan_before");
  // Stall the one: a burst only it subscribed to fills its transport
  // buffers, then its bounded buffer.
  const std::string padding(16 << 10, 'p');
  for (int i = 0; i < kBurst; ++i) {
    ASSERT_TRUE(Deliver(webhook_port, absl::StrCat("evt_burst_", i), "order.action_required", padding));
  }
  const double during = deliver_to_all("evt_fan_during");
  std::printf("1 event to %d subscribers, the last got it after: %.1f ms; with one subscriber stalled: %.1f ms\n",
              kSubscribers, before, during);
  for (auto& subscriber : subscribers) EXPECT_EQ(subscriber->events(), 2u);

  // The stalled subscriber, reading at last, finds what fitted in its
  // transport and buffer, then RESOURCE_EXHAUSTED with its resume cursor.
  stalled->Resume();
  grpc::Status status;
  ASSERT_TRUE(stalled->WaitDone(absl::Seconds(30), &status));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  const std::vector<std::string> received = stalled->cursors();
  ASSERT_FALSE(received.empty());
  EXPECT_LT(received.size(), static_cast<size_t>(kBurst + 2));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_GT(details.details_size(), 0);
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.metadata().at("resume_after"), received.back());
}

}  // namespace
}  // namespace gateway::testing
