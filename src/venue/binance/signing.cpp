#include "venue/binance/signing.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <array>

#include <fmt/format.h>

#include "venue/binance/query_string.h"

namespace winiswin::binance {
namespace {

Error crypto_error(std::string_view what) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("signing: {}", what));
}

std::string lowercase_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t idx = 0; idx < size; ++idx) {
    out += kDigits[bytes[idx] >> 4];
    out += kDigits[bytes[idx] & 0x0F];
  }
  return out;
}

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

}  // namespace

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

Secret::~Secret() { wipe(); }

void Secret::wipe() {
  if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
  value_.clear();
}

std::string ApiKey::redacted() const {
  constexpr std::size_t kShownCharacters = 6;
  if (value_.size() <= kShownCharacters) return "<redacted>";
  return value_.substr(0, kShownCharacters) + "…";
}

Result<std::string> hmac_sha256_hex(const Secret& key, std::string_view query, std::string_view body) {
  if (key.value_.empty()) return crypto_error("the HMAC secret key is empty");
  // The signed payload is query and body back to back: Binance's totalParams.
  std::string payload;
  payload.reserve(query.size() + body.size());
  payload.append(query).append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (HMAC(EVP_sha256(), key.value_.data(), static_cast<int>(key.value_.size()),
           reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest.data(), &digest_size) == nullptr) {
    return crypto_error("OpenSSL HMAC-SHA256 failed");
  }
  return lowercase_hex(digest.data(), digest_size);
}

void Ed25519Key::Free::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }

Result<Ed25519Key> Ed25519Key::from_pem(const Secret& pem) {
  if (pem.value_.empty()) return crypto_error("the Ed25519 private key is empty");
  const std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.value_.data(), static_cast<int>(pem.value_.size())));
  if (!bio) return crypto_error("cannot allocate an OpenSSL buffer");
  // No passphrase callback: an encrypted key is refused rather than prompting on a terminal.
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr);
  if (key == nullptr) return crypto_error("the Ed25519 private key is not an unencrypted PEM private key");
  Ed25519Key loaded(key);
  if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) return crypto_error("the PEM private key is not an Ed25519 key");
  return loaded;
}

Result<std::string> Ed25519Key::sign_base64(std::string_view query, std::string_view body) const {
  std::string payload;
  payload.reserve(query.size() + body.size());
  payload.append(query).append(body);
  const std::unique_ptr<EVP_MD_CTX, MdContextFree> context(EVP_MD_CTX_new());
  if (!context) return crypto_error("cannot allocate an OpenSSL context");
  // Ed25519 hashes internally: no digest is named, and the one-shot EVP_DigestSign is required.
  if (EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    return crypto_error("EVP_DigestSignInit failed for the Ed25519 key");
  }
  constexpr std::size_t kSignatureSize = 64;
  std::array<unsigned char, kSignatureSize> signature{};
  std::size_t signature_size = signature.size();
  if (EVP_DigestSign(context.get(), signature.data(), &signature_size, reinterpret_cast<const unsigned char*>(payload.data()),
                     payload.size()) != 1) {
    return crypto_error("Ed25519 signing failed");
  }
  std::array<unsigned char, 4 * ((kSignatureSize + 2) / 3) + 1> encoded{};
  const int encoded_size = EVP_EncodeBlock(encoded.data(), signature.data(), static_cast<int>(signature_size));
  return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(encoded_size));
}

Result<RequestSigner> RequestSigner::create(const Credentials& credentials) {
  if (credentials.key_type == KeyType::kHmacSha256) {
    if (credentials.secret.empty()) return crypto_error("the HMAC secret key is empty");
    return RequestSigner(credentials.api_key, KeyType::kHmacSha256, credentials.secret, nullptr);
  }
  WINISWIN_TRY(Ed25519Key key, Ed25519Key::from_pem(credentials.secret));
  return RequestSigner(credentials.api_key, KeyType::kEd25519, Secret{},
                       std::make_shared<const Ed25519Key>(std::move(key)));
}

Result<std::string> RequestSigner::signature_parameter(std::string_view query, std::string_view body) const {
  if (key_type_ == KeyType::kHmacSha256) return hmac_sha256_hex(hmac_secret_, query, body);
  WINISWIN_TRY(const std::string base64, ed25519_key_->sign_base64(query, body));
  return percent_encode(base64);
}

}  // namespace winiswin::binance
