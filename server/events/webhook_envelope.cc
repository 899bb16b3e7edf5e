#include "server/events/webhook_envelope.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace gateway::events {
namespace {

using nlohmann::json;

// The string at `path` below `root` (object keys), or "" when any step is
// missing or not of the right type.
std::string StringAt(const json& root, std::initializer_list<const char*> path) {
  const json* node = &root;
  for (const char* key : path) {
    if (!node->is_object()) return "";
    auto it = node->find(key);
    if (it == node->end()) return "";
    node = &*it;
  }
  return node->is_string() ? node->get<std::string>() : "";
}

// Fills what `customer` lacks from the order (or resource) `holder`.
void AddCustomerFrom(const json& holder, Customer& customer) {
  if (!holder.is_object()) return;
  std::string id = StringAt(holder, {"user_id"});
  std::string email = StringAt(holder, {"email"});
  if (auto user = holder.find("user"); user != holder.end()) {
    if (user->is_string()) {
      (absl::StrContains(user->get_ref<const std::string&>(), "@") ? email : id) = user->get<std::string>();
    } else {
      if (const std::string nested = StringAt(*user, {"id"}); !nested.empty()) id = nested;
      if (const std::string nested = StringAt(*user, {"email"}); !nested.empty()) email = nested;
    }
  }
  if (customer.id.empty()) customer.id = std::move(id);
  if (customer.email.empty()) customer.email = std::move(email);
}

std::string OrderIdOf(const std::string& type, const json& data) {
  std::string id = StringAt(data, {"order", "id"});
  if (id.empty()) id = StringAt(data, {"domain", "order_id"});
  if (id.empty()) id = StringAt(data, {"order_id"});
  if (id.empty() && absl::StartsWith(type, "order.")) id = StringAt(data, {"id"});
  return id;
}

}  // namespace

Customer CustomerOf(const json& data) {
  Customer customer;
  if (data.is_object()) {
    if (auto order = data.find("order"); order != data.end()) AddCustomerFrom(*order, customer);
  }
  AddCustomerFrom(data, customer);
  return customer;
}

std::string DomainNameOf(const json& data) {
  if (data.is_string()) return data.get<std::string>();
  if (auto domain = data.is_object() ? data.find("domain") : data.end(); domain != data.end()) {
    return domain->is_string() ? domain->get<std::string>() : StringAt(*domain, {"name"});
  }
  return StringAt(data, {"name"});
}

absl::StatusOr<StoredEvent> ParseEnvelope(absl::string_view body) {
  const json envelope = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (envelope.is_discarded()) return absl::InvalidArgumentError("the body is not JSON");
  if (!envelope.is_object()) return absl::InvalidArgumentError("the body is not a JSON object");
  StoredEvent event;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"id", &event.id}, {"type", &event.type}}) {
    auto it = envelope.find(key);
    if (it == envelope.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("`", key, "` is missing or not a non-empty string"));
    }
    *out = it->get<std::string>();
  }
  if (!absl::StartsWith(event.id, "evt_")) return absl::InvalidArgumentError("`id` does not start with evt_");
  auto created_at = envelope.find("created_at");
  std::string parse_error;
  if (created_at == envelope.end() || !created_at->is_string() ||
      !absl::ParseTime(absl::RFC3339_full, created_at->get<std::string>(), &event.created_at, &parse_error)) {
    return absl::InvalidArgumentError("`created_at` is missing or not an RFC 3339 time");
  }
  auto data = envelope.find("data");
  if (data == envelope.end() || !data->is_object()) {
    return absl::InvalidArgumentError("`data` is missing or not an object");
  }
  event.data = data->dump();
  event.order_id = OrderIdOf(event.type, *data);
  Customer customer = CustomerOf(*data);
  event.user_id = std::move(customer.id);
  event.user_email = std::move(customer.email);
  return event;
}

}  // namespace gateway::events
