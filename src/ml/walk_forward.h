// The walk-forward's calendar: which months test, which months train each, and which
// labelled rows fall on which side. Pure: no model, no backtest (src/app/ml_walk_forward.cpp
// runs them).
//
// Months are calendar months (UTC) that hold data; with holes in the data (the real folder has
// scattered months), "the K months before M" are the K latest months *with data* before M.
// Training rows of a fold are purged when their label window — decision + horizon (24 h, the
// longest a position is held), or the exit if that came later — reaches M's start, so no
// training label overlaps the test month. Rolling and expanding windows train only on months
// before M: nothing after the test month is used, so there is nothing to embargo (an embargo
// of one horizon after M would be needed only if later data trained the model).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "ml/dataset.h"

namespace winiswin::ml {

struct Month {
  Timestamp start;  // the 1st, 00:00 UTC
  Timestamp end;    // the next month's start (exclusive)
  std::string name; // "2026-02"
};

// The month holding `time`.
Month month_of(Timestamp time);
// The distinct months of `times` (any order), ascending.
std::vector<Month> months_of(std::span<const Timestamp> times);

struct Fold {
  Month test;
  std::vector<Month> train;  // ascending, all before `test`
};
// A fold per month from the (K+1)-th on: trained on the K months before it (rolling) or on
// all before it (expanding). Errors: K < 1, fewer than K + 1 months.
Result<std::vector<Fold>> plan_folds(std::span<const Month> months, int train_months, bool expanding);

struct FoldRows {
  std::vector<std::size_t> train;  // indexes into the rows, in their order
  std::vector<std::size_t> test;
  std::size_t purged = 0;    // decided in a training month, label window reaching the test month
  std::size_t censored = 0;  // decided in a training or the test month, no outcome (dataset.h)
};
FoldRows split_fold(std::span<const LabelledRow> rows, const Fold& fold, Milliseconds horizon);

// When a row's label became known, at the latest: decision + horizon, or the exit if later.
Timestamp label_end(const LabelledRow& row, Milliseconds horizon);

}  // namespace winiswin::ml
