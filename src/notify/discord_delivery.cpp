#include "notify/discord_delivery.h"

#include <fmt/format.h>

#include "net/json_writer.h"

namespace winiswin::notify {
namespace {

bool is_loopback_host(std::string_view host) { return host.starts_with("127.") || host == "::1" || host == "localhost"; }

// The first `max_chars` UTF-8 characters of `text` (never cutting a character in two).
std::string_view utf8_prefix(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    const bool starts_char = (static_cast<unsigned char>(text[idx]) & 0xC0) != 0x80;
    if (starts_char && chars++ == max_chars) return text.substr(0, idx);
  }
  return text;
}

std::string variable(const Environment& environment, const char* name) {
  const char* value = environment(name);
  return value ? std::string(value) : std::string();
}

}  // namespace

Result<net::Url> parse_secret_url(std::string_view text, std::string_view what) {
  auto url = net::parse_url(text);
  if (!url) return make_error(ErrorCode::kConfig, fmt::format("{} is not a valid http(s) URL (its value is not shown: it may hold a token)", what));
  const net::Scheme scheme = url->endpoint.scheme;
  if (scheme != net::Scheme::kHttps && !(scheme == net::Scheme::kHttp && is_loopback_host(url->endpoint.host))) {
    return make_error(ErrorCode::kConfig, fmt::format("{} must be https (plain http only to a loopback address)", what));
  }
  while (url->target.size() > 1 && url->target.ends_with('/')) url->target.pop_back();
  return url;
}

DiscordDelivery DiscordDelivery::webhook(net::Url url, std::string secret_path) {
  DiscordDelivery delivery;
  delivery.url_ = std::move(url);
  delivery.secret_ = std::move(secret_path);
  return delivery;
}

DiscordDelivery DiscordDelivery::bot(net::Url api_base, std::string token, std::string channel_id) {
  DiscordDelivery delivery;
  delivery.url_ = std::move(api_base);
  if (delivery.url_.target == "/") delivery.url_.target.clear();
  delivery.url_.target += "/channels/" + channel_id + "/messages";
  delivery.secret_ = token;
  delivery.bot_token_ = std::move(token);
  delivery.channel_id_ = std::move(channel_id);
  return delivery;
}

net::HttpRequest DiscordDelivery::request_for(std::string_view content, std::string_view nonce) const {
  net::JsonWriter json;
  json.begin_object().field("content", utf8_prefix(content, kMaxContentChars));
  json.key("allowed_mentions").begin_object().key("parse").begin_array().end_array().end_object();
  if (is_bot()) json.field("nonce", nonce).field("enforce_nonce", true);
  json.end_object();
  net::HttpRequest request;
  request.method = "POST";
  // A webhook answers 204 without ?wait=true; with it, the message (and its errors) as JSON.
  request.target = is_bot() ? url_.target : url_.target + (url_.target.find('?') == std::string::npos ? "?wait=true" : "&wait=true");
  request.headers.set("Content-Type", "application/json");
  if (is_bot()) request.headers.set("Authorization", "Bot " + bot_token_);
  request.body = json.take();
  return request;
}

std::string DiscordDelivery::describe() const {
  return is_bot() ? fmt::format("Discord channel {} (bot)", channel_id_) : std::string("the Discord webhook");
}

std::string DiscordDelivery::redact(std::string_view text) const {
  std::string out(text);
  if (secret_.empty()) return out;
  for (auto at = out.find(secret_); at != std::string::npos; at = out.find(secret_, at)) {
    out.replace(at, secret_.size(), "[secret]");
  }
  return out;
}

Result<std::optional<DiscordDelivery>> delivery_from_environment(const Environment& environment) {
  if (const std::string webhook = variable(environment, "DISCORD_WEBHOOK_URL"); !webhook.empty()) {
    WINISWIN_TRY(net::Url url, parse_secret_url(webhook, "DISCORD_WEBHOOK_URL"));
    // …/webhooks/{id}/{token}: the path's last segment is the secret (the whole path when the
    // URL has another shape — redacting too much is harmless).
    const std::string path = url.target.substr(0, url.target.find('?'));
    const auto slash = path.rfind('/');
    std::string secret = slash == std::string::npos || slash + 1 == path.size() ? path : path.substr(slash + 1);
    return std::optional<DiscordDelivery>(DiscordDelivery::webhook(std::move(url), std::move(secret)));
  }
  const std::string token = variable(environment, "DISCORD_TOKEN");
  const std::string channel = variable(environment, "DISCORD_CHANNEL_ID");
  if (token.empty() && channel.empty()) return std::optional<DiscordDelivery>();
  if (token.empty() || channel.empty()) {
    return make_error(ErrorCode::kConfig, "Discord through a bot needs both DISCORD_TOKEN and DISCORD_CHANNEL_ID (or set DISCORD_WEBHOOK_URL)");
  }
  if (channel.find_first_not_of("0123456789") != std::string::npos) {
    return make_error(ErrorCode::kConfig, fmt::format("DISCORD_CHANNEL_ID '{}' is not a channel id (digits only)", channel));
  }
  std::string base = variable(environment, "DISCORD_API_BASE");
  WINISWIN_TRY(net::Url api, parse_secret_url(base.empty() ? kDefaultApiBase : std::string_view(base), "DISCORD_API_BASE"));
  return std::optional<DiscordDelivery>(DiscordDelivery::bot(std::move(api), token, channel));
}

}  // namespace winiswin::notify
