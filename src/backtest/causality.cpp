#include "backtest/causality.h"

#include <algorithm>

#include <fmt/format.h>

namespace winiswin::backtest {
namespace {

constexpr std::int64_t kFiveMinutes = 300'000;

// Rows start with the decision time (ms, zero-padded: sorting the text sorts by time) and
// hold the decision's values in their shortest round-trip form, so text equality is value
// equality.
std::string head(Timestamp decided, std::string_view kind, std::string_view symbol) {
  return fmt::format("{:015d} {} {} {}", to_ms(decided), format_utc(decided), kind, symbol);
}

std::string features_text(const strategy::FeatureVector& features) {
  std::string text;
  for (std::size_t idx = 0; idx < features.size(); ++idx) text += fmt::format(" {}={}", strategy::kFeatureNames[idx], features[idx]);
  return text;
}

std::string optional_text(const std::optional<double>& value) { return value ? fmt::format("{}", *value) : "-"; }

std::string signal_row(Timestamp decided, const strategy::Signal& signal, double model_score, double probability) {
  return head(decided, "signal", signal.symbol) +
         fmt::format(" {} confidence={} entry={} stop={} target={} model_score={} probability={}{}", name_of(signal.side), signal.confidence,
                     signal.entry.to_string(), signal.stop.to_string(), signal.target.to_string(), model_score, probability,
                     features_text(signal.features));
}

std::string trade_row(const journal::TradeRecord& trade) {
  return head(trade.decided, trade.is_virtual ? "virtual" : "trade", trade.symbol) +
         fmt::format(" rank={} {} confidence={} entry={} stop={} target={} ml_probability={} ml_score={}{}", trade.rank, name_of(trade.side),
                     trade.confidence, trade.planned_entry.to_string(), trade.stop.to_string(), trade.target.to_string(),
                     optional_text(trade.ml_probability), optional_text(trade.ml_score), features_text(trade.features));
}

std::string refusal_row(const journal::RefusalRecord& refusal) {
  return head(refusal.decided, "refusal", refusal.symbol) + fmt::format(" rank={} limit={}", refusal.rank, refusal.limit);
}

// The candidates of one decision as rows: each one's proposal and the model's score of it.
class SignalRows {
 public:
  SignalRows(const strategy::Strategy& strategy, const ml::Model& model, std::vector<std::string>& rows)
      : strategy_(strategy), model_(model), rows_(rows) {}

  void operator()(Timestamp decided, std::span<const engine::Candidate> candidates) {
    batch_.clear();
    for (const engine::Candidate& candidate : candidates) {
      strategy::Evaluation evaluation = strategy_.propose(*candidate.snapshot, *candidate.score, *candidate.instrument);
      if (evaluation.signal) {
        batch_.push_back(std::move(*evaluation.signal));
      } else {
        rows_.push_back(head(decided, "no-signal", candidate.snapshot->symbol) +
                        fmt::format(" {} confidence={} ({})", name_of(candidate.score->side), candidate.score->confidence, evaluation.reason));
      }
    }
    scores_.assign(batch_.size(), 0.0);
    probabilities_.assign(batch_.size(), 0.0);
    if (auto status = model_.evaluate(batch_, scores_, probabilities_); !status) {
      failure_ = status.error();
      return;
    }
    for (std::size_t idx = 0; idx < batch_.size(); ++idx) rows_.push_back(signal_row(decided, batch_[idx], scores_[idx], probabilities_[idx]));
  }

  [[nodiscard]] const std::optional<Error>& failure() const { return failure_; }

 private:
  const strategy::Strategy& strategy_;
  const ml::Model& model_;
  std::vector<std::string>& rows_;
  std::vector<strategy::Signal> batch_;
  std::vector<double> scores_, probabilities_;
  std::optional<Error> failure_;
};

}  // namespace

Timestamp decided_of(const std::string& row) { return timestamp_from_ms(std::stoll(row.substr(0, 15))); }

Result<std::vector<std::string>> decision_rows(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                               engine::BarFeed& feed) {
  std::vector<std::string> rows;
  auto signals = std::make_shared<SignalRows>(strategy, model, rows);
  SimulatedBacktestConfig config = check.config;
  config.on_candidates = [signals](Timestamp decided, std::span<const engine::Candidate> candidates) { (*signals)(decided, candidates); };
  config.progress = nullptr;
  SimulatedBacktest backtest(check.instruments, check.brackets, strategy, config, model);
  WINISWIN_TRY(const engine::BacktestResult result, backtest.run(feed));
  if (signals->failure()) return *signals->failure();
  for (const journal::TradeRecord& trade : result.trades) rows.push_back(trade_row(trade));
  for (const journal::TradeRecord& trade : result.virtuals) rows.push_back(trade_row(trade));
  for (const journal::RefusalRecord& refusal : result.refusals) rows.push_back(refusal_row(refusal));
  std::sort(rows.begin(), rows.end());
  return rows;
}

namespace {

// The rows of a run on the bars before `cut` decided before it.
Result<std::vector<std::string>> rows_before(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                             const FeedBefore& feed_before, Timestamp cut) {
  WINISWIN_TRY(const std::unique_ptr<engine::BarFeed> feed, feed_before(cut));
  WINISWIN_TRY(std::vector<std::string> rows, decision_rows(check, strategy, model, *feed));
  std::erase_if(rows, [&](const std::string& row) { return decided_of(row) >= cut; });
  return rows;
}

// The first few rows where the two sorted lists differ (a row only one of them has included).
std::vector<CausalityDifference> differences(Timestamp cut, const std::vector<std::string>& full, const std::vector<std::string>& truncated,
                                             std::size_t limit) {
  std::vector<CausalityDifference> found;
  std::size_t in_full = 0, in_truncated = 0;
  while ((in_full < full.size() || in_truncated < truncated.size()) && found.size() < limit) {
    const std::string* left = in_full < full.size() ? &full[in_full] : nullptr;
    const std::string* right = in_truncated < truncated.size() ? &truncated[in_truncated] : nullptr;
    if (left && right && *left == *right) {
      ++in_full, ++in_truncated;
    } else if (left && right && left->substr(0, 15) == right->substr(0, 15)) {  // same decision, different rows: pair them
      found.push_back({cut, *left, *right});
      ++in_full, ++in_truncated;
    } else if (!right || (left && *left < *right)) {
      found.push_back({cut, *left, "(none)"});
      ++in_full;
    } else {
      found.push_back({cut, "(none)", *right});
      ++in_truncated;
    }
  }
  return found;
}

}  // namespace

Result<CausalityReport> check_causality(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                        const FeedBefore& feed_before, const std::vector<Timestamp>& cuts) {
  if (cuts.empty()) return make_error(ErrorCode::kInvalidArgument, "no cut times to check");
  WINISWIN_TRY(const std::vector<std::string> all, rows_before(check, strategy, model, feed_before, Timestamp::max()));
  CausalityReport report;
  for (const Timestamp cut : cuts) {
    WINISWIN_TRY(const std::vector<std::string> truncated, rows_before(check, strategy, model, feed_before, cut));
    std::vector<std::string> full;
    std::copy_if(all.begin(), all.end(), std::back_inserter(full), [&](const std::string& row) { return decided_of(row) < cut; });
    report.cuts.push_back(cut);
    report.rows_compared.push_back(full.size());
    for (CausalityDifference& difference : differences(cut, full, truncated, check.differences_per_cut)) {
      report.differences.push_back(std::move(difference));
    }
  }
  return report;
}

std::vector<Timestamp> spread_cuts(Timestamp first, Timestamp last, int count) {
  std::vector<Timestamp> cuts;
  const std::int64_t begin = to_ms(first), span = to_ms(last) - begin;
  for (int idx = 1; idx <= count; ++idx) {
    const std::int64_t at = begin + span * idx / (count + 1);
    const Timestamp cut = timestamp_from_ms(at - at % kFiveMinutes + kFiveMinutes);
    if (cuts.empty() || cuts.back() != cut) cuts.push_back(cut);
  }
  return cuts;
}

}  // namespace winiswin::backtest
