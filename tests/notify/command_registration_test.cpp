// `winiswin discord register`'s request, against the fake Discord: the bulk overwrite of the
// guild's commands with the bot's token, and errors that never show the token.
#include <gtest/gtest.h>

#include <simdjson.h>

#include "notify/command_registration.h"
#include "notify/fake_discord.h"

namespace winiswin::notify {
namespace {

using testing::FakeDiscord;

constexpr std::string_view kToken = "MTA5.registration-s3cr3t.x";

CommandRegistration registration_for(const FakeDiscord& fake) {
  return CommandRegistration{fake.url("/api/v10"), "1122334455", "9988776655", std::string(kToken)};
}

TEST(CommandRegistration, PutsTheThreeSlashCommandsIntoTheGuild) {
  FakeDiscord fake;
  fake.set_success(FakeDiscord::reply(200, R"([{"id":"1","name":"balance"},{"id":"2","name":"positions"},{"id":"3","name":"status"}])"));
  net::HttpClient http;
  auto registered = register_guild_commands(registration_for(fake), http);
  ASSERT_TRUE(registered.ok()) << registered.error().message;
  EXPECT_EQ(*registered, 3u);
  const auto requests = fake.received();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/api/v10/applications/1122334455/guilds/9988776655/commands");
  EXPECT_EQ(requests[0].headers.find("Authorization").value_or(""), "Bot " + std::string(kToken));
  simdjson::dom::parser parser;
  simdjson::dom::array commands;
  ASSERT_EQ(parser.parse(requests[0].body).get_array().get(commands), simdjson::SUCCESS) << requests[0].body;
  std::vector<std::string> names;
  for (simdjson::dom::element command : commands) {
    names.emplace_back(std::string_view(command["name"].get_string()));
    EXPECT_EQ(std::int64_t(command["type"].get_int64()), 1);
    EXPECT_FALSE(std::string_view(command["description"].get_string()).empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"balance", "positions", "status"}));
}

TEST(CommandRegistration, RefusalsAndOutagesAreErrorsWithoutTheToken) {
  FakeDiscord fake;
  fake.script(FakeDiscord::reply(401, R"({"message":"401: Unauthorized","code":0})"));
  net::HttpClient http;
  auto refused = register_guild_commands(registration_for(fake), http);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("HTTP 401"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find(kToken), std::string::npos);
  fake.stop();
  auto unreachable = register_guild_commands(registration_for(fake), http);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.error().message.find(kToken), std::string::npos) << unreachable.error().message;
}

TEST(CommandRegistration, BadSettingsAreNamed) {
  net::HttpClient http;
  CommandRegistration registration{"https://discord.com/api/v10", "123", "not-a-guild", std::string(kToken)};
  auto bad_guild = register_guild_commands(registration, http);
  ASSERT_FALSE(bad_guild.ok());
  EXPECT_NE(bad_guild.error().message.find("--guild"), std::string::npos);
  registration.guild_id = "456";
  registration.token.clear();
  auto no_token = register_guild_commands(registration, http);
  ASSERT_FALSE(no_token.ok());
  EXPECT_NE(no_token.error().message.find("DISCORD_TOKEN"), std::string::npos);
  registration.token = kToken;
  registration.api_base = "http://discord.com/api/v10";  // a token never goes out in the clear
  auto plain = register_guild_commands(registration, http);
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message.find("https"), std::string::npos);
}

}  // namespace
}  // namespace winiswin::notify
