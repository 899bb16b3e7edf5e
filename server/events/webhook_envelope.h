// The Partner's webhook envelope, `{"id", "type", "created_at", "data"}`
// (CONTRACT.md §10), parsed into a StoredEvent.
#ifndef SERVER_EVENTS_WEBHOOK_ENVELOPE_H_
#define SERVER_EVENTS_WEBHOOK_ENVELOPE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/events/stored_event.h"

namespace gateway::events {

// Fills id, type, created_at, data, order_id and user; an error names the
// first field that is missing or has the wrong type. `data` is kept as the
// Partner sent it. Its nesting differs between doc generations, so the order
// id is the first of `data.order.id`, `data.domain.order_id`,
// `data.order_id`, and `data.id` of an `order.*` event; the user is
// `data.order.user` or `data.user`, a string or an object's `email` (else
// `id`).
absl::StatusOr<StoredEvent> ParseEnvelope(absl::string_view body);

}  // namespace gateway::events

#endif  // SERVER_EVENTS_WEBHOOK_ENVELOPE_H_
