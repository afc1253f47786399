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

  engine::BacktestResult run(const std::vector<KlineSeries>& minutes, const backtest::SimulatedBacktestConfig& config = {}) const {
    return run_with(*model_, minutes, config);
  }
  engine::BacktestResult run_with(const Model& model, const std::vector<KlineSeries>& minutes,
                                  const backtest::SimulatedBacktestConfig& config = {}) const {
    return backtest::SimulatedBacktest(market_.instruments, {}, strategy_, config, model).run(minutes).value();
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

// Every recorded row of a run as the CSV files write them: trades, virtual positions,
// refusals, equity.
std::string outputs_of(const engine::BacktestResult& result) {
  std::string text;
  for (const auto* records : {&result.trades, &result.virtuals}) {
    for (const journal::TradeRecord& record : *records) text += journal::trade_csv_row(record);
  }
  for (const journal::RefusalRecord& refusal : result.refusals) {
    text += fmt::format("{} {} {} {} {}\n", to_ms(refusal.decided), refusal.symbol, refusal.rank, refusal.limit, refusal.reason);
  }
  for (const auto& point : result.equity) text += fmt::format("{}\n", point.equity);
  return text;
}

// The veto and sizing-by-score options, off or where they cannot act (a threshold no
// probability is below; a score equal to the confidence, model weight 0), leave every output
// byte-identical to a run without them.
TEST_F(BacktestWithModelTest, TheVetoAndSizingOptionsChangeNothingWhereTheyCannotAct) {
  const std::string plain = outputs_of(run(market_.minutes));
  ASSERT_FALSE(plain.empty());
  backtest::SimulatedBacktestConfig no_veto;
  no_veto.cycle.min_probability = 0.0;
  EXPECT_EQ(outputs_of(run(market_.minutes, no_veto)), plain);
  const auto confidence_only = XgboostModel::load(folder_ / "model.json", 0.0).value();
  backtest::SimulatedBacktestConfig by_score;
  by_score.cycle.size_by_model_score = true;
  EXPECT_EQ(outputs_of(run_with(*confidence_only, market_.minutes, by_score)), outputs_of(run_with(*confidence_only, market_.minutes)));
}

// The XGBoost model's scores and probabilities, with size scales of its own: `scale` for the
// symbol named, 1 for the others.
class ScaledModel final : public WinProbabilityModel {
 public:
  ScaledModel(const XgboostModel& model, std::string symbol, double scale) : model_(model), symbol_(std::move(symbol)), scale_(scale) {}
  [[nodiscard]] std::string_view name() const override { return "scaled"; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override {
    return model_.evaluate(batch, scores, probabilities);
  }
  [[nodiscard]] bool scales_size() const override { return true; }
  [[nodiscard]] Status size_scales(std::span<const strategy::Signal> batch, std::span<double> scales) const override {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) scales[idx] = batch[idx].symbol == symbol_ ? scale_ : 1.0;
    return Ok{};
  }

 private:
  const XgboostModel& model_;
  std::string symbol_;
  double scale_;
};

// A model whose size scales are all 1 leaves every output byte-identical; a scale below 1
// on one symbol changes the run (its trades are smaller).
TEST_F(BacktestWithModelTest, SizeScalesOfOneChangeNothingAndBelowOneChangeTheRun) {
  const std::string plain = outputs_of(run(market_.minutes));
  ASSERT_FALSE(plain.empty());
  const engine::BacktestResult first = run(market_.minutes);
  ASSERT_FALSE(first.trades.empty());
  const std::string symbol = first.trades.front().symbol;
  EXPECT_EQ(outputs_of(run_with(ScaledModel(*model_, symbol, 1.0), market_.minutes)), plain);
  EXPECT_NE(outputs_of(run_with(ScaledModel(*model_, symbol, 0.5), market_.minutes)), plain);
}

// With a threshold, no real trade has a probability below it, the vetoed ranks are refused
// as "model_veto" and still labelled as virtual positions; sizing by the score changes sizes.
TEST_F(BacktestWithModelTest, TheVetoAndSizingOptionsActWhereTheyCan) {
  backtest::SimulatedBacktestConfig veto;
  veto.cycle.min_probability = 0.5;
  const engine::BacktestResult vetoed = run(market_.minutes, veto);
  for (const journal::TradeRecord& trade : vetoed.trades) EXPECT_GE(*trade.ml_probability, 0.5) << trade.symbol;
  std::size_t refused = 0, labelled = 0;
  for (const journal::RefusalRecord& refusal : vetoed.refusals) {
    if (refusal.limit != "model_veto") continue;
    ++refused;
    const bool as_virtual = std::any_of(vetoed.virtuals.begin(), vetoed.virtuals.end(), [&](const journal::TradeRecord& virtual_trade) {
      return virtual_trade.decided == refusal.decided && virtual_trade.symbol == refusal.symbol && virtual_trade.rank == refusal.rank;
    });
    // A symbol whose virtual position is still open takes no second one: not every one is.
    labelled += as_virtual ? 1 : 0;
  }
  EXPECT_GT(refused, 0u);
  EXPECT_GT(labelled, 0u);
  backtest::SimulatedBacktestConfig by_score;
  by_score.cycle.size_by_model_score = true;
  const engine::BacktestResult sized = run(market_.minutes, by_score);
  const engine::BacktestResult plain = run(market_.minutes);
  ASSERT_FALSE(sized.trades.empty());
  EXPECT_NE(outputs_of(sized), outputs_of(plain));
}

// The model exit (decision_cycle.h) acts only with exit_below and a model's probability:
// a threshold no probability is below, or a model without probabilities (the pass-through),
// leaves every output byte-identical.
TEST_F(BacktestWithModelTest, TheModelExitChangesNothingWhereItCannotAct) {
  const std::string plain = outputs_of(run(market_.minutes));
  backtest::SimulatedBacktestConfig never;
  never.cycle.exit_below = 0.0;
  EXPECT_EQ(outputs_of(run(market_.minutes, never)), plain);
  backtest::SimulatedBacktestConfig always;
  always.cycle.exit_below = 1.0;
  EXPECT_EQ(outputs_of(run_with(pass_through_model(), market_.minutes, always)), outputs_of(run_with(pass_through_model(), market_.minutes)));
}

std::size_t model_exits(const engine::BacktestResult& result) {
  return static_cast<std::size_t>(std::count_if(result.trades.begin(), result.trades.end(), [](const journal::TradeRecord& trade) {
    return trade.exit_reason == journal::ExitReason::kModelExit;
  }));
}

// With a threshold, trades close as "model exit" (the virtual positions, the labels, never do);
// the run is deterministic and causal: the decisions and equity before T are those of a run
// whose bars stop at T.
TEST_F(BacktestWithModelTest, TheModelExitClosesTradesDeterministicallyAndCausally) {
  backtest::SimulatedBacktestConfig config;
  config.cycle.exit_below = 0.5;
  const engine::BacktestResult first = run(market_.minutes, config), second = run(market_.minutes, config);
  EXPECT_GT(model_exits(first), 0u);
  EXPECT_EQ(outputs_of(first), outputs_of(second));
  EXPECT_NE(outputs_of(first), outputs_of(run(market_.minutes)));
  for (const journal::TradeRecord& virtual_trade : first.virtuals) EXPECT_NE(virtual_trade.exit_reason, journal::ExitReason::kModelExit);
  std::vector<KlineSeries> minutes = market_.minutes;
  const Timestamp cut = minutes[0].bars[minutes[0].bars.size() * 3 / 4].open_time;
  for (KlineSeries& series : minutes) std::erase_if(series.bars, [&](const Kline& bar) { return bar.open_time >= cut; });
  const engine::BacktestResult truncated = run(minutes, config);
  const auto exits_before = [&](const engine::BacktestResult& result) {
    std::string text;
    for (const journal::TradeRecord& trade : result.trades) {
      if (trade.exit_time < cut - std::chrono::minutes{5}) text += journal::trade_csv_row(trade);
    }
    return text;
  };
  EXPECT_EQ(decisions_of(first.trades, cut), decisions_of(truncated.trades, cut));
  EXPECT_EQ(exits_before(first), exits_before(truncated));
  ASSERT_GT(truncated.equity.size(), 1u);
  for (std::size_t idx = 0; idx + 1 < truncated.equity.size(); ++idx) ASSERT_EQ(first.equity[idx].equity, truncated.equity[idx].equity);
}

}  // namespace
}  // namespace winiswin::ml
