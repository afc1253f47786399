#include "venue/binance/user_stream.h"

#include <gtest/gtest.h>

#include "support/shared_data.h"
#include "venue/binance/codec_test_support.h"

namespace winiswin::binance {
namespace {

using testing::fails_naming;
using testing::read_text;
using testing::replaced;
using venue::AlgoStatus;
using venue::EventCause;
using venue::OrderStatus;
using venue::VenueEvent;
using Kind = VenueEvent::Kind;

const Timestamp kReceived = timestamp_from_ms(1568879465700);

constexpr const char* kTrade =
    R"({"e":"ORDER_TRADE_UPDATE","E":1568879465651,"T":1568879465650,"o":{"s":"BTCUSDT","c":"wi-7-e","S":"BUY","o":"LIMIT",)"
    R"("f":"GTC","q":"0.002","p":"7100.50","ap":"7100.50","sp":"0","x":"TRADE","X":"PARTIALLY_FILLED","i":8886774,)"
    R"("l":"0.001","z":"0.001","L":"7100.50","N":"USDT","n":"0.00355025","T":1568879465650,"t":12345678,"b":"0","a":"0",)"
    R"("m":true,"R":false,"wt":"CONTRACT_PRICE","ot":"LIMIT","ps":"BOTH","cp":false,"AP":"0","cr":"0","pP":false,"si":0,)"
    R"("ss":0,"rp":"12.34","V":"EXPIRE_TAKER","pm":"NONE","gtd":0,"er":"0"}})";

constexpr const char* kAlgoTriggered =
    R"({"stream":"QuwZkuPX0yPW7hN7l2UXUkq25xM0e5clh7Byeea1c6XzX5EoYvGok48HJ2FCbDur","data":{"e":"ALGO_UPDATE",)"
    R"("T":1765431097030,"E":1765431097037,"o":{"caid":"O-20251211-053131-ZYWR-000-9","aid":1000000033225453,)"
    R"("at":"CONDITIONAL","o":"STOP_MARKET","s":"DOGEUSDT","S":"BUY","ps":"BOTH","f":"GTC","q":"38","X":"TRIGGERED",)"
    R"("ai":"88937381063","ap":"0","aq":"0","act":"MARKET","tp":"0.13855","p":"0","V":"EXPIRE_MAKER","wt":"CONTRACT_PRICE",)"
    R"("pm":"NONE","cp":false,"pP":false,"R":false,"tt":1765431097019,"gtd":0}}})";

std::vector<VenueEvent> events_of(const std::string& json) {
  UserDataMessage message = parse_user_data_message(json, kReceived).value();
  auto* events = std::get_if<std::vector<VenueEvent>>(&message);
  EXPECT_NE(events, nullptr) << json;
  return events ? *events : std::vector<VenueEvent>{};
}

TEST(UserStream, TradeIsAFill) {
  const auto events = events_of(kTrade);
  ASSERT_EQ(events.size(), 1u);
  const VenueEvent& fill = events[0];
  EXPECT_EQ(fill.kind, Kind::kFill);
  EXPECT_EQ(to_ms(fill.time), 1568879465650);
  EXPECT_EQ(fill.received, kReceived);
  EXPECT_EQ(fill.symbol, "BTCUSDT");
  EXPECT_EQ(fill.cause, EventCause::kOrder);
  EXPECT_EQ(fill.order_id, 8886774);
  EXPECT_EQ(fill.client_order_id, "wi-7-e");
  EXPECT_EQ(fill.algo_id, 0);
  EXPECT_EQ(fill.status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(fill.side, Side::kBuy);
  EXPECT_EQ(fill.price, Price::parse("7100.5").value());
  EXPECT_EQ(fill.quantity, Quantity::parse("0.001").value());
  EXPECT_EQ(fill.cumulative_quantity, Quantity::parse("0.001").value());
  EXPECT_EQ(fill.fee, Notional::parse("0.00355025").value());
  EXPECT_EQ(fill.realized_pnl, Notional::parse("12.34").value());
}

TEST(UserStream, NewOrderIsAnOrderUpdate) {
  std::string update = replaced(kTrade, R"("x":"TRADE","X":"PARTIALLY_FILLED")", R"("x":"NEW","X":"NEW")");
  update = replaced(update, R"("L":"7100.50",)", "");  // absent on updates: not needed
  const auto events = events_of(update);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kOrderUpdate);
  EXPECT_EQ(events[0].status, OrderStatus::kNew);
  EXPECT_EQ(events[0].reason, "NEW");
  const auto canceled = events_of(replaced(kTrade, R"("x":"TRADE","X":"PARTIALLY_FILLED")", R"("x":"CANCELED","X":"CANCELED")"));
  EXPECT_EQ(canceled.at(0).status, OrderStatus::kCanceled);
  WINISWIN_SHARED_FILE(path, "data/ws/nautilus_fixtures_doc_examples/order_update_new.json");
  EXPECT_EQ(events_of(read_text(path.string())).at(0).kind, Kind::kOrderUpdate);
}

TEST(UserStream, LiquidationIsAFillCausedByLiquidation) {
  WINISWIN_SHARED_FILE(path, "data/ws/nautilus_fixtures_doc_examples/ws_futures_order_update_liquidation.json");
  const auto events = events_of(read_text(path.string()));  // in the combined-stream envelope, with nulls
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kFill);
  EXPECT_EQ(events[0].cause, EventCause::kLiquidation);
  EXPECT_EQ(events[0].reason, "LIQUIDATION");
  EXPECT_EQ(events[0].client_order_id, "autoclose-1234567890123456");
  EXPECT_EQ(events[0].price, Price::from_units(50000));
  EXPECT_EQ(events[0].fee, Notional::from_units(5));
  EXPECT_EQ(events[0].realized_pnl, Notional::from_units(-100));
}

TEST(UserStream, ForcedClosesAreToldApartByClientId) {
  const auto adl = events_of(replaced(kTrade, R"("c":"wi-7-e")", R"("c":"adl_autoclose")"));
  EXPECT_EQ(adl.at(0).cause, EventCause::kAutoDeleverage);
  const auto by_id = events_of(replaced(kTrade, R"("c":"wi-7-e")", R"("c":"autoclose-1759347763167")"));
  EXPECT_EQ(by_id.at(0).cause, EventCause::kLiquidation);
  WINISWIN_SHARED_FILE(path, "data/ws/nautilus_fixtures_doc_examples/ws_futures_order_update_settlement.json");
  const auto settlement = events_of(read_text(path.string()));
  EXPECT_EQ(settlement.at(0).kind, Kind::kFill);
  EXPECT_EQ(settlement.at(0).cause, EventCause::kSettlement);
  EXPECT_EQ(settlement.at(0).reason, "settlement");
}

TEST(UserStream, TriggeredAlgoChildCarriesTheAlgoClientId) {
  std::string child = replaced(kTrade, R"("ot":"LIMIT")", R"("ot":"STOP_MARKET")");
  child = replaced(child, R"("c":"wi-7-e")", R"("c":"wi-7-s")");
  const auto events = events_of(child);
  EXPECT_EQ(events.at(0).cause, EventCause::kAlgoTriggered);
  EXPECT_EQ(events.at(0).client_algo_id, "wi-7-s");
  EXPECT_EQ(events.at(0).client_order_id, "wi-7-s");
}

TEST(UserStream, BnbFeesAreNamedInTheReason) {
  const auto events = events_of(replaced(kTrade, R"("N":"USDT")", R"("N":"BNB")"));
  EXPECT_NE(events.at(0).reason.find("fee in BNB"), std::string::npos);
}

TEST(UserStream, OrderTradeUpdateErrorsNameTypeAndField) {
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kTrade, R"("L":"7100.50")", R"("L":7100.5)"), kReceived),
                           {"ORDER_TRADE_UPDATE.o: field 'L' is missing or not a decimal string"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kTrade, R"("rp":"12.34",)", ""), kReceived),
                           {"ORDER_TRADE_UPDATE.o: field 'rp'"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kTrade, R"("X":"PARTIALLY_FILLED")", R"("X":"PENDING")"), kReceived),
                           {"ORDER_TRADE_UPDATE.o: field 'X': 'PENDING' is not an order status"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kTrade, R"("i":8886774)", R"("i":"8886774")"), kReceived),
                           {"ORDER_TRADE_UPDATE.o: field 'i' is missing or not an integer"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kTrade, R"("T":1568879465650,"o")", R"("o")"), kReceived),
                           {"ORDER_TRADE_UPDATE: field 'T'"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(R"({"e":"ORDER_TRADE_UPDATE","T":1,"o":[]})", kReceived),
                           {"ORDER_TRADE_UPDATE: field 'o' is missing or not an object"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(std::string(kTrade).substr(0, 60), kReceived), {"malformed JSON"}));
}

constexpr const char* kAccountUpdate =
    R"({"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,"a":{"m":"ORDER",)"
    R"("B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"0"},{"a":"BNB","wb":"1.5","cw":"1.5","bc":"0"}],)"
    R"("P":[{"s":"BTCUSDT","pa":"-0.010","ep":"87123.456789012","bep":"87140","cr":"200","up":"-1.5","mt":"isolated",)"
    R"("iw":"87.1","ps":"BOTH"}]}})";

TEST(UserStream, AccountUpdateGivesBalanceThenPositions) {
  const auto events = events_of(kAccountUpdate);
  ASSERT_EQ(events.size(), 2u);  // the BNB balance is not the margin asset
  EXPECT_EQ(events[0].kind, Kind::kBalanceChange);
  EXPECT_EQ(events[0].wallet_balance, Notional::parse("122624.12345678").value());
  EXPECT_EQ(events[0].reason, "ORDER");
  EXPECT_EQ(to_ms(events[0].time), 1564745798938);
  EXPECT_EQ(events[1].kind, Kind::kPositionChange);
  EXPECT_EQ(events[1].symbol, "BTCUSDT");
  EXPECT_EQ(events[1].quantity, Quantity::parse("-0.01").value());
  EXPECT_EQ(events[1].price, Price::parse("87123.45678901").value());  // entry price to the nearest 1e-8
  EXPECT_EQ(events[1].side, Side::kSell);
  WINISWIN_SHARED_FILE(path, "data/ws/nautilus_fixtures_doc_examples/account_update.json");
  EXPECT_EQ(events_of(read_text(path.string())).size(), 4u);  // a balance and three positions
}

TEST(UserStream, FundingFeeIsAFundingEvent) {
  std::string funding = replaced(kAccountUpdate, R"("m":"ORDER")", R"("m":"FUNDING_FEE")");
  funding = replaced(funding, R"("bc":"0"},{"a":"BNB")", R"("bc":"-0.26136"},{"a":"BNB")");
  const auto events = events_of(funding);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, Kind::kFunding);
  EXPECT_EQ(events[0].cause, EventCause::kFunding);
  EXPECT_EQ(events[0].fee, Notional::parse("0.26136").value());  // paid
  EXPECT_EQ(events[0].symbol, "BTCUSDT");
  EXPECT_EQ(events[0].quantity, Quantity::parse("-0.01").value());
  EXPECT_EQ(events[1].kind, Kind::kBalanceChange);
  EXPECT_EQ(events[2].kind, Kind::kPositionChange);
  // Crossed positions: only the balance is pushed; the payment has no symbol.
  const auto crossed = events_of(R"({"e":"ACCOUNT_UPDATE","E":2,"T":1,"a":{"m":"FUNDING_FEE","B":[{"a":"USDT","wb":"99.9","cw":"99.9","bc":"0.1"}],"P":[]}})");
  ASSERT_EQ(crossed.size(), 2u);
  EXPECT_EQ(crossed[0].fee, Notional::parse("-0.1").value());  // received
  EXPECT_TRUE(crossed[0].symbol.empty());
}

TEST(UserStream, AccountUpdateErrors) {
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kAccountUpdate, R"("pa":"-0.010")", R"("pa":-0.01)"), kReceived),
                           {"ACCOUNT_UPDATE.a.P[0]: field 'pa' is missing or not a decimal string"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kAccountUpdate, R"("wb":"122624.12345678")", R"("wb":"1e99")"), kReceived),
                           {"ACCOUNT_UPDATE.a.B[0]: field 'wb'"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(kAccountUpdate, R"("m":"ORDER",)", ""), kReceived),
                           {"ACCOUNT_UPDATE.a: field 'm'"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(R"({"e":"ACCOUNT_UPDATE","T":1,"a":{"m":"ORDER","B":{}}})", kReceived),
                           {"ACCOUNT_UPDATE.a.B: expected a JSON array"}));
}

TEST(UserStream, AlgoUpdateTriggeredAsBinanceSentIt) {
  const auto events = events_of(kAlgoTriggered);
  ASSERT_EQ(events.size(), 1u);
  const VenueEvent& update = events[0];
  EXPECT_EQ(update.kind, Kind::kAlgoUpdate);
  EXPECT_EQ(to_ms(update.time), 1765431097030);
  EXPECT_EQ(update.symbol, "DOGEUSDT");
  EXPECT_EQ(update.algo_id, 1000000033225453);
  EXPECT_EQ(update.client_algo_id, "O-20251211-053131-ZYWR-000-9");
  EXPECT_EQ(update.algo_status, AlgoStatus::kTriggered);
  EXPECT_EQ(update.order_id, 88937381063);
  EXPECT_EQ(update.side, Side::kBuy);
  EXPECT_EQ(update.cause, EventCause::kAlgoTriggered);
}

TEST(UserStream, AlgoUpdateRejectedAtTriggerWithEmptyIds) {
  const std::string rejected =
      R"({"e":"ALGO_UPDATE","T":1750515742297,"E":1750515742303,"o":{"caid":"wi-7-s","aid":2148719,"at":"CONDITIONAL",)"
      R"("o":"STOP_MARKET","s":"BNBUSDT","S":"SELL","ps":"BOTH","f":"GTC","q":"0.01","X":"REJECTED","ai":"","ap":"0.00000",)"
      R"("aq":"0.00000","act":"0","tp":"750","p":"0","V":"EXPIRE_MAKER","wt":"CONTRACT_PRICE","pm":"NONE","cp":false,)"
      R"("pP":false,"R":true,"tt":0,"gtd":0,"rm":"Reduce Only reject"}})";
  const auto events = events_of(rejected);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].order_id, 0);
  EXPECT_EQ(events[0].algo_status, AlgoStatus::kRejected);
  EXPECT_EQ(events[0].cause, EventCause::kTriggerRejected);
  EXPECT_EQ(events[0].reason, "Reduce Only reject");
  const auto expired = events_of(replaced(rejected, R"("X":"REJECTED")", R"("X":"EXPIRED")"));
  EXPECT_EQ(expired.at(0).cause, EventCause::kPositionClosed);
  const auto fresh = events_of(replaced(rejected, R"("X":"REJECTED")", R"("X":"NEW")"));
  EXPECT_EQ(fresh.at(0).cause, EventCause::kOrder);
  // The client algo id may be empty too (an order placed without one, seen by another session).
  EXPECT_TRUE(events_of(replaced(rejected, R"("caid":"wi-7-s")", R"("caid":"")")).at(0).client_algo_id.empty());
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(rejected, R"("aid":2148719)", R"("aid":"")"), kReceived),
                           {"ALGO_UPDATE.o: field 'aid'"}));
  EXPECT_TRUE(fails_naming(parse_user_data_message(replaced(rejected, R"("X":"REJECTED")", R"("X":"GONE")"), kReceived),
                           {"ALGO_UPDATE.o: field 'X': 'GONE' is not an algo status"}));
}

TEST(UserStream, ListenKeyExpiredAndSkippedEvents) {
  const UserDataMessage expired = parse_user_data_message(
                                      R"({"e":"listenKeyExpired","E":1576653824250,"listenKey":"OfYGbUzi3PraNagEk"})", kReceived)
                                      .value();
  const auto* notice = std::get_if<ListenKeyExpired>(&expired);
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(notice->listen_key, "OfYGbUzi3PraNagEk");
  EXPECT_EQ(to_ms(notice->event_time), 1576653824250);
  for (const char* other : {R"({"e":"ACCOUNT_CONFIG_UPDATE","E":1611646737479,"T":1611646737476,"ac":{"s":"BTCUSDT","l":25}})",
                            R"({"e":"MARGIN_CALL","E":1587727187525,"cw":"3.16812045","p":[]})", R"({"e":"STRATEGY_UPDATE"})"}) {
    const UserDataMessage message = parse_user_data_message(other, kReceived).value();
    const auto* skipped = std::get_if<SkippedMessage>(&message);
    ASSERT_NE(skipped, nullptr) << other;
    EXPECT_EQ(skipped->reason, "not handled");
  }
  WINISWIN_SHARED_FILE(path, "data/ws/nautilus_fixtures_doc_examples/trade_lite.json");
  EXPECT_TRUE(std::holds_alternative<SkippedMessage>(parse_user_data_message(read_text(path.string()), kReceived).value()));
  EXPECT_TRUE(std::holds_alternative<SubscriptionReply>(parse_user_data_message(R"({"result":null,"id":3})", kReceived).value()));
  EXPECT_TRUE(fails_naming(parse_user_data_message(R"({"e":42})", kReceived), {"field 'e'"}));
}

}  // namespace
}  // namespace winiswin::binance
