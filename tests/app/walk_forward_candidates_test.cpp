// The bagged and R candidates of ml walk-forward, called through the registry on planted rows:
// one prediction per test row in [0, 1], the model handed to the month's backtest scoring as the
// predictions were measured, the bag's size scales from its spread (bagged-rank's none), the R
// candidate's scores marked as no probability, and the same bytes for the same seed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "app/walk_forward_candidate.h"
#include "data/file_bytes.h"
#include "ml/blend.h"

namespace winiswin {
namespace {

constexpr std::int64_t kJanuary = 1'767'225'600'000;  // 2026-01-01 00:00 UTC
constexpr std::int64_t kHour = 3'600'000;

// Two months of hourly rows (January trains, February tests); wins follow feature 6.
std::vector<ml::LabelledRow> planted_rows() {
  std::vector<ml::LabelledRow> rows;
  for (std::int64_t hour = 0; hour < 24 * 59; ++hour) {
    ml::LabelledRow row;
    row.symbol = hour % 2 ? "AUSDT" : "BUSDT";
    row.decided = timestamp_from_ms(kJanuary + hour * kHour + 300'000);
    row.exited = row.decided + Milliseconds{kHour};
    row.confidence = 0.5;
    for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) {
      row.features[column] = std::sin(static_cast<double>(hour * 7 + static_cast<std::int64_t>(column) * 13));
    }
    row.r_net = row.features[6] + 0.5 * std::sin(static_cast<double>(hour) * 1.3);
    row.win = row.r_net > 0.0;
    row.exit_reason = row.win ? "target" : "stop";
    rows.push_back(row);
  }
  return rows;
}

std::string file_text_or_empty(const std::filesystem::path& file) {
  Result<std::string> bytes = read_file_bytes(file);
  EXPECT_TRUE(bytes.ok()) << file;
  return bytes.ok() ? std::move(bytes).value() : std::string();
}

class WalkForwardCandidatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = std::filesystem::temp_directory_path() / ("winiswin_wf_candidates_" + std::string(test->name()) + "_" + std::to_string(getpid()));
    std::filesystem::remove_all(folder_);
    rows_ = planted_rows();
    std::vector<Timestamp> times;
    for (const ml::LabelledRow& row : rows_) times.push_back(row.decided);
    const std::vector<ml::Month> months = ml::months_of(times);
    fold_ = ml::plan_folds(months, 1, false).value().front();
    train_.rounds = 20;
    split_ = ml::split_fold(rows_, fold_, train_.horizon);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  CandidatePrediction predict(std::string_view name, const std::string& run) {
    const std::filesystem::path folder = folder_ / run / name;
    std::filesystem::create_directories(folder);
    auto candidate = make_candidate(name, CandidateContext{{}, train_});
    EXPECT_TRUE(candidate.ok()) << candidate.error().message;
    auto prediction = (*candidate)->predict(CandidateFold{rows_, fold_, split_, train_, folder, 0.8});
    EXPECT_TRUE(prediction.ok()) << prediction.error().message;
    return std::move(prediction).value();
  }
  // The test rows as the signals the month's backtest would score.
  std::vector<strategy::Signal> test_signals() const {
    std::vector<strategy::Signal> batch;
    for (const std::size_t idx : split_.test) {
      strategy::Signal signal;
      signal.symbol = rows_[idx].symbol;
      signal.confidence = rows_[idx].confidence;
      signal.features = rows_[idx].features;
      batch.push_back(signal);
    }
    return batch;
  }

  std::filesystem::path folder_;
  std::vector<ml::LabelledRow> rows_;
  ml::Fold fold_;
  ml::TrainConfig train_;
  ml::FoldRows split_;
};

TEST_F(WalkForwardCandidatesTest, TheBagRanksByItsMeanAndScalesSizeByItsSpread) {
  ASSERT_GT(split_.test.size(), 100u);
  const CandidatePrediction bagged = predict("bagged", "first");
  ASSERT_EQ(bagged.probability.size(), split_.test.size());
  EXPECT_TRUE(bagged.is_probability);
  ASSERT_NE(bagged.model, nullptr);
  const std::vector<strategy::Signal> batch = test_signals();
  std::vector<double> scores(batch.size()), probabilities(batch.size()), scales(batch.size());
  ASSERT_TRUE(bagged.model->evaluate(batch, scores, probabilities).ok());
  EXPECT_EQ(probabilities, bagged.probability);  // the backtest's model predicts what was measured
  ASSERT_TRUE(bagged.model->scales_size());
  ASSERT_TRUE(bagged.model->size_scales(batch, scales).ok());
  EXPECT_TRUE(std::all_of(scales.begin(), scales.end(), [](double scale) { return scale >= 0.5 && scale <= 1.0; }));
  EXPECT_TRUE(std::any_of(scales.begin(), scales.end(), [](double scale) { return scale < 1.0; }));
  // The planted rule is learnt: wins get higher means than losses.
  double wins = 0.0, losses = 0.0;
  std::size_t win_count = 0;
  for (std::size_t pos = 0; pos < split_.test.size(); ++pos) {
    const bool won = rows_[split_.test[pos]].win;
    (won ? wins : losses) += bagged.probability[pos];
    win_count += won ? 1 : 0;
  }
  EXPECT_GT(wins / static_cast<double>(win_count), losses / static_cast<double>(split_.test.size() - win_count) + 0.1);
  const std::string rows_csv = file_text_or_empty(folder_ / "first" / "bagged" / "2026-02" / "test_rows.csv");
  EXPECT_EQ(std::count(rows_csv.begin(), rows_csv.end(), '\n'), static_cast<std::ptrdiff_t>(split_.test.size() + 1));
  // The same seed, the same bytes; bagged-rank is the same bag without the sizing.
  predict("bagged", "second");
  for (const char* file : {"test_rows.csv", "member_0.json", "member_4.json"}) {
    EXPECT_EQ(file_text_or_empty(folder_ / "first" / "bagged" / "2026-02" / file), file_text_or_empty(folder_ / "second" / "bagged" / "2026-02" / file))
        << file;
  }
  const CandidatePrediction rank_only = predict("bagged-rank", "first");
  EXPECT_EQ(rank_only.probability, bagged.probability);
  EXPECT_FALSE(rank_only.model->scales_size());
}

TEST_F(WalkForwardCandidatesTest, TheRCandidateRanksByItsPredictedRAndIsNoProbability) {
  const CandidatePrediction r = predict("r", "first");
  ASSERT_EQ(r.probability.size(), split_.test.size());
  EXPECT_FALSE(r.is_probability);
  EXPECT_TRUE(std::all_of(r.probability.begin(), r.probability.end(), [](double score) { return score >= 0.0 && score <= 1.0; }));
  // The rank score orders the rows as the planted R does, mostly.
  double high = 0.0, low = 0.0;
  std::size_t high_count = 0;
  for (std::size_t pos = 0; pos < split_.test.size(); ++pos) {
    const bool good = rows_[split_.test[pos]].r_net > 0.0;
    (good ? high : low) += r.probability[pos];
    high_count += good ? 1 : 0;
  }
  EXPECT_GT(high / static_cast<double>(high_count), low / static_cast<double>(split_.test.size() - high_count) + 0.1);
  const std::vector<strategy::Signal> batch = test_signals();
  std::vector<double> scores(batch.size()), probabilities(batch.size());
  ASSERT_TRUE(r.model->evaluate(batch, scores, probabilities).ok());
  for (std::size_t pos = 0; pos < batch.size(); ++pos) {
    EXPECT_DOUBLE_EQ(scores[pos], ml::blended_score(r.probability[pos], batch[pos].confidence, 0.8)) << pos;
    EXPECT_TRUE(std::isnan(probabilities[pos]));
  }
  EXPECT_FALSE(r.model->scales_size());
}

}  // namespace
}  // namespace winiswin
