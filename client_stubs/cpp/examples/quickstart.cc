// The Partner quickstart through the gateway: create a bundle, import the
// domains the customer already owns, check which candidate domains can be
// bought, place the order, and follow its events until it completes. Prints
// the lines every language's example prints (client_stubs/README.md).
// Usage: partner-quickstart [--gateway HOST:PORT]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "peeker/partner/client/gateway_client.h"

namespace v1 = peeker::partner::v1;
using peeker::partner::client::Describe;
using peeker::partner::client::DetailsOf;
using peeker::partner::client::ErrorDetails;
using peeker::partner::client::GatewayClient;

namespace {

constexpr int kSteps = 5;

void Step(int n, const std::string& what) {
  std::printf("[%d/%d] %s\n", n, kSteps, what.c_str());
  std::fflush(stdout);
}

bool Check(const grpc::Status& status) {
  if (status.ok()) return true;
  std::printf("      failed: %s\n", Describe(status).c_str());
  return false;
}

// Candidate names for the customer "acme": one availability call's worth.
std::vector<std::string> Candidates() {
  const char* const kWords[] = {"mail", "team", "hq", "go", "get", "try", "hello", "reach", "send", "news"};
  std::vector<std::string> names;
  for (const char* word : kWords) {
    names.push_back(std::string("acme-") + word + ".com");
    names.push_back(std::string(word) + "-acme.com");
    names.push_back(std::string("acme") + word + ".io");
    names.push_back(std::string("acme-") + word + ".co");
    names.push_back(std::string("the-acme-") + word + ".com");
  }
  return names;
}

// The domain a domain.connected event names: data.domain.name, or data.name
// when the Partner sends the resource flat.
std::string ConnectedDomain(const v1::OrderEvent& event) {
  const auto& fields = event.data().fields();
  const auto domain = fields.find("domain");
  const auto& resource = domain != fields.end() ? domain->second.struct_value().fields() : fields;
  const auto name = resource.find("name");
  return name != resource.end() ? name->second.string_value() : "";
}

bool HasProvider(const v1::DomainAvailability& row, v1::MailProvider provider) {
  for (int p : row.usable_for()) {
    if (p == provider) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string target = "localhost:50051";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gateway") == 0 && i + 1 < argc) {
      target = argv[++i];
    } else {
      std::fprintf(stderr, "usage: partner-quickstart [--gateway HOST:PORT]\n");
      return 2;
    }
  }
  GatewayClient client = GatewayClient::Connect(target, {});
  std::printf("Partner quickstart through the gateway at %s (sandbox environment)\n", target.c_str());

  Step(1, "CreateBundle: \"Starter - 25k emails/month\", weekdays only, 2 Google inboxes per domain");
  v1::CreateBundleRequest bundle_request;
  bundle_request.set_name("Starter - 25k emails/month");
  bundle_request.set_monthly_sending_volume(25000);
  bundle_request.set_send_on_weekends(false);
  bundle_request.set_google_inboxes_per_domain(2);
  v1::CreateBundleResponse bundle;
  // A split that does not sum to 100 is refused before the Partner is
  // called; the details say which field and why.
  v1::CreateBundleRequest bad_split = bundle_request;
  bad_split.set_google_percent(80);
  bad_split.set_microsoft_percent(30);
  const grpc::Status refused = client.CreateBundle(bad_split, &bundle);
  const ErrorDetails details = DetailsOf(refused);
  if (refused.error_code() != grpc::StatusCode::INVALID_ARGUMENT || details.field_violations.empty()) {
    std::printf("      failed: a split of 80/30 was not refused: %s\n", Describe(refused).c_str());
    return 1;
  }
  std::string violations;
  for (const ErrorDetails::FieldViolation& violation : details.field_violations) {
    violations += " field=" + violation.field + " (" + violation.description + ")";
  }
  std::printf("      refused: %s reason=%s%s\n", details.code.c_str(), details.reason.c_str(), violations.c_str());
  if (!Check(client.CreateBundle(bundle_request, &bundle))) return 1;
  const v1::RequiredDomains& required = bundle.bundle().required_domains();
  std::printf("      bundle %s needs %d domains: %d Google + %d Microsoft (split %d/%d)\n",
              bundle.bundle().id().c_str(), required.total(), required.google(), required.microsoft(),
              bundle.bundle().effective().google_percent(), bundle.bundle().effective().microsoft_percent());

  const std::vector<std::string> owned = {"acme-sales.com", "acmeteam.io"};
  Step(2, "ImportDomains: the customer's own " + owned[0] + " and " + owned[1]);
  v1::ImportDomainsRequest import_request;
  for (const std::string& name : owned) import_request.add_domains(name);
  v1::ImportDomainsResponse imported;
  if (!Check(client.ImportDomains(import_request, &imported))) return 1;
  std::vector<std::string> order_domains;
  for (const v1::ImportedDomain& row : imported.domain_import().domains()) {
    if (row.status() == v1::DOMAIN_IMPORT_STATUS_COMPLETED) order_domains.push_back(row.domain());
  }
  std::printf("      import %s: %zu of %zu imported\n", imported.domain_import().id().c_str(), order_domains.size(),
              owned.size());
  for (const v1::NameserverGroup& group : imported.domain_import().nameserver_groups()) {
    for (const std::string& ns : group.nameservers()) std::printf("      point at nameserver %s\n", ns.c_str());
  }

  // Imported domains count as Microsoft-capable in the sandbox; the rest
  // must come from names that list Microsoft in usable_for.
  const std::vector<std::string> candidates = Candidates();
  Step(3, "CheckAvailability: " + std::to_string(candidates.size()) + " candidate names");
  v1::CheckAvailabilityRequest availability_request;
  for (const std::string& name : candidates) availability_request.add_domains(name);
  v1::CheckAvailabilityResponse availability;
  if (!Check(client.CheckAvailability(availability_request, &availability))) return 1;
  int microsoft_needed = required.microsoft() - static_cast<int>(order_domains.size());
  std::vector<std::string> google_only;
  int available = 0;
  for (const v1::DomainAvailability& row : availability.domains()) {
    if (!row.available()) continue;
    ++available;
    if (microsoft_needed > 0 && HasProvider(row, v1::MAIL_PROVIDER_MICROSOFT)) {
      order_domains.push_back(row.domain());
      --microsoft_needed;
    } else {
      google_only.push_back(row.domain());
    }
  }
  for (const std::string& name : google_only) {
    if (static_cast<int>(order_domains.size()) >= required.total()) break;
    order_domains.push_back(name);
  }
  std::printf("      %d of %zu available; picked %zu domains for the order\n", available, candidates.size(),
              order_domains.size());
  if (static_cast<int>(order_domains.size()) < required.total() || microsoft_needed > 0) {
    std::printf("      not enough usable domains for the bundle\n");
    return 1;
  }

  Step(4, "PlaceOrder: bundle order for alex@acme.com, Smartlead sequencer");
  v1::PlaceOrderRequest order_request;
  order_request.set_user("alex@acme.com");
  order_request.set_bundle_id(bundle.bundle().id());
  v1::Sequencer* sequencer = order_request.mutable_sequencer();
  sequencer->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  sequencer->set_client_id(366903);
  sequencer->set_login_email("peeker@yourcompany.com");
  sequencer->set_login_password("sandbox-demo-login");
  order_request.set_forwarding_url("https://acme.com");
  for (const std::string& name : order_domains) order_request.add_domains()->set_domain(name);
  for (const auto& [first, last] : {std::pair{"Alex", "Rivera"}, std::pair{"Sam", "Lee"}}) {
    v1::Persona* persona = order_request.add_personas();
    persona->set_first_name(first);
    persona->set_last_name(last);
    persona->set_profile_picture_url("");
  }
  v1::PlaceOrderResponse order;
  if (!Check(client.PlaceOrder(order_request, &order))) return 1;
  std::printf("      order %s for %s: %s, %d domains, total %.2f %s\n", order.order().id().c_str(),
              order.order().email().c_str(), v1::OrderStatus_Name(order.order().status()).c_str(),
              order.order().domain_count(), static_cast<double>(order.order().costs().total_cents()) / 100.0,
              order.order().costs().currency().c_str());

  const std::string& order_id = order.order().id();
  Step(5, "StreamOrderEvents: " + order_id + ", from its first event");
  v1::StreamOrderEventsRequest events_request;
  events_request.add_order_ids(order_id);
  events_request.set_resume_after("0");
  std::string outcome;
  int connected = 0;
  const grpc::Status streamed = client.StreamOrderEvents(
      events_request, std::chrono::system_clock::now() + std::chrono::minutes(2),
      [&](const v1::OrderEvent& event) {
        std::string line = "      event " + event.cursor() + " " + event.type() + " " + event.id();
        if (event.type() == "domain.connected") {
          line += " " + ConnectedDomain(event);
          ++connected;
        }
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
        const bool terminal = event.type() == "order.completed" || event.type() == "order.failed" ||
                              event.type() == "order.cancelled" || event.type() == "order.action_required";
        if (terminal) outcome = event.type();
        return !terminal;
      },
      [](const grpc::Status& cut, const std::string& resume_after) {
        std::printf("      stream cut: %s; resuming after cursor %s\n", DetailsOf(cut).code.c_str(),
                    resume_after.c_str());
        std::fflush(stdout);
      });
  if (!Check(streamed)) return 1;
  if (outcome != "order.completed") {
    std::printf("      failed: the order ended with %s\n", outcome.c_str());
    return 1;
  }
  std::printf("      order %s completed: %d of %d domains connected\n", order_id.c_str(), connected,
              order.order().domain_count());
  std::printf("Quickstart complete.\n");
  return 0;
}
