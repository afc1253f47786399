// The backtest's files, written as the run goes (buffered; nothing kept in memory):
//   trades.csv       real trades, one row each when it closes (columns: csv_recorder.cpp)
//   virtual.csv      virtual positions, the same columns
//   equity.csv       equity (wallet + unrealised) and trading state at each 5m close with data
//   transitions.csv  trading-state changes: when, from, to, why
//   refusals.csv     ranked signals that did not trade for real: when, symbol, rank, rule, why
//   orders.csv       each step of each order sent: sent, accepted / rejected / unknown, cancels
//   fills.csv        each fill of our orders, liquidations included
// `finish` flushes and closes them; a write or flush that fails is an error naming the file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "journal/recorder.h"

namespace winiswin::journal {

// Which columns trades.csv and virtual.csv have: a run with a model adds `ml_probability`
// and `ml_score` after the features (empty where a row has none); without one the files are
// as they always were.
enum class TradeColumns : std::uint8_t { kStandard, kWithModel };

// trades.csv's header and one row: real trades and virtual positions, every column, the 28
// features last (also the journal export's ML files), then the model's columns if asked.
std::string trade_csv_header(TradeColumns columns = TradeColumns::kStandard);
std::string trade_csv_row(const TradeRecord& trade, TradeColumns columns = TradeColumns::kStandard);

class CsvRecorder final : public Recorder {
 public:
  // Creates the folder if needed and the files with their headers.
  static Result<std::unique_ptr<CsvRecorder>> open(const std::filesystem::path& folder, TradeColumns columns = TradeColumns::kStandard);
  ~CsvRecorder() override;
  CsvRecorder(const CsvRecorder&) = delete;
  CsvRecorder& operator=(const CsvRecorder&) = delete;

  Status trade(const TradeRecord& row) override;
  Status virtual_position(const TradeRecord& row) override;
  Status equity(const EquityPoint& row) override;
  Status refusal(const RefusalRecord& row) override;
  Status transition(const risk::StateTransition& row) override;
  Status order(const OrderRecord& row) override;
  Status fill(const FillRecord& row) override;
  Status finish();

 private:
  struct File {
    std::filesystem::path path;
    std::FILE* handle = nullptr;
  };
  CsvRecorder() = default;
  static Status write(File& file, std::string_view text);

  File trades_, virtuals_, equity_, transitions_, refusals_, orders_, fills_;
  TradeColumns columns_ = TradeColumns::kStandard;
};

}  // namespace winiswin::journal
