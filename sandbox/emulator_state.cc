#include "sandbox/emulator_state.h"

#include <algorithm>

namespace gateway::sandbox {
namespace {

// Crockford base32 (upper-case, no I L O U), as ULIDs use.
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void AppendBase32(uint64_t value, int chars, std::string* out) {
  std::string buf(static_cast<size_t>(chars), '0');
  for (int i = chars - 1; i >= 0; --i) {
    buf[static_cast<size_t>(i)] = kCrockford[value & 31u];
    value >>= 5;
  }
  out->append(buf);
}

}  // namespace

std::string EmulatorState::NewId(absl::string_view prefix, absl::Time now) {
  const int64_t ms = std::max<int64_t>(0, absl::ToUnixMillis(now));
  std::string id(prefix);
  AppendBase32(static_cast<uint64_t>(ms) & ((uint64_t{1} << 48) - 1), 10, &id);
  AppendBase32(++id_counter_, 16, &id);
  return id;
}

void EmulatorState::At(absl::Time when,
                       std::function<void(EmulatorState&)> transition) {
  timers_.emplace(when, std::move(transition));
}

void EmulatorState::Settle(absl::Time now) {
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto node = timers_.extract(timers_.begin());
    node.mapped()(*this);
  }
}

}  // namespace gateway::sandbox
