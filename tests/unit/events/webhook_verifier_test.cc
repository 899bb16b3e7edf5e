// Known-answer tests for webhook signatures. The expected digests were
// computed independently:
//   printf '%s' '1767225600.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_test
#include "server/events/webhook_verifier.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gateway::events {
namespace {

namespace v1 = ::peeker::partner::v1;

constexpr char kBody[] = R"({"id":"evt_1"})";
constexpr char kTimestamp[] = "1767225600";
const absl::Time kSigned = absl::FromUnixSeconds(1767225600);
constexpr char kTimestampAndBodyDigest[] = "45b40331de0325606dc5400202ade162460fbe48daf9401adfdcd0d7b4f35470";
constexpr char kBodyDigest[] = "030fa3b2413d1993c551364bd53bb9b3edb5c0c34d55dba6ada6041245632811";
constexpr char kOldSecretDigest[] = "cc8eec4a38fd1fcbf2239fdfaa2af6db3f6cd83419e90882421c22d9dc23ba8c";

std::shared_ptr<common::SecretFile> SecretFileWith(const std::string& name, const std::string& content) {
  // Per process: test binaries run in parallel and share the temp dir.
  const std::string path = absl::StrCat(::testing::TempDir(), "/", ::getpid(), "-", name);
  std::ofstream(path) << content;
  auto file = common::SecretFile::Open(path);
  EXPECT_TRUE(file.ok()) << file.status();
  return *std::move(file);
}

WebhookVerifier Verifier(SignedPayload payload, const std::string& sandbox_secrets,
                         const std::string& live_secrets = "") {
  WebhookVerifier::Options options;
  options.payload = payload;
  options.secrets.push_back({v1::ENVIRONMENT_SANDBOX, SecretFileWith("sandbox.secret", sandbox_secrets)});
  if (!live_secrets.empty()) {
    options.secrets.push_back({v1::ENVIRONMENT_LIVE, SecretFileWith("live.secret", live_secrets)});
  }
  return WebhookVerifier(std::move(options));
}

struct Outcome {
  bool ok;
  v1::Environment environment;
  Rejection reason;
};

Outcome Check(const WebhookVerifier& verifier, const std::string& timestamp, const std::string& signature,
            const std::string& body = kBody, absl::Time now = kSigned) {
  Rejection reason = Rejection::kStoreFailed;  // Not a verifier reason: shows it was set.
  auto result = verifier.Verify(timestamp, signature, body, now, &reason);
  return {result.ok(), result.value_or(v1::ENVIRONMENT_UNSPECIFIED), reason};
}

TEST(WebhookVerifierTest, SignMatchesTheKnownAnswers) {
  EXPECT_EQ(WebhookVerifier::Sign("whsec_test", SignedPayload::kTimestampAndBody, kTimestamp, kBody),
            std::string("v1=") + kTimestampAndBodyDigest);
  EXPECT_EQ(WebhookVerifier::Sign("whsec_test", SignedPayload::kBody, kTimestamp, kBody),
            std::string("v1=") + kBodyDigest);
}

TEST(WebhookVerifierTest, TimestampAndBodyMode) {
  const WebhookVerifier verifier = Verifier(SignedPayload::kTimestampAndBody, "whsec_test");
  const Outcome outcome = Check(verifier, kTimestamp, std::string("v1=") + kTimestampAndBodyDigest);
  EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.environment, v1::ENVIRONMENT_SANDBOX);
  // The body-only digest is not valid in this mode.
  EXPECT_EQ(Check(verifier, kTimestamp, std::string("v1=") + kBodyDigest).reason, Rejection::kSignatureMismatch);
}

TEST(WebhookVerifierTest, BodyMode) {
  const WebhookVerifier verifier = Verifier(SignedPayload::kBody, "whsec_test");
  EXPECT_TRUE(Check(verifier, kTimestamp, std::string("v1=") + kBodyDigest).ok);
  EXPECT_EQ(Check(verifier, kTimestamp, std::string("v1=") + kTimestampAndBodyDigest).reason,
            Rejection::kSignatureMismatch);
}

TEST(WebhookVerifierTest, UppercaseHexIsAccepted) {
  std::string digest = kTimestampAndBodyDigest;
  for (char& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(Check(Verifier(SignedPayload::kTimestampAndBody, "whsec_test"), kTimestamp, "v1=" + digest).ok);
}

TEST(WebhookVerifierTest, RotationAcceptsEverySecretAndEveryV1Value) {
  // Two secrets in one file (old and new), one line each.
  const WebhookVerifier verifier = Verifier(SignedPayload::kTimestampAndBody, "whsec_test\nwhsec_old\n");
  EXPECT_TRUE(Check(verifier, kTimestamp, std::string("v1=") + kOldSecretDigest).ok);
  EXPECT_TRUE(Check(verifier, kTimestamp, std::string("v1=") + kTimestampAndBodyDigest).ok);
  // Several values in one header, the good one last, other schemes ignored.
  const std::string header = std::string("v0=abc, v1=") + std::string(64, '0') + ",v1=" + kOldSecretDigest;
  EXPECT_TRUE(Check(verifier, kTimestamp, header).ok);
}

TEST(WebhookVerifierTest, TheMatchingSecretTellsTheEnvironment) {
  const WebhookVerifier verifier = Verifier(SignedPayload::kTimestampAndBody, "whsec_sandbox_only", "whsec_test");
  const Outcome outcome = Check(verifier, kTimestamp, std::string("v1=") + kTimestampAndBodyDigest);
  EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.environment, v1::ENVIRONMENT_LIVE);
}

TEST(WebhookVerifierTest, WrongSecretIsAMismatch) {
  EXPECT_EQ(Check(Verifier(SignedPayload::kTimestampAndBody, "whsec_other"), kTimestamp,
                std::string("v1=") + kTimestampAndBodyDigest)
                .reason,
            Rejection::kSignatureMismatch);
}

TEST(WebhookVerifierTest, TamperedBodyOrTimestampIsAMismatch) {
  const WebhookVerifier verifier = Verifier(SignedPayload::kTimestampAndBody, "whsec_test");
  const std::string signature = std::string("v1=") + kTimestampAndBodyDigest;
  EXPECT_EQ(Check(verifier, kTimestamp, signature, R"({"id":"evt_2"})").reason, Rejection::kSignatureMismatch);
  EXPECT_EQ(Check(verifier, "1767225601", signature, kBody, kSigned).reason, Rejection::kSignatureMismatch);
}

TEST(WebhookVerifierTest, StaleAndFutureTimestampsAreOutsideTheWindow) {
  const WebhookVerifier verifier = Verifier(SignedPayload::kTimestampAndBody, "whsec_test");
  const std::string signature = std::string("v1=") + kTimestampAndBodyDigest;
  EXPECT_TRUE(Check(verifier, kTimestamp, signature, kBody, kSigned + absl::Seconds(300)).ok);
  EXPECT_TRUE(Check(verifier, kTimestamp, signature, kBody, kSigned - absl::Seconds(300)).ok);
  EXPECT_EQ(Check(verifier, kTimestamp, signature, kBody, kSigned + absl::Seconds(301)).reason,
            Rejection::kTimestampOutsideWindow);
  EXPECT_EQ(Check(verifier, kTimestamp, signature, kBody, kSigned - absl::Seconds(301)).reason,
            Rejection::kTimestampOutsideWindow);
}

TEST(WebhookVerifierTest, MalformedHeadersAreRefusedWithTheirReason) {
  const WebhookVerifier verifier = Verifier(SignedPayload::kTimestampAndBody, "whsec_test");
  const std::string signature = std::string("v1=") + kTimestampAndBodyDigest;
  EXPECT_EQ(Check(verifier, "", signature).reason, Rejection::kMissingHeader);
  EXPECT_EQ(Check(verifier, kTimestamp, "").reason, Rejection::kMissingHeader);
  for (const char* timestamp : {"soon", "-5", "1767225600.5", "99999999999999"}) {
    EXPECT_EQ(Check(verifier, timestamp, signature).reason, Rejection::kBadTimestamp) << timestamp;
  }
  for (const char* header : {"sha256=abc", "v1=", "v1=zz", "v1=1234", "45b40331de0325606dc5400202ade162"}) {
    EXPECT_EQ(Check(verifier, kTimestamp, header).reason, Rejection::kBadSignatureHeader) << header;
  }
}

}  // namespace
}  // namespace gateway::events
