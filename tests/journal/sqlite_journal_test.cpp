#include "journal/sqlite_journal.h"

#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace winiswin::journal {
namespace {

const Timestamp kTime = timestamp_from_ms(1'767'225'900'000);  // 2026-01-01 00:05 UTC

// A journal as a version-1 winiswin made it (with one equity row and one order).
constexpr const char* kVersionOneSchema = R"sql(
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '1');
      CREATE TABLE trades (symbol TEXT NOT NULL, side TEXT NOT NULL, rank INTEGER, confidence REAL, decided INTEGER NOT NULL,
        planned_entry TEXT, entry_time INTEGER, entry_price REAL, exit_time INTEGER, exit_price REAL, stop TEXT, target TEXT,
        quantity REAL, leverage INTEGER, margin TEXT, liquidation_price TEXT, pnl REAL, fees REAL, r_multiple REAL,
        exit_reason TEXT NOT NULL, features BLOB);
      CREATE TABLE virtual_positions (symbol TEXT NOT NULL, side TEXT NOT NULL, rank INTEGER, confidence REAL, decided INTEGER NOT NULL,
        planned_entry TEXT, entry_time INTEGER, entry_price REAL, exit_time INTEGER, exit_price REAL, stop TEXT, target TEXT,
        quantity REAL, leverage INTEGER, margin TEXT, liquidation_price TEXT, pnl REAL, fees REAL, r_multiple REAL,
        exit_reason TEXT NOT NULL, features BLOB);
      CREATE TABLE equity (time INTEGER NOT NULL, equity REAL NOT NULL, state TEXT NOT NULL);
      INSERT INTO equity VALUES (1767225900000, 10000.5, 'NORMAL');
      CREATE TABLE refusals (decided INTEGER NOT NULL, symbol TEXT NOT NULL, rank INTEGER, rule TEXT, reason TEXT);
      CREATE TABLE transitions (time INTEGER NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT);
      CREATE TABLE orders (time INTEGER NOT NULL, symbol TEXT NOT NULL, client_id TEXT NOT NULL, type TEXT, side TEXT, quantity TEXT,
        trigger_price TEXT, reduce_only INTEGER, close_position INTEGER, step TEXT NOT NULL, venue_code INTEGER, message TEXT);
      CREATE INDEX orders_by_client_id ON orders (client_id);
      INSERT INTO orders VALUES (1767225900000, 'BTCUSDT', 'live-1-E', 'MARKET', 'BUY', '0.01', '0', 0, 0, 'sent', 0, '');
      CREATE TABLE fills (time INTEGER NOT NULL, symbol TEXT NOT NULL, client_id TEXT, side TEXT, price TEXT, quantity TEXT, fee TEXT,
        realized_pnl TEXT, liquidation INTEGER);
    )sql";
// What version 2 added to it (the 1 → 2 step as that version wrote it).
constexpr const char* kVersionTwoSteps = R"sql(
  ALTER TABLE trades ADD COLUMN ml_probability REAL; ALTER TABLE trades ADD COLUMN ml_score REAL;
  ALTER TABLE trades ADD COLUMN funding REAL NOT NULL DEFAULT 0;
  ALTER TABLE virtual_positions ADD COLUMN ml_probability REAL; ALTER TABLE virtual_positions ADD COLUMN ml_score REAL;
  ALTER TABLE virtual_positions ADD COLUMN funding REAL NOT NULL DEFAULT 0;
  CREATE TABLE decisions (decided INTEGER NOT NULL, candidates INTEGER, entries INTEGER, refused INTEGER, virtuals INTEGER,
    state TEXT NOT NULL, equity REAL);
  CREATE TABLE breaker_events (time INTEGER NOT NULL, from_level TEXT NOT NULL, to_level TEXT NOT NULL, reason TEXT);
  INSERT INTO breaker_events VALUES (1767225900000, 'NORMAL', 'WARNING', 'three failures');
  UPDATE meta SET value = '2' WHERE key = 'schema_version';
)sql";

class SqliteJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() / ("winiswin_journal_" + std::to_string(::getpid()) + ".sqlite");
    remove_files();
  }
  void TearDown() override { remove_files(); }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file_.string() + suffix);
  }

  static TradeRecord trade() {
    TradeRecord t;
    t.symbol = "BTCUSDT";
    t.side = Side::kSell;
    t.rank = 2;
    t.confidence = 0.61;
    t.decided = kTime;
    t.entry_time = kTime + Milliseconds{60'000};
    t.exit_time = kTime + Milliseconds{3'600'000};
    t.entry_price = 99'950.5;
    t.exit_price = 98'000.25;
    t.planned_entry = Price::parse("100000.1").value();
    t.stop = Price::parse("101000.2").value();
    t.target = Price::parse("97000.3").value();
    t.quantity = 0.012;
    t.leverage = 7;
    t.margin = Notional::parse("171.35028572").value();
    t.liquidation_price = Price::parse("113512.4").value();
    t.pnl = 22.5;
    t.fees = 1.19;
    t.funding = -0.37;
    t.r_multiple = 1.93;
    t.exit_reason = ExitReason::kTarget;
    for (std::size_t idx = 0; idx < t.features.size(); ++idx) t.features[idx] = 0.1 * static_cast<double>(idx) - 1.0 / 3.0;
    return t;
  }
  static OrderRecord order(OrderStep step) {
    OrderRecord o;
    o.time = kTime;
    o.symbol = "BTCUSDT";
    o.client_id = "live7-3-S";
    o.type = "STOP_MARKET";
    o.side = Side::kBuy;
    o.trigger_price = Price::parse("101000.2").value();
    o.close_position = true;
    o.step = step;
    o.venue_code = step == OrderStep::kRejected ? -2021 : 0;
    o.message = step == OrderStep::kRejected ? "Order would immediately trigger, \"now\"." : "";
    return o;
  }

  std::filesystem::path file_;
};

bool same_trade(const TradeRecord& a, const TradeRecord& b) {
  return a.symbol == b.symbol && a.side == b.side && a.is_virtual == b.is_virtual && a.rank == b.rank && a.confidence == b.confidence &&
         a.decided == b.decided && a.entry_time == b.entry_time && a.exit_time == b.exit_time && a.entry_price == b.entry_price &&
         a.exit_price == b.exit_price && a.planned_entry == b.planned_entry && a.stop == b.stop && a.target == b.target &&
         a.quantity == b.quantity && a.leverage == b.leverage && a.margin == b.margin && a.liquidation_price == b.liquidation_price &&
         a.pnl == b.pnl && a.fees == b.fees && a.r_multiple == b.r_multiple && a.exit_reason == b.exit_reason && a.features == b.features &&
         a.ml_probability == b.ml_probability && a.ml_score == b.ml_score && a.funding == b.funding;
}

// Every row kind goes in and comes back exactly (money as exact decimals, features bit for
// bit), in order, and is there for a process that opens the file afresh.
TEST_F(SqliteJournalTest, EveryRowComesBackExactlyAfterReopening) {
  TradeRecord virtual_position = trade();
  virtual_position.is_virtual = true;
  virtual_position.liquidation_price.reset();
  virtual_position.exit_reason = ExitReason::kDataGap;
  virtual_position.ml_probability = 0.4375;
  virtual_position.ml_score = 1.0 / 3.0;
  {
    auto journal = SqliteJournal::open(file_).value();
    ASSERT_TRUE(journal->order(order(OrderStep::kSent)).ok());
    ASSERT_TRUE(journal->order(order(OrderStep::kRejected)).ok());
    ASSERT_TRUE(journal->fill(FillRecord{kTime, "BTCUSDT", "live7-3-E", Side::kSell, Price::parse("99950.5").value(),
                                         Quantity::parse("0.012").value(), Notional::parse("0.59970300").value(),
                                         Notional::parse("-1.5").value(), false})
                    .ok());
    ASSERT_TRUE(journal->trade(trade()).ok());
    ASSERT_TRUE(journal->virtual_position(virtual_position).ok());
    ASSERT_TRUE(journal->equity(EquityPoint{kTime, 10'022.5, risk::TradingState::kRiskAverse}).ok());
    ASSERT_TRUE(journal->refusal(RefusalRecord{kTime, "ETHUSDT", 4, "max_open_positions", "3 of 3 open"}).ok());
    ASSERT_TRUE(journal->transition(risk::StateTransition{risk::TradingState::kNormal, risk::TradingState::kShutdown, kTime,
                                                          "breaker EMERGENCY"})
                    .ok());
    ASSERT_TRUE(journal->decision(DecisionRecord{kTime, 180, 2, 3, 5, risk::TradingState::kCautious, 10'022.5}).ok());
    ASSERT_TRUE(journal->breaker(BreakerEvent{kTime, risk::BreakerLevel::kWarning, risk::BreakerLevel::kCritical, "10 consecutive failures"}).ok());
    TradeRecord closed_by_operator = trade();
    closed_by_operator.exit_reason = ExitReason::kOperator;
    ASSERT_TRUE(journal->trade(closed_by_operator).ok());
    ASSERT_TRUE(journal->control(ControlRecord{kTime, kTime + Milliseconds{250}, "close", "BTCUSDT", "token:0f1e2d3c", "[::1]:40000", false,
                                               "BTCUSDT: no open trade"})
                    .ok());
  }  // closed without flush: every row was committed as it came
  const auto journal = SqliteJournal::open(file_).value();
  const auto orders = journal->orders().value();
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].step, OrderStep::kSent);
  EXPECT_EQ(orders[1].step, OrderStep::kRejected);
  EXPECT_EQ(orders[1].venue_code, -2021);
  EXPECT_EQ(orders[1].message, "Order would immediately trigger, \"now\".");
  EXPECT_EQ(orders[1].trigger_price, Price::parse("101000.2").value());
  EXPECT_TRUE(orders[1].close_position);
  const auto fills = journal->fills().value();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].fee, Notional::parse("0.599703").value());
  EXPECT_EQ(fills[0].realized_pnl, Notional::parse("-1.5").value());
  const auto trades = journal->trades().value();
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_TRUE(same_trade(trades[0], trade()));
  EXPECT_EQ(trades[1].exit_reason, ExitReason::kOperator);
  const auto controls = journal->control_actions().value();
  ASSERT_EQ(controls.size(), 1u);
  EXPECT_EQ(controls[0].action, "close");
  EXPECT_EQ(controls[0].symbol, "BTCUSDT");
  EXPECT_EQ(controls[0].remote, "[::1]:40000");
  EXPECT_FALSE(controls[0].ok);
  EXPECT_EQ(controls[0].result, "BTCUSDT: no open trade");
  EXPECT_EQ(controls[0].received, kTime);
  const auto virtuals = journal->trades(true).value();
  ASSERT_EQ(virtuals.size(), 1u);
  EXPECT_TRUE(same_trade(virtuals[0], virtual_position));
  const auto equity = journal->equity_points().value();
  ASSERT_EQ(equity.size(), 1u);
  EXPECT_EQ(equity[0].state, risk::TradingState::kRiskAverse);
  EXPECT_EQ(journal->refusals().value().at(0).limit, "max_open_positions");
  EXPECT_EQ(journal->transitions().value().at(0).to, risk::TradingState::kShutdown);
  const auto decisions = journal->decisions().value();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].candidates, 180);
  EXPECT_EQ(decisions[0].entries, 2);
  EXPECT_EQ(decisions[0].refused, 3);
  EXPECT_EQ(decisions[0].virtuals, 5);
  EXPECT_EQ(decisions[0].state, risk::TradingState::kCautious);
  const auto breaker = journal->breaker_events().value();
  ASSERT_EQ(breaker.size(), 1u);
  EXPECT_EQ(breaker[0].from, risk::BreakerLevel::kWarning);
  EXPECT_EQ(breaker[0].to, risk::BreakerLevel::kCritical);
  EXPECT_EQ(breaker[0].reason, "10 consecutive failures");
}

// A journal written by a version-1 winiswin (its tables exactly as that version made them) is
// migrated when opened: its rows read back as before, the new columns empty, the new tables
// there, and the version now the current one.
TEST_F(SqliteJournalTest, AVersionOneJournalIsMigratedAndKeepsItsRows) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
    const char* version_one = kVersionOneSchema;
    ASSERT_EQ(sqlite3_exec(db, version_one, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  {
    // A trade of version 1's shape (no model columns), written through the old table.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* insert = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO trades VALUES ('ETHUSDT','BUY',1,0.5,1767225900000,'3000',1767225960000,3000.5,"
                                     "1767229500000,3100.25,'2900','3200',0.1,5,'60.01',NULL,9.9,0.3,0.97,'target',?)",
                                 -1, &insert, nullptr),
              SQLITE_OK);
    const std::array<double, strategy::kFeatureCount> features{};
    ASSERT_EQ(sqlite3_bind_blob(insert, 1, features.data(), sizeof(features), SQLITE_TRANSIENT), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  auto journal = SqliteJournal::open(file_).value();
  const auto trades = journal->trades().value();
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].symbol, "ETHUSDT");
  EXPECT_EQ(trades[0].exit_reason, ExitReason::kTarget);
  EXPECT_FALSE(trades[0].ml_probability.has_value());
  EXPECT_EQ(trades[0].feature_version, 1) << "written before features had versions: by a version-1 build";
  EXPECT_EQ(journal->equity_points().value().size(), 1u);
  EXPECT_EQ(journal->orders().value().at(0).client_id, "live-1-E");
  ASSERT_TRUE(journal->decision(DecisionRecord{kTime, 1, 0, 0, 1, risk::TradingState::kNormal, 1.0}).ok());
  ASSERT_TRUE(journal->trade(trade()).ok());
  ASSERT_EQ(journal->trades().value().size(), 2u);
  EXPECT_EQ(journal->trades().value()[1].feature_version, strategy::kFeatureVersion);
  journal.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* read = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &read, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(read), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(read, 0))), std::to_string(SqliteJournal::kSchemaVersion));
  sqlite3_finalize(read);
  sqlite3_close(db);
}

// A version-2 journal (the last before control actions) is migrated when opened: its rows
// read back, control_actions is there (empty, then written and read), and the version is 3.
TEST_F(SqliteJournalTest, AVersionTwoJournalGainsTheControlActionsTable) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, kVersionOneSchema, nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, kVersionTwoSteps, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  {
    auto journal = SqliteJournal::open(file_).value();
    EXPECT_EQ(journal->breaker_events().value().at(0).reason, "three failures");
    EXPECT_EQ(journal->orders().value().at(0).client_id, "live-1-E");
    EXPECT_TRUE(journal->control_actions().value().empty());
    ASSERT_TRUE(journal->control(ControlRecord{kTime, kTime + Milliseconds{80}, "pause", "", "token:ab12cd34", "127.0.0.1:5000", true,
                                               "paused: no new entries"})
                    .ok());
  }
  const auto reader = SqliteJournal::open_read_only(file_);
  ASSERT_TRUE(reader.ok()) << "migrated to the current version: " << reader.error().message;
  const auto actions = (*reader)->control_actions().value();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].action, "pause");
  EXPECT_EQ(actions[0].who, "token:ab12cd34");
  EXPECT_EQ(actions[0].applied, kTime + Milliseconds{80});
  EXPECT_GE(SqliteJournal::kSchemaVersion, 3);  // later versions migrate it further (model_promotions_test.cpp)
}

TEST_F(SqliteJournalTest, BatchedRowsAreCommittedByFlush) {
  {
    auto journal = SqliteJournal::open(file_, Durability::kBatched).value();
    for (int point = 0; point < 5'000; ++point) {
      ASSERT_TRUE(journal->equity(EquityPoint{kTime + Milliseconds{300'000 * point}, 10'000.0 + point}).ok());
    }
    ASSERT_TRUE(journal->flush().ok());
  }
  const auto points = SqliteJournal::open(file_).value()->equity_points().value();
  ASSERT_EQ(points.size(), 5'000u);
  EXPECT_EQ(points.back().equity, 14'999.0);
}

TEST_F(SqliteJournalTest, AJournalOfAnotherSchemaVersionIsRefusedAndLeftAlone) {
  { auto journal = SqliteJournal::open(file_).value(); }
  {
    auto journal = SqliteJournal::open(file_).value();  // the same version opens again
    ASSERT_TRUE(journal->equity(EquityPoint{kTime, 1.0}).ok());
  }
  // Another version's file (written here by hand through the same library).
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  const auto refused = SqliteJournal::open(file_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("schema version 99"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find(file_.string()), std::string::npos);
}

// ops' reader: its own connection beside the engine's, rows the writer commits are read,
// nothing can be written through it, and no file is created or migrated by it.
TEST_F(SqliteJournalTest, AReadOnlyConnectionReadsWhatTheWriterCommitsAndWritesNothing) {
  EXPECT_FALSE(SqliteJournal::open_read_only(file_).ok()) << "no file yet: nothing is created";
  EXPECT_FALSE(std::filesystem::exists(file_));
  auto writer = SqliteJournal::open(file_).value();
  ASSERT_TRUE(writer->equity(EquityPoint{kTime, 1.0}).ok());
  auto reader = SqliteJournal::open_read_only(file_).value();
  ASSERT_EQ(reader->equity_points().value().size(), 1u);
  ASSERT_TRUE(writer->equity(EquityPoint{kTime + Milliseconds{300'000}, 2.0}).ok());
  const auto points = reader->equity_points().value();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[1].equity, 2.0);
  const Status refused = reader->equity(EquityPoint{kTime, 3.0});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("read-only"), std::string::npos) << refused.error().message;
  EXPECT_EQ(writer->equity_points().value().size(), 2u);
}

// ops' reads: trades and equity from a time on by SQL, the newest N of the event tables in
// their order.
TEST_F(SqliteJournalTest, RecentRowsAreReadByTimeAndByCount) {
  auto journal = SqliteJournal::open(file_).value();
  for (int idx = 0; idx < 5; ++idx) {
    const Timestamp at = kTime + Milliseconds{std::int64_t{idx} * 300'000};
    TradeRecord t = trade();
    t.symbol = "S" + std::to_string(idx);
    t.exit_time = at;
    ASSERT_TRUE(journal->trade(t).ok());
    ASSERT_TRUE(journal->equity(EquityPoint{at, 100.0 + idx}).ok());
    ASSERT_TRUE(journal->refusal(RefusalRecord{at, "R" + std::to_string(idx), idx, "max_open_positions", ""}).ok());
    ASSERT_TRUE(journal->transition(risk::StateTransition{risk::TradingState::kNormal, risk::TradingState::kCautious, at, std::to_string(idx)}).ok());
    ASSERT_TRUE(journal->breaker(BreakerEvent{at, risk::BreakerLevel::kNormal, risk::BreakerLevel::kWarning, std::to_string(idx)}).ok());
  }
  const Timestamp third = kTime + Milliseconds{600'000};
  const auto trades = journal->trades_exited_since(third).value();
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades.front().symbol, "S2");
  EXPECT_TRUE(same_trade(trades.back(), journal->trades().value().back()));
  const auto equity = journal->equity_points_since(third).value();
  ASSERT_EQ(equity.size(), 3u);
  EXPECT_EQ(equity.front().equity, 102.0);
  const auto refusals = journal->latest_refusals(2).value();
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0].symbol, "R3");
  EXPECT_EQ(refusals[1].symbol, "R4");
  EXPECT_EQ(journal->latest_transitions(10).value().size(), 5u);
  EXPECT_EQ(journal->latest_transitions(1).value().at(0).reason, "4");
  EXPECT_EQ(journal->latest_breaker_events(2).value().at(0).reason, "3");
  EXPECT_TRUE(journal->latest_refusals(0).value().empty());
  EXPECT_TRUE(journal->latest_refusals(-3).value().empty());
}

TEST_F(SqliteJournalTest, APathThatCannotHoldAJournalIsAClearError) {
  std::ofstream(file_.string()) << "not a database, and more than a header's worth of bytes to prove it. " << std::string(200, 'x');
  const auto not_sqlite = SqliteJournal::open(file_);
  ASSERT_FALSE(not_sqlite.ok());
  EXPECT_NE(not_sqlite.error().message.find(file_.string()), std::string::npos) << not_sqlite.error().message;
  const auto no_folder = SqliteJournal::open(file_.parent_path() / "no_such_folder_winiswin" / "j.sqlite");
  ASSERT_FALSE(no_folder.ok());
  EXPECT_NE(no_folder.error().message.find("cannot open the journal"), std::string::npos) << no_folder.error().message;
}

}  // namespace
}  // namespace winiswin::journal
