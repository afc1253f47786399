#include "net/url.h"

#include <charconv>

namespace winiswin::net {
namespace {

constexpr std::string_view kSchemeSeparator = "://";

Error url_error(std::string_view text, std::string_view what) {
  return make_error(ErrorCode::kInvalidArgument,
                    "URL '" + std::string(text) + "': " + std::string(what) +
                        " (expected scheme://host[:port][/path][?query] with scheme http, https, ws or wss)");
}

Result<Scheme> parse_scheme(std::string_view name, std::string_view text) {
  if (name == "http") return Scheme::kHttp;
  if (name == "https") return Scheme::kHttps;
  if (name == "ws") return Scheme::kWs;
  if (name == "wss") return Scheme::kWss;
  return url_error(text, "unsupported scheme '" + std::string(name) + "'");
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

bool is_ipv6_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

Result<std::uint16_t> parse_port(std::string_view digits, std::string_view text) {
  if (digits.empty()) return url_error(text, "empty port after ':'");
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value == 0 || value > 65535) {
    return url_error(text, "port '" + std::string(digits) + "' is not a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

// "host", "host:port", "[::1]", "[::1]:port" → endpoint host and port.
Status parse_authority(std::string_view authority, std::string_view text, Endpoint& endpoint) {
  if (authority.find('@') != std::string_view::npos) return url_error(text, "user info ('user@') is not supported");
  std::string_view host = authority;
  std::string_view port_digits;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return url_error(text, "IPv6 address without a closing ']'");
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return url_error(text, "unexpected text after ']'");
    has_port = !rest.empty();
    if (has_port) port_digits = rest.substr(1);
    for (const char c : host) {
      if (!is_ipv6_char(c)) return url_error(text, "invalid IPv6 address '" + std::string(host) + "'");
    }
  } else {
    const auto colon = authority.find(':');
    has_port = colon != std::string_view::npos;
    if (has_port) {
      host = authority.substr(0, colon);
      port_digits = authority.substr(colon + 1);
    }
    for (const char c : host) {
      if (!is_host_char(c)) return url_error(text, "invalid character in host '" + std::string(host) + "'");
    }
  }
  if (host.empty()) return url_error(text, "missing host");
  endpoint.host = std::string(host);
  endpoint.port = default_port(endpoint.scheme);
  if (has_port) {
    WINISWIN_TRY(endpoint.port, parse_port(port_digits, text));
  }
  return Ok{};
}

}  // namespace

std::string_view scheme_name(Scheme scheme) {
  switch (scheme) {
    case Scheme::kHttp: return "http";
    case Scheme::kHttps: return "https";
    case Scheme::kWs: return "ws";
    case Scheme::kWss: return "wss";
  }
  return "?";
}

bool is_tls(Scheme scheme) { return scheme == Scheme::kHttps || scheme == Scheme::kWss; }

std::uint16_t default_port(Scheme scheme) { return is_tls(scheme) ? 443 : 80; }

namespace {
// "[::1]" for an IPv6 address, the host itself otherwise.
std::string printable_host(const std::string& host) {
  if (host.find(':') == std::string::npos) return host;
  std::string bracketed;
  bracketed.append("[").append(host).append("]");
  return bracketed;
}
}  // namespace

std::string Endpoint::to_string() const {
  std::string text(scheme_name(scheme));
  text.append("://").append(printable_host(host)).append(":").append(std::to_string(port));
  return text;
}

std::string Endpoint::host_header() const {
  std::string header = printable_host(host);
  if (port != default_port(scheme)) header.append(":").append(std::to_string(port));
  return header;
}

Result<Url> parse_url(std::string_view text) {
  const auto separator = text.find(kSchemeSeparator);
  if (separator == std::string_view::npos) return url_error(text, "missing '://'");
  Url url;
  WINISWIN_TRY(url.endpoint.scheme, parse_scheme(text.substr(0, separator), text));
  const std::string_view rest = text.substr(separator + kSchemeSeparator.size());
  if (rest.find('#') != std::string_view::npos) return url_error(text, "fragments ('#') are not supported");
  for (const char c : rest) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') {
      return url_error(text, "whitespace or control character in the URL");
    }
  }
  const auto target_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, target_start);
  const auto authority_status = parse_authority(authority, text, url.endpoint);
  if (!authority_status.ok()) return authority_status.error();
  url.target.assign(1, '/');
  if (target_start != std::string_view::npos) {
    // "http://h?x=1" → "/?x=1"
    const std::string_view written = rest.substr(target_start);
    url.target.append(written.front() == '/' ? written.substr(1) : written);
  }
  return url;
}

}  // namespace winiswin::net
