#include "ml/walk_forward.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace winiswin::ml {
namespace {

bool in(const Month& month, Timestamp time) { return time >= month.start && time < month.end; }

}  // namespace

Month month_of(Timestamp time) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(time)};
  const std::chrono::year_month first = day.year() / day.month();
  const std::chrono::year_month next = first + std::chrono::months{1};
  const auto start_of = [](std::chrono::year_month month) {
    return Timestamp{std::chrono::sys_days{month / std::chrono::day{1}}};
  };
  return Month{start_of(first), start_of(next),
               fmt::format("{:04}-{:02}", static_cast<int>(day.year()), static_cast<unsigned>(day.month()))};
}

std::vector<Month> months_of(std::span<const Timestamp> times) {
  std::vector<Timestamp> starts;
  for (const Timestamp time : times) starts.push_back(month_of(time).start);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<Month> months;
  for (const Timestamp start : starts) months.push_back(month_of(start));
  return months;
}

Result<std::vector<Fold>> plan_folds(std::span<const Month> months, int train_months, bool expanding) {
  if (train_months < 1) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--train-months {}: at least 1 month must train each model", train_months));
  }
  const auto needed = static_cast<std::size_t>(train_months) + 1;
  if (months.size() < needed) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("--train-months {} needs at least {} months with data (K to train, one to test); the data has {}",
                                  train_months, needed, months.size()));
  }
  std::vector<Fold> folds;
  for (std::size_t test = needed - 1; test < months.size(); ++test) {
    const std::size_t first = expanding ? 0 : test - static_cast<std::size_t>(train_months);
    folds.push_back(Fold{months[test], std::vector<Month>(months.begin() + static_cast<std::ptrdiff_t>(first),
                                                          months.begin() + static_cast<std::ptrdiff_t>(test))});
  }
  return folds;
}

Timestamp label_end(const LabelledRow& row, Milliseconds horizon) { return std::max(row.decided + horizon, row.exited); }

FoldRows split_fold(std::span<const LabelledRow> rows, const Fold& fold, Milliseconds horizon) {
  FoldRows split;
  const auto in_training = [&](Timestamp time) {
    return std::any_of(fold.train.begin(), fold.train.end(), [&](const Month& month) { return in(month, time); });
  };
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    const LabelledRow& row = rows[idx];
    const bool test = in(fold.test, row.decided), train = in_training(row.decided);
    if (!test && !train) continue;
    if (censored(row)) {
      ++split.censored;
    } else if (test) {
      split.test.push_back(idx);
    } else if (label_end(row, horizon) >= fold.test.start) {
      ++split.purged;
    } else {
      split.train.push_back(idx);
    }
  }
  return split;
}

}  // namespace winiswin::ml
