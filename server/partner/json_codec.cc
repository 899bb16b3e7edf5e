#include "server/partner/json_codec.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;
using nlohmann::json;

template <typename E>
struct EnumName {
  const char* name;
  E value;
};

constexpr EnumName<v1::MailProvider> kMailProviders[] = {
    {"google", v1::MAIL_PROVIDER_GOOGLE},
    {"microsoft", v1::MAIL_PROVIDER_MICROSOFT},
};
constexpr EnumName<v1::BundleStatus> kBundleStatuses[] = {
    {"active", v1::BUNDLE_STATUS_ACTIVE},
    {"archived", v1::BUNDLE_STATUS_ARCHIVED},
    {"deleted", v1::BUNDLE_STATUS_DELETED},
};
constexpr EnumName<v1::UnavailableReason> kUnavailableReasons[] = {
    {"taken", v1::UNAVAILABLE_REASON_TAKEN},     {"premium", v1::UNAVAILABLE_REASON_PREMIUM},
    {"invalid", v1::UNAVAILABLE_REASON_INVALID}, {"errored", v1::UNAVAILABLE_REASON_ERRORED},
    {"stale", v1::UNAVAILABLE_REASON_STALE},
};
constexpr EnumName<v1::DomainImportStatus> kDomainImportStatuses[] = {
    {"in_progress", v1::DOMAIN_IMPORT_STATUS_IN_PROGRESS},
    {"completed", v1::DOMAIN_IMPORT_STATUS_COMPLETED},
    {"failed", v1::DOMAIN_IMPORT_STATUS_FAILED},
    {"action_required", v1::DOMAIN_IMPORT_STATUS_ACTION_REQUIRED},
};
constexpr EnumName<v1::OrderStatus> kOrderStatuses[] = {
    {"in_progress", v1::ORDER_STATUS_IN_PROGRESS},
    {"completed", v1::ORDER_STATUS_COMPLETED},
    {"failed", v1::ORDER_STATUS_FAILED},
    {"action_required", v1::ORDER_STATUS_ACTION_REQUIRED},
    {"cancel_scheduled", v1::ORDER_STATUS_CANCEL_SCHEDULED},
    {"cancelled", v1::ORDER_STATUS_CANCELLED},
};
constexpr EnumName<v1::LineItemType> kLineItemTypes[] = {
    {"google_license", v1::LINE_ITEM_TYPE_GOOGLE_LICENSE},
    {"microsoft_license", v1::LINE_ITEM_TYPE_MICROSOFT_LICENSE},
    {"domain_registration", v1::LINE_ITEM_TYPE_DOMAIN_REGISTRATION},
};

// Unknown names decode to the zero value: the Partner may add states.
std::atomic<int64_t> unknown_fields{0};
std::atomic<int64_t> unknown_enum_values{0};

template <typename E, size_t N>
E EnumFromName(const std::string& name, const EnumName<E> (&names)[N]) {
  for (const EnumName<E>& entry : names) {
    if (name == entry.name) return entry.value;
  }
  if (!name.empty()) unknown_enum_values.fetch_add(1, std::memory_order_relaxed);
  return static_cast<E>(0);
}

// Reads the members of one JSON object. The first type error wins and is
// kept in `*error`, shared by the nested readers of one decode; after an
// error every read returns a default, so a decoder reads straight through and
// checks the error once at the end.
class Reader {
 public:
  Reader(const json& value, std::string path, absl::Status* error)
      : value_(value), path_(std::move(path)), error_(error) {
    if (!value_.is_object()) Fail(path_, "is not an object");
  }

  // Counts the members nothing asked for.
  ~Reader() {
    if (!error_->ok()) return;
    int64_t unread = 0;
    for (const auto& [key, unused] : value_.items()) {
      if (std::find(read_.begin(), read_.end(), key) == read_.end()) ++unread;
    }
    unknown_fields.fetch_add(unread, std::memory_order_relaxed);
  }

  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  std::string String(const char* key, bool required = false) {
    return OptionalString(key, required).value_or("");
  }

  std::optional<std::string> OptionalString(const char* key, bool required = false) {
    const json* member = Member(key, required);
    if (member == nullptr) return std::nullopt;
    if (!member->is_string()) return Fail(PathOf(key), "is not a string"), std::nullopt;
    return member->get<std::string>();
  }

  std::optional<int64_t> OptionalInt64(const char* key) {
    const json* member = Member(key);
    if (member == nullptr) return std::nullopt;
    if (!member->is_number_integer() ||
        (member->is_number_unsigned() && member->get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()})) {
      return Fail(PathOf(key), "is not an integer"), std::nullopt;
    }
    return member->get<int64_t>();
  }

  int64_t Int64(const char* key) { return OptionalInt64(key).value_or(0); }

  std::optional<int32_t> OptionalInt32(const char* key) {
    std::optional<int64_t> value = OptionalInt64(key);
    if (!value.has_value()) return std::nullopt;
    if (*value < std::numeric_limits<int32_t>::min() || *value > std::numeric_limits<int32_t>::max()) {
      return Fail(PathOf(key), "is out of range"), std::nullopt;
    }
    return static_cast<int32_t>(*value);
  }

  int32_t Int32(const char* key) { return OptionalInt32(key).value_or(0); }

  bool Bool(const char* key) {
    const json* member = Member(key);
    if (member == nullptr) return false;
    if (!member->is_boolean()) return Fail(PathOf(key), "is not a boolean"), false;
    return member->get<bool>();
  }

  template <typename E, size_t N>
  E Enum(const char* key, const EnumName<E> (&names)[N]) {
    return EnumFromName(String(key), names);
  }

  std::optional<google::protobuf::Timestamp> Timestamp(const char* key) {
    std::optional<std::string> text = OptionalString(key);
    if (!text.has_value()) return std::nullopt;
    absl::Time time;
    std::string parse_error;
    if (!absl::ParseTime(absl::RFC3339_full, *text, &time, &parse_error)) {
      return Fail(PathOf(key), "is not an RFC 3339 time"), std::nullopt;
    }
    google::protobuf::Timestamp timestamp;
    timestamp.set_seconds(absl::ToUnixSeconds(time));
    timestamp.set_nanos(
        static_cast<int32_t>((time - absl::FromUnixSeconds(timestamp.seconds())) / absl::Nanoseconds(1)));
    return timestamp;
  }

  // Calls `read(reader)` with a reader over member `key` when it is present.
  template <typename Fn>
  void Object(const char* key, Fn read) {
    const json* member = Member(key);
    if (member == nullptr) return;
    Reader nested(*member, PathOf(key), error_);
    if (error_->ok()) read(nested);
  }

  // Calls `read(element, path)` for each element of array member `key`.
  template <typename Fn>
  void Array(const char* key, Fn read) {
    const json* member = Member(key);
    if (member == nullptr) return;
    if (!member->is_array()) return Fail(PathOf(key), "is not an array");
    for (size_t i = 0; i < member->size() && error_->ok(); ++i) {
      read((*member)[i], absl::StrCat(PathOf(key), "[", i, "]"));
    }
  }

  // Calls `read(reader)` for each element of an array of objects.
  template <typename Fn>
  void Objects(const char* key, Fn read) {
    Array(key, [&](const json& element, std::string path) {
      Reader nested(element, std::move(path), error_);
      if (error_->ok()) read(nested);
    });
  }

  // Calls `add(string)` for each element of an array of strings.
  template <typename Fn>
  void Strings(const char* key, Fn add) {
    Array(key, [&](const json& element, const std::string& path) {
      if (!element.is_string()) return Fail(path, "is not a string");
      add(element.get<std::string>());
    });
  }

 private:
  // The member, or nullptr when absent or null (or after an error).
  const json* Member(const char* key, bool required = false) {
    if (!error_->ok()) return nullptr;
    read_.emplace_back(key);
    auto it = value_.find(key);
    if (it == value_.end() || it->is_null()) {
      if (required) Fail(PathOf(key), "is missing");
      return nullptr;
    }
    return &*it;
  }

  std::string PathOf(const char* key) const { return absl::StrCat(path_, ".", key); }

  std::vector<std::string> read_;  // Keys asked for, present or not.

  void Fail(const std::string& path, const char* what) {
    if (error_->ok()) *error_ = absl::InternalError(absl::StrCat("field `", path, "` ", what));
  }

  const json& value_;
  const std::string path_;
  absl::Status* const error_;
};

template <typename T>
absl::StatusOr<T> Finish(absl::Status error, T value) {
  if (!error.ok()) return error;
  return value;
}

json StringArray(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return json(std::vector<std::string>(values.begin(), values.end()));
}

}  // namespace

json EncodeCreateBundleRequest(const v1::CreateBundleRequest& request) {
  json body = {{"name", request.name()}, {"monthly_sending_volume", request.monthly_sending_volume()}};
  if (request.has_google_percent()) body["google_percent"] = request.google_percent();
  if (request.has_microsoft_percent()) body["microsoft_percent"] = request.microsoft_percent();
  if (request.has_send_on_weekends()) body["send_on_weekends"] = request.send_on_weekends();
  if (request.has_google_inboxes_per_domain()) body["google_inboxes_per_domain"] = request.google_inboxes_per_domain();
  return body;
}

json EncodeCheckAvailabilityRequest(const v1::CheckAvailabilityRequest& request) {
  return {{"domains", StringArray(request.domains())}};
}

json EncodeImportDomainsRequest(const v1::ImportDomainsRequest& request) {
  return {{"domains", StringArray(request.domains())}};
}

json EncodePlaceOrderRequest(const v1::PlaceOrderRequest& request) {
  json body = {{"user", request.user()}};
  if (request.has_custom()) {
    body["google_licenses"] = request.custom().google_licenses();
    body["microsoft_licenses"] = request.custom().microsoft_licenses();
  } else {
    body["bundle_id"] = request.bundle_id();
  }
  const v1::Sequencer& sequencer = request.sequencer();
  json& sequencer_json = body["sequencer"] = {{"provider", "smartlead"},
                                              {"login_email", sequencer.login_email()},
                                              {"login_password", sequencer.login_password()}};
  if (sequencer.has_client_id()) sequencer_json["client_id"] = sequencer.client_id();
  if (!request.forwarding_url().empty()) body["forwarding_url"] = request.forwarding_url();
  json& domains = body["domains"] = json::array();
  for (const v1::OrderDomain& domain : request.domains()) {
    if (domain.has_forwarding_url()) {
      domains.push_back({{"domain", domain.domain()}, {"forwarding_url", domain.forwarding_url()}});
    } else {
      domains.push_back(domain.domain());
    }
  }
  json& personas = body["personas"] = json::array();
  for (const v1::Persona& persona : request.personas()) {
    personas.push_back({{"first_name", persona.first_name()},
                        {"last_name", persona.last_name()},
                        {"profile_picture_url",
                         persona.has_profile_picture_url() ? json(persona.profile_picture_url()) : json(nullptr)}});
  }
  return body;
}

absl::StatusOr<v1::Bundle> DecodeBundle(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::Bundle bundle;
  bundle.set_id(r.String("id", /*required=*/true));
  bundle.set_name(r.String("name"));
  bundle.set_monthly_sending_volume(r.Int64("monthly_sending_volume"));
  if (auto percent = r.OptionalInt32("google_percent")) bundle.set_google_percent(*percent);
  if (auto percent = r.OptionalInt32("microsoft_percent")) bundle.set_microsoft_percent(*percent);
  bundle.set_send_on_weekends(r.Bool("send_on_weekends"));
  bundle.set_google_inboxes_per_domain(r.Int32("google_inboxes_per_domain"));
  bundle.set_status(r.Enum("status", kBundleStatuses));
  r.Object("effective", [&](Reader& effective) {
    bundle.mutable_effective()->set_google_percent(effective.Int32("google_percent"));
    bundle.mutable_effective()->set_microsoft_percent(effective.Int32("microsoft_percent"));
  });
  r.Object("required_domains", [&](Reader& required) {
    bundle.mutable_required_domains()->set_google(required.Int32("google"));
    bundle.mutable_required_domains()->set_microsoft(required.Int32("microsoft"));
    bundle.mutable_required_domains()->set_total(required.Int32("total"));
  });
  if (auto time = r.Timestamp("created_at")) *bundle.mutable_created_at() = *time;
  return Finish(error, std::move(bundle));
}

absl::StatusOr<v1::CheckAvailabilityResponse> DecodeCheckAvailabilityResponse(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::CheckAvailabilityResponse reply;
  r.Objects("domains", [&](Reader& row) {
    v1::DomainAvailability* availability = reply.add_domains();
    availability->set_domain(row.String("domain", /*required=*/true));
    availability->set_available(row.Bool("available"));
    if (auto price = row.OptionalInt64("price_cents")) availability->set_price_cents(*price);
    if (auto price = row.OptionalInt64("renewal_price_cents")) availability->set_renewal_price_cents(*price);
    availability->set_currency(row.String("currency"));
    row.Strings("usable_for",
                [&](const std::string& name) { availability->add_usable_for(EnumFromName(name, kMailProviders)); });
    availability->set_premium(row.Bool("premium"));
    availability->set_reason(row.Enum("reason", kUnavailableReasons));
  });
  return Finish(error, std::move(reply));
}

absl::StatusOr<v1::DomainImport> DecodeDomainImport(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::DomainImport domain_import;
  domain_import.set_id(r.String("id", /*required=*/true));
  domain_import.set_status(r.Enum("status", kDomainImportStatuses));
  r.Objects("domains", [&](Reader& row) {
    v1::ImportedDomain* domain = domain_import.add_domains();
    domain->set_domain(row.String("domain", /*required=*/true));
    domain->set_status(row.Enum("status", kDomainImportStatuses));
    domain->set_failure_reason(row.String("failure_reason"));
  });
  r.Objects("nameserver_groups", [&](Reader& row) {
    v1::NameserverGroup* group = domain_import.add_nameserver_groups();
    row.Strings("nameservers", [&](const std::string& name) { group->add_nameservers(name); });
    row.Strings("domains", [&](const std::string& name) { group->add_domains(name); });
  });
  if (auto time = r.Timestamp("created_at")) *domain_import.mutable_created_at() = *time;
  if (auto time = r.Timestamp("completed_at")) *domain_import.mutable_completed_at() = *time;
  return Finish(error, std::move(domain_import));
}

absl::StatusOr<v1::Order> DecodeOrder(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::Order order;
  order.set_id(r.String("id", /*required=*/true));
  order.set_user_id(r.String("user_id"));
  order.set_email(r.String("email"));
  if (auto bundle_id = r.OptionalString("bundle_id")) order.set_bundle_id(*bundle_id);
  order.set_status(r.Enum("status", kOrderStatuses));
  order.set_domain_count(r.Int32("domain_count"));
  r.Object("costs", [&](Reader& costs) {
    order.mutable_costs()->set_total_cents(costs.Int64("total_cents"));
    order.mutable_costs()->set_currency(costs.String("currency"));
    costs.Objects("line_items", [&](Reader& row) {
      v1::OrderLineItem* item = order.mutable_costs()->add_line_items();
      item->set_type(row.Enum("type", kLineItemTypes));
      item->set_quantity(row.Int32("quantity"));
      item->set_amount_cents(row.Int64("amount_cents"));
    });
  });
  if (auto time = r.Timestamp("renews_at")) *order.mutable_renews_at() = *time;
  if (auto time = r.Timestamp("created_at")) *order.mutable_created_at() = *time;
  return Finish(error, std::move(order));
}

Tolerated ToleratedSoFar() {
  Tolerated tolerated;
  tolerated.unknown_fields = unknown_fields.load(std::memory_order_relaxed);
  tolerated.unknown_enum_values = unknown_enum_values.load(std::memory_order_relaxed);
  return tolerated;
}

}  // namespace gateway::partner
