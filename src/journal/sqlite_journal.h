// The live journal: every recorded row in one SQLite file, committed as it comes, so that a
// process killed at any instant loses nothing it had recorded — and the intent of an order,
// recorded before the call that sends it, names every order that may exist at the venue
// when the process starts again.
//
// Tables (one per row kind, columns as the CSV files'): trades, virtual_positions, equity,
// refusals, transitions, orders, fills, decisions, breaker_events, control_actions, model_promotions; `meta` holds the schema
// version: an older file is migrated step by step when opened (each step one transaction), a
// newer one refused with a clear error. Money is exact decimal
// text; times are UTC milliseconds; a trade's 28 features are a blob of 28 doubles, with the feature version that computed them.
//
// Durability:
//   kEveryRow   (live) each row is its own transaction, WAL with synchronous=FULL: once a
//               call returns Ok, the row survives a crash of the process or of the machine
//   kBatched    (backtest exports, tests) rows are committed in transactions of many rows,
//               synchronous=OFF; `flush` commits what is pending, and so does the destructor
//
// Not thread-safe: one thread (the decision loop) writes. SQLite stays out of this header.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "journal/recorder.h"

namespace winiswin::journal {

enum class Durability { kEveryRow, kBatched };

class SqliteJournal final : public Recorder {
 public:
  static constexpr int kSchemaVersion = 6;

  // Opens (creating the file and its tables when new) `file`.
  static Result<std::unique_ptr<SqliteJournal>> open(const std::filesystem::path& file, Durability durability = Durability::kEveryRow);
  // Opens an existing journal for reading only, on a connection of its own (ops' HTTP thread
  // reads trades and equity while the engine writes through its connection; WAL lets both
  // go on). Nothing is created or migrated: a file of another schema version is refused.
  // Every write returns kInvalidArgument.
  static Result<std::unique_ptr<SqliteJournal>> open_read_only(const std::filesystem::path& file);
  ~SqliteJournal() override;
  SqliteJournal(const SqliteJournal&) = delete;
  SqliteJournal& operator=(const SqliteJournal&) = delete;

  Status trade(const TradeRecord& row) override;
  Status virtual_position(const TradeRecord& row) override;
  Status equity(const EquityPoint& row) override;
  Status refusal(const RefusalRecord& row) override;
  Status transition(const risk::StateTransition& row) override;
  Status order(const OrderRecord& row) override;
  Status fill(const FillRecord& row) override;
  Status decision(const DecisionRecord& row) override;
  Status breaker(const BreakerEvent& row) override;
  Status control(const ControlRecord& row) override;
  // Commits the rows pending in kBatched mode (nothing to do in kEveryRow).
  Status flush();

  // Reading back, oldest first (start-up, reports, the ML export).
  Result<std::vector<TradeRecord>> trades(bool virtual_positions = false) const;
  Result<std::vector<EquityPoint>> equity_points() const;
  Result<std::vector<RefusalRecord>> refusals() const;
  Result<std::vector<risk::StateTransition>> transitions() const;
  Result<std::vector<OrderRecord>> orders() const;
  Result<std::vector<FillRecord>> fills() const;
  Result<std::vector<DecisionRecord>> decisions() const;
  Result<std::vector<BreakerEvent>> breaker_events() const;
  Result<std::vector<ControlRecord>> control_actions() const;
  // `ml promote`'s decisions (not the engine's: no Recorder call), oldest first.
  Status model_promotion(const ModelPromotionRecord& row);
  Result<std::vector<ModelPromotionRecord>> model_promotions() const;
  // What ops shows, read by SQL rather than whole tables: the real trades that exited at or
  // after `from`, the equity marks at or after `from`, and the newest `count` refusals,
  // transitions and breaker events (oldest first).
  Result<std::vector<TradeRecord>> trades_exited_since(Timestamp from) const;
  Result<std::vector<EquityPoint>> equity_points_since(Timestamp from) const;
  Result<std::vector<RefusalRecord>> latest_refusals(int count) const;
  Result<std::vector<risk::StateTransition>> latest_transitions(int count) const;
  Result<std::vector<BreakerEvent>> latest_breaker_events(int count) const;

 private:
  struct Impl;
  explicit SqliteJournal(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::journal
