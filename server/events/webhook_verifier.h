// Verifies the Partner's webhook signatures: `Peeker-Signature: v1=<hex
// HMAC-SHA256>` over the signed payload, with `Peeker-Timestamp` inside a
// window around now. Which bytes are signed is undocumented (CONTRACT.md
// §10, §11.1), so it is configurable; several `v1=` values and several
// secrets per environment are accepted, for rotation.
#ifndef SERVER_EVENTS_WEBHOOK_VERIFIER_H_
#define SERVER_EVENTS_WEBHOOK_VERIFIER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "peeker/partner/v1/common.pb.h"
#include "server/common/secret.h"
#include "server/events/rejection.h"

namespace gateway::events {

// The bytes the HMAC covers.
enum class SignedPayload {
  // "{Peeker-Timestamp}.{raw body}" — the default: it binds the timestamp,
  // so a captured delivery cannot be replayed outside the window.
  kTimestampAndBody,
  // The raw body alone.
  kBody,
};

// A webhook secret file of one environment. Each non-empty line of the file
// is one accepted secret, so a rotation lists the new and the old secret
// until the Partner signs with the new one only.
struct WebhookSecretFile {
  peeker::partner::v1::Environment environment = peeker::partner::v1::ENVIRONMENT_UNSPECIFIED;
  std::shared_ptr<common::SecretFile> file;
};

class WebhookVerifier {
 public:
  struct Options {
    SignedPayload payload = SignedPayload::kTimestampAndBody;
    // How far `Peeker-Timestamp` may be from now, in either direction.
    absl::Duration window = absl::Seconds(300);
    std::vector<WebhookSecretFile> secrets;
  };

  explicit WebhookVerifier(Options options) : options_(std::move(options)) {}

  // The environment whose secret signed `body`, or the reason the delivery
  // is refused (kMissingHeader, kBadTimestamp, kTimestampOutsideWindow,
  // kBadSignatureHeader, kSignatureMismatch). Compares in constant time.
  absl::StatusOr<peeker::partner::v1::Environment> Verify(absl::string_view timestamp_header,
                                                          absl::string_view signature_header, absl::string_view body,
                                                          absl::Time now, Rejection* reason) const;

  // `v1=<hex>` for `body` signed with `secret` at `timestamp` (the header
  // value) in `payload` mode: what the Partner sends. For tests and the
  // sandbox.
  static std::string Sign(absl::string_view secret, SignedPayload payload, absl::string_view timestamp,
                          absl::string_view body);

 private:
  const Options options_;
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_WEBHOOK_VERIFIER_H_
