// The server side of Binance's HMAC-SHA256 request signing (spec/signing.md):
//   totalParams = query string + request body (no '&' between them), each without its
//                 `signature` parameter, exactly as received (never re-encoded)
//   signature   = lowercase hex HMAC-SHA256(secret, totalParams); compared case-insensitively.
// The HMAC itself is the client's (venue/binance/signing.h): one implementation signs and checks.
#pragma once

#include <string>
#include <string_view>

namespace winiswin::loopback {

// Lowercase hex of HMAC-SHA256(secret, payload).
std::string hmac_sha256_hex(std::string_view secret, std::string_view payload);

// The raw query string and raw body a client signed: each with its `signature=…` pair
// removed (wherever it stands, with its separating '&'), then concatenated.
std::string signed_payload(std::string_view raw_query, std::string_view raw_body);

// Does `given` (hex, any case) equal `expected_hex`? Compares every byte whatever the
// mismatch, so the answer time does not tell how much of a guess was right.
bool signature_matches(std::string_view expected_hex, std::string_view given);

}  // namespace winiswin::loopback
