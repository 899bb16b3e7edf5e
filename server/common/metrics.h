// The metrics seam: every component declares the counters, gauges and
// histograms it owns, once, on the one Metrics registry it is given, and
// /metrics is the registry's Render(), in the Prometheus text exposition
// format (version 0.0.4). prometheus-cpp is not in Debian's packages, so the
// format is written here, in one place. Unit tests read values back with
// Value() instead of parsing the text.
//
// Families and series are created under a lock; updating a series is a
// lock-free atomic (counters, gauges) or a short lock (histograms). A
// series, once made by With(), lives as long as the registry: keep the
// reference.
#ifndef SERVER_COMMON_METRICS_H_
#define SERVER_COMMON_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace gateway::common {

class Metrics {
 public:
  class Counter {
   public:
    void Add(double by = 1);
    double value() const { return value_.load(std::memory_order_relaxed); }

   private:
    std::atomic<double> value_{0};
  };

  class Gauge {
   public:
    void Set(double value) { value_.store(value, std::memory_order_relaxed); }
    void Add(double by);
    double value() const { return value_.load(std::memory_order_relaxed); }

   private:
    std::atomic<double> value_{0};
  };

  class Histogram {
   public:
    explicit Histogram(const std::vector<double>* bounds) : bounds_(bounds), counts_(bounds->size() + 1, 0) {}
    void Observe(double value) ABSL_LOCKS_EXCLUDED(mu_);

    struct Snapshot {
      std::vector<uint64_t> cumulative;  // one per bound, then +Inf
      double sum = 0;
      uint64_t count = 0;
    };
    Snapshot Read() const ABSL_LOCKS_EXCLUDED(mu_);

   private:
    const std::vector<double>* const bounds_;
    mutable absl::Mutex mu_;
    std::vector<uint64_t> counts_ ABSL_GUARDED_BY(mu_);  // per bucket, not cumulative
    double sum_ ABSL_GUARDED_BY(mu_) = 0;
  };

  // The series of one metric, one per combination of label values.
  template <typename Series>
  class Family {
   public:
    // The series with these label values (as many as the family's label
    // names; an empty value leaves its label out), made on first use.
    Series& With(const std::vector<std::string>& label_values) ABSL_LOCKS_EXCLUDED(mu_);

   private:
    friend class Metrics;
    Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Series>()> make)
        : label_names_(std::move(label_names)), make_(std::move(make)) {}
    const std::vector<std::string> label_names_;
    const std::function<std::unique_ptr<Series>()> make_;
    mutable absl::Mutex mu_;
    std::map<std::vector<std::string>, std::unique_ptr<Series>> series_ ABSL_GUARDED_BY(mu_);
  };

  enum class Type { kCounter, kGauge };

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Declares a metric; `name` must be new. Families render in the order
  // they were declared, their series by label values.
  Family<Counter>& AddCounter(std::string name, std::string help, std::vector<std::string> label_names = {})
      ABSL_LOCKS_EXCLUDED(mu_);
  Family<Gauge>& AddGauge(std::string name, std::string help, std::vector<std::string> label_names = {})
      ABSL_LOCKS_EXCLUDED(mu_);
  // `bounds`: the buckets' upper bounds, increasing; +Inf is added.
  Family<Histogram>& AddHistogram(std::string name, std::string help, std::vector<std::string> label_names,
                                  std::vector<double> bounds) ABSL_LOCKS_EXCLUDED(mu_);
  // Values read at each scrape from what another part owns (a process
  // figure, a state): `read` gives the value of each series by its label
  // values. It must be safe to call from any thread.
  using Samples = std::vector<std::pair<std::vector<std::string>, double>>;
  void AddCallback(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                   std::function<Samples()> read) ABSL_LOCKS_EXCLUDED(mu_);
  // One series without labels.
  void AddCallback(std::string name, std::string help, Type type, std::function<double()> read)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Every metric in the text exposition format.
  std::string Render() const ABSL_LOCKS_EXCLUDED(mu_);

  // The value of a counter, gauge or callback series; nullopt when there is
  // no such series yet.
  std::optional<double> Value(const std::string& name, const std::vector<std::string>& label_values = {}) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Entry;
  Entry& Declare(std::string name, std::string help) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);
};

template <typename Series>
Series& Metrics::Family<Series>::With(const std::vector<std::string>& label_values) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Series>& series = series_[label_values];
  if (series == nullptr) series = make_();
  return *series;
}

}  // namespace gateway::common

#endif  // SERVER_COMMON_METRICS_H_
