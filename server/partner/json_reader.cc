#include "server/partner/json_reader.h"

#include <atomic>

namespace gateway::partner {
namespace {

std::atomic<int64_t> unknown_fields{0};
std::atomic<int64_t> unknown_enum_values{0};

}  // namespace

namespace internal {

void CountUnknownFields(int64_t count) { unknown_fields.fetch_add(count, std::memory_order_relaxed); }
void CountUnknownEnumValue() { unknown_enum_values.fetch_add(1, std::memory_order_relaxed); }

}  // namespace internal

Tolerated ToleratedSoFar() {
  Tolerated tolerated;
  tolerated.unknown_fields = unknown_fields.load(std::memory_order_relaxed);
  tolerated.unknown_enum_values = unknown_enum_values.load(std::memory_order_relaxed);
  return tolerated;
}

}  // namespace gateway::partner
