#include "venue/binance/signing.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <ostream>
#include <type_traits>

#include <fmt/format.h>

#include "venue/binance/query_string.h"

namespace winiswin::binance {
namespace {

// spec/signing.md: the official HMAC test vector of the USDⓈ-M docs.
constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
constexpr const char* kApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
constexpr const char* kPayload =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";

// RFC 8032 §7.1 TEST 2 (message 0x72), its key wrapped as PKCS#8 PEM.
constexpr const char* kRfc8032Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
    "-----END PRIVATE KEY-----\n";

template <typename T>
concept Streamable = requires(std::ostream& out, const T& value) { out << value; };

// The secret cannot be printed by accident: no stream operator, no fmt formatter, no
// conversion to a string.
static_assert(!Streamable<Secret>);
static_assert(!fmt::is_formattable<Secret>::value);
static_assert(!std::is_convertible_v<Secret, std::string>);
static_assert(!std::is_convertible_v<Secret, std::string_view>);
static_assert(!Streamable<ApiKey>);
static_assert(!fmt::is_formattable<ApiKey>::value);
static_assert(!Streamable<Credentials>);

TEST(Signing, HmacMatchesTheOfficialVectorAsQueryOrAsBody) {
  const Secret secret(kSecret);
  const std::string expected = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9";
  EXPECT_EQ(hmac_sha256_hex(secret, kPayload, "").value(), expected);
  EXPECT_EQ(hmac_sha256_hex(secret, "", kPayload).value(), expected);
}

// Example 3: query and body concatenated with no '&' between them (the documented value
// f9d0ae5e… signs a stray space in the doc's text; spec/signing.md gives the corrected one).
TEST(Signing, HmacSignsQueryThenBodyWithNothingBetween) {
  const Secret secret(kSecret);
  EXPECT_EQ(hmac_sha256_hex(secret, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC",
                            "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943")
                .value(),
            "30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4");
}

TEST(Signing, RequestSignerGivesTheHmacHexAsTheSignatureParameter) {
  const RequestSigner signer = RequestSigner::create({ApiKey(kApiKey), Secret(kSecret), KeyType::kHmacSha256}).value();
  EXPECT_EQ(signer.signature_parameter(kPayload, "").value(), "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
  EXPECT_EQ(signer.api_key().header_value(), kApiKey);
}

TEST(Signing, EmptySecretsAreRefused) {
  EXPECT_FALSE(hmac_sha256_hex(Secret(""), kPayload, "").ok());
  EXPECT_FALSE(RequestSigner::create({ApiKey(kApiKey), Secret(""), KeyType::kHmacSha256}).ok());
  EXPECT_FALSE(RequestSigner::create({ApiKey(kApiKey), Secret(""), KeyType::kEd25519}).ok());
}

TEST(Signing, RedactedViewsHideTheKeys) {
  EXPECT_EQ(Secret::redacted(), "<redacted>");
  EXPECT_EQ(ApiKey(kApiKey).redacted(), "dbefbc…");
  EXPECT_EQ(ApiKey("short").redacted(), "<redacted>");
}

TEST(Signing, MovedFromSecretIsEmpty) {
  Secret first(kSecret);
  const Secret second(std::move(first));
  EXPECT_TRUE(first.empty());  // NOLINT(bugprone-use-after-move): wiped on purpose
  EXPECT_FALSE(second.empty());
  EXPECT_EQ(hmac_sha256_hex(second, kPayload, "").value().substr(0, 8), "3c661234");
}

// A deterministic known answer: Ed25519 is deterministic, and RFC 8032's TEST 2 signs the
// one byte 'r'.
TEST(Signing, Ed25519MatchesRfc8032Test2) {
  const Ed25519Key key = Ed25519Key::from_pem(Secret(kRfc8032Pem)).value();
  const std::string base64 = key.sign_base64("r", "").value();
  EXPECT_EQ(base64, "kqAJqfDUyrhyDoILX2QlQKKye1QWUD+Ps3YiI+vbadoIWsHkPhWZbkWPNhPQ8R2MOHsurrQwKu6wDSkWErsMAA==");
  EXPECT_EQ(key.sign_base64("", "r").value(), base64);  // query + body, nothing between
  const RequestSigner signer = RequestSigner::create({ApiKey(kApiKey), Secret(kRfc8032Pem), KeyType::kEd25519}).value();
  EXPECT_EQ(signer.signature_parameter("r", "").value(),
            "kqAJqfDUyrhyDoILX2QlQKKye1QWUD%2BPs3YiI%2BvbadoIWsHkPhWZbkWPNhPQ8R2MOHsurrQwKu6wDSkWErsMAA%3D%3D");
}

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

std::string pem_of(EVP_PKEY* key) {
  const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool verifies(EVP_PKEY* key, const std::string& message, const std::string& base64) {
  std::string decoded(base64.size(), '\0');
  int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                             reinterpret_cast<const unsigned char*>(base64.data()), static_cast<int>(base64.size()));
  if (size < 0) return false;
  for (auto it = base64.rbegin(); it != base64.rend() && *it == '='; ++it) --size;  // DecodeBlock keeps padding bytes
  const std::unique_ptr<EVP_MD_CTX, MdFree> context(EVP_MD_CTX_new());
  return EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(decoded.data()), static_cast<std::size_t>(size),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

TEST(Signing, Ed25519SignatureOfAGeneratedKeyVerifiesWithOpenSsl) {
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  ASSERT_TRUE(key);
  const RequestSigner signer = RequestSigner::create({ApiKey(kApiKey), Secret(pem_of(key.get())), KeyType::kEd25519}).value();
  const std::string query = "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=1.23&newClientOrderId=wi%3A1%2Fa";
  const std::string body = "timestamp=1671090801999";
  const std::string encoded = signer.signature_parameter(query, body).value();
  const std::string base64 = percent_decode(encoded).value();
  EXPECT_EQ(base64.size(), 88u);
  EXPECT_TRUE(verifies(key.get(), query + body, base64));
  EXPECT_FALSE(verifies(key.get(), query + "&" + body, base64));  // the '&' would be a different message
}

TEST(Signing, Ed25519RefusesWhatIsNotAnEd25519PrivateKey) {
  const auto garbage = Ed25519Key::from_pem(Secret("-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("not an unencrypted PEM private key"), std::string::npos);
  // An RSA key is a valid PEM private key but not Ed25519.
  const std::unique_ptr<EVP_PKEY, PkeyFree> rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
  ASSERT_TRUE(rsa);
  const auto wrong_type = Ed25519Key::from_pem(Secret(pem_of(rsa.get())));
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error().message.find("not an Ed25519 key"), std::string::npos);
  // The message never carries the key text.
  EXPECT_EQ(garbage.error().message.find("not base64"), std::string::npos);
}

}  // namespace
}  // namespace winiswin::binance
