#include "venue/binance/query_string.h"

#include <gtest/gtest.h>

#include "venue/binance/signing.h"

namespace winiswin::binance {
namespace {

TEST(QueryString, PercentEncodesLikeEncodeUriComponent) {
  EXPECT_EQ(percent_encode("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");  // JavaScript's unreserved set
  EXPECT_EQ(percent_encode("a b&c=d+e/f:g?h#i%j"), "a%20b%26c%3Dd%2Be%2Ff%3Ag%3Fh%23i%25j");
  EXPECT_EQ(percent_encode("[\"x\"]"), "%5B%22x%22%5D");
  EXPECT_EQ(percent_encode("é"), "%C3%A9");  // UTF-8 bytes, uppercase hex
  EXPECT_EQ(percent_encode(""), "");
}

TEST(QueryString, PercentDecodeInvertsEncodeAndRefusesBrokenEscapes) {
  const std::string text = "x:1/2 +=&%\x01\xff";
  EXPECT_EQ(percent_decode(percent_encode(text)).value(), text);
  EXPECT_FALSE(percent_decode("%").ok());
  EXPECT_FALSE(percent_decode("%4").ok());
  EXPECT_FALSE(percent_decode("%G1").ok());
}

TEST(QueryString, KeepsInsertionOrderAndEncodesValues) {
  QueryParams params;
  params.add("symbol", std::string("BTCUSDT"))
      .add("quantity", Quantity::parse("0.00100000").value())
      .add("price", Price::from_units(9000))
      .add_bool("reduceOnly", true)
      .add("newClientOrderId", std::string("wi:1/e"))
      .add("limit", std::int64_t{500});
  EXPECT_EQ(params.encode(), "symbol=BTCUSDT&quantity=0.001&price=9000&reduceOnly=true&newClientOrderId=wi%3A1%2Fe&limit=500");
  EXPECT_EQ(params.find("price"), "9000");
  EXPECT_FALSE(params.find("side").has_value());
  EXPECT_EQ(QueryParams{}.encode(), "");
}

// The official vector's payload, built the way the connector builds it: the parameters in
// order, then recvWindow and timestamp, then the signature over exactly those bytes.
TEST(QueryString, SignedQueryReproducesTheOfficialVector) {
  const RequestSigner signer =
      RequestSigner::create({ApiKey("dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83"),
                             Secret("2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9"), KeyType::kHmacSha256})
          .value();
  QueryParams params;
  params.add("symbol", std::string("BTCUSDT"))
      .add("side", std::string("BUY"))
      .add("type", std::string("LIMIT"))
      .add("quantity", Quantity::from_units(1))
      .add("price", Price::from_units(9000))
      .add("timeInForce", std::string("GTC"));
  const RequestTime time{timestamp_from_ms(1591702613943), Milliseconds{5000}};
  EXPECT_EQ(signed_query(params, time, signer).value(),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"
            "&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
}

TEST(QueryString, SignedQueryWithoutRecvWindowHasOnlyTheTimestamp) {
  const RequestSigner signer = RequestSigner::create({ApiKey("k"), Secret("s"), KeyType::kHmacSha256}).value();
  const std::string query = signed_query(QueryParams{}, RequestTime{timestamp_from_ms(1), std::nullopt}, signer).value();
  EXPECT_EQ(query.rfind("timestamp=1&signature=", 0), 0u);
  EXPECT_EQ(query.substr(query.find("signature=") + 10), hmac_sha256_hex(Secret("s"), "timestamp=1", "").value());
}

}  // namespace
}  // namespace winiswin::binance
