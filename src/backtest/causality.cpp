#include "backtest/causality.h"

#include <algorithm>
#include <functional>

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

// Where a run's rows go, each with its decision time.
using RowSink = std::function<void(Timestamp decided, std::string row)>;

// The candidates of one decision as rows: each one's proposal and the model's score of it.
class SignalRows {
 public:
  SignalRows(const strategy::Strategy& strategy, const ml::Model& model, const RowSink& sink) : strategy_(strategy), model_(model), sink_(sink) {}

  void operator()(Timestamp decided, std::span<const engine::Candidate> candidates) {
    batch_.clear();
    for (const engine::Candidate& candidate : candidates) {
      strategy::Evaluation evaluation = strategy_.propose(*candidate.snapshot, *candidate.score, *candidate.instrument);
      if (evaluation.signal) {
        batch_.push_back(std::move(*evaluation.signal));
      } else {
        sink_(decided, head(decided, "no-signal", candidate.snapshot->symbol) +
                           fmt::format(" {} confidence={} ({})", name_of(candidate.score->side), candidate.score->confidence, evaluation.reason));
      }
    }
    scores_.assign(batch_.size(), 0.0);
    probabilities_.assign(batch_.size(), 0.0);
    if (auto status = model_.evaluate(batch_, scores_, probabilities_); !status) {
      failure_ = status.error();
      return;
    }
    for (std::size_t idx = 0; idx < batch_.size(); ++idx) sink_(decided, signal_row(decided, batch_[idx], scores_[idx], probabilities_[idx]));
  }

  [[nodiscard]] const std::optional<Error>& failure() const { return failure_; }

 private:
  const strategy::Strategy& strategy_;
  const ml::Model& model_;
  const RowSink& sink_;
  std::vector<strategy::Signal> batch_;
  std::vector<double> scores_, probabilities_;
  std::optional<Error> failure_;
};

// One backtest on `feed`, every row it decided to `sink`.
Status emit_rows(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model, engine::BarFeed& feed,
                 const RowSink& sink) {
  auto signals = std::make_shared<SignalRows>(strategy, model, sink);
  SimulatedBacktestConfig config = check.config;
  config.on_candidates = [signals](Timestamp decided, std::span<const engine::Candidate> candidates) { (*signals)(decided, candidates); };
  config.progress = nullptr;
  SimulatedBacktest backtest(check.instruments, check.brackets, strategy, config, model);
  WINISWIN_TRY(const engine::BacktestResult result, backtest.run(feed));
  if (signals->failure()) return *signals->failure();
  for (const journal::TradeRecord& trade : result.trades) sink(trade.decided, trade_row(trade));
  for (const journal::TradeRecord& trade : result.virtuals) sink(trade.decided, trade_row(trade));
  for (const journal::RefusalRecord& refusal : result.refusals) sink(refusal.decided, refusal_row(refusal));
  return Ok{};
}

// A run's rows at one decision time, summarised: how many and the sum of their hashes (the
// order they come in does not matter). Held per decision instead of the rows themselves: a
// month of 200 symbols is ~1.5 million rows (~3 GB as text).
struct Digest {
  std::size_t rows = 0;
  std::uint64_t hash_sum = 0;
  bool operator==(const Digest&) const = default;
};
using Digests = std::map<Timestamp, Digest>;

Result<Digests> digests_of(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                           const FeedBefore& feed_before, Timestamp cut) {
  WINISWIN_TRY(const std::unique_ptr<engine::BarFeed> feed, feed_before(cut));
  Digests digests;
  const RowSink sink = [&](Timestamp decided, std::string row) {
    if (decided >= cut) return;
    Digest& digest = digests[decided];
    ++digest.rows;
    digest.hash_sum += std::hash<std::string>{}(row);
  };
  if (auto status = emit_rows(check, strategy, model, *feed, sink); !status) return status.error();
  return digests;
}

// The decision times before `cut` whose digests differ (the first `limit`).
std::vector<Timestamp> differing_times(const Digests& whole, const Digests& truncated, Timestamp cut, std::size_t limit) {
  std::vector<Timestamp> times;
  for (auto left = whole.begin(), right = truncated.begin(); times.size() < limit;) {
    const bool left_done = left == whole.end() || left->first >= cut, right_done = right == truncated.end();
    if (left_done && right_done) break;
    if (!left_done && !right_done && left->first == right->first) {
      if (!(left->second == right->second)) times.push_back(left->first);
      ++left, ++right;
    } else if (right_done || (!left_done && left->first < right->first)) {
      times.push_back((left++)->first);
    } else {
      times.push_back((right++)->first);
    }
  }
  return times;
}

// The rows of a run on the bars before `cut` decided at one of `times`, sorted.
Result<std::vector<std::string>> rows_at(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                         const FeedBefore& feed_before, Timestamp cut, const std::vector<Timestamp>& times) {
  WINISWIN_TRY(const std::unique_ptr<engine::BarFeed> feed, feed_before(cut));
  std::vector<std::string> rows;
  const RowSink sink = [&](Timestamp decided, std::string row) {
    if (std::find(times.begin(), times.end(), decided) != times.end()) rows.push_back(std::move(row));
  };
  if (auto status = emit_rows(check, strategy, model, *feed, sink); !status) return status.error();
  std::sort(rows.begin(), rows.end());
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

Timestamp decided_of(const std::string& row) { return timestamp_from_ms(std::stoll(row.substr(0, 15))); }

Result<std::vector<std::string>> decision_rows(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                               engine::BarFeed& feed) {
  std::vector<std::string> rows;
  const RowSink sink = [&](Timestamp, std::string row) { rows.push_back(std::move(row)); };
  if (auto status = emit_rows(check, strategy, model, feed, sink); !status) return status.error();
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Each cut compared by digests per decision; only where they differ are the rows made again
// (both runs once more, keeping those decisions' rows) to show what differs.
Result<CausalityReport> check_causality(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                        const FeedBefore& feed_before, const std::vector<Timestamp>& cuts) {
  if (cuts.empty()) return make_error(ErrorCode::kInvalidArgument, "no cut times to check");
  WINISWIN_TRY(const Digests whole, digests_of(check, strategy, model, feed_before, Timestamp::max()));
  CausalityReport report;
  for (const Timestamp cut : cuts) {
    WINISWIN_TRY(const Digests truncated, digests_of(check, strategy, model, feed_before, cut));
    std::size_t compared = 0;
    for (auto it = whole.begin(); it != whole.end() && it->first < cut; ++it) compared += it->second.rows;
    report.cuts.push_back(cut);
    report.rows_compared.push_back(compared);
    const std::vector<Timestamp> times = differing_times(whole, truncated, cut, check.differences_per_cut);
    if (times.empty()) continue;
    WINISWIN_TRY(const std::vector<std::string> whole_rows, rows_at(check, strategy, model, feed_before, Timestamp::max(), times));
    WINISWIN_TRY(const std::vector<std::string> cut_rows, rows_at(check, strategy, model, feed_before, cut, times));
    for (CausalityDifference& difference : differences(cut, whole_rows, cut_rows, check.differences_per_cut)) {
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
