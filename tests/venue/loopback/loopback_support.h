// What the loopback venue's tests share: a small test instrument, synthetic 1m bars, an
// exchange whose clock stands one hour into them, a client that signs like the official
// connector (all in the query) or like ccxt (parameters in the body), and JSON reading.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

#include "support/instruments.h"
#include "venue/loopback/loopback_exchange.h"
#include "venue/loopback/signature.h"

namespace winiswin::loopback::test {

using testing::N;
using testing::P;
using testing::Q;

// The official HMAC test key pair (spec/signing.md).
inline constexpr const char* kApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
inline constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
inline constexpr std::int64_t kFirstBarMs = 1'767'225'600'000;  // 2026-01-01 00:00 UTC
inline constexpr std::int64_t kMinuteMs = 60'000;

inline Instrument test_instrument() {
  Instrument instrument = testing::instrument_with("TESTUSDT", {"0.1", "100000", "0.1", "0.001", "1000", "0.001", "100", "5"});
  instrument.base_asset = "TEST";
  instrument.margin_asset = "USDT";
  instrument.price_precision = 1;
  instrument.quantity_precision = 3;
  return instrument;
}

inline Timestamp minute_time(std::int64_t index) { return timestamp_from_ms(kFirstBarMs + index * kMinuteMs); }

// Bar `index` of the test market: open at 100 + index/10, high +0.5, low −0.5, close +0.1
// (so each bar opens where the one before closed).
inline Kline test_bar(std::int64_t index) {
  Kline bar;
  bar.open_time = minute_time(index);
  bar.close_time = bar.open_time + Milliseconds{kMinuteMs - 1};
  const Price open = Price::from_raw(100 * kFixedScale + index * (kFixedScale / 10));
  bar.open = open;
  bar.high = open + P("0.5");
  bar.low = open - P("0.5");
  bar.close = open + P("0.1");
  bar.volume = Q("10");
  bar.quote_volume = N("1000");
  bar.trades = 7;
  return bar;
}

inline KlineSeries test_series(std::int64_t bars) {
  KlineSeries series;
  series.symbol = "TESTUSDT";
  series.interval = Interval::k1m;
  for (std::int64_t idx = 0; idx < bars; ++idx) series.bars.push_back(test_bar(idx));
  return series;
}

// 240 bars (4 h); the clock starts after bar 59 closed (01:00).
inline std::unique_ptr<LoopbackExchange> make_exchange(LoopbackConfig config = {}) {
  config.credentials = {ApiCredentials{kApiKey, kSecret}};
  if (config.start == Timestamp{}) config.start = minute_time(60);
  BracketMap brackets;
  brackets["TESTUSDT"] = {LeverageBracket{50, N("0"), N("50000"), 0.01, N("0")},
                          LeverageBracket{20, N("50000"), N("250000"), 0.025, N("750")}};
  auto exchange = LoopbackExchange::create({test_instrument()}, std::move(brackets), {test_series(240)}, std::move(config));
  if (!exchange) throw std::runtime_error(exchange.error().message);
  return std::move(exchange).value();
}

inline HttpRequest get(std::string target) { return HttpRequest{"GET", std::move(target), {}, ""}; }

// Signs like the official connector: every parameter in the query, timestamp and signature last.
inline HttpRequest signed_query(const std::string& method, const std::string& path, const std::string& params, Timestamp time,
                                const std::string& secret = kSecret) {
  const std::string query = (params.empty() ? "" : params + "&") + "timestamp=" + std::to_string(to_ms(time));
  const std::string signature = hmac_sha256_hex(secret, query);
  return HttpRequest{method, path + "?" + query + "&signature=" + signature, {{"X-MBX-APIKEY", kApiKey}}, ""};
}

// Signs like ccxt for POST/PUT/DELETE: the parameters in a form body.
inline HttpRequest signed_body(const std::string& method, const std::string& path, const std::string& params, Timestamp time) {
  const std::string body = (params.empty() ? "" : params + "&") + "timestamp=" + std::to_string(to_ms(time));
  const std::string signature = hmac_sha256_hex(kSecret, body);
  return HttpRequest{method,
                     path,
                     {{"X-MBX-APIKEY", kApiKey}, {"Content-Type", "application/x-www-form-urlencoded"}},
                     body + "&signature=" + signature};
}

// A parsed JSON answer (the parser lives as long as the document).
class Json {
 public:
  explicit Json(const std::string& text) : padded_(text) {
    if (parser_.parse(padded_).get(root_) != simdjson::SUCCESS) throw std::runtime_error("not JSON: " + text);
  }
  [[nodiscard]] simdjson::dom::element root() const { return root_; }
  [[nodiscard]] simdjson::dom::element operator[](std::string_view key) const { return root_[key].value(); }
  [[nodiscard]] std::string string(std::string_view key) const { return std::string(root_[key].get_string().value()); }
  [[nodiscard]] std::int64_t integer(std::string_view key) const { return root_[key].get_int64().value(); }
  [[nodiscard]] std::size_t size() const;

 private:
  simdjson::padded_string padded_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

inline std::string str(simdjson::dom::element element) { return std::string(element.get_string().value()); }

// The items of a JSON array (read into a named array: simdjson's temporaries upset GCC 12's
// dangling-pointer analysis).
inline std::vector<simdjson::dom::element> items(simdjson::dom::element element) {
  simdjson::dom::array array;
  if (element.get_array().get(array) != simdjson::SUCCESS) throw std::runtime_error("not a JSON array");
  std::vector<simdjson::dom::element> out;
  for (simdjson::dom::element item : array) out.push_back(item);
  return out;
}

inline std::size_t Json::size() const { return items(root_).size(); }

// The error code of an error answer.
inline std::int64_t code_of(const HttpResponse& response) { return Json(response.body).integer("code"); }

}  // namespace winiswin::loopback::test
