#include "server/partner/json_codec.h"

#include <string>
#include <utility>

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;
using nlohmann::json;

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
  body["personas"] = EncodePersonas(request.personas());
  return body;
}

json EncodePersonas(const google::protobuf::RepeatedPtrField<v1::Persona>& personas) {
  json encoded = json::array();
  for (const v1::Persona& persona : personas) {
    encoded.push_back({{"first_name", persona.first_name()},
                       {"last_name", persona.last_name()},
                       {"profile_picture_url",
                        persona.has_profile_picture_url() ? json(persona.profile_picture_url()) : json(nullptr)}});
  }
  return encoded;
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

}  // namespace gateway::partner
