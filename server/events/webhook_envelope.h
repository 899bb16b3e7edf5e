// The Partner's webhook envelope, `{"id", "type", "created_at", "data"}`
// (CONTRACT.md §10), parsed into a StoredEvent.
#ifndef SERVER_EVENTS_WEBHOOK_ENVELOPE_H_
#define SERVER_EVENTS_WEBHOOK_ENVELOPE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "server/events/stored_event.h"

namespace gateway::events {

// Fills id, type, created_at, data, order_id, user_id and user_email; an
// error names the first field that is missing or has the wrong type. `data`
// is kept as the Partner sent it. Its nesting differs between doc
// generations, so the order id is the first of `data.order.id`,
// `data.domain.order_id`, `data.order_id`, and `data.id` of an `order.*`
// event; the customer is read as CustomerOf says.
absl::StatusOr<StoredEvent> ParseEnvelope(absl::string_view body);

struct Customer {
  std::string id;     // `usr_…`, or empty
  std::string email;  // or empty
};
// The customer an event's `data` names, whichever shape the Partner sent:
// the order nested (`data.order`) or the order as `data` itself. On the
// order, `user` (an object with `id` and `email`, or a string holding
// either) or the order's own `user_id` and `email`.
Customer CustomerOf(const nlohmann::json& data);

// The domain name an event's `data` (or an element of an order's `domains`)
// names: `domain.name`, `domain` as a string, `name`, or the value itself
// when it is a string; empty when none.
std::string DomainNameOf(const nlohmann::json& data);

}  // namespace gateway::events

#endif  // SERVER_EVENTS_WEBHOOK_ENVELOPE_H_
