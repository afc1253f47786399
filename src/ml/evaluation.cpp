#include "ml/evaluation.h"

#include <algorithm>
#include <iterator>
#include <cmath>
#include <map>
#include <numeric>

namespace winiswin::ml {
namespace {

constexpr double kProbabilityClip = 1e-15;  // XGBoost's logloss clips as this does
constexpr double kShareFloor = 1e-4;

// Row indexes ordered by value (stable: ties keep the given order).
std::vector<std::size_t> order_by(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t lhs, std::size_t rhs) { return values[lhs] < values[rhs]; });
  return order;
}

// Shares of `values` in the bins cut at `cuts` (ascending): bin i holds cuts[i-1] ≤ v < cuts[i];
// a last bin holds the missing values (NaN).
std::vector<double> shares(std::span<const double> values, const std::vector<double>& cuts) {
  std::vector<double> counts(cuts.size() + 2, 0.0);
  for (const double value : values) {
    const auto bin = std::isnan(value) ? cuts.size() + 1
                                       : static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), value) - cuts.begin());
    counts[bin] += 1.0;
  }
  for (double& count : counts) count = std::max(count / static_cast<double>(values.size()), kShareFloor);
  return counts;
}

}  // namespace

std::vector<double> average_ranks(std::span<const double> values) {
  const std::vector<std::size_t> order = order_by(values);
  std::vector<double> ranks(values.size());
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;  // one past the run of equal values
    while (last < order.size() && values[order[last]] == values[order[first]]) ++last;
    const double rank = 0.5 * static_cast<double>(first + 1 + last);  // ranks first+1 … last
    for (std::size_t at = first; at < last; ++at) ranks[order[at]] = rank;
    first = last;
  }
  return ranks;
}

std::optional<double> auc(std::span<const double> predicted, std::span<const bool> won) {
  const std::vector<double> ranks = average_ranks(predicted);
  double win_rank_sum = 0.0;  // half-integers: exact in any order
  std::size_t wins = 0;
  for (std::size_t idx = 0; idx < ranks.size(); ++idx) {
    if (!won[idx]) continue;
    win_rank_sum += ranks[idx];
    ++wins;
  }
  const std::size_t losses = ranks.size() - wins;
  if (wins == 0 || losses == 0) return std::nullopt;
  const double n_wins = static_cast<double>(wins);
  return (win_rank_sum - n_wins * (n_wins + 1.0) / 2.0) / (n_wins * static_cast<double>(losses));
}

double spearman(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
  const double mean = 0.5 * static_cast<double>(x.size() + 1);
  double xy = 0.0, xx = 0.0, yy = 0.0;
  for (std::size_t idx = 0; idx < x.size(); ++idx) {
    xy += (rx[idx] - mean) * (ry[idx] - mean);
    xx += (rx[idx] - mean) * (rx[idx] - mean);
    yy += (ry[idx] - mean) * (ry[idx] - mean);
  }
  if (xx == 0.0 || yy == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return xy / std::sqrt(xx * yy);
}

std::optional<double> log_loss(std::span<const double> predicted, std::span<const bool> won) {
  if (predicted.empty()) return std::nullopt;
  double sum = 0.0;
  for (std::size_t idx = 0; idx < predicted.size(); ++idx) {
    const double p = std::clamp(predicted[idx], kProbabilityClip, 1.0 - kProbabilityClip);
    sum -= won[idx] ? std::log(p) : std::log(1.0 - p);
  }
  return sum / static_cast<double>(predicted.size());
}

std::vector<CalibrationBin> calibration_table(std::span<const double> predicted, std::span<const bool> won, std::size_t bins) {
  const std::vector<std::size_t> order = order_by(predicted);
  std::vector<CalibrationBin> table;
  if (bins == 0) return table;
  const std::size_t base = order.size() / bins, larger = order.size() % bins;
  std::size_t next = 0;
  for (std::size_t bin = 0; bin < bins; ++bin) {
    const std::size_t size = base + (bin < larger ? 1 : 0);
    if (size == 0) continue;
    CalibrationBin row;
    row.rows = size;
    for (std::size_t idx = next; idx < next + size; ++idx) {
      row.mean_predicted += predicted[order[idx]];
      row.observed_win_rate += won[order[idx]] ? 1.0 : 0.0;
    }
    row.mean_predicted /= static_cast<double>(size);
    row.observed_win_rate /= static_cast<double>(size);
    table.push_back(row);
    next += size;
  }
  return table;
}

TopK precision_at_top(std::span<const Timestamp> decided, std::span<const double> score, std::span<const bool> won, std::size_t k) {
  std::map<Timestamp, std::vector<std::size_t>> by_time;
  for (std::size_t idx = 0; idx < decided.size(); ++idx) by_time[decided[idx]].push_back(idx);
  TopK top;
  std::size_t wins = 0;
  for (auto& [time, rows] : by_time) {
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t lhs, std::size_t rhs) { return score[lhs] > score[rhs]; });
    for (std::size_t idx = 0; idx < rows.size() && idx < k; ++idx) {
      ++top.picked;
      if (won[rows[idx]]) ++wins;
    }
  }
  if (top.picked > 0) top.win_rate = static_cast<double>(wins) / static_cast<double>(top.picked);
  return top;
}

std::optional<double> population_stability(std::span<const double> expected, std::span<const double> actual, std::size_t bins) {
  if (expected.empty() || actual.empty() || bins == 0) return std::nullopt;
  std::vector<double> sorted;
  std::copy_if(expected.begin(), expected.end(), std::back_inserter(sorted), [](double value) { return !std::isnan(value); });
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> cuts;
  for (std::size_t bin = 1; bin < bins && !sorted.empty(); ++bin) {
    const double cut = sorted[bin * sorted.size() / bins];
    if (cut > sorted.front() && (cuts.empty() || cut > cuts.back())) cuts.push_back(cut);
  }
  const std::vector<double> expected_shares = shares(expected, cuts), actual_shares = shares(actual, cuts);
  double psi = 0.0;
  for (std::size_t bin = 0; bin < expected_shares.size(); ++bin) {
    psi += (actual_shares[bin] - expected_shares[bin]) * std::log(actual_shares[bin] / expected_shares[bin]);
  }
  return psi;
}

}  // namespace winiswin::ml
