#include "server/common/metrics.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway::common {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, ACounterFamilyRendersHelpTypeAndOneSeriesPerLabelValues) {
  Metrics metrics;
  auto& requests = metrics.AddCounter("requests_total", "Requests, by method and code.", {"method", "code"});
  requests.With({"Get", "OK"}).Add();
  requests.With({"Get", "OK"}).Add(2);
  requests.With({"Create", "UNAVAILABLE"}).Add();
  EXPECT_EQ(metrics.Render(),
            "# HELP requests_total Requests, by method and code.\n"
            "# TYPE requests_total counter\n"
            "requests_total{method=\"Create\",code=\"UNAVAILABLE\"} 1\n"
            "requests_total{method=\"Get\",code=\"OK\"} 3\n");
  EXPECT_EQ(metrics.Value("requests_total", {"Get", "OK"}), 3);
  EXPECT_EQ(metrics.Value("requests_total", {"Get", "INTERNAL"}), std::nullopt);
  EXPECT_EQ(metrics.Value("no_such_total"), std::nullopt);
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  Metrics metrics;
  metrics.AddGauge("odd", "A help with a \\ and a\nnewline.", {"path"}).With({"a\"b\\c\nd"}).Set(1);
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# HELP odd A help with a \\\\ and a\\nnewline.\n"));
  EXPECT_THAT(text, HasSubstr("odd{path=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(MetricsTest, ALabelWithAnEmptyValueIsLeftOut) {
  Metrics metrics;
  auto& webhooks = metrics.AddCounter("webhooks_total", "Webhooks.", {"outcome", "reason"});
  webhooks.With({"stored", ""}).Add();
  webhooks.With({"rejected", "bad_signature"}).Add();
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("webhooks_total{outcome=\"stored\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("webhooks_total{outcome=\"rejected\",reason=\"bad_signature\"} 1\n"));
}

TEST(MetricsTest, ACallbackGivesLabelledSeriesReadAtEachScrape) {
  Metrics metrics;
  int reloads = 1;
  metrics.AddCallback("reloads_total", "Reloads.", Metrics::Type::kCounter, {"result"}, [&reloads] {
    return Metrics::Samples{{{"ok"}, static_cast<double>(reloads)}, {{"error"}, 0}};
  });
  EXPECT_THAT(metrics.Render(), HasSubstr("reloads_total{result=\"ok\"} 1\nreloads_total{result=\"error\"} 0\n"));
  reloads = 2;
  EXPECT_EQ(metrics.Value("reloads_total", {"ok"}), 2);
  EXPECT_EQ(metrics.Value("reloads_total", {"other"}), std::nullopt);
}

TEST(MetricsTest, GaugesAndCallbacksRenderTheirCurrentValue) {
  Metrics metrics;
  auto& open = metrics.AddGauge("open", "Open things.").With({});
  open.Set(5);
  open.Add(-2.5);
  double cpu = 12345.678901;
  metrics.AddCallback("cpu_seconds_total", "CPU.", Metrics::Type::kCounter, [&cpu] { return cpu; });
  metrics.AddCallback("up", "Up.", Metrics::Type::kGauge, [] { return 1.0; });
  EXPECT_EQ(metrics.Render(),
            "# HELP open Open things.\n# TYPE open gauge\nopen 2.5\n"
            "# HELP cpu_seconds_total CPU.\n# TYPE cpu_seconds_total counter\ncpu_seconds_total 12345.678901\n"
            "# HELP up Up.\n# TYPE up gauge\nup 1\n");
  cpu = 20000;
  EXPECT_EQ(metrics.Value("cpu_seconds_total"), 20000);
}

TEST(MetricsTest, AHistogramHasCumulativeBucketsAndSumAndCount) {
  Metrics metrics;
  auto& latency = metrics.AddHistogram("latency_seconds", "Latency.", {"endpoint"}, {0.01, 0.1, 1});
  auto& series = latency.With({"GET /me"});
  for (double value : {0.005, 0.01, 0.05, 0.5, 2.0}) series.Observe(value);
  EXPECT_EQ(metrics.Render(),
            "# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{endpoint=\"GET /me\",le=\"0.01\"} 2\n"
            "latency_seconds_bucket{endpoint=\"GET /me\",le=\"0.1\"} 3\n"
            "latency_seconds_bucket{endpoint=\"GET /me\",le=\"1\"} 4\n"
            "latency_seconds_bucket{endpoint=\"GET /me\",le=\"+Inf\"} 5\n"
            "latency_seconds_sum{endpoint=\"GET /me\"} 2.565\n"
            "latency_seconds_count{endpoint=\"GET /me\"} 5\n");
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  Metrics metrics;
  auto& family = metrics.AddCounter("hits_total", "Hits.", {"shard"});
  auto& histogram = metrics.AddHistogram("sizes", "Sizes.", {}, {10}).With({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        family.With({std::to_string(t % 2)}).Add();
        histogram.Observe(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(*metrics.Value("hits_total", {"0"}) + *metrics.Value("hits_total", {"1"}), 40000);
  EXPECT_EQ(histogram.Read().count, 40000u);
}

}  // namespace
}  // namespace gateway::common
