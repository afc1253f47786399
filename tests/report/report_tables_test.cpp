// The report's tables from recorded rows: monthly returns with months without data said so
// and no month after the last; results by group; the best and worst trades; the trade list.
#include "report/report_tables.h"

#include <gtest/gtest.h>

#include <chrono>

namespace winiswin::report {
namespace {

// "YYYY-MM-DD HH:MM:SS", UTC.
Timestamp at(const std::string& text) {
  using namespace std::chrono;
  const year_month_day day{year{std::stoi(text.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                           std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  return Timestamp{sys_days{day}.time_since_epoch() + hours{std::stoi(text.substr(11, 2))} + minutes{std::stoi(text.substr(14, 2))}};
}

journal::EquityPoint point(const char* time, double equity) { return journal::EquityPoint{at(time), equity, risk::TradingState::kNormal}; }

journal::TradeRecord trade(const char* symbol, Side side, const char* entry, const char* exit, double pnl, journal::ExitReason reason) {
  journal::TradeRecord trade;
  trade.symbol = symbol;
  trade.side = side;
  trade.entry_time = at(entry);
  trade.exit_time = at(exit);
  trade.entry_price = 0.0893;
  trade.exit_price = 0.0901;
  trade.pnl = pnl;
  trade.r_multiple = pnl / 10.0;
  trade.exit_reason = reason;
  return trade;
}

TEST(ReportTables, MonthsWithoutDataSaySoAndNoMonthFollowsTheLast) {
  EquityCurve curve(100.0);
  curve.add(point("2023-01-31 23:55:00", 110.0));
  curve.add(point("2023-02-01 00:00:00", 120.0));  // closes January's last bar
  curve.add(point("2023-03-15 00:00:00", 90.0));
  curve.add(point("2023-04-01 00:00:00", 99.0));  // closes March: the run ends in March
  const std::string rows = monthly_rows(curve, {});
  EXPECT_NE(rows.find("<tr><td>2023-01</td><td class=\"up\">+20.00 %</td>"), std::string::npos) << rows;
  EXPECT_NE(rows.find("<tr class=\"none\"><td>2023-02</td><td>no data</td>"), std::string::npos) << rows;
  EXPECT_NE(rows.find("<tr><td>2023-03</td><td class=\"down\">-17.50 %</td>"), std::string::npos) << rows;  // 99 / 120 − 1
  EXPECT_EQ(rows.find("2023-04"), std::string::npos) << rows;
  EXPECT_EQ(next_month("2023-12"), "2024-01");
}

TEST(ReportTables, MonthlyRowsCountTheTradesClosedInTheMonth) {
  EquityCurve curve(100.0);
  curve.add(point("2023-01-10 00:00:00", 101.0));
  const std::vector<journal::TradeRecord> trades{trade("ALGOUSDT", Side::kBuy, "2023-01-02 10:00:00", "2023-01-02 12:00:00", 3.0, journal::ExitReason::kTarget),
                                                 trade("ALGOUSDT", Side::kSell, "2023-01-03 10:00:00", "2023-01-03 11:00:00", -2.0, journal::ExitReason::kStop)};
  EXPECT_NE(monthly_rows(curve, trades).find("<td>2</td><td class=\"up\">1.00</td>"), std::string::npos);
}

TEST(ReportTables, ResultsByGroupAndTheBestAndWorstTrades) {
  const std::vector<journal::TradeRecord> trades{
      trade("ALGOUSDT", Side::kBuy, "2023-01-02 10:00:00", "2023-01-02 12:00:00", 30.0, journal::ExitReason::kTarget),
      trade("ALGOUSDT", Side::kSell, "2023-01-03 10:30:00", "2023-01-03 11:00:00", -10.0, journal::ExitReason::kStop),
      trade("FILUSDT", Side::kBuy, "2023-01-04 23:00:00", "2023-01-05 01:00:00", -20.0, journal::ExitReason::kStop)};
  const std::string html = trade_tables(trades);
  // stop: 2 trades, no win, −30 in all, −15 each, R −1.5 each.
  EXPECT_NE(html.find("<tr><td>stop</td><td>2</td><td>0 %</td><td class=\"down\">-30.00</td><td>-15.00</td><td>-1.50</td>"),
            std::string::npos) << html;
  EXPECT_NE(html.find("<tr><td>long</td><td>2</td><td>50 %</td><td class=\"up\">10.00</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<tr><td>ALGOUSDT</td><td>2</td><td>50 %</td><td class=\"up\">20.00</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<tr><td>10:00</td><td>2</td>"), std::string::npos) << html;  // the hour of entry
  EXPECT_NE(html.find("<tr><td>23:00</td><td>1</td>"), std::string::npos) << html;
  const std::size_t best = html.find("Best trades"), worst = html.find("Worst trades");
  ASSERT_LT(best, worst);
  // Best first: +30, then −10, −20; worst first: −20.
  EXPECT_LT(html.find("+30.00", best), html.find("-10.00", best));
  EXPECT_LT(html.find("-20.00", worst), html.find("-10.00", worst));
}

TEST(ReportTables, DrawdownPeriodsAndDailyReturns) {
  EquityCurve curve(100.0);
  curve.add(point("2023-01-01 12:00:00", 100.0));
  curve.add(point("2023-01-02 00:00:00", 90.0));  // day 1: −10 %
  curve.add(point("2023-01-03 00:00:00", 94.5));  // day 2: +5 %, still below the peak
  const std::string periods = drawdown_periods_table(curve);
  EXPECT_NE(periods.find("<tr><td>2023-01-01 12:00</td><td>2023-01-02 00:00</td><td>not yet</td><td class=\"down\">10.00 %</td><td>1.5</td></tr>"),
            std::string::npos) << periods;
  const std::string returns = daily_returns_table(curve);
  EXPECT_NE(returns.find("<tr><td>&lt; -9.5 %</td><td>1</td>"), std::string::npos) << returns;  // the lowest bin holds all below
  EXPECT_NE(returns.find("<tr><td>+5.0 … +5.5 %</td><td>1</td>"), std::string::npos) << returns;
  EXPECT_NE(returns.find("<tr><td>+0.0 … +0.5 %</td><td>0</td>"), std::string::npos) << returns;  // between the two: shown, empty
  EXPECT_EQ(returns.find("+5.5 … +6.0"), std::string::npos) << returns;
}

// A close-out where a month's data ends is stamped 00:00 on the 1st, the close of the month's
// last bar: it counts in that month, as the equity mark at that close does; a stop filled in
// the bar opening then counts in the new month.
TEST(ReportTables, ACloseOutWhereTheDataEndsCountsInTheMonthOfItsLastBar) {
  EquityCurve curve(100.0);
  curve.add(point("2023-02-28 23:55:00", 110.0));
  curve.add(point("2023-03-01 00:00:00", 120.0));  // the last close of February's data
  curve.add(point("2023-04-01 00:05:00", 90.0));   // March has none
  curve.add(point("2023-04-01 00:10:00", 95.0));
  const std::vector<journal::TradeRecord> trades{
      trade("FILUSDT", Side::kBuy, "2023-02-28 20:00:00", "2023-03-01 00:00:00", 5.0, journal::ExitReason::kDataGap),
      trade("NEARUSDT", Side::kSell, "2023-02-28 21:00:00", "2023-03-01 00:00:00", -2.0, journal::ExitReason::kEndOfData),
      trade("AVAXUSDT", Side::kBuy, "2023-03-31 23:00:00", "2023-04-01 00:00:00", 7.0, journal::ExitReason::kStop)};
  EXPECT_EQ(month_closed(trades[0]), "2023-02");
  EXPECT_EQ(month_closed(trades[2]), "2023-04");
  const std::string rows = monthly_rows(curve, trades);
  EXPECT_NE(rows.find("<tr><td>2023-02</td><td class=\"up\">+20.00 %</td><td>2</td><td class=\"up\">3.00</td></tr>"), std::string::npos) << rows;
  EXPECT_NE(rows.find("<tr class=\"none\"><td>2023-03</td><td>no data</td>"), std::string::npos) << rows;
  EXPECT_NE(rows.find("<tr><td>2023-04</td><td class=\"down\">-20.83 %</td><td>1</td><td class=\"up\">7.00</td></tr>"), std::string::npos) << rows;
}

TEST(ReportTables, TheTradeListNamesSymbolsAndReasonsOnce) {
  const std::vector<journal::TradeRecord> trades{
      trade("FILUSDT", Side::kBuy, "2023-01-02 10:00:00", "2023-01-02 12:00:00", 30.0, journal::ExitReason::kTarget),
      trade("ALGOUSDT", Side::kSell, "2023-01-03 10:30:00", "2023-01-03 11:00:00", -10.0, journal::ExitReason::kStop)};
  EXPECT_EQ(trade_list_json(trades),
            "{\"symbols\":[\"ALGOUSDT\",\"FILUSDT\"],\"reasons\":[\"stop\",\"target\"],\"total\":2,\"rows\":["
            "[1,1,1672653600,1672660800,0.0893,0.0901,30.00,3.00,0.00,1],"
            "[0,-1,1672741800,1672743600,0.0893,0.0901,-10.00,-1.00,0.00,0]]}");
}

TEST(ReportTables, ACutTradeListHoldsTheLargestResultsInRecordedOrder) {
  std::vector<journal::TradeRecord> trades;
  for (const double pnl : {1.0, -50.0, 2.0, 40.0, -3.0, 40.0}) {
    trades.push_back(trade("FILUSDT", Side::kBuy, "2023-01-02 10:00:00", "2023-01-02 12:00:00", pnl, journal::ExitReason::kTarget));
  }
  const std::string json = trade_list_json(trades, 2);
  EXPECT_NE(json.find("\"total\":6,"), std::string::npos) << json;
  // −50, 40 and the first 40 (earlier first among equals), in the order they were recorded.
  const std::size_t loss = json.find(",-50.00,"), first = json.find(",40.00,"), second = json.find(",40.00,", first + 1);
  ASSERT_NE(loss, std::string::npos) << json;
  ASSERT_NE(first, std::string::npos) << json;
  EXPECT_LT(loss, first);
  EXPECT_EQ(second, std::string::npos) << json;
  for (const char* small : {",1.00,", ",2.00,", ",-3.00,"}) EXPECT_EQ(json.find(small), std::string::npos) << small;
  EXPECT_EQ(trade_list_json(trades, 6), trade_list_json(trades));  // at the cap: every trade
  EXPECT_NE(trade_list_json(trades, 6).find(",1.00,"), std::string::npos);
}

}  // namespace
}  // namespace winiswin::report
