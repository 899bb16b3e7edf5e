#include "sandbox/rules.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "sandbox/json_util.h"

namespace gateway::sandbox {
namespace {

std::vector<std::string> SplitLabels(const std::string& name) {
  return absl::StrSplit(name, '.');
}

// Registrable roots: two labels, or three when the last two are one of the
// (deliberately tiny) set of two-part public suffixes we know about.
bool IsRootDomain(const std::string& name) {
  const std::vector<std::string> labels = SplitLabels(name);
  if (labels.size() <= 2) return true;
  if (labels.size() == 3) {
    const std::string suffix = absl::StrCat(labels[1], ".", labels[2]);
    return suffix == "co.uk" || suffix == "com.au";
  }
  return false;
}

// Dotted-quad IPv4 in one of the private or loopback ranges.
bool IsPrivateIpv4(const std::string& host) {
  const std::vector<absl::string_view> parts = absl::StrSplit(host, '.');
  if (parts.size() != 4) return false;
  int octets[4];
  for (size_t i = 0; i < 4; ++i) {
    if (parts[i].empty() || parts[i].size() > 3 ||
        !std::all_of(parts[i].begin(), parts[i].end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(parts[i], &octets[i]) || octets[i] > 255) {
      return false;
    }
  }
  return octets[0] == 10 || octets[0] == 127 ||
         (octets[0] == 172 && octets[1] >= 16 && octets[1] <= 31) ||
         (octets[0] == 192 && octets[1] == 168);
}

}  // namespace

bool IsValidDomainSyntax(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  const std::vector<std::string> labels = SplitLabels(name);
  if (labels.size() < 2) return false;
  for (const std::string& label : labels) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-';
      if (!ok) return false;
    }
  }
  const std::string& tld = labels.back();
  if (tld.size() < 2) return false;
  return std::all_of(tld.begin(), tld.end(),
                     [](char c) { return c >= 'a' && c <= 'z'; });
}

// The rows the Partner's documentation shows (the quickstart page and
// CONTRACT.md section 9.5), answered as shown; the rules below decide every
// other name. A row with no price is taken.
struct DocumentedRow {
  const char* name;
  int64_t price_cents;
  bool microsoft;
};
constexpr DocumentedRow kDocumentedRows[] = {
    {"acme-mail.com", 1300, true},
    {"team-acme.com", 1300, false},
    {"contoso-outreach.com", 1199, true},
    {"contoso.com", 0, false},
};

Availability EvaluateAvailability(const std::string& name) {
  for (const DocumentedRow& row : kDocumentedRows) {
    if (name != row.name) continue;
    Availability documented;
    documented.available = row.price_cents > 0;
    documented.reason = documented.available ? "" : "taken";
    documented.google = documented.available;
    documented.microsoft = row.microsoft;
    documented.price_cents = row.price_cents;
    return documented;
  }
  Availability result;
  if (!IsValidDomainSyntax(name)) {
    result.reason = "invalid";
    return result;
  }
  const uint32_t h = Fnv1a32(name);
  const std::string first = name.substr(0, name.find('.'));
  auto make_available = [&](bool microsoft) {
    result.available = true;
    result.google = true;
    result.microsoft = microsoft;
    result.price_cents = 1100 + static_cast<int64_t>(h % 5) * 100;
  };
  if (absl::StrContains(first, "taken")) {
    result.reason = "taken";
  } else if (first.size() <= 3) {
    result.premium = true;
    result.reason = "premium";
  } else if (absl::StrContains(first, "googleonly")) {
    make_available(false);
  } else if (absl::StrContains(first, "avail")) {
    make_available(true);
  } else if (h % 10 == 0) {
    result.reason = "taken";
  } else {
    make_available(h % 3 != 0);
  }
  return result;
}

std::optional<std::string> ImportFailure(const std::string& name) {
  if (!IsValidDomainSyntax(name)) return "invalid_domain";
  if (!IsRootDomain(name)) return "not_root_domain";
  return std::nullopt;
}

std::optional<std::string> HttpUrlHost(const std::string& url) {
  absl::string_view rest = url;
  if (absl::StartsWithIgnoreCase(rest, "http://")) {
    rest.remove_prefix(7);
  } else if (absl::StartsWithIgnoreCase(rest, "https://")) {
    rest.remove_prefix(8);
  } else {
    return std::nullopt;
  }
  absl::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != absl::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  absl::string_view host = authority;
  if (absl::StartsWith(authority, "[")) {
    host = authority.substr(0, authority.find(']') + 1);
  } else if (const size_t colon = authority.find(':');
             colon != absl::string_view::npos) {
    host = authority.substr(0, colon);
  }
  if (host.empty()) return std::nullopt;
  return absl::AsciiStrToLower(host);
}

bool IsPrivatePictureUrl(const std::string& url) {
  const std::optional<std::string> host = HttpUrlHost(url);
  return !host || *host == "localhost" || IsPrivateIpv4(*host);
}

}  // namespace gateway::sandbox
