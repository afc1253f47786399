// The labelled data set: one row per signal — the 28 features at the decision and the outcome
// under the same fill rules as real trades (virtual positions fill as real ones do,
// execution/virtual_book.h) — read back from the backtest's trades.csv and virtual.csv, or
// the journal export's ml_real.csv and ml_virtual.csv (the same columns), by column name.
//
// The label: a signal wins when its R multiple net of fees is above 0, where
//   r_net = r_multiple − taker_fee · (entry_price + exit_price) / |planned_entry − stop|
// (fees in R: both legs pay the taker rate — the entry is a MARKET order, stops and targets
// are STOP_MARKET / TAKE_PROFIT_MARKET; per unit of quantity, so real and virtual rows, which
// have no quantity, are labelled alike). Funding is not in the label (virtual positions pay none).
// Rows whose outcome was cut short by the data ("end of data", "data gap") or by the model exit
// ("model exit": a model would learn its own exits, not where the trade went) are censored:
// kept here, left out of training (trainer.h).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "strategy/signal.h"

namespace winiswin::ml {

struct LabelledRow {
  std::string symbol;
  Side side = Side::kBuy;  // LONG: buy
  Timestamp decided;      // the 5m close of the decision
  bool is_virtual = false;
  int rank = 0;
  double confidence = 0.0;
  strategy::FeatureVector features{};
  double r_multiple = 0.0;  // before fees
  double r_net = 0.0;       // net of fees (above)
  bool win = false;         // r_net > 0
  Milliseconds holding{};   // exit − entry
  Timestamp exited;         // when the outcome became known (the exit)
  std::string exit_reason;  // target, stop, timeout, liquidation, data gap, end of data, protection failed
};

// The outcome was cut short by the data or the model exit: not a label.
bool censored(const LabelledRow& row);

struct DatasetOptions {
  double taker_fee = 0.0005;  // the fee rate of each leg (the simulator's default taker rate)
};

// The rows at `indexes`, copied (as ml::train takes them).
std::vector<LabelledRow> rows_at(std::span<const LabelledRow> rows, std::span<const std::size_t> indexes);
// The rows' features at `indexes`, row after row, as the models take them (float, row-major).
std::vector<float> feature_matrix(std::span<const LabelledRow> rows, std::span<const std::size_t> indexes);

// One file of trades.csv's columns (any order; extra columns ignored). An error names the
// file, the line and the column.
Result<std::vector<LabelledRow>> read_trade_csv(const std::filesystem::path& file, const DatasetOptions& options);
// Every file, concatenated in decision-time order (ties: symbol, then real before virtual).
Result<std::vector<LabelledRow>> read_datasets(std::span<const std::filesystem::path> files, const DatasetOptions& options);

}  // namespace winiswin::ml
