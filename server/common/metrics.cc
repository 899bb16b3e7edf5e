#include "server/common/metrics.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gateway::common {
namespace {

void AddAtomic(std::atomic<double>& value, double by) {
  double current = value.load(std::memory_order_relaxed);
  while (!value.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
  }
}

// A sample value: integers as integers, others with the digits a double
// holds, and Prometheus's spellings of the special values.
std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return absl::StrCat(static_cast<int64_t>(value));
  return absl::StrFormat("%.15g", value);
}

// Backslash and newline escaped, and, in a label value (`quotes`), the
// double quote: what the text format asks of HELP text and label values.
std::string Escape(const std::string& text, bool quotes) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || (quotes && c == '"')) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="1",b="2"}`, with `extra` (e.g. le="0.5") last; "" without labels. A
// label with an empty value is left out, which Prometheus reads the same.
std::string LabelSet(const std::vector<std::string>& names, const std::vector<std::string>& values,
                     const std::string& extra = "") {
  std::vector<std::string> parts;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (values[i].empty()) continue;
    parts.push_back(absl::StrCat(names[i], "=\"", Escape(values[i], /*quotes=*/true), "\""));
  }
  if (!extra.empty()) parts.push_back(extra);
  if (parts.empty()) return "";
  std::string text = "{";
  for (size_t i = 0; i < parts.size(); ++i) absl::StrAppend(&text, i == 0 ? "" : ",", parts[i]);
  return text + "}";
}

}  // namespace

struct Metrics::Entry {
  std::string name;
  std::string help;
  std::unique_ptr<Family<Counter>> counters;
  std::unique_ptr<Family<Gauge>> gauges;
  std::unique_ptr<Family<Histogram>> histograms;
  std::vector<double> bounds;
  Type callback_type = Type::kGauge;
  std::vector<std::string> callback_labels;
  std::function<Samples()> callback;
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

void Metrics::Counter::Add(double by) { AddAtomic(value_, by); }

void Metrics::Gauge::Add(double by) { AddAtomic(value_, by); }

void Metrics::Histogram::Observe(double value) {
  const size_t bucket = std::lower_bound(bounds_->begin(), bounds_->end(), value) - bounds_->begin();
  absl::MutexLock lock(&mu_);
  ++counts_[bucket];
  sum_ += value;
}

Metrics::Histogram::Snapshot Metrics::Histogram::Read() const {
  Snapshot snapshot;
  absl::MutexLock lock(&mu_);
  uint64_t running = 0;
  for (uint64_t count : counts_) {
    running += count;
    snapshot.cumulative.push_back(running);
  }
  snapshot.sum = sum_;
  snapshot.count = running;
  return snapshot;
}

Metrics::Entry& Metrics::Declare(std::string name, std::string help) {
  entries_.push_back(std::make_unique<Entry>());
  Entry& entry = *entries_.back();
  entry.name = std::move(name);
  entry.help = std::move(help);
  return entry;
}

Metrics::Family<Metrics::Counter>& Metrics::AddCounter(std::string name, std::string help,
                                                       std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Declare(std::move(name), std::move(help));
  entry.counters.reset(new Family<Counter>(std::move(label_names), [] { return std::make_unique<Counter>(); }));
  return *entry.counters;
}

Metrics::Family<Metrics::Gauge>& Metrics::AddGauge(std::string name, std::string help,
                                                   std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Declare(std::move(name), std::move(help));
  entry.gauges.reset(new Family<Gauge>(std::move(label_names), [] { return std::make_unique<Gauge>(); }));
  return *entry.gauges;
}

Metrics::Family<Metrics::Histogram>& Metrics::AddHistogram(std::string name, std::string help,
                                                           std::vector<std::string> label_names,
                                                           std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Declare(std::move(name), std::move(help));
  entry.bounds = std::move(bounds);
  const std::vector<double>* stable_bounds = &entry.bounds;
  entry.histograms.reset(new Family<Histogram>(
      std::move(label_names), [stable_bounds] { return std::make_unique<Histogram>(stable_bounds); }));
  return *entry.histograms;
}

void Metrics::AddCallback(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                          std::function<Samples()> read) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Declare(std::move(name), std::move(help));
  entry.callback_type = type;
  entry.callback_labels = std::move(label_names);
  entry.callback = std::move(read);
}

void Metrics::AddCallback(std::string name, std::string help, Type type, std::function<double()> read) {
  AddCallback(std::move(name), std::move(help), type, {}, [read = std::move(read)] {
    return Samples{{{}, read()}};
  });
}

std::string Metrics::Render() const {
  std::string text;
  absl::MutexLock lock(&mu_);
  for (const auto& entry : entries_) {
    const char* type = entry->counters != nullptr || (entry->callback && entry->callback_type == Type::kCounter)
                           ? "counter"
                       : entry->histograms != nullptr ? "histogram"
                                                      : "gauge";
    absl::StrAppend(&text, "# HELP ", entry->name, " ", Escape(entry->help, /*quotes=*/false), "\n# TYPE ", entry->name, " ", type,
                    "\n");
    if (entry->callback) {
      for (const auto& [values, value] : entry->callback()) {
        absl::StrAppend(&text, entry->name, LabelSet(entry->callback_labels, values), " ", Number(value), "\n");
      }
    }
    const auto plain = [&](const auto& family) {
      absl::MutexLock family_lock(&family.mu_);
      for (const auto& [values, series] : family.series_) {
        absl::StrAppend(&text, entry->name, LabelSet(family.label_names_, values), " ", Number(series->value()), "\n");
      }
    };
    if (entry->counters != nullptr) plain(*entry->counters);
    if (entry->gauges != nullptr) plain(*entry->gauges);
    if (entry->histograms != nullptr) {
      const Family<Histogram>& family = *entry->histograms;
      absl::MutexLock family_lock(&family.mu_);
      for (const auto& [values, series] : family.series_) {
        const Histogram::Snapshot snapshot = series->Read();
        for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
          const std::string le =
              absl::StrCat("le=\"", i < entry->bounds.size() ? Number(entry->bounds[i]) : "+Inf", "\"");
          absl::StrAppend(&text, entry->name, "_bucket", LabelSet(family.label_names_, values, le), " ",
                          snapshot.cumulative[i], "\n");
        }
        absl::StrAppend(&text, entry->name, "_sum", LabelSet(family.label_names_, values), " ", Number(snapshot.sum),
                        "\n", entry->name, "_count", LabelSet(family.label_names_, values), " ", snapshot.count,
                        "\n");
      }
    }
  }
  return text;
}

std::optional<double> Metrics::Value(const std::string& name, const std::vector<std::string>& label_values) const {
  absl::MutexLock lock(&mu_);
  for (const auto& entry : entries_) {
    if (entry->name != name) continue;
    if (entry->callback) {
      for (const auto& [values, value] : entry->callback()) {
        if (values == label_values) return value;
      }
      return std::nullopt;
    }
    const auto find = [&](const auto& family) -> std::optional<double> {
      absl::MutexLock family_lock(&family.mu_);
      auto it = family.series_.find(label_values);
      if (it == family.series_.end()) return std::nullopt;
      return it->second->value();
    };
    if (entry->counters != nullptr) return find(*entry->counters);
    if (entry->gauges != nullptr) return find(*entry->gauges);
  }
  return std::nullopt;
}

}  // namespace gateway::common
