// `winiswin discord register`: the slash commands /balance, /positions and /status registered
// in one guild (PUT {api}/applications/{app}/guilds/{guild}/commands — the bulk overwrite:
// running it again leaves the same three commands, nothing doubled). Guild commands appear at
// once; global ones can take up to an hour, and this bot serves one operator's server.
#pragma once

#include <string>

#include "core/error.h"
#include "net/http_client.h"
#include "notify/discord_delivery.h"

namespace winiswin::notify {

struct CommandRegistration {
  std::string api_base{kDefaultApiBase};
  std::string application_id;  // DISCORD_APPLICATION_ID
  std::string guild_id;        // --guild
  std::string token;           // DISCORD_TOKEN (the bot's)
};

// The commands as Discord's JSON array (name, description, type 1: a slash command).
std::string guild_commands_json();

// Registers them; the number Discord answered with. Errors name the HTTP status and Discord's
// words, never the token.
Result<std::size_t> register_guild_commands(const CommandRegistration& registration, net::HttpClient& http);

}  // namespace winiswin::notify
