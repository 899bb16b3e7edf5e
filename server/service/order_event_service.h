// OrderEventService: StreamOrderEvents and WatchOrder as server-streaming
// callback reactors over EventHub subscriptions. A reactor writes one
// message at a time and, when it has nothing to write, waits for the
// subscription's wakeup; no gRPC thread ever waits for an event.
#ifndef SERVER_SERVICE_ORDER_EVENT_SERVICE_H_
#define SERVER_SERVICE_ORDER_EVENT_SERVICE_H_

#include <cstdint>
#include <deque>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "server/events/event_hub.h"

namespace gateway::service {

// The OrderEvent message of a stored event, built once however many
// streams send it (parsing `data` into a Struct is the costly part of
// fan-out). Keeps the most recent conversions.
class OrderEventCache {
 public:
  std::shared_ptr<const peeker::partner::v1::OrderEvent> Get(const events::StoredEvent& event)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  static constexpr size_t kCapacity = 4096;
  absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, std::shared_ptr<const peeker::partner::v1::OrderEvent>> by_cursor_
      ABSL_GUARDED_BY(mu_);
  std::deque<uint64_t> oldest_first_ ABSL_GUARDED_BY(mu_);
};

class GrpcOrderEventService final : public peeker::partner::v1::OrderEventService::CallbackService {
 public:
  // `hub` must outlive the service.
  explicit GrpcOrderEventService(events::EventHub* hub) : hub_(hub) {}

  grpc::ServerWriteReactor<peeker::partner::v1::StreamOrderEventsResponse>* StreamOrderEvents(
      grpc::CallbackServerContext* context, const peeker::partner::v1::StreamOrderEventsRequest* request) override;
  grpc::ServerWriteReactor<peeker::partner::v1::WatchOrderResponse>* WatchOrder(
      grpc::CallbackServerContext* context, const peeker::partner::v1::WatchOrderRequest* request) override;

 private:
  events::EventHub* const hub_;
  OrderEventCache cache_;
};

}  // namespace gateway::service

#endif  // SERVER_SERVICE_ORDER_EVENT_SERVICE_H_
