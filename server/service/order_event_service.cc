#include "server/service/order_event_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "server/events/webhook_envelope.h"
#include "server/service/grpc_status.h"
#include "server/service/unary_call.h"

namespace gateway::service {
namespace {

namespace v1 = ::peeker::partner::v1;
using events::StoredEvent;
using events::Subscription;

void SetTime(absl::Time time, google::protobuf::Timestamp* out) {
  *out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

void ToProto(const StoredEvent& event, v1::OrderEvent* out) {
  out->set_cursor(absl::StrCat(event.cursor));
  out->set_id(event.id);
  out->set_type(event.type);
  out->set_environment(event.environment);
  SetTime(event.created_at, out->mutable_created_at());
  SetTime(event.received_at, out->mutable_received_at());
  out->set_order_id(event.order_id);
  out->set_user(event.user_email.empty() ? event.user_id : event.user_email);
  // Stored data was a JSON object when it was received.
  (void)google::protobuf::util::JsonStringToMessage(event.data, out->mutable_data());
}

// One server stream fed by a subscription: pulls an item, writes it, pulls
// the next when the write is done; waits for the subscription's wakeup when
// there is nothing to write. Subclasses decide what an event turns into.
template <typename Response>
class SubscriptionStream : public grpc::ServerWriteReactor<Response> {
 public:
  void OnWriteDone(bool ok) override {
    if (!ok) {
      subscription_->End(absl::CancelledError("the stream broke"));
    } else if (Complete()) {
      subscription_->End(absl::OkStatus());
    }
    Pump();
  }

  void OnCancel() override {
    if (subscription_ != nullptr) subscription_->End(absl::CancelledError("the client cancelled the stream"));
  }

  void OnDone() override {
    if (subscription_ != nullptr) hub_->Unsubscribe(subscription_);
    LogCall(rpc_, start_, status_);
    delete this;
  }

 protected:
  SubscriptionStream(events::EventHub* hub, absl::string_view rpc) : hub_(hub), rpc_(rpc), start_(absl::Now()) {}

  // Subscribes and starts writing, or finishes with the error.
  void Begin(absl::StatusOr<events::EventFilter> filter, std::optional<uint64_t> resume_after) {
    absl::StatusOr<std::shared_ptr<Subscription>> subscription =
        filter.ok() ? hub_->Subscribe(*std::move(filter), resume_after, [this] { Pump(); }) : filter.status();
    if (!subscription.ok()) {
      End(subscription.status());
      return;
    }
    subscription_ = *std::move(subscription);
    if (TellsCursors()) {
      // Where the stream starts, for a resume before its first event.
      WriteHeartbeat(subscription_->last_cursor());
      return;
    }
    Pump();
  }

  // Fills `out` for an event, or for the moment the replay caught up (null
  // `event`); false when there is nothing to write.
  virtual bool Fill(const StoredEvent* event, Response* out) = 0;
  // True when the stream has said everything (after the write just done).
  virtual bool Complete() const { return false; }
  // True when its heartbeats carry the cursor to resume after, the first
  // one as soon as the stream starts.
  virtual bool TellsCursors() const { return false; }

 private:
  void Pump() {
    while (true) {
      Subscription::Item item = subscription_->Next();
      switch (item.kind) {
        case Subscription::Item::kEvent:
        case Subscription::Item::kCaughtUp:
          response_.Clear();
          if (!Fill(item.event.get(), &response_)) continue;
          this->StartWrite(&response_);
          return;
        case Subscription::Item::kHeartbeat:
          WriteHeartbeat(item.cursor);
          return;
        case Subscription::Item::kIdle:
          return;
        case Subscription::Item::kEnd:
          End(item.status);
          return;
      }
    }
  }

  void WriteHeartbeat(uint64_t cursor) {
    response_.Clear();
    v1::Heartbeat* heartbeat = response_.mutable_heartbeat();
    SetTime(absl::Now(), heartbeat->mutable_sent_at());
    if (TellsCursors()) heartbeat->set_cursor(absl::StrCat(cursor));
    this->StartWrite(&response_);
  }

  void End(absl::Status status) {
    status_ = std::move(status);
    this->Finish(ToGrpcStatus(status_));
  }

  events::EventHub* const hub_;
  const absl::string_view rpc_;
  const absl::Time start_;
  std::shared_ptr<Subscription> subscription_;
  Response response_;
  absl::Status status_;
};

absl::StatusOr<events::EventFilter> FilterOf(const v1::StreamOrderEventsRequest& request) {
  events::EventFilter filter;
  filter.order_ids.insert(request.order_ids().begin(), request.order_ids().end());
  filter.types.insert(request.event_types().begin(), request.event_types().end());
  filter.user = request.user();
  filter.environment = request.environment();
  return filter;
}

class EventStream final : public SubscriptionStream<v1::StreamOrderEventsResponse> {
 public:
  EventStream(events::EventHub* hub, OrderEventCache* cache, const v1::StreamOrderEventsRequest& request)
      : SubscriptionStream(hub, "StreamOrderEvents"), cache_(cache) {
    uint64_t cursor = 0;
    if (!request.resume_after().empty() && !absl::SimpleAtoi(request.resume_after(), &cursor)) {
      Begin(absl::InvalidArgumentError(
                absl::StrCat("resume_after \"", request.resume_after(), "\" is not a cursor of this gateway")),
            std::nullopt);
      return;
    }
    Begin(FilterOf(request), request.resume_after().empty() ? std::nullopt : std::optional<uint64_t>(cursor));
  }

 private:
  bool Fill(const StoredEvent* event, v1::StreamOrderEventsResponse* out) override {
    if (event == nullptr) return false;
    *out->mutable_event() = *cache_->Get(*event);
    return true;
  }
  bool TellsCursors() const override { return true; }

  OrderEventCache* const cache_;
};

// Folds an order's events into its progress; the state only moves forward.
class OrderWatch final : public SubscriptionStream<v1::WatchOrderResponse> {
 public:
  OrderWatch(events::EventHub* hub, const v1::WatchOrderRequest& request) : SubscriptionStream(hub, "WatchOrder") {
    progress_.set_order_id(request.order_id());
    if (request.order_id().empty()) {
      Begin(absl::InvalidArgumentError("order_id is required"), std::nullopt);
      return;
    }
    events::EventFilter filter;
    filter.order_ids.insert(request.order_id());
    Begin(filter, /*resume_after=*/0);
  }

 private:
  bool Fill(const StoredEvent* event, v1::WatchOrderResponse* out) override {
    if (event == nullptr) {
      caught_up_ = true;
    } else if (!Apply(*event)) {
      return false;
    } else {
      ToProto(*event, progress_.mutable_last_event());
      if (!caught_up_) return false;
    }
    *out->mutable_progress() = progress_;
    written_terminal_ = rank_ == kTerminal;
    return true;
  }

  bool Complete() const override { return written_terminal_; }

  static constexpr int kTerminal = 3;

  // True when `event` changed the progress.
  bool Apply(const StoredEvent& event) {
    const nlohmann::json data = nlohmann::json::parse(event.data, nullptr, /*allow_exceptions=*/false);
    if (event.type == "domain.connected") return Connect(events::DomainNameOf(data));
    const auto [status, rank] = StatusOf(event.type);
    if (rank == 0) return false;
    const bool later = rank > rank_ || (rank == rank_ && event.created_at > status_time_);
    if (!later || status == progress_.status()) return false;
    progress_.set_status(status);
    rank_ = rank;
    status_time_ = event.created_at;
    // A completed order has every domain live, also those whose
    // domain.connected is still on its way.
    if (status == v1::ORDER_STATUS_COMPLETED) {
      const nlohmann::json* order = data.contains("order") ? &data["order"] : &data;
      if (order->is_object() && order->contains("domains") && (*order)["domains"].is_array()) {
        for (const nlohmann::json& domain : (*order)["domains"]) Connect(events::DomainNameOf(domain));
      }
    }
    return true;
  }

  bool Connect(const std::string& domain) {
    if (domain.empty() || !connected_.insert(domain).second) return false;
    progress_.add_connected_domains(domain);
    return true;
  }

  static std::pair<v1::OrderStatus, int> StatusOf(const std::string& type) {
    static constexpr std::pair<const char*, std::pair<v1::OrderStatus, int>> kStates[] = {
        {"order.in_progress", {v1::ORDER_STATUS_IN_PROGRESS, 1}},
        {"order.action_required", {v1::ORDER_STATUS_ACTION_REQUIRED, 1}},
        {"order.cancel_scheduled", {v1::ORDER_STATUS_CANCEL_SCHEDULED, 2}},
        {"order.completed", {v1::ORDER_STATUS_COMPLETED, kTerminal}},
        {"order.failed", {v1::ORDER_STATUS_FAILED, kTerminal}},
        {"order.cancelled", {v1::ORDER_STATUS_CANCELLED, kTerminal}},
    };
    for (const auto& [name, state] : kStates) {
      if (type == name) return state;
    }
    return {v1::ORDER_STATUS_UNSPECIFIED, 0};
  }

  v1::OrderProgress progress_;
  absl::flat_hash_set<std::string> connected_;
  int rank_ = 0;
  absl::Time status_time_ = absl::InfinitePast();
  bool caught_up_ = false;
  bool written_terminal_ = false;
};

}  // namespace

std::shared_ptr<const v1::OrderEvent> OrderEventCache::Get(const StoredEvent& event) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = by_cursor_.find(event.cursor); it != by_cursor_.end()) return it->second;
  }
  auto converted = std::make_shared<v1::OrderEvent>();
  ToProto(event, converted.get());
  absl::MutexLock lock(&mu_);
  if (by_cursor_.emplace(event.cursor, converted).second) {
    oldest_first_.push_back(event.cursor);
    if (oldest_first_.size() > kCapacity) {
      by_cursor_.erase(oldest_first_.front());
      oldest_first_.pop_front();
    }
  }
  return converted;
}

grpc::ServerWriteReactor<v1::StreamOrderEventsResponse>* GrpcOrderEventService::StreamOrderEvents(
    grpc::CallbackServerContext* /*context*/, const v1::StreamOrderEventsRequest* request) {
  return new EventStream(hub_, &cache_, *request);
}

grpc::ServerWriteReactor<v1::WatchOrderResponse>* GrpcOrderEventService::WatchOrder(
    grpc::CallbackServerContext* /*context*/, const v1::WatchOrderRequest* request) {
  return new OrderWatch(hub_, *request);
}

}  // namespace gateway::service
