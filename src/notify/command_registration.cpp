#include "notify/command_registration.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "net/json_writer.h"

namespace winiswin::notify {
namespace {

constexpr int kSlashCommand = 1;
constexpr std::size_t kQuotedBodyChars = 300;

struct CommandSpec {
  std::string_view name, description;
};
constexpr CommandSpec kCommands[] = {
    {"balance", "equity, drawdown, win rate, trading state and breaker level"},
    {"positions", "open positions with their entry, stop and target"},
    {"status", "symbols watched, decision-cycle time, memory, venue"},
};

std::string redacted(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) text.replace(at, secret.size(), "[secret]");
  return text;
}

bool is_snowflake(std::string_view id) { return !id.empty() && id.find_first_not_of("0123456789") == std::string_view::npos; }

}  // namespace

std::string guild_commands_json() {
  net::JsonWriter json;
  json.begin_array();
  for (const CommandSpec& command : kCommands) {
    json.begin_object().field("name", command.name).field("description", command.description).field("type", kSlashCommand).end_object();
  }
  return json.end_array().take();
}

Result<std::size_t> register_guild_commands(const CommandRegistration& registration, net::HttpClient& http) {
  if (registration.token.empty() || registration.application_id.empty()) {
    return make_error(ErrorCode::kConfig, "discord register needs DISCORD_TOKEN (the bot's token) and DISCORD_APPLICATION_ID in the environment");
  }
  if (!is_snowflake(registration.application_id)) {
    return make_error(ErrorCode::kConfig, fmt::format("DISCORD_APPLICATION_ID '{}' is not an id (digits only)", registration.application_id));
  }
  if (!is_snowflake(registration.guild_id)) {
    return make_error(ErrorCode::kConfig, fmt::format("--guild '{}' is not a server id (digits only: right-click the server, Copy Server ID)",
                                                      registration.guild_id));
  }
  WINISWIN_TRY(const net::Url base, parse_secret_url(registration.api_base, "--api-base"));
  net::HttpRequest request;
  request.method = "PUT";
  request.target = (base.target == "/" ? std::string() : base.target) +
                   fmt::format("/applications/{}/guilds/{}/commands", registration.application_id, registration.guild_id);
  request.headers.set("Authorization", "Bot " + registration.token);
  request.headers.set("Content-Type", "application/json");
  request.body = guild_commands_json();
  auto answer = http.send(base.endpoint, request);
  if (!answer) return make_error(answer.error().code, redacted("registering the commands: " + answer.error().message, registration.token));
  if (answer->status != 200 && answer->status != 201) {
    return make_error(ErrorCode::kRejected, redacted(fmt::format("Discord refused the commands: HTTP {} {}", answer->status,
                                                                 answer->body.substr(0, kQuotedBodyChars)),
                                                     registration.token));
  }
  simdjson::dom::parser parser;
  simdjson::dom::array registered;
  if (parser.parse(answer->body).get_array().get(registered) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, "Discord's answer to the registration is not the JSON array of commands");
  }
  return registered.size();
}

}  // namespace winiswin::notify
