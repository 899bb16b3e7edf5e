// Shared by the mapping tests of server/partner: stored Partner answers
// (tests/testdata/partner/), requests written as text protos, and the fields
// an endpoint's validation rejects.
#ifndef TESTS_UNIT_PARTNER_API_TEST_UTIL_H_
#define TESTS_UNIT_PARTNER_API_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/text_format.h"
#include "google/rpc/error_details.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/common/status_details.h"
#include "server/partner/endpoint.h"

namespace gateway::partner {

// The `data` member of a stored Partner answer (or the whole file when it
// has none, e.g. a request body). `name` is relative to testdata/partner/.
inline nlohmann::json Data(const std::string& name) {
  std::ifstream file(std::string(GATEWAY_TESTDATA_DIR) + "/partner/" + name);
  std::stringstream text;
  text << file.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(json.is_discarded()) << name;
  return json.is_object() && json.contains("data") ? json["data"] : json;
}

template <typename Message>
Message Parse(const std::string& text) {
  Message message;
  // Merge: a later value of a singular field replaces an earlier one, so cases
  // can edit a base message by appending to its text.
  EXPECT_TRUE(google::protobuf::TextFormat::MergeFromString(text, &message)) << text;
  return message;
}

// The fields named by the BadRequest of `status`, in order.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  if (auto bad_request = common::GetDetail<google::rpc::BadRequest>(status)) {
    for (const auto& violation : bad_request->field_violations()) fields.push_back(violation.field());
  }
  return fields;
}

// The fields `endpoint` rejects in `request`, in order; empty when valid.
template <typename Request, typename Reply>
std::vector<std::string> Violated(const Endpoint<Request, Reply>& endpoint, const Request& request) {
  const absl::Status status = endpoint.validate(request);
  if (!status.ok()) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_FALSE(ViolatedFields(status).empty()) << status;
  }
  return ViolatedFields(status);
}

template <typename Request, typename Reply>
std::vector<std::string> Violated(const Endpoint<Request, Reply>& endpoint, const std::string& text) {
  return Violated(endpoint, Parse<Request>(text));
}

// A validation test case: a request in text format and the fields it
// violates, in order (empty: valid).
struct Case {
  const char* name;
  std::string request;
  std::vector<std::string> fields;
};
inline std::string Name(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

template <typename Request, typename Reply>
void ExpectEndpoint(const Endpoint<Request, Reply>& endpoint, const std::string& method, const std::string& route,
                    Idempotency idempotency) {
  EXPECT_EQ(endpoint.method, method) << route;
  EXPECT_EQ(endpoint.route, route);
  EXPECT_EQ(endpoint.idempotency, idempotency) << route;
}

// A decoding test case: the stored answer `file` with the member at JSON
// pointer `pointer` replaced by `value` (JSON; "-" removes the member) must
// fail to decode, with `error` in the message.
struct WrongShape {
  const char* name;
  const char* file;
  const char* pointer;
  const char* value;
  const char* error;
};

// The stored answer of `wrong` (under `dir`), altered as it says.
inline nlohmann::json Altered(const std::string& dir, const WrongShape& wrong) {
  nlohmann::json data = Data(dir + wrong.file);
  const nlohmann::json::json_pointer pointer(wrong.pointer);
  const nlohmann::json value = nlohmann::json::parse(wrong.value, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    data.at(pointer.parent_pointer()).erase(pointer.back());
  } else {
    data[pointer] = value;
  }
  return data;
}

inline void ExpectDecodingFails(const absl::Status& status, const WrongShape& wrong) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << wrong.name;
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr(wrong.error)) << wrong.name;
}

}  // namespace gateway::partner

#endif  // TESTS_UNIT_PARTNER_API_TEST_UTIL_H_
