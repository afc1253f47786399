// A backtest ranked by an XGBoost model trained on the backtest's own labels: causal (the
// decisions before T are those of a run whose bars stop at T) and deterministic, every
// ranked record carrying the model's probability.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

#include "backtest/simulated_backtest.h"
#include "journal/csv_recorder.h"
#include "ml/dataset.h"
#include "ml/trainer.h"
#include "ml/xgboost_model.h"
#include "scratch_folder.h"
#include "strategy/ict_strategy.h"
#include "support/markets.h"

namespace winiswin::ml {
namespace {

std::string decisions_of(const std::vector<journal::TradeRecord>& records, Timestamp before) {
  std::vector<std::string> lines;
  for (const journal::TradeRecord& r : records) {
    if (r.decided >= before) continue;
    lines.push_back(fmt::format("{} {} {} {} {} {} {} {}", to_ms(r.decided), r.symbol, r.rank, r.side == Side::kBuy ? "L" : "S",
                                r.stop.to_string(), r.target.to_string(), r.is_virtual, r.ml_probability.value_or(-1.0)));
  }
  std::sort(lines.begin(), lines.end());
  std::string joined;
  for (const std::string& line : lines) joined += line + "\n";
  return joined;
}

class BacktestWithModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::scratch_folder("backtest_with_model");
    market_ = winiswin::testing::synthetic_market(20, 6);
    // Labels from a run without a model (every signal), written and read back as the CLI does.
    backtest::SimulatedBacktestConfig labelling;
    labelling.cycle.label_every_signal = true;
    const auto labelled = backtest::SimulatedBacktest(market_.instruments, {}, strategy_, labelling).run(market_.minutes).value();
    std::ofstream out(folder_ / "labels.csv");
    out << journal::trade_csv_header();
    for (const auto* records : {&labelled.trades, &labelled.virtuals}) {
      for (const journal::TradeRecord& record : *records) out << journal::trade_csv_row(record);
    }
    out.close();
    const std::vector<std::filesystem::path> files{folder_ / "labels.csv"};
    const auto rows = read_datasets(files, DatasetOptions{}).value();
    TrainConfig config;
    config.rounds = 30;
    ASSERT_TRUE(train(rows, config, folder_ / "model.json").ok());
    model_ = XgboostModel::load(folder_ / "model.json").value();
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  engine::BacktestResult run(const std::vector<KlineSeries>& minutes) const {
    return backtest::SimulatedBacktest(market_.instruments, {}, strategy_, backtest::SimulatedBacktestConfig{}, *model_).run(minutes).value();
  }

  std::filesystem::path folder_;
  winiswin::testing::Market market_;
  const strategy::IctStrategy strategy_;
  std::unique_ptr<XgboostModel> model_;
};

TEST_F(BacktestWithModelTest, IsDeterministicAndEveryRecordCarriesTheModelsProbability) {
  const engine::BacktestResult first = run(market_.minutes), second = run(market_.minutes);
  ASSERT_GT(first.trades.size(), 0u);
  ASSERT_GT(first.virtuals.size(), 0u);
  EXPECT_EQ(decisions_of(first.trades, Timestamp::max()), decisions_of(second.trades, Timestamp::max()));
  EXPECT_EQ(decisions_of(first.virtuals, Timestamp::max()), decisions_of(second.virtuals, Timestamp::max()));
  ASSERT_EQ(first.equity.size(), second.equity.size());
  for (std::size_t idx = 0; idx < first.equity.size(); ++idx) ASSERT_EQ(first.equity[idx].equity, second.equity[idx].equity);
  for (const auto* records : {&first.trades, &first.virtuals}) {
    for (const journal::TradeRecord& record : *records) {
      ASSERT_TRUE(record.ml_probability.has_value());
      ASSERT_TRUE(record.ml_score.has_value());
      EXPECT_DOUBLE_EQ(*record.ml_score, blended_score(*record.ml_probability, record.confidence, kDefaultModelWeight));
    }
  }
}

// The decisions before T, with the model's probabilities, do not change when the bars after T are removed.
TEST_F(BacktestWithModelTest, NoLookAhead) {
  const engine::BacktestResult full = run(market_.minutes);
  std::vector<KlineSeries> minutes = market_.minutes;
  const Timestamp cut = minutes[0].bars[minutes[0].bars.size() * 3 / 4].open_time;
  for (KlineSeries& series : minutes) std::erase_if(series.bars, [&](const Kline& bar) { return bar.open_time >= cut; });
  const engine::BacktestResult truncated = run(minutes);
  const std::string before_full = decisions_of(full.trades, cut) + decisions_of(full.virtuals, cut);
  EXPECT_FALSE(before_full.empty());
  EXPECT_EQ(before_full, decisions_of(truncated.trades, cut) + decisions_of(truncated.virtuals, cut));
  ASSERT_GT(truncated.equity.size(), 1u);
  for (std::size_t idx = 0; idx + 1 < truncated.equity.size(); ++idx) ASSERT_EQ(full.equity[idx].equity, truncated.equity[idx].equity);
}

}  // namespace
}  // namespace winiswin::ml
