#include "sandbox/paging.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gateway::sandbox {
namespace {

constexpr int64_t kDefaultPerPage = 25;
constexpr int64_t kMaxPerPage = 100;
constexpr char kDefaultHost[] = "partner-sandbox";

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), absl::ascii_isdigit);
}

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string QueryEscape(absl::string_view value) {
  std::string out;
  for (char c : value) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(c);
    } else {
      absl::StrAppend(&out, "%",
                      absl::AsciiStrToUpper(absl::StrCat(absl::Hex(
                          static_cast<uint8_t>(c), absl::kZeroPad2))));
    }
  }
  return out;
}

std::string QueryString(
    const std::vector<std::pair<std::string, std::string>>& params) {
  return absl::StrJoin(params, "&", [](std::string* out, const auto& param) {
    absl::StrAppend(out, param.first, "=", QueryEscape(param.second));
  });
}

// Ties a token to one list: the path plus the filters.
std::string Fingerprint(const ApiRequest& request, const Filters& filters) {
  return absl::StrCat(absl::Hex(Fnv1a32(absl::StrCat(
      request.path, "?", QueryString(filters.items())))));
}

std::string EncodeToken(size_t start, const std::string& fingerprint) {
  return absl::WebSafeBase64Escape(absl::StrCat(start, ":", fingerprint));
}

// The record index a token resumes at, or nullopt when it does not decode
// or belongs to another list.
std::optional<size_t> DecodeToken(const std::string& token,
                                  const std::string& fingerprint,
                                  size_t count) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return std::nullopt;
  const std::vector<absl::string_view> parts = absl::StrSplit(raw, ':');
  size_t start = 0;
  if (parts.size() != 2 || !IsDigits(parts[0]) ||
      !absl::SimpleAtoi(parts[0], &start) || parts[1] != fingerprint ||
      start > count) {
    return std::nullopt;
  }
  return start;
}

}  // namespace

std::optional<ApiError> Filters::Read(const ApiRequest& request,
                                      std::initializer_list<Spec> specs,
                                      Filters* out) {
  for (const Spec& spec : specs) {
    auto it = request.query.find(spec.name);
    if (it == request.query.end()) continue;
    if (!spec.allowed.empty() &&
        std::find(spec.allowed.begin(), spec.allowed.end(), it->second) ==
            spec.allowed.end()) {
      return Invalid(spec.name,
                     absl::StrCat(spec.name, " must be one of ",
                                  absl::StrJoin(spec.allowed, ", ")));
    }
    out->items_.emplace_back(spec.name, it->second);
  }
  return std::nullopt;
}

void Filters::SetDefault(const std::string& name, const std::string& value) {
  if (Get(name) == nullptr) items_.emplace_back(name, value);
}

const std::string* Filters::Get(absl::string_view name) const {
  for (const auto& [key, value] : items_) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool Filters::Allows(absl::string_view name, absl::string_view value) const {
  const std::string* want = Get(name);
  return want == nullptr || *want == value;
}

bool Filters::AllowsIgnoringCase(absl::string_view name,
                                 absl::string_view value) const {
  const std::string* want = Get(name);
  return want == nullptr || absl::EqualsIgnoreCase(*want, value);
}

ApiResponse ListPage(const ApiRequest& request, const Filters& filters,
                     size_t count,
                     const std::function<std::optional<json>(size_t)>& row) {
  int64_t per_page = kDefaultPerPage;
  if (auto it = request.query.find("per_page"); it != request.query.end()) {
    if (!IsDigits(it->second) || it->second.size() > 3 ||
        !absl::SimpleAtoi(it->second, &per_page) || per_page < 1 ||
        per_page > kMaxPerPage) {
      return ErrorResponse(Invalid(
          "per_page",
          absl::StrCat("per_page must be an integer from 1 to ", kMaxPerPage)));
    }
  }
  const std::string fingerprint = Fingerprint(request, filters);
  size_t index = 0;
  if (auto it = request.query.find("page_token"); it != request.query.end()) {
    const std::optional<size_t> start =
        DecodeToken(it->second, fingerprint, count);
    if (!start) {
      return ErrorResponse(Invalid(
          "page_token",
          "page_token is not a token of this list; take it from links.next"));
    }
    index = *start;
  }

  json data = json::array();
  for (; index < count && std::cmp_less(data.size(), per_page); ++index) {
    if (std::optional<json> item = row(index)) data.push_back(*std::move(item));
  }
  size_t rest = index;
  while (rest < count && !row(rest)) ++rest;

  auto host = request.headers.find("host");
  const std::string path =
      absl::StrCat("http://",
                   host == request.headers.end() || host->second.empty()
                       ? kDefaultHost
                       : host->second,
                   request.path);
  std::vector<std::pair<std::string, std::string>> params = filters.items();
  params.emplace_back("per_page", absl::StrCat(per_page));
  const std::string first = absl::StrCat(path, "?", QueryString(params));
  json next = nullptr;
  if (rest < count) {
    next = absl::StrCat(first, "&page_token=",
                        QueryEscape(EncodeToken(index, fingerprint)));
  }
  return JsonResponse(
      200, json{{"data", data},
                {"links", {{"first", first}, {"next", next}}},
                {"meta",
                 {{"path", path},
                  {"per_page", per_page},
                  {"returned", data.size()}}}});
}

}  // namespace gateway::sandbox
