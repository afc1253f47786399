// Binance request signing (spec/signing.md): HMAC-SHA256 and Ed25519 over the exact bytes
// `query_string + request_body` (no '&' between them), and the key material they need.
//
// Contract:
// - HMAC-SHA256: the signature is the lowercase hex of HMAC(secret, query + body).
// - Ed25519: the signature is the base64 of Ed25519(private key, query + body); base64 holds
//   '+', '/' and '=', so the value sent must be percent-encoded: signature_parameter()
//   returns it encoded, ready to append as `&signature=<value>`.
// - Sign exactly the bytes sent: the query is signed as it is encoded on the wire (a client
//   order id with ':' or '/' is signed in its %3A / %2F form), never re-encoded afterwards.
// - Secrets never reach a log: Secret has no operator<<, no fmt formatter, no conversion to
//   a string; only redacted() can be printed. ApiKey prints as a short prefix. The bytes of
//   a Secret are wiped when it is destroyed.
// - Pure and thread-compatible: a RequestSigner may sign from several threads at once (each
//   call uses its own OpenSSL context); nothing reads files, the clock or the network.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace winiswin::binance {

class RequestSigner;
class Ed25519Key;

// A secret: the HMAC secret key, or an Ed25519 private key in PEM. It can be moved and
// copied but not shown; the only readers are the signing functions below.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret(Secret&& other) noexcept;
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  [[nodiscard]] bool empty() const { return value_.empty(); }
  // What logs and error messages may show instead of the secret.
  [[nodiscard]] static std::string_view redacted() { return "<redacted>"; }

 private:
  friend Result<std::string> hmac_sha256_hex(const Secret& key, std::string_view query, std::string_view body);
  friend class Ed25519Key;
  void wipe();
  std::string value_;
};

// The API key sent in the X-MBX-APIKEY header: needed in clear for that header, but shown
// anywhere else only as its first characters.
class ApiKey {
 public:
  ApiKey() = default;
  explicit ApiKey(std::string value) : value_(std::move(value)) {}
  // For the X-MBX-APIKEY header only.
  [[nodiscard]] const std::string& header_value() const { return value_; }
  // "dbefbc…" (the first 6 characters): enough to tell keys apart, too few to use one.
  [[nodiscard]] std::string redacted() const;
  [[nodiscard]] bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

enum class KeyType { kHmacSha256, kEd25519 };

struct Credentials {
  ApiKey api_key;
  Secret secret;  // HMAC: the secret key; Ed25519: the PKCS#8 private key in PEM
  KeyType key_type = KeyType::kHmacSha256;
};

// Lowercase hex HMAC-SHA256 of `query` followed directly by `body`.
Result<std::string> hmac_sha256_hex(const Secret& key, std::string_view query, std::string_view body);

// An Ed25519 private key loaded from PEM (PKCS#8, "-----BEGIN PRIVATE KEY-----").
class Ed25519Key {
 public:
  static Result<Ed25519Key> from_pem(const Secret& pem);
  // Base64 (standard alphabet, padded, no newlines) of the signature of `query` + `body`.
  [[nodiscard]] Result<std::string> sign_base64(std::string_view query, std::string_view body) const;

 private:
  struct Free {
    void operator()(evp_pkey_st* key) const;
  };
  explicit Ed25519Key(evp_pkey_st* key) : key_(key) {}
  std::unique_ptr<evp_pkey_st, Free> key_;
};

// Signs requests with whichever kind of key the credentials hold.
class RequestSigner {
 public:
  // Fails when the secret is empty or (Ed25519) not a valid PEM private key of that type.
  static Result<RequestSigner> create(const Credentials& credentials);

  // The value of the `signature` parameter for `query` + `body`, percent-encoded as it must
  // be sent (HMAC hex needs no encoding; Ed25519 base64 does).
  [[nodiscard]] Result<std::string> signature_parameter(std::string_view query, std::string_view body) const;
  [[nodiscard]] const ApiKey& api_key() const { return api_key_; }
  [[nodiscard]] KeyType key_type() const { return key_type_; }

 private:
  RequestSigner(ApiKey api_key, KeyType key_type, Secret hmac_secret, std::shared_ptr<const Ed25519Key> ed25519_key)
      : api_key_(std::move(api_key)), key_type_(key_type), hmac_secret_(std::move(hmac_secret)),
        ed25519_key_(std::move(ed25519_key)) {}
  ApiKey api_key_;
  KeyType key_type_;
  Secret hmac_secret_;                              // kHmacSha256
  std::shared_ptr<const Ed25519Key> ed25519_key_;  // kEd25519; shared so that a signer can be copied
};

}  // namespace winiswin::binance
