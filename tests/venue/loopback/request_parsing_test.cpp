// The loopback venue's request plumbing: form parameters, the signature over raw bytes (the
// official vectors of spec/signing.md), the JSON writer.
#include <gtest/gtest.h>

#include "venue/loopback/api_error.h"
#include "venue/loopback/form_params.h"
#include "venue/loopback/json_writer.h"
#include "venue/loopback/signature.h"

namespace winiswin::loopback {
namespace {

constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
constexpr const char* kPayload =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";

TEST(Signature, MatchesBinancesOfficialVector) {
  EXPECT_EQ(hmac_sha256_hex(kSecret, kPayload), "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
}

TEST(Signature, PayloadDropsTheSignatureFromQueryOrBody) {
  const std::string query = std::string(kPayload) + "&signature=abc";
  EXPECT_EQ(signed_payload(query, ""), kPayload);
  EXPECT_EQ(signed_payload("", query), kPayload);
}

TEST(Signature, MixedQueryAndBodyConcatenateWithoutAmpersand) {
  const std::string payload = signed_payload("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC",
                                             "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943&signature=x");
  EXPECT_EQ(payload, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp=1591702613943");
  // The corrected vector of spec/signing.md (the documented one signs a stray space).
  EXPECT_EQ(hmac_sha256_hex(kSecret, payload), "30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4");
}

TEST(Signature, ComparesCaseInsensitively) {
  const std::string expected = hmac_sha256_hex(kSecret, kPayload);
  EXPECT_TRUE(signature_matches(expected, "3C661234138461FCC7A7D8746C6558C9842D4E10870D2ECBEDF7777CAD694AF9"));
  EXPECT_FALSE(signature_matches(expected, "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af8"));
  EXPECT_FALSE(signature_matches(expected, "3c66"));
}

TEST(FormParams, DecodesPercentAndPlus) {
  auto params = parse_form("newClientOrderId=x%3Aa%2Fb&note=a+b");
  ASSERT_TRUE(params.ok());
  ASSERT_EQ(params->size(), 2u);
  EXPECT_EQ((*params)[0].value, "x:a/b");
  EXPECT_EQ((*params)[1].value, "a b");
}

TEST(FormParams, BrokenEscapeIsIllegalCharacters) {
  auto params = parse_form("symbol=BTC%G1");
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.error().venue_code, -1100);
  EXPECT_EQ(parse_form("a=%4").error().venue_code, -1100);
}

TEST(FormParams, DuplicateNameIsRefused) { EXPECT_EQ(parse_form("a=1&a=2").error().venue_code, -1101); }

TEST(FormParams, QueryWinsOverBody) {
  auto params = RequestParams::from("symbol=BTCUSDT", "symbol=ETHUSDT&side=BUY", true);
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params->find("symbol"), "BTCUSDT");
  EXPECT_EQ(*params->find("side"), "BUY");
}

TEST(FormParams, BodyOfAnotherContentTypeHoldsNoParameters) {
  auto params = RequestParams::from("", "side=BUY", false);
  ASSERT_TRUE(params.ok());
  EXPECT_FALSE(params->has("side"));
}

TEST(FormParams, TypedReadersAnswerWithBinanceCodes) {
  auto params = RequestParams::from("quantity=1.5&bad=1e3&leverage=x&flag=TRUE&odd=yes&empty=", "", true).value();
  EXPECT_EQ(params.required_decimal<Quantity>("quantity").value(), Quantity::parse("1.5").value());
  EXPECT_EQ(params.required_decimal<Quantity>("bad").error().venue_code, -1100);
  EXPECT_EQ(params.required_decimal<Quantity>("missing").error().venue_code, -1102);
  EXPECT_EQ(params.required_decimal<Quantity>("empty").error().venue_code, -1102);
  EXPECT_EQ(params.required_integer("leverage").error().venue_code, -1100);
  EXPECT_TRUE(params.optional_bool("flag", false).value());
  EXPECT_EQ(params.optional_bool("odd", false).error().venue_code, -1130);
  EXPECT_EQ(params.required("missing").error().message, "Mandatory parameter 'missing' was not sent, was empty/null, or malformed.");
}

TEST(JsonWriter, PlacesCommasAndEscapes) {
  JsonWriter json;
  json.begin_object().field("code", -1121).field("msg", "a \"quoted\"\n").key("list").begin_array().value(1).value(true).null();
  json.begin_object().field("p", Price::parse("117100.5").value()).end_object().end_array().end_object();
  EXPECT_EQ(json.str(), R"({"code":-1121,"msg":"a \"quoted\"\n","list":[1,true,null,{"p":"117100.5"}]})");
}

TEST(ApiError, KeyProblemsAre401AndOthers400) {
  EXPECT_EQ(error_response(make_rejection(-2015, "x")).status, 401);
  EXPECT_EQ(error_response(make_rejection(-2014, "x")).status, 401);
  const HttpResponse bad = error_response(make_rejection(-1121, "TESTUSDT: whatever"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, R"({"code":-1121,"msg":"Invalid symbol."})");
}

}  // namespace
}  // namespace winiswin::loopback
