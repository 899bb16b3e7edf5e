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

std::string UserOf(const json& holder) {
  if (!holder.is_object()) return "";
  auto user = holder.find("user");
  if (user == holder.end()) return "";
  if (user->is_string()) return user->get<std::string>();
  std::string email = StringAt(*user, {"email"});
  return email.empty() ? StringAt(*user, {"id"}) : email;
}

std::string OrderIdOf(const std::string& type, const json& data) {
  std::string id = StringAt(data, {"order", "id"});
  if (id.empty()) id = StringAt(data, {"domain", "order_id"});
  if (id.empty()) id = StringAt(data, {"order_id"});
  if (id.empty() && absl::StartsWith(type, "order.")) id = StringAt(data, {"id"});
  return id;
}

}  // namespace

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
  event.user = UserOf(*data);
  if (event.user.empty()) event.user = UserOf(data->value("order", json::object()));
  return event;
}

}  // namespace gateway::events
