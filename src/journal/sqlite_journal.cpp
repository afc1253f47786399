#include "journal/sqlite_journal.h"

#include <array>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "journal/detail/sqlite_statement.h"

namespace winiswin::journal {
namespace {

using detail::Statement;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trades ({trade});
CREATE TABLE IF NOT EXISTS virtual_positions ({trade});
CREATE TABLE IF NOT EXISTS equity (time INTEGER NOT NULL, equity REAL NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS refusals (decided INTEGER NOT NULL, symbol TEXT NOT NULL, rank INTEGER, rule TEXT, reason TEXT);
CREATE TABLE IF NOT EXISTS transitions (time INTEGER NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT);
CREATE TABLE IF NOT EXISTS orders (
  time INTEGER NOT NULL, symbol TEXT NOT NULL, client_id TEXT NOT NULL, type TEXT, side TEXT, quantity TEXT,
  trigger_price TEXT, reduce_only INTEGER, close_position INTEGER, step TEXT NOT NULL, venue_code INTEGER, message TEXT);
CREATE INDEX IF NOT EXISTS orders_by_client_id ON orders (client_id);
CREATE TABLE IF NOT EXISTS fills (
  time INTEGER NOT NULL, symbol TEXT NOT NULL, client_id TEXT, side TEXT, price TEXT, quantity TEXT, fee TEXT,
  realized_pnl TEXT, liquidation INTEGER);
)sql";

// Each step takes a journal of version N (its index + 1) to N + 1, in the transaction that
// writes the new version. A new file is made at version 1 (kSchema) and migrated like an old
// one, so both end with the same tables.
constexpr std::array<const char*, SqliteJournal::kSchemaVersion - 1> kMigrations = {
    // 1 → 2: the model's probability and blended score beside each trade (null without a
    // model) and the funding it paid; a row per decision; the circuit breaker's level changes.
    "ALTER TABLE trades ADD COLUMN ml_probability REAL; ALTER TABLE trades ADD COLUMN ml_score REAL; "
    "ALTER TABLE trades ADD COLUMN funding REAL NOT NULL DEFAULT 0; "
    "ALTER TABLE virtual_positions ADD COLUMN ml_probability REAL; ALTER TABLE virtual_positions ADD COLUMN ml_score REAL; "
    "ALTER TABLE virtual_positions ADD COLUMN funding REAL NOT NULL DEFAULT 0; "
    "CREATE TABLE decisions (decided INTEGER NOT NULL, candidates INTEGER, entries INTEGER, refused INTEGER, virtuals INTEGER, "
    "state TEXT NOT NULL, equity REAL); "
    "CREATE TABLE breaker_events (time INTEGER NOT NULL, from_level TEXT NOT NULL, to_level TEXT NOT NULL, reason TEXT);",
    // 2 → 3: the operator's control actions (ops: pause, resume, close), who asked and what came of it.
    "CREATE TABLE control_actions (received INTEGER NOT NULL, applied INTEGER NOT NULL, action TEXT NOT NULL, symbol TEXT, "
    "who TEXT NOT NULL, remote TEXT, ok INTEGER NOT NULL, result TEXT);",
    // 3 → 4: `ml promote`'s decisions, promoted or not, with both models' measures on the window.
    "CREATE TABLE model_promotions (time INTEGER NOT NULL, current TEXT NOT NULL, candidate TEXT NOT NULL, window_from INTEGER, "
    "window_to INTEGER, window_rows INTEGER, current_auc REAL, candidate_auc REAL, current_log_loss REAL, candidate_log_loss REAL, "
    "current_top_k REAL, candidate_top_k REAL, top_k INTEGER, promoted INTEGER NOT NULL, reason TEXT);",
    // 4 → 5: the paired bootstrap behind each promotion decision (ml/paired_bootstrap.h): the AUC gain's
    // lower bound, the log loss increase's upper bound, the resamples and the decision days drawn from.
    "ALTER TABLE model_promotions ADD COLUMN auc_gain_lower REAL; ALTER TABLE model_promotions ADD COLUMN log_loss_increase_upper REAL; "
    "ALTER TABLE model_promotions ADD COLUMN resamples INTEGER; ALTER TABLE model_promotions ADD COLUMN resampled_days INTEGER;",
    // 5 → 6: each trade's feature schema version (strategy::kFeatureVersion). Journals older than
    // this were written by builds of version 1.
    "ALTER TABLE trades ADD COLUMN feature_version INTEGER NOT NULL DEFAULT 1; "
    "ALTER TABLE virtual_positions ADD COLUMN feature_version INTEGER NOT NULL DEFAULT 1;",
};

// Real trades and virtual positions share their columns.
constexpr const char* kTradeTable =
    "symbol TEXT NOT NULL, side TEXT NOT NULL, rank INTEGER, confidence REAL, decided INTEGER NOT NULL, planned_entry TEXT, "
    "entry_time INTEGER, entry_price REAL, exit_time INTEGER, exit_price REAL, stop TEXT, target TEXT, quantity REAL, "
    "leverage INTEGER, margin TEXT, liquidation_price TEXT, pnl REAL, fees REAL, r_multiple REAL, exit_reason TEXT NOT NULL, "
    "features BLOB";
constexpr const char* kTradeColumns =
    "symbol, side, rank, confidence, decided, planned_entry, entry_time, entry_price, exit_time, exit_price, stop, target, "
    "quantity, leverage, margin, liquidation_price, pnl, fees, r_multiple, exit_reason, features, ml_probability, ml_score, funding, feature_version";

// The statements, by row kind; reads are prepared when asked for.
enum Write { kTrade, kVirtual, kEquity, kRefusal, kTransition, kOrder, kFill, kDecision, kBreaker, kControl, kPromotion, kWriteCount };
constexpr std::array<const char*, kWriteCount> kInserts = {
    "INSERT INTO trades VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO virtual_positions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO equity VALUES (?,?,?)",
    "INSERT INTO refusals VALUES (?,?,?,?,?)",
    "INSERT INTO transitions VALUES (?,?,?,?)",
    "INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO fills VALUES (?,?,?,?,?,?,?,?,?)",
    "INSERT INTO decisions VALUES (?,?,?,?,?,?,?)",
    "INSERT INTO breaker_events VALUES (?,?,?,?)",
    "INSERT INTO control_actions VALUES (?,?,?,?,?,?,?,?)",
    "INSERT INTO model_promotions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
};
constexpr int kRowsPerBatch = 4096;

// A name written by name_of back to its enum value: the values are tried in order.
template <typename Enum, std::size_t N>
Result<Enum> enum_named(std::string_view name, const std::array<Enum, N>& values, std::string_view what) {
  for (const Enum value : values) {
    if (name_of(value) == name) return value;
  }
  return make_error(ErrorCode::kCorrupt, fmt::format("journal: unknown {} '{}'", what, name));
}

constexpr std::array kSides{Side::kBuy, Side::kSell};
constexpr std::array kExitReasons{ExitReason::kTarget,  ExitReason::kStop,      ExitReason::kTimeout,         ExitReason::kLiquidation,
                                  ExitReason::kDataGap, ExitReason::kEndOfData, ExitReason::kProtectionFailed,
                                  ExitReason::kAutoDeleverage, ExitReason::kSettlement, ExitReason::kManual,
                                  ExitReason::kOperator, ExitReason::kModelExit};
constexpr std::array kStates{risk::TradingState::kNormal, risk::TradingState::kCautious, risk::TradingState::kRiskAverse,
                             risk::TradingState::kShutdown};
constexpr std::array kLevels{risk::BreakerLevel::kNormal, risk::BreakerLevel::kWarning, risk::BreakerLevel::kCritical,
                             risk::BreakerLevel::kEmergency};
constexpr std::array kSteps{OrderStep::kSent,       OrderStep::kAccepted, OrderStep::kRejected,
                            OrderStep::kUnknown,    OrderStep::kFound,    OrderStep::kNotFound,
                            OrderStep::kCancelSent, OrderStep::kCanceled, OrderStep::kCancelRefused};

template <typename T>
Result<T> exact(const std::string& text, std::string_view column) {
  auto value = T::parse(text);
  if (!value) return make_error(ErrorCode::kCorrupt, fmt::format("journal: column {}: {}", column, value.error().message));
  return value;
}

void bind_trade(Statement& insert, const TradeRecord& t) {
  insert.bind(1, t.symbol).bind(2, name_of(t.side)).bind(3, t.rank).bind(4, t.confidence).bind(5, to_ms(t.decided));
  insert.bind(6, t.planned_entry.to_string()).bind(7, to_ms(t.entry_time)).bind(8, t.entry_price).bind(9, to_ms(t.exit_time));
  insert.bind(10, t.exit_price).bind(11, t.stop.to_string()).bind(12, t.target.to_string()).bind(13, t.quantity);
  insert.bind(14, t.leverage).bind(15, t.margin.to_string());
  if (t.liquidation_price) {
    insert.bind(16, t.liquidation_price->to_string());
  } else {
    insert.bind_null(16);
  }
  insert.bind(17, t.pnl).bind(18, t.fees).bind(19, t.r_multiple).bind(20, name_of(t.exit_reason));
  insert.bind_blob(21, std::as_bytes(std::span(t.features)));
  const auto bind_optional = [&](int index, const std::optional<double>& value) {
    if (value) {
      insert.bind(index, *value);
    } else {
      insert.bind_null(index);
    }
  };
  bind_optional(22, t.ml_probability);
  bind_optional(23, t.ml_score);
  insert.bind(24, t.funding);
  insert.bind(25, t.feature_version);
}

Result<TradeRecord> read_trade(const Statement& row, bool is_virtual) {
  TradeRecord t;
  t.symbol = row.text(0);
  WINISWIN_TRY(t.side, enum_named(row.text(1), kSides, "side"));
  t.is_virtual = is_virtual;
  t.rank = static_cast<int>(row.integer(2));
  t.confidence = row.real(3);
  t.decided = timestamp_from_ms(row.integer(4));
  WINISWIN_TRY(t.planned_entry, exact<Price>(row.text(5), "planned_entry"));
  t.entry_time = timestamp_from_ms(row.integer(6));
  t.entry_price = row.real(7);
  t.exit_time = timestamp_from_ms(row.integer(8));
  t.exit_price = row.real(9);
  WINISWIN_TRY(t.stop, exact<Price>(row.text(10), "stop"));
  WINISWIN_TRY(t.target, exact<Price>(row.text(11), "target"));
  t.quantity = row.real(12);
  t.leverage = static_cast<int>(row.integer(13));
  WINISWIN_TRY(t.margin, exact<Notional>(row.text(14), "margin"));
  if (!row.is_null(15)) {
    WINISWIN_TRY(const Price liquidation, exact<Price>(row.text(15), "liquidation_price"));
    t.liquidation_price = liquidation;
  }
  t.pnl = row.real(16);
  t.fees = row.real(17);
  t.r_multiple = row.real(18);
  WINISWIN_TRY(t.exit_reason, enum_named(row.text(19), kExitReasons, "exit reason"));
  const std::span<const std::byte> features = row.blob(20);
  if (features.size() != sizeof(t.features)) {
    return make_error(ErrorCode::kCorrupt, fmt::format("journal: {} trade at {}: {} bytes of features, expected {}", t.symbol,
                                                       format_utc(t.decided), features.size(), sizeof(t.features)));
  }
  std::memcpy(t.features.data(), features.data(), features.size());
  if (!row.is_null(21)) t.ml_probability = row.real(21);
  if (!row.is_null(22)) t.ml_score = row.real(22);
  t.funding = row.real(23);
  t.feature_version = static_cast<int>(row.integer(24));
  return t;
}

}  // namespace

struct SqliteJournal::Impl {
  sqlite3* db = nullptr;
  Durability durability = Durability::kEveryRow;
  std::array<Statement, kWriteCount> inserts;
  int pending = 0;  // rows written in the open batch (kBatched)
  bool read_only = false;

  ~Impl() { sqlite3_close_v2(db); }

  // One row through `insert`: its own transaction (kEveryRow, autocommit) or the batch's.
  template <typename Bind>
  Status write(Write kind, const Bind& bind) {
    if (read_only) return make_error(ErrorCode::kInvalidArgument, "the journal was opened read-only: rows are written by the engine's connection");
    if (durability == Durability::kBatched && pending == 0) {
      if (auto status = detail::execute(db, "BEGIN"); !status) return status;
    }
    Statement& insert = inserts[kind];
    bind(insert);
    if (auto status = insert.run(); !status) return status;
    if (durability == Durability::kBatched && ++pending >= kRowsPerBatch) return commit();
    return Ok{};
  }

  Status commit() {
    if (pending == 0) return Ok{};
    pending = 0;
    return detail::execute(db, "COMMIT");
  }

  template <typename Row, typename Read>
  Result<std::vector<Row>> read_all(const std::string& sql, const Read& read) const {
    WINISWIN_TRY(Statement select, Statement::prepare(db, sql));
    std::vector<Row> rows;
    while (true) {
      WINISWIN_TRY(const bool more, select.next());
      if (!more) return rows;
      WINISWIN_TRY(Row row, read(select));
      rows.push_back(std::move(row));
    }
  }
};

namespace {

// The schema version in `meta`: a new file starts at 1; an older one is migrated step by step
// (each step and its new version in one transaction: a crash leaves the last whole step); a
// newer one is refused.
Result<std::optional<std::string>> stored_version(sqlite3* db) {
  WINISWIN_TRY(Statement read, Statement::prepare(db, "SELECT value FROM meta WHERE key = 'schema_version'"));
  WINISWIN_TRY(const bool found, read.next());
  if (!found) return std::optional<std::string>{};
  return std::optional<std::string>(read.text(0));
}  // the statement is finished here: a schema change needs none pending

Status migrate(sqlite3* db, const std::filesystem::path& file) {
  WINISWIN_TRY(const std::optional<std::string> stored, stored_version(db));
  if (!stored) {
    if (auto status = detail::execute(db, "INSERT INTO meta VALUES ('schema_version', '1')"); !status) return status;
  }
  int version = stored ? std::atoi(stored->c_str()) : 1;
  if (version < 1 || version > SqliteJournal::kSchemaVersion) {
    return make_error(ErrorCode::kCorrupt, fmt::format("{}: journal schema version {}, this winiswin reads versions 1 to {}: a newer "
                                                       "winiswin wrote it (use that one, or a new journal file)",
                                                       file.string(), *stored, SqliteJournal::kSchemaVersion));
  }
  for (; version < SqliteJournal::kSchemaVersion; ++version) {
    const std::string step = fmt::format("BEGIN; {} UPDATE meta SET value = '{}' WHERE key = 'schema_version'; COMMIT;",
                                         kMigrations[static_cast<std::size_t>(version - 1)], version + 1);
    if (auto status = detail::execute(db, step.c_str()); !status) {
      (void)detail::execute(db, "ROLLBACK");
      return status.error().with_context(fmt::format("{}: migrating the journal from version {} to {}", file.string(), version, version + 1));
    }
  }
  return Ok{};
}

}  // namespace

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(const std::filesystem::path& file, Durability durability) {
  auto impl = std::make_unique<Impl>();
  impl->durability = durability;
  if (sqlite3_open_v2(file.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return make_error(ErrorCode::kIo, fmt::format("{}: cannot open the journal: {}", file.string(),
                                                  impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3_busy_timeout(impl->db, 5'000);  // a reader (an export, the dashboard) holding the file briefly
  const char* pragmas = durability == Durability::kEveryRow ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                                            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;";
  if (auto status = detail::execute(impl->db, pragmas); !status) return status.error().with_context("journal settings");
  const std::string schema = fmt::format(fmt::runtime(kSchema), fmt::arg("trade", kTradeTable));
  if (auto status = detail::execute(impl->db, schema.c_str()); !status) return status.error().with_context("journal schema");
  if (auto status = migrate(impl->db, file); !status) return status.error();
  for (int kind = 0; kind < kWriteCount; ++kind) {
    WINISWIN_TRY(impl->inserts[static_cast<std::size_t>(kind)], Statement::prepare(impl->db, kInserts[static_cast<std::size_t>(kind)]));
  }
  return std::unique_ptr<SqliteJournal>(new SqliteJournal(std::move(impl)));
}

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open_read_only(const std::filesystem::path& file) {
  auto impl = std::make_unique<Impl>();
  impl->read_only = true;
  if (sqlite3_open_v2(file.c_str(), &impl->db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return make_error(ErrorCode::kIo, fmt::format("{}: cannot open the journal to read: {}", file.string(),
                                                  impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3_busy_timeout(impl->db, 5'000);
  auto stored = stored_version(impl->db);
  if (!stored) return stored.error().with_context(fmt::format("{}: reading the journal's schema version", file.string()));
  if (!*stored || std::atoi((*stored)->c_str()) != kSchemaVersion) {
    return make_error(ErrorCode::kCorrupt, fmt::format("{}: journal schema version {}, expected {} (open it once with this winiswin to migrate it)",
                                                       file.string(), stored->value_or("none"), kSchemaVersion));
  }
  return std::unique_ptr<SqliteJournal>(new SqliteJournal(std::move(impl)));
}

SqliteJournal::SqliteJournal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteJournal::~SqliteJournal() {
  if (impl_) (void)impl_->commit();  // flush() reports errors; here only what it did not commit
}

Status SqliteJournal::flush() { return impl_->commit(); }

Status SqliteJournal::trade(const TradeRecord& row) {
  return impl_->write(kTrade, [&](Statement& insert) { bind_trade(insert, row); });
}

Status SqliteJournal::virtual_position(const TradeRecord& row) {
  return impl_->write(kVirtual, [&](Statement& insert) { bind_trade(insert, row); });
}

Status SqliteJournal::equity(const EquityPoint& row) {
  return impl_->write(kEquity, [&](Statement& insert) {
    insert.bind(1, to_ms(row.time)).bind(2, row.equity).bind(3, risk::name_of(row.state));
  });
}

Status SqliteJournal::refusal(const RefusalRecord& row) {
  return impl_->write(kRefusal, [&](Statement& insert) {
    insert.bind(1, to_ms(row.decided)).bind(2, row.symbol).bind(3, row.rank).bind(4, row.limit).bind(5, row.reason);
  });
}

Status SqliteJournal::transition(const risk::StateTransition& row) {
  return impl_->write(kTransition, [&](Statement& insert) {
    insert.bind(1, to_ms(row.time)).bind(2, risk::name_of(row.from)).bind(3, risk::name_of(row.to)).bind(4, row.reason);
  });
}

Status SqliteJournal::order(const OrderRecord& row) {
  return impl_->write(kOrder, [&](Statement& insert) {
    insert.bind(1, to_ms(row.time)).bind(2, row.symbol).bind(3, row.client_id).bind(4, row.type).bind(5, name_of(row.side));
    insert.bind(6, row.quantity.to_string()).bind(7, row.trigger_price.to_string()).bind(8, row.reduce_only ? 1 : 0);
    insert.bind(9, row.close_position ? 1 : 0).bind(10, name_of(row.step)).bind(11, row.venue_code).bind(12, row.message);
  });
}

Status SqliteJournal::fill(const FillRecord& row) {
  return impl_->write(kFill, [&](Statement& insert) {
    insert.bind(1, to_ms(row.time)).bind(2, row.symbol).bind(3, row.client_id).bind(4, name_of(row.side));
    insert.bind(5, row.price.to_string()).bind(6, row.quantity.to_string()).bind(7, row.fee.to_string());
    insert.bind(8, row.realized_pnl.to_string()).bind(9, row.liquidation ? 1 : 0);
  });
}

Status SqliteJournal::decision(const DecisionRecord& row) {
  return impl_->write(kDecision, [&](Statement& insert) {
    insert.bind(1, to_ms(row.decided)).bind(2, row.candidates).bind(3, row.entries).bind(4, row.refused).bind(5, row.virtuals);
    insert.bind(6, risk::name_of(row.state)).bind(7, row.equity);
  });
}

Status SqliteJournal::breaker(const BreakerEvent& row) {
  return impl_->write(kBreaker, [&](Statement& insert) {
    insert.bind(1, to_ms(row.time)).bind(2, risk::name_of(row.from)).bind(3, risk::name_of(row.to)).bind(4, row.reason);
  });
}

Status SqliteJournal::control(const ControlRecord& row) {
  return impl_->write(kControl, [&](Statement& insert) {
    insert.bind(1, to_ms(row.received)).bind(2, to_ms(row.applied)).bind(3, row.action).bind(4, row.symbol).bind(5, row.who);
    insert.bind(6, row.remote).bind(7, row.ok ? 1 : 0).bind(8, row.result);
  });
}

Result<std::vector<ControlRecord>> SqliteJournal::control_actions() const {
  return impl_->read_all<ControlRecord>(
      "SELECT received, applied, action, symbol, who, remote, ok, result FROM control_actions ORDER BY rowid",
      [](const Statement& row) -> Result<ControlRecord> {
        return ControlRecord{timestamp_from_ms(row.integer(0)), timestamp_from_ms(row.integer(1)), row.text(2), row.text(3), row.text(4),
                             row.text(5), row.integer(6) != 0, row.text(7)};
      });
}

Status SqliteJournal::model_promotion(const ModelPromotionRecord& row) {
  return impl_->write(kPromotion, [&](Statement& insert) {
    insert.bind(1, to_ms(row.time)).bind(2, row.current).bind(3, row.candidate).bind(4, to_ms(row.window_from)).bind(5, to_ms(row.window_to));
    insert.bind(6, row.window_rows);
    const std::optional<double> measures[] = {row.current_auc,      row.candidate_auc,  row.current_log_loss,
                                              row.candidate_log_loss, row.current_top_k, row.candidate_top_k};
    for (int idx = 0; idx < 6; ++idx) {
      if (measures[idx]) {
        insert.bind(7 + idx, *measures[idx]);
      } else {
        insert.bind_null(7 + idx);
      }
    }
    insert.bind(13, row.top_k).bind(14, row.promoted ? 1 : 0).bind(15, row.reason);
    const std::optional<double> bounds[] = {row.auc_gain_lower, row.log_loss_increase_upper};
    for (int idx = 0; idx < 2; ++idx) {
      if (bounds[idx]) {
        insert.bind(16 + idx, *bounds[idx]);
      } else {
        insert.bind_null(16 + idx);
      }
    }
    insert.bind(18, row.resamples).bind(19, row.resampled_days);
  });
}

Result<std::vector<ModelPromotionRecord>> SqliteJournal::model_promotions() const {
  return impl_->read_all<ModelPromotionRecord>(
      "SELECT time, current, candidate, window_from, window_to, window_rows, current_auc, candidate_auc, current_log_loss, "
      "candidate_log_loss, current_top_k, candidate_top_k, top_k, promoted, reason, auc_gain_lower, log_loss_increase_upper, resamples, "
      "resampled_days FROM model_promotions ORDER BY rowid",
      [](const Statement& row) -> Result<ModelPromotionRecord> {
        ModelPromotionRecord p;
        p.time = timestamp_from_ms(row.integer(0));
        p.current = row.text(1);
        p.candidate = row.text(2);
        p.window_from = timestamp_from_ms(row.integer(3));
        p.window_to = timestamp_from_ms(row.integer(4));
        p.window_rows = row.integer(5);
        std::optional<double>* measures[] = {&p.current_auc,      &p.candidate_auc,  &p.current_log_loss,
                                             &p.candidate_log_loss, &p.current_top_k, &p.candidate_top_k};
        for (int idx = 0; idx < 6; ++idx) {
          if (!row.is_null(6 + idx)) *measures[idx] = row.real(6 + idx);
        }
        p.top_k = static_cast<int>(row.integer(12));
        p.promoted = row.integer(13) != 0;
        p.reason = row.text(14);
        if (!row.is_null(15)) p.auc_gain_lower = row.real(15);
        if (!row.is_null(16)) p.log_loss_increase_upper = row.real(16);
        p.resamples = row.is_null(17) ? 0 : row.integer(17);  // null: journalled before v5
        p.resampled_days = row.is_null(18) ? 0 : row.integer(18);
        return p;
      });
}

Result<std::vector<DecisionRecord>> SqliteJournal::decisions() const {
  return impl_->read_all<DecisionRecord>(
      "SELECT decided, candidates, entries, refused, virtuals, state, equity FROM decisions ORDER BY rowid",
      [](const Statement& row) -> Result<DecisionRecord> {
        DecisionRecord d;
        d.decided = timestamp_from_ms(row.integer(0));
        d.candidates = static_cast<int>(row.integer(1));
        d.entries = static_cast<int>(row.integer(2));
        d.refused = static_cast<int>(row.integer(3));
        d.virtuals = static_cast<int>(row.integer(4));
        WINISWIN_TRY(d.state, enum_named(row.text(5), kStates, "trading state"));
        d.equity = row.real(6);
        return d;
      });
}

namespace {

Result<BreakerEvent> read_breaker_event(const Statement& row) {
  WINISWIN_TRY(const risk::BreakerLevel from, enum_named(row.text(1), kLevels, "breaker level"));
  WINISWIN_TRY(const risk::BreakerLevel to, enum_named(row.text(2), kLevels, "breaker level"));
  return BreakerEvent{timestamp_from_ms(row.integer(0)), from, to, row.text(3)};
}

Result<RefusalRecord> read_refusal(const Statement& row) {
  return RefusalRecord{timestamp_from_ms(row.integer(0)), row.text(1), static_cast<int>(row.integer(2)), row.text(3), row.text(4)};
}

Result<risk::StateTransition> read_transition(const Statement& row) {
  WINISWIN_TRY(const risk::TradingState from, enum_named(row.text(1), kStates, "trading state"));
  WINISWIN_TRY(const risk::TradingState to, enum_named(row.text(2), kStates, "trading state"));
  return risk::StateTransition{from, to, timestamp_from_ms(row.integer(0)), row.text(3)};
}

Result<EquityPoint> read_equity_point(const Statement& row) {
  WINISWIN_TRY(const risk::TradingState state, enum_named(row.text(2), kStates, "trading state"));
  return EquityPoint{timestamp_from_ms(row.integer(0)), row.real(1), state};
}

// The newest `count` rows of `columns` FROM `table`, oldest first (a negative count reads none).
std::string latest_rows_sql(std::string_view columns, std::string_view table, int count) {
  return fmt::format("SELECT * FROM (SELECT {}, rowid AS row_number FROM {} ORDER BY rowid DESC LIMIT {}) ORDER BY row_number", columns,
                     table, std::max(count, 0));
}

}  // namespace

Result<std::vector<BreakerEvent>> SqliteJournal::breaker_events() const {
  return impl_->read_all<BreakerEvent>("SELECT time, from_level, to_level, reason FROM breaker_events ORDER BY rowid", read_breaker_event);
}

Result<std::vector<BreakerEvent>> SqliteJournal::latest_breaker_events(int count) const {
  return impl_->read_all<BreakerEvent>(latest_rows_sql("time, from_level, to_level, reason", "breaker_events", count), read_breaker_event);
}

Result<std::vector<RefusalRecord>> SqliteJournal::latest_refusals(int count) const {
  return impl_->read_all<RefusalRecord>(latest_rows_sql("decided, symbol, rank, rule, reason", "refusals", count), read_refusal);
}

Result<std::vector<risk::StateTransition>> SqliteJournal::latest_transitions(int count) const {
  return impl_->read_all<risk::StateTransition>(latest_rows_sql("time, from_state, to_state, reason", "transitions", count), read_transition);
}

Result<std::vector<TradeRecord>> SqliteJournal::trades_exited_since(Timestamp from) const {
  const std::string sql = fmt::format("SELECT {} FROM trades WHERE exit_time >= {} ORDER BY rowid", kTradeColumns, to_ms(from));
  return impl_->read_all<TradeRecord>(sql, [](const Statement& row) { return read_trade(row, false); });
}

Result<std::vector<EquityPoint>> SqliteJournal::equity_points_since(Timestamp from) const {
  return impl_->read_all<EquityPoint>(fmt::format("SELECT time, equity, state FROM equity WHERE time >= {} ORDER BY rowid", to_ms(from)),
                                      read_equity_point);
}

Result<std::vector<TradeRecord>> SqliteJournal::trades(bool virtual_positions) const {
  const std::string sql = fmt::format("SELECT {} FROM {} ORDER BY rowid", kTradeColumns, virtual_positions ? "virtual_positions" : "trades");
  return impl_->read_all<TradeRecord>(sql, [&](const Statement& row) { return read_trade(row, virtual_positions); });
}

Result<std::vector<EquityPoint>> SqliteJournal::equity_points() const {
  return impl_->read_all<EquityPoint>("SELECT time, equity, state FROM equity ORDER BY rowid", read_equity_point);
}

Result<std::vector<RefusalRecord>> SqliteJournal::refusals() const {
  return impl_->read_all<RefusalRecord>("SELECT decided, symbol, rank, rule, reason FROM refusals ORDER BY rowid", read_refusal);
}

Result<std::vector<risk::StateTransition>> SqliteJournal::transitions() const {
  return impl_->read_all<risk::StateTransition>("SELECT time, from_state, to_state, reason FROM transitions ORDER BY rowid", read_transition);
}

Result<std::vector<OrderRecord>> SqliteJournal::orders() const {
  return impl_->read_all<OrderRecord>(
      "SELECT time, symbol, client_id, type, side, quantity, trigger_price, reduce_only, close_position, step, venue_code, message "
      "FROM orders ORDER BY rowid",
      [](const Statement& row) -> Result<OrderRecord> {
        OrderRecord o;
        o.time = timestamp_from_ms(row.integer(0));
        o.symbol = row.text(1);
        o.client_id = row.text(2);
        o.type = row.text(3);
        WINISWIN_TRY(o.side, enum_named(row.text(4), kSides, "side"));
        WINISWIN_TRY(o.quantity, exact<Quantity>(row.text(5), "quantity"));
        WINISWIN_TRY(o.trigger_price, exact<Price>(row.text(6), "trigger_price"));
        o.reduce_only = row.integer(7) != 0;
        o.close_position = row.integer(8) != 0;
        WINISWIN_TRY(o.step, enum_named(row.text(9), kSteps, "order step"));
        o.venue_code = static_cast<int>(row.integer(10));
        o.message = row.text(11);
        return o;
      });
}

Result<std::vector<FillRecord>> SqliteJournal::fills() const {
  return impl_->read_all<FillRecord>(
      "SELECT time, symbol, client_id, side, price, quantity, fee, realized_pnl, liquidation FROM fills ORDER BY rowid",
      [](const Statement& row) -> Result<FillRecord> {
        FillRecord f;
        f.time = timestamp_from_ms(row.integer(0));
        f.symbol = row.text(1);
        f.client_id = row.text(2);
        WINISWIN_TRY(f.side, enum_named(row.text(3), kSides, "side"));
        WINISWIN_TRY(f.price, exact<Price>(row.text(4), "price"));
        WINISWIN_TRY(f.quantity, exact<Quantity>(row.text(5), "quantity"));
        WINISWIN_TRY(f.fee, exact<Notional>(row.text(6), "fee"));
        WINISWIN_TRY(f.realized_pnl, exact<Notional>(row.text(7), "realized_pnl"));
        f.liquidation = row.integer(8) != 0;
        return f;
      });
}

}  // namespace winiswin::journal
