// The look-ahead check (backtest/causality.h): it passes on the engine as it is, on the
// synthetic market and on real bars, and it catches a strategy that peeks at later bars.
#include "backtest/causality.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "data/kline_file.h"
#include "strategy/ict_strategy.h"
#include "support/markets.h"
#include "support/shared_data.h"
#include "venue/binance/exchange_info.h"

namespace winiswin::backtest {
namespace {

// The bars of a run, cut at `cut` (a fresh feed per run, as the check wants).
FeedBefore feed_of(const std::vector<KlineSeries>& bars) {
  return [&bars](Timestamp cut) -> Result<std::unique_ptr<engine::BarFeed>> {
    WINISWIN_TRY(auto series, engine::SeriesFeed::make(bars));
    return engine::narrow_feed(std::make_unique<engine::SeriesFeed>(std::move(series)), {}, Timestamp::min(), cut);
  };
}

TEST(CausalityCheck, TheBacktestPassesOnTheSyntheticMarket) {
  const testing::Market market = testing::synthetic_market(6, 4);
  CausalityCheck check;
  check.instruments = market.instruments;
  const strategy::IctStrategy strategy;
  const std::vector<Timestamp> cuts =
      spread_cuts(market.minutes[0].bars.front().open_time, market.minutes[0].bars.back().open_time, 3);
  ASSERT_EQ(cuts.size(), 3u);
  const CausalityReport report = check_causality(check, strategy, ml::pass_through_model(), feed_of(market.minutes), cuts).value();
  EXPECT_TRUE(report.passed()) << report.differences.front().full << "\n" << report.differences.front().truncated;
  ASSERT_EQ(report.rows_compared.size(), 3u);
  // Something was compared before the later cuts (a day in, before the first, no state is
  // warm yet: the 1h view needs ~35 bars).
  EXPECT_GT(report.rows_compared[1], 0u);
  EXPECT_LT(report.rows_compared[1], report.rows_compared[2]);
}

TEST(CausalityCheck, TheBacktestPassesOnRealBars) {
  WINISWIN_SHARED_FILE(info_path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(btc_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(eth_path, "data/klines/futures_um_ohlcv_only/ETHUSDT-5m-2025-09_10.csv.gz");
  std::vector<KlineSeries> bars{load_klines(btc_path).value(), load_klines(eth_path).value()};
  const Timestamp end = parse_utc_time("2025-10-20").value();  // through the 10 October crash
  for (KlineSeries& series : bars) std::erase_if(series.bars, [&](const Kline& bar) { return bar.open_time >= end; });
  CausalityCheck check;
  check.instruments = binance::load_exchange_info(info_path.string()).value().tradable_usdt_perpetuals();
  const strategy::IctStrategy strategy;
  const std::vector<Timestamp> cuts{parse_utc_time("2025-10-10 21:15").value(), parse_utc_time("2025-10-15").value()};
  const CausalityReport report = check_causality(check, strategy, ml::pass_through_model(), feed_of(bars), cuts).value();
  EXPECT_TRUE(report.passed()) << report.differences.front().full << "\n" << report.differences.front().truncated;
  for (const std::size_t rows : report.rows_compared) EXPECT_GT(rows, 100u);
}

// A look-ahead bug on purpose: the side is the direction of the close an hour after the
// decision, read from the bars the run was given (as a feature normalised over the whole
// file, or a label leaking into a feature, would). Only in this test.
class PeekingStrategy final : public strategy::Strategy {
 public:
  PeekingStrategy(const std::vector<KlineSeries>& bars, const Timestamp& data_end) : bars_(bars), data_end_(data_end) {}

  [[nodiscard]] std::string_view name() const override { return "peeking"; }
  [[nodiscard]] strategy::Scoring score(const strategy::MarketSnapshot& snapshot) const override {
    strategy::Scoring scoring = inner_.score(snapshot);
    if (!scoring.score) return scoring;
    const Timestamp later = snapshot.time + std::chrono::minutes{55};  // the 1m bar closing an hour on
    const auto series = std::find_if(bars_.begin(), bars_.end(), [&](const KlineSeries& one) { return one.symbol == snapshot.symbol; });
    const auto bar = std::lower_bound(series->bars.begin(), series->bars.end(), later,
                                      [](const Kline& one, Timestamp time) { return one.open_time < time; });
    const bool known = bar != series->bars.end() && bar->open_time == later && later < data_end_;
    if (known) scoring.score->side = bar->close > snapshot.last_price ? Side::kBuy : Side::kSell;
    return scoring;
  }
  [[nodiscard]] strategy::Evaluation propose(const strategy::MarketSnapshot& snapshot, const strategy::Score& score,
                                             const Instrument& instrument) const override {
    return inner_.propose(snapshot, score, instrument);
  }

 private:
  strategy::IctStrategy inner_;
  const std::vector<KlineSeries>& bars_;
  const Timestamp& data_end_;
};

TEST(CausalityCheck, AStrategyThatPeeksAheadFailsAndTheFirstDifferenceIsNamed) {
  const testing::Market market = testing::synthetic_market(6, 4);
  Timestamp data_end = Timestamp::max();  // what the run being made was given
  const PeekingStrategy strategy(market.minutes, data_end);
  const FeedBefore cut_feed = feed_of(market.minutes);
  const FeedBefore feed_before = [&](Timestamp cut) {
    data_end = cut;
    return cut_feed(cut);
  };
  CausalityCheck check;
  check.instruments = market.instruments;
  const Timestamp cut = spread_cuts(market.minutes[0].bars.front().open_time, market.minutes[0].bars.back().open_time, 1).front();
  const CausalityReport report = check_causality(check, strategy, ml::pass_through_model(), feed_before, {cut}).value();
  ASSERT_FALSE(report.passed());
  const CausalityDifference& first = report.differences.front();
  EXPECT_EQ(first.cut, cut);
  // The first difference is a decision within the hour the strategy peeks across the cut.
  const Timestamp decided = decided_of(first.full == "(none)" ? first.truncated : first.full);
  EXPECT_LT(decided, cut);
  EXPECT_GE(decided, cut - std::chrono::hours{1});
  EXPECT_NE(first.full, first.truncated);
  // Among them, the proposed signal whose side the later bars chose.
  EXPECT_TRUE(std::any_of(report.differences.begin(), report.differences.end(), [](const CausalityDifference& difference) {
    return difference.full.find(" signal ") != std::string::npos && difference.truncated.find(" signal ") != std::string::npos;
  }));
}

}  // namespace
}  // namespace winiswin::backtest
