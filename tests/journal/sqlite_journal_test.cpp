#include "journal/sqlite_journal.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace winiswin::journal {
namespace {

const Timestamp kTime = timestamp_from_ms(1'767'225'900'000);  // 2026-01-01 00:05 UTC

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
         a.pnl == b.pnl && a.fees == b.fees && a.r_multiple == b.r_multiple && a.exit_reason == b.exit_reason && a.features == b.features;
}

// Every row kind goes in and comes back exactly (money as exact decimals, features bit for
// bit), in order, and is there for a process that opens the file afresh.
TEST_F(SqliteJournalTest, EveryRowComesBackExactlyAfterReopening) {
  TradeRecord virtual_position = trade();
  virtual_position.is_virtual = true;
  virtual_position.liquidation_price.reset();
  virtual_position.exit_reason = ExitReason::kDataGap;
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
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_TRUE(same_trade(trades[0], trade()));
  const auto virtuals = journal->trades(true).value();
  ASSERT_EQ(virtuals.size(), 1u);
  EXPECT_TRUE(same_trade(virtuals[0], virtual_position));
  const auto equity = journal->equity_points().value();
  ASSERT_EQ(equity.size(), 1u);
  EXPECT_EQ(equity[0].state, risk::TradingState::kRiskAverse);
  EXPECT_EQ(journal->refusals().value().at(0).limit, "max_open_positions");
  EXPECT_EQ(journal->transitions().value().at(0).to, risk::TradingState::kShutdown);
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
