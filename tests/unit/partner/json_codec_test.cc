#include "server/partner/json_codec.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/partner/api_test_util.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(EncodeTest, CreateBundleSendsOnlyTheFieldsThatAreSet) {
  v1::CreateBundleRequest request;
  request.set_name("Starter");
  request.set_monthly_sending_volume(25000);
  EXPECT_EQ(EncodeCreateBundleRequest(request), nlohmann::json::parse(
                                                    R"({"name":"Starter","monthly_sending_volume":25000})"));
  request.set_google_percent(70);
  request.set_microsoft_percent(30);
  request.set_send_on_weekends(false);
  request.set_google_inboxes_per_domain(3);
  EXPECT_EQ(EncodeCreateBundleRequest(request),
            nlohmann::json::parse(R"({"name":"Starter","monthly_sending_volume":25000,"google_percent":70,
              "microsoft_percent":30,"send_on_weekends":false,"google_inboxes_per_domain":3})"));
}

TEST(EncodeTest, DomainListsKeepTheirOrder) {
  v1::CheckAvailabilityRequest availability;
  availability.add_domains("b.com");
  availability.add_domains("a.com");
  EXPECT_EQ(EncodeCheckAvailabilityRequest(availability), nlohmann::json::parse(R"({"domains":["b.com","a.com"]})"));
  v1::ImportDomainsRequest import;
  import.add_domains("acme.com");
  EXPECT_EQ(EncodeImportDomainsRequest(import), nlohmann::json::parse(R"({"domains":["acme.com"]})"));
}

v1::PlaceOrderRequest DocumentedOrder() {
  v1::PlaceOrderRequest request;
  request.set_user("ops@fabrikam-client.test");
  request.set_bundle_id("bun_01JA0000000000000000000001");
  v1::Sequencer* sequencer = request.mutable_sequencer();
  sequencer->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  sequencer->set_client_id(481516);
  sequencer->set_login_email("sl-admin@fabrikam-client.test");
  sequencer->set_login_password("example-only");
  request.set_forwarding_url("https://fabrikam-client.test");
  request.add_domains()->set_domain("fabrikam-hq.com");
  v1::OrderDomain* shop = request.add_domains();
  shop->set_domain("fabrikam-shop.com");
  shop->set_forwarding_url("https://shop.fabrikam-client.test");
  v1::Persona* dana = request.add_personas();
  dana->set_first_name("Dana");
  dana->set_last_name("Okafor");
  v1::Persona* sam = request.add_personas();
  sam->set_first_name("Sam");
  sam->set_last_name("Lee");
  sam->set_profile_picture_url("");
  return request;
}

TEST(EncodeTest, PlaceOrderIsTheDocumentedBody) {
  EXPECT_EQ(EncodePlaceOrderRequest(DocumentedOrder()), Data("place_order_request.json"));
}

TEST(EncodeTest, PlaceOrderIsByteForByteDeterministic) {
  const std::string first = EncodePlaceOrderRequest(DocumentedOrder()).dump();
  v1::PlaceOrderRequest same;
  ASSERT_TRUE(same.ParseFromString(DocumentedOrder().SerializeAsString()));
  EXPECT_EQ(EncodePlaceOrderRequest(same).dump(), first);
}

TEST(EncodeTest, CustomPlanSendsLicensesInsteadOfABundleAndOmitsUnsetOptionals) {
  v1::PlaceOrderRequest request = DocumentedOrder();
  request.mutable_custom()->set_google_licenses(6);
  request.mutable_sequencer()->clear_client_id();
  request.clear_forwarding_url();
  const nlohmann::json body = EncodePlaceOrderRequest(request);
  EXPECT_FALSE(body.contains("bundle_id"));
  EXPECT_EQ(body["google_licenses"], 6);
  EXPECT_EQ(body["microsoft_licenses"], 0);
  EXPECT_FALSE(body["sequencer"].contains("client_id"));
  EXPECT_FALSE(body.contains("forwarding_url"));
}

TEST(DecodeTest, Bundle) {
  absl::StatusOr<v1::Bundle> bundle = DecodeBundle(Data("bundle.json"));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->id(), "bun_01JA0000000000000000000001");
  EXPECT_EQ(bundle->name(), "Growth 60k");
  EXPECT_EQ(bundle->monthly_sending_volume(), 60000);
  EXPECT_EQ(bundle->google_percent(), 70);
  EXPECT_EQ(bundle->microsoft_percent(), 30);
  EXPECT_TRUE(bundle->send_on_weekends());
  EXPECT_EQ(bundle->google_inboxes_per_domain(), 3);
  EXPECT_EQ(bundle->status(), v1::BUNDLE_STATUS_ACTIVE);
  EXPECT_EQ(bundle->effective().google_percent(), 70);
  EXPECT_EQ(bundle->required_domains().total(), 12);
  EXPECT_EQ(bundle->created_at().seconds(), 1782898200);  // 2026-07-01T09:30:00Z
}

TEST(DecodeTest, NullPercentsAreAbsentNotZero) {
  nlohmann::json data = Data("bundle.json");
  data["google_percent"] = nullptr;
  data.erase("microsoft_percent");
  absl::StatusOr<v1::Bundle> bundle = DecodeBundle(data);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_FALSE(bundle->has_google_percent());
  EXPECT_FALSE(bundle->has_microsoft_percent());
}

TEST(DecodeTest, AvailabilityWithUnknownEnumValuesDecodesThemAsUnspecified) {
  absl::StatusOr<v1::CheckAvailabilityResponse> reply = DecodeCheckAvailabilityResponse(Data("availability.json"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->domains_size(), 4);
  const v1::DomainAvailability& first = reply->domains(0);
  EXPECT_TRUE(first.available());
  EXPECT_EQ(first.price_cents(), 1199);
  EXPECT_EQ(first.renewal_price_cents(), 1399);
  EXPECT_EQ(first.currency(), "usd");
  EXPECT_THAT(first.usable_for(), ElementsAre(v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_MICROSOFT));
  const v1::DomainAvailability& taken = reply->domains(1);
  EXPECT_FALSE(taken.available());
  EXPECT_FALSE(taken.has_price_cents());
  EXPECT_EQ(taken.reason(), v1::UNAVAILABLE_REASON_TAKEN);
  EXPECT_THAT(reply->domains(2).usable_for(), ElementsAre(v1::MAIL_PROVIDER_GOOGLE, v1::MAIL_PROVIDER_UNSPECIFIED));
  EXPECT_TRUE(reply->domains(3).premium());
  EXPECT_EQ(reply->domains(3).reason(), v1::UNAVAILABLE_REASON_UNSPECIFIED);
}

TEST(DecodeTest, UnknownFieldsAndEnumValuesAreToleratedAndCounted) {
  const nlohmann::json data = nlohmann::json::parse(R"({
    "id":"bun_1","name":"Starter","monthly_sending_volume":25000,"status":"frozen",
    "required_domains":{"google":15,"microsoft":4,"total":19,"apple":0},
    "color":"blue","tags":["a"]})");
  const Tolerated before = ToleratedSoFar();
  absl::StatusOr<v1::Bundle> bundle = DecodeBundle(data);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->status(), v1::BUNDLE_STATUS_UNSPECIFIED);
  EXPECT_EQ(bundle->required_domains().total(), 19);
  const Tolerated after = ToleratedSoFar();
  EXPECT_EQ(after.unknown_fields - before.unknown_fields, 3);  // color, tags, required_domains.apple
  EXPECT_EQ(after.unknown_enum_values - before.unknown_enum_values, 1);  // status "frozen"
}

TEST(DecodeTest, DomainImport) {
  absl::StatusOr<v1::DomainImport> domain_import = DecodeDomainImport(Data("domain_import.json"));
  ASSERT_TRUE(domain_import.ok()) << domain_import.status();
  EXPECT_EQ(domain_import->id(), "imp_01JA00000000000000000000XY");
  EXPECT_EQ(domain_import->status(), v1::DOMAIN_IMPORT_STATUS_COMPLETED);
  ASSERT_EQ(domain_import->domains_size(), 2);
  EXPECT_EQ(domain_import->domains(0).failure_reason(), "");
  EXPECT_EQ(domain_import->domains(1).status(), v1::DOMAIN_IMPORT_STATUS_FAILED);
  EXPECT_EQ(domain_import->domains(1).failure_reason(), "not_root_domain");
  ASSERT_EQ(domain_import->nameserver_groups_size(), 1);
  EXPECT_THAT(domain_import->nameserver_groups(0).nameservers(),
              ElementsAre("ana.ns.cloudflare.com", "bob.ns.cloudflare.com"));
  EXPECT_THAT(domain_import->nameserver_groups(0).domains(), ElementsAre("fabrikam.com"));
  EXPECT_EQ(domain_import->completed_at().nanos(), 250000000);
}

TEST(DecodeTest, Order) {
  absl::StatusOr<v1::Order> order = DecodeOrder(Data("order.json"));
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->id(), "ord_01JA00000000000000000000AB");
  EXPECT_EQ(order->user_id(), "usr_01JA00000000000000000000CD");
  EXPECT_EQ(order->email(), "ops@fabrikam-client.test");
  EXPECT_EQ(order->bundle_id(), "bun_01JA0000000000000000000001");
  EXPECT_EQ(order->status(), v1::ORDER_STATUS_IN_PROGRESS);
  EXPECT_EQ(order->domain_count(), 2);
  EXPECT_EQ(order->costs().total_cents(), 9150);
  EXPECT_EQ(order->costs().currency(), "usd");
  ASSERT_EQ(order->costs().line_items_size(), 3);
  EXPECT_EQ(order->costs().line_items(1).type(), v1::LINE_ITEM_TYPE_DOMAIN_REGISTRATION);
  EXPECT_EQ(order->costs().line_items(1).amount_cents(), 2398);
  EXPECT_EQ(order->costs().line_items(2).type(), v1::LINE_ITEM_TYPE_UNSPECIFIED);
  EXPECT_TRUE(order->has_renews_at());
}

TEST(DecodeTest, CustomOrderHasNoBundleAndAbsentTimesStayUnset) {
  nlohmann::json data = Data("order.json");
  data["bundle_id"] = nullptr;
  data.erase("renews_at");
  data["status"] = "paused_by_new_state";
  absl::StatusOr<v1::Order> order = DecodeOrder(data);
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_FALSE(order->has_bundle_id());
  EXPECT_FALSE(order->has_renews_at());
  EXPECT_EQ(order->status(), v1::ORDER_STATUS_UNSPECIFIED);
}


class WrongShapeTest : public ::testing::TestWithParam<WrongShape> {};

absl::Status DecodeAny(const std::string& file, const nlohmann::json& data) {
  if (file == "bundle.json") return DecodeBundle(data).status();
  if (file == "availability.json") return DecodeCheckAvailabilityResponse(data).status();
  if (file == "domain_import.json") return DecodeDomainImport(data).status();
  return DecodeOrder(data).status();
}

TEST_P(WrongShapeTest, IsAnErrorNamingTheField) {
  ExpectDecodingFails(DecodeAny(GetParam().file, Altered("", GetParam())), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    AllReplies, WrongShapeTest,
    ::testing::Values(
        WrongShape{"BundleIdMissing", "bundle.json", "/id", "-", "`data.id` is missing"},
        WrongShape{"VolumeIsText", "bundle.json", "/monthly_sending_volume", R"("lots")",
                   "`data.monthly_sending_volume` is not an integer"},
        WrongShape{"PercentIsFractional", "bundle.json", "/google_percent", "70.5",
                   "`data.google_percent` is not an integer"},
        WrongShape{"PercentOutOfRange", "bundle.json", "/google_percent", "4294967296",
                   "`data.google_percent` is out of range"},
        WrongShape{"WeekendsIsText", "bundle.json", "/send_on_weekends", R"("yes")",
                   "`data.send_on_weekends` is not a boolean"},
        WrongShape{"RequiredDomainsIsArray", "bundle.json", "/required_domains", "[]",
                   "`data.required_domains` is not an object"},
        WrongShape{"CreatedAtIsNotATime", "bundle.json", "/created_at", R"("yesterday")",
                   "`data.created_at` is not an RFC 3339 time"},
        WrongShape{"DomainsIsObject", "availability.json", "/domains", "{}", "`data.domains` is not an array"},
        WrongShape{"RowIsString", "availability.json", "/domains/1", R"("contoso.com")",
                   "`data.domains[1]` is not an object"},
        WrongShape{"UsableForHoldsNumber", "availability.json", "/domains/0/usable_for/1", "7",
                   "`data.domains[0].usable_for[1]` is not a string"},
        WrongShape{"NameserverIsNumber", "domain_import.json", "/nameserver_groups/0/nameservers/0", "1",
                   "`data.nameserver_groups[0].nameservers[0]` is not a string"},
        WrongShape{"TotalIsText", "order.json", "/costs/total_cents", R"("9150")",
                   "`data.costs.total_cents` is not an integer"},
        WrongShape{"LineItemQuantityIsText", "order.json", "/costs/line_items/0/quantity", R"("4")",
                   "`data.costs.line_items[0].quantity` is not an integer"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(DecodeTest, DataThatIsNotAnObjectIsAnError) {
  EXPECT_THAT(DecodeOrder(nlohmann::json::array()).status().message(), HasSubstr("`data` is not an object"));
}

}  // namespace
}  // namespace gateway::partner
