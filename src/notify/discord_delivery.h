// Where Discord notifications go and how each is sent: a webhook (DISCORD_WEBHOOK_URL) or a bot
// (DISCORD_TOKEN + DISCORD_CHANNEL_ID: POST {api}/channels/{id}/messages with "Authorization:
// Bot <token>"). Both carry a secret — the webhook's URL holds its token in its path — so a
// DiscordDelivery is never printed: `describe()` names it without the secret, and `redact()`
// removes the secret from any text (an HTTP client's error names the request's target) before
// it reaches a log or an error message.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "net/http_message.h"
#include "net/url.h"

namespace winiswin::notify {

inline constexpr std::string_view kDefaultApiBase = "https://discord.com/api/v10";
// Discord refuses message content over 2000 characters.
inline constexpr std::size_t kMaxContentChars = 2000;

// Reads an environment variable (std::getenv in the program, a map in tests).
using Environment = std::function<const char*(const char*)>;

class DiscordDelivery {
 public:
  static DiscordDelivery webhook(net::Url url, std::string secret_path);
  static DiscordDelivery bot(net::Url api_base, std::string token, std::string channel_id);

  // The message as Discord's create-message JSON: its content (cut to kMaxContentChars) and no
  // mentions parsed (a symbol or reason can never ping @everyone). A bot message carries
  // `nonce` with enforce_nonce, so a retry after a lost answer is not posted twice.
  [[nodiscard]] net::HttpRequest request_for(std::string_view content, std::string_view nonce) const;
  [[nodiscard]] const net::Endpoint& endpoint() const { return url_.endpoint; }
  // "the Discord webhook" / "Discord channel 123…": for logs.
  [[nodiscard]] std::string describe() const;
  // `text` with every occurrence of the secret replaced by "[secret]".
  [[nodiscard]] std::string redact(std::string_view text) const;
  [[nodiscard]] bool is_bot() const { return !bot_token_.empty(); }

 private:
  net::Url url_;             // where messages are POSTed
  std::string secret_;       // the webhook's path token, or the bot token
  std::string bot_token_;    // empty for a webhook
  std::string channel_id_;
};

// The delivery the environment configures: DISCORD_WEBHOOK_URL, else DISCORD_TOKEN with
// DISCORD_CHANNEL_ID (DISCORD_API_BASE overrides the API's URL, for tests); nullopt when none
// is set. kConfig when a variable is malformed — the message never repeats a secret's value.
Result<std::optional<DiscordDelivery>> delivery_from_environment(const Environment& environment);

// `text` as an http(s) URL: https anywhere, plain http only to a loopback host (tests, a local
// proxy) — a token never crosses a network in the clear. `what` names the variable in errors,
// which never repeat the value (it may hold a token).
Result<net::Url> parse_secret_url(std::string_view text, std::string_view what);

}  // namespace winiswin::notify
