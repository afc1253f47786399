#include "venue/binance/exchange_info.h"

#include <gtest/gtest.h>

#include "data/synthetic_market.h"
#include "support/shared_data.h"

namespace winiswin::binance {
namespace {

const Instrument& find(const std::vector<Instrument>& instruments, const std::string& symbol) {
  for (const Instrument& instrument : instruments) {
    if (instrument.symbol == symbol) return instrument;
  }
  throw std::runtime_error("no " + symbol);
}

TEST(ExchangeInfo, ParsesTheRealCaptureOf2025) {
  WINISWIN_SHARED_FILE(path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  const ExchangeInfo info = load_exchange_info(path.string()).value();
  EXPECT_EQ(to_ms(info.server_time), 1766562549558);
  EXPECT_EQ(info.instruments.size(), 660u);
  const auto tradable = info.tradable_usdt_perpetuals();
  EXPECT_EQ(tradable.size(), 516u);  // counted independently with Python over the same file
  const Instrument& btc = find(info.instruments, "BTCUSDT");
  EXPECT_EQ(btc.price_filter.tick_size, Price::parse("0.10").value());
  EXPECT_EQ(btc.price_filter.min_price, Price::parse("261.10").value());
  EXPECT_EQ(btc.lot_size.step_size, Quantity::parse("0.001").value());
  EXPECT_EQ(btc.market_lot_size.max_quantity, Quantity::parse("1000").value());
  EXPECT_EQ(btc.min_notional, Notional::from_units(100));
  EXPECT_EQ(btc.percent_price_up, Ratio::parse("1.05").value());
  EXPECT_EQ(btc.contract_type, ContractType::kPerpetual);
  // The data README's table of filters for the kline symbols.
  struct Row {
    const char* symbol;
    const char* tick;
    const char* step;
    const char* min_notional;
  };
  for (const Row& row : {Row{"ETHUSDT", "0.01", "0.001", "20"}, Row{"ALGOUSDT", "0.0001", "0.1", "5"},
                         Row{"AVAXUSDT", "0.0010", "1", "5"}, Row{"NEARUSDT", "0.0010", "1", "5"},
                         Row{"LINKUSDT", "0.001", "0.01", "5"}}) {
    const Instrument& instrument = find(info.instruments, row.symbol);
    EXPECT_EQ(instrument.price_filter.tick_size, Price::parse(row.tick).value()) << row.symbol;
    EXPECT_EQ(instrument.lot_size.step_size, Quantity::parse(row.step).value()) << row.symbol;
    EXPECT_EQ(instrument.min_notional, Notional::parse(row.min_notional).value()) << row.symbol;
    EXPECT_TRUE(instrument.is_tradable_usdt_perpetual()) << row.symbol;
  }
  for (const Instrument& instrument : tradable) {
    EXPECT_TRUE(instrument.price_filter.tick_size.is_positive()) << instrument.symbol;
    EXPECT_EQ(instrument.quote_asset, "USDT");
  }
}

// Each symbol carries its own liquidationFee; the values as the file prints them (zcat … |
// grep -A20 '"symbol": "XMRUSDT"'), spanning the range the capture holds (0.0015 … 0.04).
TEST(ExchangeInfo, ReadsEachSymbolsLiquidationFee) {
  WINISWIN_SHARED_FILE(path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  const ExchangeInfo info = load_exchange_info(path.string()).value();
  for (const auto& [symbol, fee] : {std::pair{"BTCUSDT", "0.020000"}, std::pair{"ETHUSDT", "0.020000"},
                                    std::pair{"BCHUSDT", "0.015000"}, std::pair{"TRXUSDT", "0.025000"},
                                    std::pair{"DASHUSDT", "0.007000"}, std::pair{"XMRUSDT", "0.003500"},
                                    std::pair{"DIAUSDT", "0.001500"}, std::pair{"BTCSTUSDT", "0.040000"},
                                    std::pair{"ALGOUSDT", "0.015000"}, std::pair{"NEARUSDT", "0.025000"}}) {
    EXPECT_EQ(find(info.instruments, symbol).liquidation_fee, Ratio::parse(fee).value()) << symbol;
  }
  // Every one of the 660 symbols lists it (the distribution counted with Python: 408 at 1.5 %).
  std::size_t known = 0, at_one_and_a_half = 0;
  for (const Instrument& instrument : info.instruments) {
    known += instrument.liquidation_fee.is_positive() ? 1 : 0;
    at_one_and_a_half += instrument.liquidation_fee == Ratio::parse("0.015").value() ? 1 : 0;
  }
  EXPECT_EQ(known, 660u);
  EXPECT_EQ(at_one_and_a_half, 408u);
}

TEST(ExchangeInfo, ParsesTheByteExactCaptureOf2021) {
  WINISWIN_SHARED_FILE(path, "data/rest/fapi_v1_exchangeInfo_2021-09-06.json");
  const ExchangeInfo info = load_exchange_info(path.string()).value();
  EXPECT_EQ(info.instruments.size(), 133u);
  const Instrument& btc = find(info.instruments, "BTCUSDT");
  EXPECT_EQ(btc.price_filter.tick_size, Price::parse("0.01").value());
  EXPECT_EQ(btc.min_notional, Notional::from_units(5));
  std::size_t other = 0;
  for (const Instrument& instrument : info.instruments) other += instrument.contract_type == ContractType::kOther ? 1 : 0;
  EXPECT_EQ(other, 1u);  // the one with an empty contractType
}

constexpr const char* kMinimal = R"({"serverTime":1,"symbols":[{"symbol":"XUSDT","status":"TRADING",
  "contractType":"PERPETUAL","baseAsset":"X","quoteAsset":"USDT","marginAsset":"USDT","pricePrecision":2,
  "quantityPrecision":1,"newField":{"a":[1,2]},"filters":[
  {"tickSize":"0.01","filterType":"PRICE_FILTER","minPrice":"0.01","maxPrice":"100"},
  {"filterType":"LOT_SIZE","minQty":"0.1","maxQty":"1000","stepSize":"0.1"},
  {"filterType":"SOMETHING_NEW","x":"1"},
  {"filterType":"MIN_NOTIONAL","notional":"5"}]}]})";

TEST(ExchangeInfo, IgnoresUnknownFieldsAndDefaultsMarketLot) {
  const ExchangeInfo info = parse_exchange_info(kMinimal, "minimal").value();
  ASSERT_EQ(info.instruments.size(), 1u);
  EXPECT_EQ(info.instruments[0].market_lot_size.step_size, Quantity::parse("0.1").value());
  EXPECT_EQ(info.instruments[0].percent_price_up, Ratio{});
  EXPECT_EQ(info.instruments[0].liquidation_fee, Ratio{});  // absent: unknown
}

TEST(ExchangeInfo, LiquidationFeeRoundTripsAndIsValidated) {
  std::string json = kMinimal;
  json.insert(json.find(R"("filters")"), R"("liquidationFee":"0.012500",)");
  const ExchangeInfo info = parse_exchange_info(json, "fee.json").value();
  EXPECT_EQ(info.instruments[0].liquidation_fee, Ratio::parse("0.0125").value());
  const ExchangeInfo again = parse_exchange_info(format_exchange_info(info.instruments, info.server_time), "again").value();
  EXPECT_EQ(again.instruments[0].liquidation_fee, Ratio::parse("0.0125").value());
  // Unknown stays unknown through the round trip (not written as "0").
  const ExchangeInfo plain = parse_exchange_info(kMinimal, "plain").value();
  const std::string written = format_exchange_info(plain.instruments, plain.server_time);
  EXPECT_EQ(written.find("liquidationFee"), std::string::npos);
  for (const auto& [text, expected] : {std::pair{R"("liquidationFee":0.0125,)", "field 'liquidationFee' is missing or not a decimal string"},
                                       std::pair{R"("liquidationFee":"-0.01",)", "'liquidationFee' -0.01 is outside [0, 1)"},
                                       std::pair{R"("liquidationFee":"1.5",)", "'liquidationFee' 1.5 is outside [0, 1)"}}) {
    std::string bad = kMinimal;
    bad.insert(bad.find(R"("filters")"), text);
    const auto result = parse_exchange_info(bad, "bad.json");
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_NE(result.error().message.find(expected), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("XUSDT"), std::string::npos) << result.error().message;
  }
}

TEST(ExchangeInfo, MissingOrMistypedFieldsAreNamed) {
  const std::string minimal = kMinimal;
  const auto replace = [&](const std::string& from, const std::string& to) {
    std::string text = minimal;
    const auto position = text.find(from);
    EXPECT_NE(position, std::string::npos) << from;
    return text.replace(position, from.size(), to);
  };
  struct Case {
    std::string json;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {replace(R"("baseAsset":"X",)", ""), "XUSDT: field 'baseAsset' is missing"},
      {replace(R"("pricePrecision":2)", R"("pricePrecision":"2")"), "XUSDT: field 'pricePrecision' is missing or not an integer"},
      {replace(R"("tickSize":"0.01")", R"("tickSize":0.01)"), "XUSDT PRICE_FILTER: field 'tickSize'"},
      {replace(R"("stepSize":"0.1")", R"("stepSize":"0.1x")"), "XUSDT LOT_SIZE: field 'stepSize'"},
      {replace(R"({"filterType":"MIN_NOTIONAL","notional":"5"})", R"({"filterType":"X"})"), "required filter MIN_NOTIONAL"},
      {replace(R"("symbol":"XUSDT",)", ""), "symbols[0]: field 'symbol' is missing"},
      {replace(R"("serverTime":1,)", ""), "field 'serverTime'"},
      {minimal.substr(0, minimal.size() - 3), "malformed JSON"},
      {"[]", "must be a JSON object"},
  };
  for (const Case& bad : cases) {
    const auto result = parse_exchange_info(bad.json, "case.json");
    ASSERT_FALSE(result.ok()) << bad.expected;
    EXPECT_NE(result.error().message.find(bad.expected), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("case.json"), std::string::npos) << result.error().message;
  }
}

TEST(ExchangeInfo, FormatThenParseRoundTripsTheSyntheticInstruments) {
  SyntheticMarketConfig config;
  config.symbols = 50;
  config.days = 1;
  const SyntheticMarket market(config);
  const std::string json = format_exchange_info(market.instruments(), config.start);
  const ExchangeInfo info = parse_exchange_info(json, "synthetic").value();
  ASSERT_EQ(info.instruments.size(), 50u);
  EXPECT_EQ(info.tradable_usdt_perpetuals().size(), 50u);
  for (std::size_t idx = 0; idx < 50; ++idx) {
    const Instrument& original = market.instruments()[idx];
    const Instrument& parsed = info.instruments[idx];
    EXPECT_EQ(parsed.symbol, original.symbol);
    EXPECT_EQ(parsed.price_filter.tick_size, original.price_filter.tick_size);
    EXPECT_EQ(parsed.price_filter.min_price, original.price_filter.min_price);
    EXPECT_EQ(parsed.price_filter.max_price, original.price_filter.max_price);
    EXPECT_EQ(parsed.lot_size.step_size, original.lot_size.step_size);
    EXPECT_EQ(parsed.lot_size.max_quantity, original.lot_size.max_quantity);
    EXPECT_EQ(parsed.market_lot_size.max_quantity, original.market_lot_size.max_quantity);
    EXPECT_EQ(parsed.min_notional, original.min_notional);
    EXPECT_EQ(parsed.price_precision, original.price_precision);
  }
}

}  // namespace
}  // namespace winiswin::binance
