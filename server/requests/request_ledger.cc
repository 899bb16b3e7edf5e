#include "server/requests/request_ledger.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_format.h"

namespace gateway::requests {

std::string NewToken() {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* const random = new absl::BitGen();
  absl::MutexLock lock(&mu);
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(*random), absl::Uniform<uint64_t>(*random));
}

}  // namespace gateway::requests
