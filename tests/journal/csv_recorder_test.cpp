#include "journal/csv_recorder.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace winiswin::journal {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class CsvRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() / ("winiswin_csv_recorder_" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

TEST_F(CsvRecorderTest, WritesEveryRowAsItComesWithReasonsQuoted) {
  auto recorder = CsvRecorder::open(folder_).value();
  const Timestamp t = timestamp_from_ms(1'767'225'900'000);  // 2026-01-01 00:05
  TradeRecord trade;
  trade.symbol = "BTCUSDT";
  trade.decided = trade.entry_time = t;
  trade.exit_time = t + Milliseconds{60'000};
  trade.planned_entry = Price::from_units(100);
  trade.stop = Price::from_units(98);
  trade.exit_reason = ExitReason::kDataGap;
  trade.liquidation_price = Price::from_units(91);
  ASSERT_TRUE(recorder->trade(trade).ok());
  trade.is_virtual = true;
  ASSERT_TRUE(recorder->virtual_position(trade).ok());
  ASSERT_TRUE(recorder->equity(EquityPoint{t, 9'990.5, risk::TradingState::kCautious}).ok());
  ASSERT_TRUE(recorder->refusal(RefusalRecord{t, "ETHUSDT", 2, "max_open_positions", "3 of 3, \"already\" open"}).ok());
  ASSERT_TRUE(recorder->transition(risk::StateTransition{risk::TradingState::kNormal, risk::TradingState::kCautious, t, "why, then"}).ok());
  OrderRecord order;
  order.time = t;
  order.symbol = "BTCUSDT";
  order.client_id = "bt-1-S";
  order.type = "STOP_MARKET";
  order.side = Side::kSell;
  order.trigger_price = Price::from_units(98);
  order.close_position = true;
  order.step = OrderStep::kRejected;
  order.venue_code = -2021;
  order.message = "Order would immediately trigger.";
  ASSERT_TRUE(recorder->order(order).ok());
  ASSERT_TRUE(recorder->fill(FillRecord{t, "BTCUSDT", "bt-1-E", Side::kBuy, Price::from_units(100), Quantity::from_units(2),
                                        Notional::from_units(1), Notional{}, false})
                  .ok());
  ASSERT_TRUE(recorder->finish().ok());

  EXPECT_EQ(read(folder_ / "orders.csv"),
            "time,symbol,client_id,type,side,quantity,trigger_price,reduce_only,close_position,step,venue_code,message\n"
            "2026-01-01 00:05:00,BTCUSDT,bt-1-S,STOP_MARKET,SELL,0,98,0,1,rejected,-2021,\"Order would immediately trigger.\"\n");
  EXPECT_EQ(read(folder_ / "fills.csv"),
            "time,symbol,client_id,side,price,quantity,fee,realized_pnl,liquidation\n"
            "2026-01-01 00:05:00,BTCUSDT,bt-1-E,BUY,100,2,1,0,0\n");
  const std::string trades = read(folder_ / "trades.csv");
  EXPECT_EQ(trades.rfind("symbol,side,virtual,rank,", 0), 0u);
  EXPECT_NE(trades.find("\nBTCUSDT,LONG,0,"), std::string::npos);
  EXPECT_NE(trades.find(",91,"), std::string::npos);  // liquidation price
  EXPECT_NE(trades.find(",data gap,"), std::string::npos);
  EXPECT_NE(read(folder_ / "virtual.csv").find("\nBTCUSDT,LONG,1,"), std::string::npos);
  EXPECT_EQ(read(folder_ / "equity.csv"), "time,time_ms,equity,state\n2026-01-01 00:05:00,1767225900000,9990.50000000,CAUTIOUS\n");
  EXPECT_EQ(read(folder_ / "refusals.csv"),
            "decided,symbol,rank,limit,reason\n2026-01-01 00:05:00,ETHUSDT,2,\"max_open_positions\",\"3 of 3, \"\"already\"\" open\"\n");
  EXPECT_EQ(read(folder_ / "transitions.csv"), "time,from,to,reason\n2026-01-01 00:05:00,NORMAL,CAUTIOUS,\"why, then\"\n");
}

TEST_F(CsvRecorderTest, AFolderThatCannotBeMadeIsAnErrorNamingIt) {
  std::ofstream(folder_.string()) << "a file, not a folder";
  const auto recorder = CsvRecorder::open(folder_ / "inside");
  ASSERT_FALSE(recorder.ok());
  EXPECT_NE(recorder.error().message.find("winiswin_csv_recorder"), std::string::npos) << recorder.error().message;
  std::filesystem::remove(folder_);
}

TEST(MemoryRecorder, KeepsOnlyTheKindsAskedFor) {
  MemoryRecorder kept(MemoryRecorder::Kinds{.trades = true, .virtuals = false, .equity = true, .refusals = false, .transitions = false, .orders = false, .fills = false});
  TradeRecord trade;
  ASSERT_TRUE(kept.trade(trade).ok());
  ASSERT_TRUE(kept.virtual_position(trade).ok());
  ASSERT_TRUE(kept.refusal(RefusalRecord{}).ok());
  EXPECT_EQ(kept.trades.size(), 1u);
  EXPECT_TRUE(kept.virtuals.empty());
  EXPECT_TRUE(kept.refusals.empty());
}

}  // namespace
}  // namespace winiswin::journal
