// `winiswin discord register --guild ID`: the slash commands registered in the operator's
// server, with the bot's token and application id from the environment (never the command
// line, where `ps` and shell histories show them).
#include <cstdlib>

#include <fmt/format.h>

#include "app/commands.h"
#include "net/http_client.h"
#include "notify/command_registration.h"

namespace winiswin {

Status run_discord_register(const DiscordRegisterOptions& options) {
  const char* token = std::getenv("DISCORD_TOKEN");
  const char* application = std::getenv("DISCORD_APPLICATION_ID");
  notify::CommandRegistration registration{options.api_base, application ? application : "", options.guild, token ? token : ""};
  net::HttpClient http;
  WINISWIN_TRY(const std::size_t registered, notify::register_guild_commands(registration, http));
  fmt::print("discord: {} commands registered in guild {} (/balance, /positions, /status)\n", registered, options.guild);
  return Ok{};
}

}  // namespace winiswin
