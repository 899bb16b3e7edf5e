// OrderEventService: StreamOrderEvents and WatchOrder as server-streaming
// callback reactors over EventHub subscriptions. A reactor writes one
// message at a time and, when it has nothing to write, waits for the
// subscription's wakeup; no gRPC thread ever waits for an event.
#ifndef SERVER_SERVICE_ORDER_EVENT_SERVICE_H_
#define SERVER_SERVICE_ORDER_EVENT_SERVICE_H_

#include "grpcpp/grpcpp.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "server/events/event_hub.h"

namespace gateway::service {

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
};

}  // namespace gateway::service

#endif  // SERVER_SERVICE_ORDER_EVENT_SERVICE_H_
