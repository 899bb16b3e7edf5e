#include "server/auth/authz_policy.h"

#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway::auth {
namespace {

using ::testing::HasSubstr;

constexpr char kCheckout[] = "spiffe://peeker.test/ns/orders/sa/checkout";
constexpr char kReports[] = "spiffe://peeker.test/ns/reports/sa/nightly";

Peer WithCertificate(std::vector<std::string> uris, std::vector<std::string> dns = {}, std::string subject = "CN=x") {
  return Peer{.tls = true, .has_certificate = true, .uri_sans = std::move(uris), .dns_sans = std::move(dns),
              .subject = std::move(subject)};
}
const Peer kNoCertificate{.tls = true, .has_certificate = false, .uri_sans = {}, .dns_sans = {}, .subject = ""};
const Peer kPlaintext{};

// Checkout may call OrderService in live and sandbox, any authenticated caller may read in sandbox,
// nobody may delete users.
constexpr char kPolicy[] = R"({
  "name": "partner-gateway",
  "deny_rules": [
    {"name": "no-user-deletes", "request": {"paths": ["/peeker.partner.v1.UserService/DeleteUser"]}}
  ],
  "allow_rules": [
    {"name": "checkout-orders-live",
     "source": {"principals": ["spiffe://peeker.test/ns/orders/sa/checkout"]},
     "request": {"paths": ["/peeker.partner.v1.OrderService/*"],
                 "headers": [{"key": "Peeker-Environment", "values": ["live", "sandbox"]}]}},
    {"name": "sandbox-reads",
     "source": {"principals": ["*"]},
     "request": {"paths": ["*/GetOrder", "*/ListBundles"],
                 "headers": [{"key": "peeker-environment", "values": ["sandbox"]}]}},
    {"name": "orders-dns-bundles",
     "source": {"principals": ["*.orders.svc"]},
     "request": {"paths": ["/peeker.partner.v1.BundleService/CreateBundle"]}},
    {"name": "everyone-health", "request": {"paths": ["/grpc.health.v1.Health/*"]}}
  ]
})";

struct Case {
  std::string name;
  Peer peer;
  std::string path;
  std::string environment;
  bool allowed;
  std::string rule;
};

class EvaluateTest : public ::testing::TestWithParam<Case> {};

TEST_P(EvaluateTest, DecidesAsTheRulesSay) {
  const absl::StatusOr<AuthzPolicy> policy = AuthzPolicy::Parse(kPolicy);
  ASSERT_TRUE(policy.ok()) << policy.status();
  const std::map<std::string, std::string> headers = {{"peeker-environment", GetParam().environment}};
  const Decision decision = policy->Evaluate(GetParam().peer, {GetParam().path, headers});
  EXPECT_EQ(decision.allowed, GetParam().allowed);
  EXPECT_EQ(decision.rule, GetParam().rule);
}

INSTANTIATE_TEST_SUITE_P(
    Policy, EvaluateTest,
    ::testing::Values(
        Case{"CheckoutPlacesLive", WithCertificate({kCheckout}), "/peeker.partner.v1.OrderService/PlaceOrder", "live",
             true, "checkout-orders-live"},
        Case{"ReportsCannotPlaceLive", WithCertificate({kReports}), "/peeker.partner.v1.OrderService/PlaceOrder",
             "live", false, ""},
        Case{"ReportsReadsSandbox", WithCertificate({kReports}), "/peeker.partner.v1.OrderService/GetOrder", "sandbox",
             true, "sandbox-reads"},
        Case{"ReportsCannotReadLive", WithCertificate({kReports}), "/peeker.partner.v1.OrderService/GetOrder", "live",
             false, ""},
        Case{"NoCertificateIsNotAnyPrincipal", kNoCertificate, "/peeker.partner.v1.OrderService/GetOrder", "sandbox",
             false, ""},
        Case{"PlaintextMatchesNoPrincipal", kPlaintext, "/peeker.partner.v1.OrderService/GetOrder", "sandbox", false,
             ""},
        Case{"ARuleWithoutSourceMatchesAnyone", kPlaintext, "/grpc.health.v1.Health/Check", "sandbox", true,
             "everyone-health"},
        Case{"DenyWinsOverAllow", WithCertificate({kCheckout}), "/peeker.partner.v1.UserService/DeleteUser", "sandbox",
             false, "no-user-deletes"},
        Case{"DnsSanWhenNoUriMatches", WithCertificate({"spiffe://other/x"}, {"checkout.orders.svc"}),
             "/peeker.partner.v1.BundleService/CreateBundle", "sandbox", true, "orders-dns-bundles"}),
    [](const ::testing::TestParamInfo<Case>& param) { return param.param.name; });

// One rule with one pattern, evaluated against one value in each place.
absl::StatusOr<AuthzPolicy> Single(const std::string& where, const std::string& pattern) {
  if (where == "principal") {
    return AuthzPolicy::Parse(R"({"name":"p","allow_rules":[{"name":"r","source":{"principals":[")" + pattern +
                              R"("]}}]})");
  }
  return AuthzPolicy::Parse(R"({"name":"p","allow_rules":[{"name":"r","request":{"paths":[")" + pattern + R"("]}}]})");
}

TEST(AuthzPolicyTest, PatternsAreExactPrefixSuffixOrPresence) {
  const std::map<std::string, std::string> none;
  const auto path_allowed = [&](const std::string& pattern, const std::string& path) {
    absl::StatusOr<AuthzPolicy> policy = Single("path", pattern);
    EXPECT_TRUE(policy.ok()) << policy.status();
    return policy->Evaluate(kPlaintext, {path, none}).allowed;
  };
  EXPECT_TRUE(path_allowed("/a.S/M", "/a.S/M"));
  EXPECT_FALSE(path_allowed("/a.S/M", "/a.S/MM"));
  EXPECT_TRUE(path_allowed("/a.S/*", "/a.S/M"));
  EXPECT_TRUE(path_allowed("/a.S/*", "/a.S/"));
  EXPECT_FALSE(path_allowed("/a.S/*", "/b.S/M"));
  EXPECT_TRUE(path_allowed("*/Get", "/a.S/Get"));
  EXPECT_FALSE(path_allowed("*/Get", "/a.S/GetX"));
  EXPECT_TRUE(path_allowed("*", "/a.S/M"));

  const auto principal_allowed = [&](const std::string& pattern, const Peer& peer) {
    absl::StatusOr<AuthzPolicy> policy = Single("principal", pattern);
    EXPECT_TRUE(policy.ok()) << policy.status();
    return policy->Evaluate(peer, {"/a.S/M", none}).allowed;
  };
  EXPECT_TRUE(principal_allowed("spiffe://peeker.test/ns/orders/*", WithCertificate({kCheckout})));
  EXPECT_FALSE(principal_allowed("spiffe://peeker.test/ns/orders/*", WithCertificate({kReports})));
  EXPECT_TRUE(principal_allowed("*", WithCertificate({kReports})));
  EXPECT_FALSE(principal_allowed("*", kNoCertificate));
  EXPECT_TRUE(principal_allowed("", kNoCertificate));  // A43: "" is a TLS caller without a certificate.
  EXPECT_FALSE(principal_allowed("", kPlaintext));
  EXPECT_FALSE(principal_allowed("", WithCertificate({kCheckout})));
  EXPECT_TRUE(principal_allowed("CN=gateway-admin", WithCertificate({}, {}, "CN=gateway-admin")));
}

TEST(AuthzPolicyTest, HeadersAreAndedAndTheirValuesOred) {
  const absl::StatusOr<AuthzPolicy> policy = AuthzPolicy::Parse(R"({"name":"p","allow_rules":[{"name":"r",
      "request":{"headers":[{"key":"peeker-environment","values":["sandbox"]},{"key":"x-team","values":["a*","b"]}]}}]})");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const auto allowed = [&](std::map<std::string, std::string> headers) {
    return policy->Evaluate(kPlaintext, {"/a.S/M", headers}).allowed;
  };
  EXPECT_TRUE(allowed({{"peeker-environment", "sandbox"}, {"x-team", "alpha"}}));
  EXPECT_TRUE(allowed({{"peeker-environment", "sandbox"}, {"x-team", "b"}}));
  EXPECT_FALSE(allowed({{"peeker-environment", "sandbox"}, {"x-team", "c"}}));
  EXPECT_FALSE(allowed({{"peeker-environment", "sandbox"}}));
  EXPECT_FALSE(allowed({{"peeker-environment", "live"}, {"x-team", "alpha"}}));
}

TEST(AuthzPolicyTest, AnEmptyPolicyDeniesEverything) {
  const absl::StatusOr<AuthzPolicy> policy = AuthzPolicy::Parse(R"({"name":"empty","allow_rules":[]})");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const std::map<std::string, std::string> none;
  EXPECT_FALSE(policy->Evaluate(WithCertificate({kCheckout}), {"/a.S/M", none}).allowed);
  const absl::StatusOr<AuthzPolicy> open = AuthzPolicy::Parse(R"({"name":"open","allow_rules":[{"name":"all"}]})");
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_TRUE(open->Evaluate(kPlaintext, {"/a.S/M", none}).allowed);
}

struct ParseError {
  std::string name;
  std::string json;
  std::string message;
};

class ParseErrorTest : public ::testing::TestWithParam<ParseError> {};

TEST_P(ParseErrorTest, NamesThePlace) {
  const absl::StatusOr<AuthzPolicy> policy = AuthzPolicy::Parse(GetParam().json);
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(policy.status().message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Policy, ParseErrorTest,
    ::testing::Values(
        ParseError{"NotJson", R"({"name":)", "not JSON: "},
        ParseError{"NotAnObject", R"([])", "policy: must be an object"},
        ParseError{"NoName", R"({"allow_rules":[]})", "policy: needs a \"name\" (a string)"},
        ParseError{"NoAllowRules", R"({"name":"p"})", "policy: needs \"allow_rules\""},
        ParseError{"UnknownTopField", R"({"name":"p","allow_rules":[],"audit":{}})", "policy: unknown field \"audit\""},
        ParseError{"RulesNotAnArray", R"({"name":"p","allow_rules":{}})", "allow_rules: must be an array of rules"},
        ParseError{"RuleWithoutName", R"({"name":"p","allow_rules":[{}]})",
                   "allow_rules[0]: needs a \"name\" (a non-empty string)"},
        ParseError{"DuplicateRuleName", R"({"name":"p","allow_rules":[{"name":"a"},{"name":"a"}]})",
                   "allow_rules[1]: a second rule named \"a\""},
        ParseError{"UnknownRuleField", R"({"name":"p","deny_rules":[{"name":"a","when":1}],"allow_rules":[]})",
                   "deny_rules[0]: unknown field \"when\""},
        ParseError{"UnknownSourceField", R"({"name":"p","allow_rules":[{"name":"a","source":{"namespaces":[]}}]})",
                   "allow_rules[0] (\"a\"): source: unknown field \"namespaces\""},
        ParseError{"PrincipalNotAString", R"({"name":"p","allow_rules":[{"name":"a","source":{"principals":[1]}}]})",
                   "allow_rules[0] (\"a\"): source.principals[0]: must be a string"},
        ParseError{"InnerWildcard", R"({"name":"p","allow_rules":[{"name":"a","request":{"paths":["/a.*/M"]}}]})",
                   "allow_rules[0] (\"a\"): request.paths[0]: only a leading or trailing * is supported"},
        ParseError{"BothWildcards", R"({"name":"p","allow_rules":[{"name":"a","request":{"paths":["*x*"]}}]})",
                   "request.paths[0]: only a leading or trailing * is supported"},
        ParseError{"PathsNotAnArray", R"({"name":"p","allow_rules":[{"name":"a","request":{"paths":"/a.S/M"}}]})",
                   "request.paths: must be an array of strings"},
        ParseError{"HeaderWithoutKey",
                   R"({"name":"p","allow_rules":[{"name":"a","request":{"headers":[{"values":["x"]}]}}]})",
                   "request.headers[0]: needs a \"key\" (a string)"},
        ParseError{"HeaderWithoutValues",
                   R"({"name":"p","allow_rules":[{"name":"a","request":{"headers":[{"key":"x"}]}}]})",
                   "request.headers[0]: needs \"values\""},
        ParseError{"HeaderEmptyValues",
                   R"({"name":"p","allow_rules":[{"name":"a","request":{"headers":[{"key":"x","values":[]}]}}]})",
                   "request.headers[0].values: must not be empty"},
        ParseError{"PseudoHeader",
                   R"({"name":"p","allow_rules":[{"name":"a","request":{"headers":[{"key":":path","values":["x"]}]}}]})",
                   "header \":path\" cannot be matched"},
        ParseError{"GrpcHeader",
                   R"({"name":"p","allow_rules":[{"name":"a","request":{"headers":[{"key":"grpc-timeout","values":["1S"]}]}}]})",
                   "header \"grpc-timeout\" cannot be matched"},
        ParseError{"HostHeader",
                   R"({"name":"p","allow_rules":[{"name":"a","request":{"headers":[{"key":"Host","values":["x"]}]}}]})",
                   "header \"host\" cannot be matched"}),
    [](const ::testing::TestParamInfo<ParseError>& param) { return param.param.name; });

TEST(AuthzPolicyTest, PrincipalNameIsTheSpiffeIdThenDnsThenSubject) {
  EXPECT_EQ(PrincipalName(WithCertificate({kCheckout}, {"checkout.svc"})), kCheckout);
  EXPECT_EQ(PrincipalName(WithCertificate({}, {"checkout.svc"})), "checkout.svc");
  EXPECT_EQ(PrincipalName(WithCertificate({}, {}, "CN=admin")), "CN=admin");
  EXPECT_EQ(PrincipalName(kNoCertificate), "unauthenticated");
  EXPECT_EQ(PrincipalName(kPlaintext), "plaintext");
}

// The README's complete example policy parses and says what its text says.
TEST(AuthzPolicyTest, TheReadmesExamplePolicyMeansWhatTheReadmeSays) {
  std::ifstream file(GATEWAY_TESTDATA_DIR "/../../README.md");
  const std::string readme((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t intro = readme.find("A complete policy:");
  ASSERT_NE(intro, std::string::npos);
  const size_t begin = readme.find("```json\n", intro);
  const size_t end = readme.find("```", begin + 8);
  ASSERT_NE(end, std::string::npos);
  const absl::StatusOr<AuthzPolicy> policy = AuthzPolicy::Parse(readme.substr(begin + 8, end - begin - 8));
  ASSERT_TRUE(policy.ok()) << policy.status();
  const auto allowed = [&](const Peer& peer, const std::string& path, const std::string& environment) {
    const std::map<std::string, std::string> headers = {{"peeker-environment", environment}};
    return policy->Evaluate(peer, {path, headers}).allowed;
  };
  const Peer checkout = WithCertificate({"spiffe://cluster.local/ns/orders/sa/checkout"});
  const Peer reports = WithCertificate({"spiffe://cluster.local/ns/reports/sa/nightly"});
  EXPECT_TRUE(allowed(checkout, "/peeker.partner.v1.OrderService/PlaceOrder", "live"));
  EXPECT_TRUE(allowed(checkout, "/peeker.partner.v1.OrderService/CancelOrder", "live"));
  EXPECT_FALSE(allowed(checkout, "/peeker.partner.v1.UserService/DeleteUser", "live"));
  EXPECT_FALSE(allowed(reports, "/peeker.partner.v1.OrderService/PlaceOrder", "live"));
  EXPECT_TRUE(allowed(reports, "/peeker.partner.v1.OrderService/ListOrders", "live"));
  EXPECT_TRUE(allowed(reports, "/peeker.partner.v1.AccountService/GetAccount", "live"));
  EXPECT_TRUE(allowed(reports, "/peeker.partner.v1.UserService/DeleteUser", "sandbox"));
  EXPECT_FALSE(allowed(kNoCertificate, "/peeker.partner.v1.BundleService/ListBundles", "sandbox"));
  EXPECT_TRUE(allowed(kPlaintext, "/grpc.health.v1.Health/Check", "sandbox"));
}

}  // namespace
}  // namespace gateway::auth
