// The Python client connects to a gateway that requires mutual TLS, with
// certificates made at test time (tests/clients/mutual_tls.py does the calls).
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/pki.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

using ::testing::HasSubstr;

TEST(PythonClientTest, ConnectsWithMutualTlsThroughItsPublicApi) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/python-mutual-tls-", ::getpid());
  auto pki = Pki::Make(dir, "python");
  ASSERT_TRUE(pki.ok()) << pki.status();
  auto server = pki->Server("server");
  auto client = pki->Client("client", "spiffe://peeker.test/ns/python/sa/client");
  ASSERT_TRUE(server.ok() && client.ok());
  Stack::Options options;
  options.gateway_args = {"--grpc-tls-cert-file", server->cert_file, "--grpc-tls-key-file", server->key_file,
                          "--grpc-client-ca-file", pki->ca_file()};
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();

  auto python = ChildProcess::Start({PYTHON_BIN, MUTUAL_TLS_PY, "--gateway", (*stack)->gateway_target(), "--ca",
                                     pki->ca_file(), "--cert", client->cert_file, "--key", client->key_file});
  ASSERT_TRUE(python.ok()) << python.status();
  const std::optional<int> code = (*python)->Wait(absl::Seconds(60));
  const std::string output = (*python)->Output();
  EXPECT_EQ(code, 0) << output;
  EXPECT_THAT(output, HasSubstr("sync: ListBundles OK\naio: ListBundles OK\nno client certificate: UNAVAILABLE\n"));
}

}  // namespace
}  // namespace gateway::testing
