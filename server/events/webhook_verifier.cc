#include "server/events/webhook_verifier.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gateway::events {
namespace {

namespace v1 = ::peeker::partner::v1;

using Digest = std::array<unsigned char, 32>;

Digest Hmac(absl::string_view secret, SignedPayload payload, absl::string_view timestamp, absl::string_view body) {
  std::string prefixed;
  absl::string_view message = body;
  if (payload == SignedPayload::kTimestampAndBody) {
    prefixed = absl::StrCat(timestamp, ".", body);
    message = prefixed;
  }
  Digest digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length);
  return digest;
}

template <typename Predicate>
bool All(absl::string_view text, Predicate predicate) {
  return std::all_of(text.begin(), text.end(), [&](char c) { return predicate(static_cast<unsigned char>(c)); });
}

// The v1 digests of a `Peeker-Signature` header: entries `scheme=value`
// separated by commas and/or spaces; other schemes are ignored, malformed v1
// values too.
std::vector<Digest> V1Digests(absl::string_view header) {
  std::vector<Digest> digests;
  for (absl::string_view entry : absl::StrSplit(header, absl::ByAnyChar(", "), absl::SkipEmpty())) {
    absl::string_view value = entry;
    if (!absl::ConsumePrefix(&value, "v1=") || value.size() != 64 || !All(value, absl::ascii_isxdigit)) continue;
    const std::string bytes = absl::HexStringToBytes(value);
    Digest digest{};
    std::copy(bytes.begin(), bytes.end(), digest.begin());
    digests.push_back(digest);
  }
  return digests;
}

absl::Status Refuse(Rejection reason, Rejection* out, absl::string_view message) {
  *out = reason;
  return absl::UnauthenticatedError(message);
}

}  // namespace

absl::StatusOr<v1::Environment> WebhookVerifier::Verify(absl::string_view timestamp_header,
                                                        absl::string_view signature_header, absl::string_view body,
                                                        absl::Time now, Rejection* reason) const {
  if (timestamp_header.empty()) return Refuse(Rejection::kMissingHeader, reason, "Peeker-Timestamp is missing");
  if (signature_header.empty()) return Refuse(Rejection::kMissingHeader, reason, "Peeker-Signature is missing");
  int64_t seconds = 0;
  if (timestamp_header.size() > 12 || !All(timestamp_header, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(timestamp_header, &seconds) || seconds < 0) {
    return Refuse(Rejection::kBadTimestamp, reason, "Peeker-Timestamp is not Unix seconds");
  }
  const absl::Duration skew = now - absl::FromUnixSeconds(seconds);
  if (absl::AbsDuration(skew) > options_.window) {
    return Refuse(Rejection::kTimestampOutsideWindow, reason,
                  absl::StrCat("Peeker-Timestamp is ", absl::FormatDuration(absl::Trunc(skew, absl::Seconds(1))),
                               " from now; at most ", absl::FormatDuration(options_.window), " is accepted"));
  }
  const std::vector<Digest> given = V1Digests(signature_header);
  if (given.empty()) {
    return Refuse(Rejection::kBadSignatureHeader, reason, "Peeker-Signature has no v1=<64 hex digits> value");
  }
  // Every secret and every given value is compared, so the time taken does
  // not tell which one matched.
  v1::Environment matched = v1::ENVIRONMENT_UNSPECIFIED;
  for (const WebhookSecretFile& source : options_.secrets) {
    const common::Secret secrets = source.file->Current();
    for (absl::string_view line : absl::StrSplit(secrets.Reveal(), '\n')) {
      const absl::string_view secret = absl::StripAsciiWhitespace(line);
      if (secret.empty()) continue;
      const Digest expected = Hmac(secret, options_.payload, timestamp_header, body);
      for (const Digest& digest : given) {
        if (CRYPTO_memcmp(expected.data(), digest.data(), expected.size()) == 0 &&
            matched == v1::ENVIRONMENT_UNSPECIFIED) {
          matched = source.environment;
        }
      }
    }
  }
  if (matched == v1::ENVIRONMENT_UNSPECIFIED) {
    return Refuse(Rejection::kSignatureMismatch, reason, "Peeker-Signature matches no configured webhook secret");
  }
  return matched;
}

std::string WebhookVerifier::Sign(absl::string_view secret, SignedPayload payload, absl::string_view timestamp,
                                  absl::string_view body) {
  const Digest digest = Hmac(secret, payload, timestamp, body);
  return absl::StrCat("v1=", absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest.data()),
                                                                      digest.size())));
}

}  // namespace gateway::events
