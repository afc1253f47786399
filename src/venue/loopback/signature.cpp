#include "venue/loopback/signature.h"

#include <algorithm>

#include "venue/binance/signing.h"

namespace winiswin::loopback {
namespace {

// The '&'-separated pairs of `raw` without the one named `signature`.
std::string without_signature(std::string_view raw) {
  std::string out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    const std::size_t end = std::min(raw.find('&', start), raw.size());
    const std::string_view pair = raw.substr(start, end - start);
    start = end + 1;
    if (pair.substr(0, 10) == "signature=" || pair == "signature") continue;
    if (!out.empty()) out += '&';
    out += pair;
  }
  return out;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view payload) {
  // The client's signer computes it; an error there (OpenSSL itself broken) leaves an empty
  // signature, which matches nothing: the request is refused with -1022.
  auto signature = binance::hmac_sha256_hex(binance::Secret(std::string(secret)), payload, "");
  return signature ? std::move(signature).value() : std::string();
}

std::string signed_payload(std::string_view raw_query, std::string_view raw_body) {
  return without_signature(raw_query) + without_signature(raw_body);
}

bool signature_matches(std::string_view expected_hex, std::string_view given) {
  if (expected_hex.size() != given.size()) return false;
  unsigned difference = 0;
  for (std::size_t idx = 0; idx < given.size(); ++idx) {
    difference |= static_cast<unsigned>(static_cast<unsigned char>(lower(given[idx])) ^
                                        static_cast<unsigned char>(expected_hex[idx]));
  }
  return difference == 0;
}

}  // namespace winiswin::loopback
