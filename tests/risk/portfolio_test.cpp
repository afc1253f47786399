#include "risk/portfolio.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "support/instruments.h"

namespace winiswin::risk {
namespace {

const Timestamp kMidnight = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC
constexpr Milliseconds kFiveMinutes{300'000};
constexpr Milliseconds kDay{86'400'000};

TEST(Portfolio, TheDayStartsAtTheEquityOfTheFirstMarkAfterMidnight) {
  Portfolio portfolio(Notional::from_units(10'000), kMidnight);
  portfolio.mark(9'400, kMidnight + kFiveMinutes * 100);  // −6 % within day 1
  EXPECT_EQ(portfolio.day_start_equity(), Notional::from_units(10'000));
  portfolio.mark(9'300, kMidnight + kDay - kFiveMinutes);  // 23:55: still day 1
  EXPECT_EQ(portfolio.day_start_equity(), Notional::from_units(10'000));
  portfolio.mark(9'250, kMidnight + kDay);  // 00:00 of day 2: a new day starts from here
  EXPECT_EQ(portfolio.day_start_equity(), Notional::from_units(9'250));
  portfolio.mark(9'000, kMidnight + kDay + kFiveMinutes);
  EXPECT_EQ(portfolio.day_start_equity(), Notional::from_units(9'250));
  // Days without marks (a data gap): the first mark after them opens the day.
  portfolio.mark(8'800, kMidnight + kDay * 5 + kFiveMinutes * 7);
  EXPECT_EQ(portfolio.day_start_equity(), Notional::from_units(8'800));
}

// The daily limit refuses on a bad day and allows again the next day (with the default 5 %).
TEST(Portfolio, TheDailyLossLimitResetsTheNextDay) {
  Portfolio portfolio(Notional::from_units(10'000), kMidnight);
  const Instrument instrument = testing::btcusdt();
  OrderIntent intent;
  intent.symbol = "BTCUSDT";
  intent.quantity = testing::Q("0.001");
  intent.leverage = 10;
  intent.entry = Price::from_units(100'000);
  intent.stop = Price::from_units(99'000);
  intent.notional = notional_of(intent.entry, intent.quantity, Rounding::kUp);
  const auto decide = [&](double equity) {
    return apply_account_limits(intent, instrument,
                                AccountExposure{Notional::from_double(equity).value(), portfolio.day_start_equity(), portfolio.exposure()});
  };
  portfolio.mark(9'400, kMidnight + kFiveMinutes * 10);
  EXPECT_FALSE(decide(9'400).intent);
  portfolio.mark(9'400, kMidnight + kDay);
  EXPECT_TRUE(decide(9'400).intent) << decide(9'400).reason;
}

TEST(Portfolio, PendingEntriesCountAsPositions) {
  Portfolio portfolio(Notional::from_units(10'000), kMidnight);
  portfolio.set_exposure("AUSDT", Notional::from_units(1'000), true);
  portfolio.set_exposure("BUSDT", Notional::from_units(2'000), false);
  ASSERT_EQ(portfolio.exposure().size(), 2u);
  EXPECT_TRUE(portfolio.exposure()[0].pending);
  portfolio.set_exposure("AUSDT", Notional::from_units(1'010), false);  // filled
  ASSERT_EQ(portfolio.exposure().size(), 2u);
  EXPECT_FALSE(portfolio.exposure()[0].pending);
  EXPECT_EQ(portfolio.exposure()[0].notional, Notional::from_units(1'010));
  EXPECT_TRUE(portfolio.holds("BUSDT"));
  portfolio.clear_exposure("BUSDT");
  EXPECT_FALSE(portfolio.holds("BUSDT"));
  EXPECT_EQ(portfolio.exposure().size(), 1u);
}

TEST(Portfolio, WinRateIsOverTheLastTrades) {
  PortfolioConfig config;
  config.win_rate_trades = 4;
  Portfolio portfolio(Notional::from_units(10'000), kMidnight, config);
  EXPECT_EQ(portfolio.win_rate(), 0.5);  // nothing known yet
  const Timestamp t = kMidnight + kFiveMinutes;
  portfolio.on_trade_closed(10, 10'010, t);
  EXPECT_EQ(portfolio.win_rate(), 1.0);
  portfolio.on_trade_closed(-5, 10'005, t);
  portfolio.on_trade_closed(-5, 10'000, t);
  portfolio.on_trade_closed(10, 10'010, t);
  EXPECT_EQ(portfolio.win_rate(), 0.5);  // W L L W
  portfolio.on_trade_closed(-1, 10'009, t);  // the first W leaves the window: L L W L
  EXPECT_EQ(portfolio.win_rate(), 0.25);
}


// Venue calls feed the breaker; its EMERGENCY shuts trading down, with the breaker named in
// the reason; new entries are held back during the back-off; only an operator's reset
// reopens, and the state then steps down after SHUTDOWN's cool-down as usual.
TEST(Portfolio, FailedVenueCallsTripTheBreakerAndShutTradingDown) {
  PortfolioConfig config;
  config.breaker.backoff_base = Milliseconds{1'000};
  config.breaker.backoff_max = Milliseconds{1'000};
  Portfolio portfolio(Notional::from_units(10'000), kMidnight, config);
  Timestamp now = kMidnight;
  for (int call = 0; call < 20; ++call) EXPECT_FALSE(portfolio.on_venue_call(false, now).breaker);  // served
  EXPECT_TRUE(portfolio.venue_allows(now));

  const VenueCallEffect first = portfolio.on_venue_call(true, now);
  EXPECT_FALSE(first.breaker);  // one failure in 21 calls: still NORMAL …
  EXPECT_FALSE(portfolio.venue_allows(now));  // … but the next call waits out the back-off
  EXPECT_TRUE(portfolio.venue_allows(now + Milliseconds{1'000}));

  std::vector<VenueCallEffect> effects;
  for (int call = 0; call < 14; ++call) effects.push_back(portfolio.on_venue_call(true, now += Milliseconds{1'000}));
  EXPECT_EQ(portfolio.breaker_level(), BreakerLevel::kEmergency);
  const auto shutdown = std::find_if(effects.begin(), effects.end(), [](const VenueCallEffect& e) { return e.state.has_value(); });
  ASSERT_NE(shutdown, effects.end());
  EXPECT_EQ(shutdown->breaker->to, BreakerLevel::kEmergency);
  EXPECT_EQ(shutdown->state->to, TradingState::kShutdown);
  EXPECT_NE(shutdown->state->reason.find("breaker EMERGENCY"), std::string::npos) << shutdown->state->reason;
  EXPECT_FALSE(portfolio.venue_allows(now + kDay));  // EMERGENCY never lifts by itself
  for (int call = 0; call < 10; ++call) portfolio.on_venue_call(false, now += Milliseconds{1'000});
  EXPECT_EQ(portfolio.breaker_level(), BreakerLevel::kEmergency);

  const VenueCallEffect reset = portfolio.reset_breaker("operator", now);
  ASSERT_TRUE(reset.breaker);
  EXPECT_EQ(reset.breaker->to, BreakerLevel::kNormal);
  EXPECT_TRUE(portfolio.venue_allows(now));
  EXPECT_EQ(portfolio.state(), TradingState::kShutdown);  // the state keeps its own cool-down
  const auto after = portfolio.mark(10'000, now + kDay);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->from, TradingState::kShutdown);
}

}  // namespace
}  // namespace winiswin::risk
