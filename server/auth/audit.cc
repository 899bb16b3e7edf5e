#include "server/auth/audit.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "server/common/log.h"

namespace gateway::auth {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using Ids = std::vector<std::pair<std::string, std::string>>;

void Add(Ids& ids, std::string name, std::string value) {
  if (value.empty()) return;
  if (std::any_of(ids.begin(), ids.end(), [&](const auto& id) { return id.first == name; })) return;
  ids.emplace_back(std::move(name), std::move(value));
}

// `owner` is the name of the field that holds `message` ("" at the top).
void Collect(const Message& message, absl::string_view owner, int depth, Ids& ids) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated()) continue;
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (absl::EndsWith(field->name(), "_id")) {
        Add(ids, field->name(), reflection.GetString(message, field));
      } else if (field->name() == "id" && !owner.empty()) {
        Add(ids, absl::StrCat(owner, "_id"), reflection.GetString(message, field));
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE && depth == 0) {
      Collect(reflection.GetMessage(message, field), field->name(), depth + 1, ids);
    }
  }
}

}  // namespace

void WriteAuditLine(const AuditRecord& record) {
  std::vector<std::pair<absl::string_view, std::string>> fields = {
      {"log", "audit"},
      {"principal", record.principal},
      {"method", record.method},
      {"environment", record.environment},
      {"code", absl::StatusCodeToString(record.code)},
  };
  if (!record.partner_request_id.empty()) fields.emplace_back("partner_request_id", record.partner_request_id);
  for (const auto& [name, value] : record.ids) fields.emplace_back(name, value);
  if (!record.reason.empty()) fields.emplace_back("reason", record.reason);
  common::Log(record.code == absl::StatusCode::kOk ? common::LogLevel::kInfo : common::LogLevel::kWarning,
              record.reason.empty() ? "write" : "denied", fields);
}

Ids TouchedIds(const Message& request, const Message* reply) {
  Ids ids;
  Collect(request, "", 0, ids);
  if (reply != nullptr) Collect(*reply, "", 0, ids);
  return ids;
}

}  // namespace gateway::auth
