// A small HTTP router: (method, path template) -> endpoint, where a template
// segment `{name}` matches any non-empty path segment. When several templates
// match a path, the most specific wins (a literal segment beats a parameter,
// compared from the left), so `/domains/import/jobs` shadows
// `/domains/import/{id}`.
#ifndef GATEWAY_SANDBOX_ROUTER_H_
#define GATEWAY_SANDBOX_ROUTER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace gateway::sandbox {

template <typename Endpoint>
class Router {
 public:
  struct Match {
    // Null when no route answers: with `allow` empty the path is unknown
    // (404), otherwise the method is wrong (405) and `allow` lists the right
    // ones, e.g. "GET, PATCH, DELETE".
    const Endpoint* endpoint = nullptr;
    std::vector<std::string> params;  // the `{…}` segments, left to right
    std::string allow;
  };

  // Every template is registered as `prefix` + template.
  explicit Router(std::string prefix) : prefix_(std::move(prefix)) {}

  void Add(std::string method, absl::string_view path_template,
           Endpoint endpoint) {
    const std::vector<std::string> segments =
        absl::StrSplit(absl::StrCat(prefix_, path_template), '/');
    Template* target = nullptr;
    for (Template& t : templates_) {
      if (t.segments == segments) target = &t;
    }
    if (target == nullptr) {
      target = &templates_.emplace_back();
      target->segments = segments;
    }
    target->methods.emplace_back(std::move(method), std::move(endpoint));
  }

  Match Find(const std::string& method, const std::string& path) const {
    const std::vector<absl::string_view> segments = absl::StrSplit(path, '/');
    const Template* best = nullptr;
    std::vector<bool> best_literals;
    std::vector<std::string> best_params;
    for (const Template& t : templates_) {
      if (t.segments.size() != segments.size()) continue;
      std::vector<bool> literals;
      std::vector<std::string> params;
      bool matches = true;
      for (size_t i = 0; i < segments.size() && matches; ++i) {
        const std::string& want = t.segments[i];
        if (IsParameter(want)) {
          matches = !segments[i].empty();
          literals.push_back(false);
          params.emplace_back(segments[i]);
        } else {
          matches = want == segments[i];
          literals.push_back(true);
        }
      }
      if (matches && (best == nullptr || literals > best_literals)) {
        best = &t;
        best_literals = std::move(literals);
        best_params = std::move(params);
      }
    }
    Match match;
    if (best == nullptr) return match;
    std::vector<std::string> allowed;
    for (const auto& [allowed_method, endpoint] : best->methods) {
      if (allowed_method == method) {
        match.endpoint = &endpoint;
        match.params = std::move(best_params);
        return match;
      }
      allowed.push_back(allowed_method);
    }
    match.allow = absl::StrJoin(allowed, ", ");
    return match;
  }

 private:
  struct Template {
    std::vector<std::string> segments;
    std::vector<std::pair<std::string, Endpoint>> methods;
  };

  static bool IsParameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' &&
           segment.back() == '}';
  }

  std::string prefix_;
  std::vector<Template> templates_;
};

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_ROUTER_H_
