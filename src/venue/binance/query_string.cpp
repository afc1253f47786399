#include "venue/binance/query_string.h"

#include <fmt/format.h>

#include "venue/binance/signing.h"

namespace winiswin::binance {
namespace {

constexpr bool is_unreserved(unsigned char byte) {
  return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-' ||
         byte == '_' || byte == '.' || byte == '!' || byte == '~' || byte == '*' || byte == '\'' || byte == '(' ||
         byte == ')';
}

int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  return -1;
}

}  // namespace

std::string percent_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char character : value) {
    const auto byte = static_cast<unsigned char>(character);
    if (is_unreserved(byte)) {
      out += character;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

Result<std::string> percent_decode(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t position = 0; position < value.size(); ++position) {
    if (value[position] != '%') {
      out += value[position];
      continue;
    }
    const bool complete = position + 2 < value.size();
    const int high = complete ? hex_value(value[position + 1]) : -1;
    const int low = complete ? hex_value(value[position + 2]) : -1;
    if (high < 0 || low < 0) {
      return make_error(ErrorCode::kParse, fmt::format("percent-encoded text: bad escape at offset {}", position));
    }
    out += static_cast<char>(high * 16 + low);
    position += 2;
  }
  return out;
}

QueryParams& QueryParams::add(std::string key, std::string value) {
  entries_.emplace_back(std::move(key), std::move(value));
  return *this;
}

QueryParams& QueryParams::add(std::string key, std::int64_t value) { return add(std::move(key), std::to_string(value)); }

QueryParams& QueryParams::add_bool(std::string key, bool value) {
  return add(std::move(key), std::string(value ? "true" : "false"));
}

std::optional<std::string_view> QueryParams::find(std::string_view key) const {
  for (const auto& [name, value] : entries_) {
    if (name == key) return std::string_view(value);
  }
  return std::nullopt;
}

std::string QueryParams::encode() const {
  std::string out;
  for (const auto& [key, value] : entries_) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

Result<std::string> signed_query(const QueryParams& params, const RequestTime& time, const RequestSigner& signer) {
  QueryParams full = params;
  if (time.recv_window) full.add("recvWindow", static_cast<std::int64_t>(time.recv_window->count()));
  full.add("timestamp", to_ms(time.timestamp));
  std::string query = full.encode();
  WINISWIN_TRY(const std::string signature, signer.signature_parameter(query, ""));
  query += "&signature=";
  query += signature;
  return query;
}

}  // namespace winiswin::binance
