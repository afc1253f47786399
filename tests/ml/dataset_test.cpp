#include "ml/dataset.h"

#include <gtest/gtest.h>

#include "scratch_folder.h"

#include <fstream>

#include "journal/csv_recorder.h"

namespace winiswin::ml {
namespace {

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::scratch_folder("dataset_test");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

constexpr std::int64_t kDecided = 1'767'225'900'000;  // 2026-01-01 00:05

journal::TradeRecord trade(const std::string& symbol, std::int64_t decided_ms, double exit_price, bool is_virtual) {
  journal::TradeRecord record;
  record.symbol = symbol;
  record.side = Side::kBuy;
  record.is_virtual = is_virtual;
  record.decided = timestamp_from_ms(decided_ms);
  record.entry_time = record.decided + Milliseconds{60'000};
  record.exit_time = record.entry_time + Milliseconds{90 * 60'000};
  record.planned_entry = Price::from_units(100);
  record.entry_price = 100.0;
  record.stop = Price::from_units(98);
  record.target = Price::from_units(104);
  record.exit_price = exit_price;
  record.r_multiple = journal::r_multiple(record);
  record.exit_reason = exit_price > 100.0 ? journal::ExitReason::kTarget : journal::ExitReason::kStop;
  record.rank = 4;
  record.confidence = 0.625;
  for (std::size_t idx = 0; idx < record.features.size(); ++idx) record.features[idx] = 0.5 * static_cast<double>(idx) - 3.0;
  return record;
}

void write(const std::filesystem::path& file, const std::vector<journal::TradeRecord>& records) {
  std::ofstream out(file);
  out << journal::trade_csv_header();
  for (const journal::TradeRecord& record : records) out << journal::trade_csv_row(record);
}

TEST_F(DatasetTest, ReadsTradesCsvBackByColumnNameWithTheLabelNetOfFees) {
  write(folder_ / "virtual.csv", {trade("AUSDT", kDecided, 104.0, true), trade("BUSDT", kDecided, 100.1, true)});
  const auto rows = read_trade_csv(folder_ / "virtual.csv", DatasetOptions{.taker_fee = 0.0005}).value();
  ASSERT_EQ(rows.size(), 2u);
  const LabelledRow& won = rows[0];
  EXPECT_EQ(won.symbol, "AUSDT");
  EXPECT_TRUE(won.is_virtual);
  EXPECT_EQ(won.rank, 4);
  EXPECT_DOUBLE_EQ(won.confidence, 0.625);
  EXPECT_EQ(won.decided, timestamp_from_ms(kDecided));
  EXPECT_EQ(won.holding, Milliseconds{90 * 60'000});
  EXPECT_EQ(won.exited, timestamp_from_ms(kDecided + 91 * 60'000));
  EXPECT_EQ(won.exit_reason, "target");
  EXPECT_DOUBLE_EQ(won.r_multiple, 2.0);
  // Fees in R: 0.0005 × (100 + 104) / 2 = 0.051.
  EXPECT_NEAR(won.r_net, 2.0 - 0.051, 1e-12);
  EXPECT_TRUE(won.win);
  for (std::size_t idx = 0; idx < strategy::kFeatureCount; ++idx) EXPECT_DOUBLE_EQ(won.features[idx], 0.5 * static_cast<double>(idx) - 3.0);
  // +0.05 R before fees, −0.00025 R after: fees turn it into a loss.
  EXPECT_NEAR(rows[1].r_multiple, 0.05, 1e-9);
  EXPECT_FALSE(rows[1].win);
}

TEST_F(DatasetTest, EachRowKeepsItsSide) {
  journal::TradeRecord short_trade = trade("AUSDT", kDecided, 96.0, true);
  short_trade.side = Side::kSell;
  short_trade.stop = Price::from_units(102);
  short_trade.target = Price::from_units(96);
  short_trade.r_multiple = journal::r_multiple(short_trade);
  write(folder_ / "virtual.csv", {trade("BUSDT", kDecided, 104.0, true), short_trade});
  const auto rows = read_trade_csv(folder_ / "virtual.csv", DatasetOptions{}).value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].side, Side::kBuy);
  EXPECT_EQ(rows[1].side, Side::kSell);
  EXPECT_TRUE(rows[1].win);  // a short that fell to its target
}

TEST_F(DatasetTest, FilesAreJoinedInDecisionTimeOrder) {
  write(folder_ / "trades.csv", {trade("BUSDT", kDecided + 300'000, 104.0, false), trade("AUSDT", kDecided, 99.0, false)});
  write(folder_ / "virtual.csv", {trade("AUSDT", kDecided + 300'000, 104.0, true)});
  const std::vector<std::filesystem::path> files{folder_ / "trades.csv", folder_ / "virtual.csv"};
  const auto rows = read_datasets(files, DatasetOptions{}).value();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].symbol, "AUSDT");
  EXPECT_EQ(rows[0].decided, timestamp_from_ms(kDecided));
  EXPECT_EQ(rows[1].symbol, "AUSDT");
  EXPECT_TRUE(rows[1].is_virtual);
  EXPECT_EQ(rows[2].symbol, "BUSDT");
}

TEST_F(DatasetTest, AFileWithoutAFeatureColumnIsRefusedNamingIt) {
  std::string header = journal::trade_csv_header();
  header.replace(header.find("rsi_5m"), 6, "rsi_6m");
  std::ofstream(folder_ / "old.csv") << header;
  const auto rows = read_trade_csv(folder_ / "old.csv", DatasetOptions{});
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.error().message.find("no column 'rsi_5m'"), std::string::npos) << rows.error().message;
}

TEST_F(DatasetTest, ABadValueIsRefusedWithItsLineAndColumn) {
  std::string row = journal::trade_csv_row(trade("AUSDT", kDecided, 104.0, true));
  row.replace(row.find("2026-01-01 00:05:00"), 19, "2026-13-01 00:05:00");
  std::ofstream(folder_ / "bad.csv") << journal::trade_csv_header() << journal::trade_csv_row(trade("AUSDT", kDecided, 104.0, true)) << row;
  const auto rows = read_trade_csv(folder_ / "bad.csv", DatasetOptions{});
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.error().message.find("bad.csv:3: column decided"), std::string::npos) << rows.error().message;

  std::ofstream(folder_ / "short.csv") << journal::trade_csv_header() << "AUSDT,LONG,1\n";
  EXPECT_FALSE(read_trade_csv(folder_ / "short.csv", DatasetOptions{}).ok());
  std::ofstream(folder_ / "empty.csv");
  EXPECT_FALSE(read_trade_csv(folder_ / "empty.csv", DatasetOptions{}).ok());
  EXPECT_FALSE(read_trade_csv(folder_ / "absent.csv", DatasetOptions{}).ok());
}

TEST_F(DatasetTest, OutcomesCutShortByTheDataAreCensored) {
  LabelledRow row;
  row.exit_reason = "end of data";
  EXPECT_TRUE(censored(row));
  row.exit_reason = "data gap";
  EXPECT_TRUE(censored(row));
  row.exit_reason = std::string(journal::name_of(journal::ExitReason::kModelExit));  // cut short by the model, not by its stop or target
  EXPECT_TRUE(censored(row));
  row.exit_reason = "timeout";
  EXPECT_FALSE(censored(row));
}

}  // namespace
}  // namespace winiswin::ml
