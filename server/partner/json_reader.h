// Reading untrusted Partner JSON into protos: type-checked member access
// that names the path of the first bad field, lenient enums, and counters of
// what was tolerated (members nobody read, enum values nobody knows).
#ifndef SERVER_PARTNER_JSON_READER_H_
#define SERVER_PARTNER_JSON_READER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "nlohmann/json.hpp"

namespace gateway::partner {

// One enum value and its name in Partner JSON.
template <typename E>
struct EnumName {
  const char* name;
  E value;
};

namespace internal {
void CountUnknownFields(int64_t count);
void CountUnknownEnumValue();
}  // namespace internal

// Unknown names decode to the zero value: the Partner may add states.
template <typename E, size_t N>
E EnumFromName(const std::string& name, const EnumName<E> (&names)[N]) {
  for (const EnumName<E>& entry : names) {
    if (name == entry.name) return entry.value;
  }
  if (!name.empty()) internal::CountUnknownEnumValue();
  return static_cast<E>(0);
}

// The Partner's name of `value`; nullptr for a value without one (the
// `_UNSPECIFIED` zero).
template <typename E, size_t N>
const char* EnumToName(E value, const EnumName<E> (&names)[N]) {
  for (const EnumName<E>& entry : names) {
    if (value == entry.value) return entry.name;
  }
  return nullptr;
}

// Reads the members of one JSON object. The first type error wins and is
// kept in `*error`, shared by the nested readers of one decode; after an
// error every read returns a default, so a decoder reads straight through and
// checks the error once at the end.
class Reader {
 public:
  Reader(const nlohmann::json& value, std::string path, absl::Status* error)
      : value_(value), path_(std::move(path)), error_(error) {
    if (!value_.is_object()) Fail(path_, "is not an object");
  }

  // Counts the members nothing asked for.
  ~Reader() {
    if (!error_->ok()) return;
    int64_t unread = 0;
    for (const auto& [key, unused] : value_.items()) {
      if (std::find(read_.begin(), read_.end(), key) == read_.end()) ++unread;
    }
    internal::CountUnknownFields(unread);
  }

  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  std::string String(const char* key, bool required = false) {
    return OptionalString(key, required).value_or("");
  }

  std::optional<std::string> OptionalString(const char* key, bool required = false) {
    const nlohmann::json* member = Member(key, required);
    if (member == nullptr) return std::nullopt;
    if (!member->is_string()) return Fail(PathOf(key), "is not a string"), std::nullopt;
    return member->get<std::string>();
  }

  std::optional<int64_t> OptionalInt64(const char* key) {
    const nlohmann::json* member = Member(key);
    if (member == nullptr) return std::nullopt;
    if (!member->is_number_integer() ||
        (member->is_number_unsigned() && member->get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()})) {
      return Fail(PathOf(key), "is not an integer"), std::nullopt;
    }
    return member->get<int64_t>();
  }

  int64_t Int64(const char* key) { return OptionalInt64(key).value_or(0); }

  std::optional<int32_t> OptionalInt32(const char* key) {
    std::optional<int64_t> value = OptionalInt64(key);
    if (!value.has_value()) return std::nullopt;
    if (*value < std::numeric_limits<int32_t>::min() || *value > std::numeric_limits<int32_t>::max()) {
      return Fail(PathOf(key), "is out of range"), std::nullopt;
    }
    return static_cast<int32_t>(*value);
  }

  int32_t Int32(const char* key) { return OptionalInt32(key).value_or(0); }

  bool Bool(const char* key) {
    const nlohmann::json* member = Member(key);
    if (member == nullptr) return false;
    if (!member->is_boolean()) return Fail(PathOf(key), "is not a boolean"), false;
    return member->get<bool>();
  }

  template <typename E, size_t N>
  E Enum(const char* key, const EnumName<E> (&names)[N]) {
    return EnumFromName(String(key), names);
  }

  std::optional<google::protobuf::Timestamp> Timestamp(const char* key) {
    std::optional<std::string> text = OptionalString(key);
    if (!text.has_value()) return std::nullopt;
    absl::Time time;
    std::string parse_error;
    if (!absl::ParseTime(absl::RFC3339_full, *text, &time, &parse_error)) {
      return Fail(PathOf(key), "is not an RFC 3339 time"), std::nullopt;
    }
    google::protobuf::Timestamp timestamp;
    timestamp.set_seconds(absl::ToUnixSeconds(time));
    timestamp.set_nanos(
        static_cast<int32_t>((time - absl::FromUnixSeconds(timestamp.seconds())) / absl::Nanoseconds(1)));
    return timestamp;
  }

  // Calls `read(reader)` with a reader over member `key` when it is present.
  template <typename Fn>
  void Object(const char* key, Fn read) {
    const nlohmann::json* member = Member(key);
    if (member == nullptr) return;
    Reader nested(*member, PathOf(key), error_);
    if (error_->ok()) read(nested);
  }

  // Calls `read(element, path)` for each element of array member `key`.
  template <typename Fn>
  void Array(const char* key, Fn read) {
    const nlohmann::json* member = Member(key);
    if (member == nullptr) return;
    if (!member->is_array()) return Fail(PathOf(key), "is not an array");
    for (size_t i = 0; i < member->size() && error_->ok(); ++i) {
      read((*member)[i], absl::StrCat(PathOf(key), "[", i, "]"));
    }
  }

  // Calls `read(reader)` for each element of an array of objects.
  template <typename Fn>
  void Objects(const char* key, Fn read) {
    Array(key, [&](const nlohmann::json& element, std::string path) {
      Reader nested(element, std::move(path), error_);
      if (error_->ok()) read(nested);
    });
  }

  // Calls `add(string)` for each element of an array of strings.
  template <typename Fn>
  void Strings(const char* key, Fn add) {
    Array(key, [&](const nlohmann::json& element, const std::string& path) {
      if (!element.is_string()) return Fail(path, "is not a string");
      add(element.get<std::string>());
    });
  }

 private:
  // The member, or nullptr when absent or null (or after an error).
  const nlohmann::json* Member(const char* key, bool required = false) {
    if (!error_->ok()) return nullptr;
    read_.emplace_back(key);
    auto it = value_.find(key);
    if (it == value_.end() || it->is_null()) {
      if (required) Fail(PathOf(key), "is missing");
      return nullptr;
    }
    return &*it;
  }

  std::string PathOf(const char* key) const { return absl::StrCat(path_, ".", key); }

  std::vector<std::string> read_;  // Keys asked for, present or not.

  void Fail(const std::string& path, const char* what) {
    if (error_->ok()) *error_ = absl::InternalError(absl::StrCat("field `", path, "` ", what));
  }

  const nlohmann::json& value_;
  const std::string path_;
  absl::Status* const error_;
};

// `value` when `error` is OK, else `error`: the end of every decoder.
template <typename T>
absl::StatusOr<T> Finish(absl::Status error, T value) {
  if (!error.ok()) return error;
  return value;
}

inline nlohmann::json StringArray(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return nlohmann::json(std::vector<std::string>(values.begin(), values.end()));
}

// What the decoders have tolerated so far in this process: members of a
// Partner object they do not read (a field added upstream), and enum values
// they do not know (decoded as `_UNSPECIFIED`). For /metrics.
struct Tolerated {
  int64_t unknown_fields = 0;
  int64_t unknown_enum_values = 0;
};
Tolerated ToleratedSoFar();

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_JSON_READER_H_
