// Paging of every list endpoint (CONTRACT.md section 6): `per_page` (1..100,
// default 25) and an opaque `page_token`, answered with
// {"data":[…], "links":{"first","next"}, "meta":{"path","per_page","returned"}}.
#ifndef GATEWAY_SANDBOX_PAGING_H_
#define GATEWAY_SANDBOX_PAGING_H_

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "sandbox/api_types.h"
#include "sandbox/json_util.h"

namespace gateway::sandbox {

// A list endpoint's filters as the query string gave them, in the order the
// endpoint declares them (the order the links echo them in).
class Filters {
 public:
  struct Spec {
    const char* name;
    // Empty: free text. Otherwise the only values accepted (400 naming the
    // filter for any other).
    std::vector<absl::string_view> allowed = {};
  };

  // The filters of `specs` present in the request's query.
  static std::optional<ApiError> Read(const ApiRequest& request,
                                      std::initializer_list<Spec> specs,
                                      Filters* out);

  // Sets `name` when the query did not (a default that links echo).
  void SetDefault(const std::string& name, const std::string& value);
  // The value of `name`, or nullptr when not filtered on.
  const std::string* Get(absl::string_view name) const;
  // True when `name` is not filtered on or equals `value`.
  bool Allows(absl::string_view name, absl::string_view value) const;
  // The same, comparing ASCII case-insensitively (emails).
  bool AllowsIgnoringCase(absl::string_view name, absl::string_view value) const;

  const std::vector<std::pair<std::string, std::string>>& items() const {
    return items_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// The one paging helper. Records are numbered 0..count-1 in creation order;
// `row(i)` is record i's JSON when it passes the filters, nullopt otherwise.
// Reads per_page and page_token from the request (400 naming either when
// bad; a token only fits the list path and filters it was made for) and
// builds the page with links on http://<Host header>.
ApiResponse ListPage(const ApiRequest& request, const Filters& filters,
                     size_t count,
                     const std::function<std::optional<json>(size_t)>& row);

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_PAGING_H_
