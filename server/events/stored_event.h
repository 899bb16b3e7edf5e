// One verified Partner webhook event, as the gateway stores and streams it.
#ifndef SERVER_EVENTS_STORED_EVENT_H_
#define SERVER_EVENTS_STORED_EVENT_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "peeker/partner/v1/common.pb.h"

namespace gateway::events {

struct StoredEvent {
  // Position in the event log, assigned by EventLog::AppendBatch: strictly
  // increasing in the order events were stored, never reused. 0 before.
  uint64_t cursor = 0;
  // The Partner's event id, `evt_…` (the `Peeker-Event-Id` header).
  std::string id;
  // The event type, e.g. "order.in_progress".
  std::string type;
  // Which environment's webhook secret verified the event.
  peeker::partner::v1::Environment environment = peeker::partner::v1::ENVIRONMENT_UNSPECIFIED;
  // The envelope's `created_at`.
  absl::Time created_at = absl::UnixEpoch();
  // When the gateway stored the event; retention counts from here.
  absl::Time received_at = absl::UnixEpoch();
  // The order the event concerns (`ord_…`); empty when none.
  std::string order_id;
  // The customer the event names: the user id (`usr_…`) and the email,
  // each empty when the event does not say (domain events name none).
  std::string user_id;
  std::string user_email;
  // The envelope's `data` object, as JSON text.
  std::string data;
};

// Stored times are whole microseconds, so `received_at < cutoff` is
// `received_us < CeilMicros(cutoff)`.
inline int64_t CeilMicros(absl::Time time) {
  int64_t micros = absl::ToUnixMicros(time);
  if (micros < INT64_MAX && absl::FromUnixMicros(micros) < time) ++micros;
  return micros;
}

}  // namespace gateway::events

#endif  // SERVER_EVENTS_STORED_EVENT_H_
