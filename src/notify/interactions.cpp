#include "notify/interactions.h"

#include <openssl/evp.h>

#include <charconv>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "net/json_writer.h"
#include "notify/slash_answers.h"
#include "ops/process_stats.h"

namespace winiswin::notify {
namespace {

constexpr int kPing = 1;
constexpr int kApplicationCommand = 2;
constexpr int kPong = 1;
constexpr int kChannelMessage = 4;
constexpr std::int64_t kEphemeral = 1 << 6;
constexpr std::size_t kSignatureBytes = 64;

std::optional<std::vector<unsigned char>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<unsigned char> bytes(hex.size() / 2);
  for (std::size_t idx = 0; idx < bytes.size(); ++idx) {
    const char* begin = hex.data() + 2 * idx;
    if (std::from_chars(begin, begin + 2, bytes[idx], 16).ptr != begin + 2) return std::nullopt;
  }
  return bytes;
}

net::HttpResponse json_answer(int status, std::string body) {
  net::HttpResponse response(status, {}, std::move(body));
  response.headers.set("Content-Type", "application/json");
  return response;
}

net::HttpResponse error_answer(int status, std::string_view message) {
  net::JsonWriter json;
  return json_answer(status, json.begin_object().field("error", message).end_object().take());
}

net::HttpResponse message_answer(std::string_view content) {
  net::JsonWriter json;
  json.begin_object().field("type", kChannelMessage).key("data").begin_object();
  json.field("content", content).field("flags", kEphemeral);
  json.key("allowed_mentions").begin_object().key("parse").begin_array().end_array().end_object();
  json.end_object().end_object();
  return json_answer(200, json.take());
}

// The invoking user: member.user.id in a guild, user.id in a direct message.
std::string_view user_id_of(simdjson::dom::element interaction) {
  std::string_view id;
  if (interaction["member"]["user"]["id"].get_string().get(id) == simdjson::SUCCESS) return id;
  if (interaction["user"]["id"].get_string().get(id) == simdjson::SUCCESS) return id;
  return {};
}

std::string command_answer(std::string_view name, const InteractionContext& context) {
  if (!context.status) return "⏳ The engine has published no status yet (starting); try again in a moment.";
  if (name == "balance") return balance_answer(*context.status);
  if (name == "positions") return positions_answer(*context.status);
  if (name == "status") return status_answer(*context.status, context.resident_bytes);
  return fmt::format("Unknown command '/{}' (this bot answers /balance, /positions and /status)", name);
}

// X-Signature-Timestamp (Unix seconds) within kMaxSignatureAge of `now`.
bool fresh(std::string_view timestamp, Timestamp now) {
  std::int64_t seconds = 0;
  const auto [end, error] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), seconds);
  if (error != std::errc() || end != timestamp.data() + timestamp.size()) return false;
  const Milliseconds age = now - timestamp_from_ms(seconds * 1000);
  return age <= kMaxSignatureAge && age >= -kMaxSignatureAge;
}

}  // namespace

Result<Ed25519PublicKey> parse_public_key(std::string_view hex) {
  const auto bytes = from_hex(hex);
  if (!bytes || bytes->size() != Ed25519PublicKey{}.size()) {
    return make_error(ErrorCode::kConfig, "DISCORD_PUBLIC_KEY must be the application's public key: 64 hex digits (Developer Portal, General Information)");
  }
  Ed25519PublicKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

Result<std::optional<InteractionSettings>> interaction_settings_from_environment(const Environment& environment) {
  const char* key_text = environment("DISCORD_PUBLIC_KEY");
  if (!key_text || !*key_text) return std::optional<InteractionSettings>();
  InteractionSettings settings;
  WINISWIN_TRY(settings.public_key, parse_public_key(key_text));
  const char* users = environment("DISCORD_ALLOWED_USERS");
  std::string_view list = users ? users : "";
  while (!list.empty()) {
    const auto end = list.find_first_of(", ");
    const std::string_view id = list.substr(0, end);
    list = end == std::string_view::npos ? std::string_view() : list.substr(end + 1);
    if (id.empty()) continue;
    if (id.find_first_not_of("0123456789") != std::string_view::npos) {
      return make_error(ErrorCode::kConfig, fmt::format("DISCORD_ALLOWED_USERS: '{}' is not a Discord user id (digits only; ids separated by commas)", id));
    }
    settings.allowed_users.emplace(id);
  }
  return std::optional<InteractionSettings>(std::move(settings));
}

bool verify_signature(const Ed25519PublicKey& key, std::string_view signature_hex, std::string_view timestamp, std::string_view body) {
  const auto signature = from_hex(signature_hex);
  if (!signature || signature->size() != kSignatureBytes || timestamp.empty()) return false;
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size()),
                                                                 &EVP_PKEY_free);
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!pkey || !context) return false;
  // Ed25519 is one-shot (no digest): the message is timestamp + body, verified in one call.
  std::string message;
  message.reserve(timestamp.size() + body.size());
  message.append(timestamp).append(body);
  if (EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) return false;
  return EVP_DigestVerify(context.get(), signature->data(), signature->size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

net::HttpResponse InteractionHandler::handle(const net::HttpHeaders& headers, std::string_view body, const InteractionContext& context) const {
  const auto signature = headers.find("X-Signature-Ed25519");
  const auto timestamp = headers.find("X-Signature-Timestamp");
  if (!signature || !timestamp || !verify_signature(settings_.public_key, *signature, *timestamp, body)) {
    return error_answer(401, "invalid request signature");
  }
  if (context.now && !fresh(*timestamp, *context.now)) return error_answer(401, "stale request signature (timestamp over 5 minutes off)");
  simdjson::dom::parser parser;
  simdjson::dom::element interaction;
  std::int64_t type = 0;
  if (parser.parse(body.data(), body.size()).get(interaction) != simdjson::SUCCESS || interaction["type"].get_int64().get(type) != simdjson::SUCCESS) {
    return error_answer(400, "the body is not an interaction (JSON with a numeric \"type\")");
  }
  if (type == kPing) return json_answer(200, fmt::format(R"({{"type":{}}})", kPong));
  if (type != kApplicationCommand) return error_answer(400, fmt::format("interaction type {} is not handled here (PING and slash commands are)", type));
  if (!settings_.allowed_users.contains(user_id_of(interaction))) {
    return message_answer("⛔ You are not allowed to query this trading engine (DISCORD_ALLOWED_USERS).");
  }
  std::string_view name;
  if (interaction["data"]["name"].get_string().get(name) != simdjson::SUCCESS) return error_answer(400, "a slash command without data.name");
  return message_answer(command_answer(name, context));
}

ops::OpsRoute interactions_route(std::shared_ptr<const InteractionHandler> handler, const ops::StatusBoard& board) {
  return ops::OpsRoute{"POST", std::string(kInteractionsPath), [handler = std::move(handler), &board](const net::HttpServerRequest& request) {
    const std::shared_ptr<const ops::StatusSnapshot> status = board.latest();
    InteractionContext context{status.get(), std::nullopt, std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now())};
    if (auto stats = ops::read_process_stats()) context.resident_bytes = stats->resident_bytes;
    return handler->handle(request.headers, request.body, context);
  }};
}

}  // namespace winiswin::notify
