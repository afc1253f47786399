// Discord's interactions endpoint (POST /discord/interactions on the ops server): slash
// commands over plain HTTP, no gateway connection.
//
// Every request is signed by Discord: X-Signature-Ed25519 (hex) over X-Signature-Timestamp
// followed by the raw body, with the application's key (DISCORD_PUBLIC_KEY, hex). A request
// whose signature does not verify gets 401 — Discord itself sends such requests when the
// endpoint is registered, and refuses an endpoint that accepts them. Then:
//   PING (type 1)                    → PONG (type 1)
//   /balance /positions /status      → the answer (type 4) from the latest StatusSnapshot,
//                                      ephemeral (only the asker sees the account), and only
//                                      for a user in DISCORD_ALLOWED_USERS; anyone else gets
//                                      an ephemeral refusal
// A timestamp more than 5 minutes from the server's clock is refused too (401): a request
// recorded on its way cannot be replayed later.
// Discord allows 3 s for an answer; these come from the snapshot already built, so at once
// (no deferred reply is needed). The handler is a plain function of (headers, body, snapshot):
// thread-safe, it keeps nothing between requests.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/error.h"
#include "net/http_message.h"
#include "net/http_server.h"
#include "notify/discord_delivery.h"
#include "ops/ops_server.h"
#include "ops/status_snapshot.h"

namespace winiswin::notify {

using Ed25519PublicKey = std::array<unsigned char, 32>;

struct InteractionSettings {
  Ed25519PublicKey public_key{};
  std::set<std::string, std::less<>> allowed_users;  // Discord user ids (snowflakes)
};

// 64 hex digits into the key; kConfig naming DISCORD_PUBLIC_KEY otherwise.
Result<Ed25519PublicKey> parse_public_key(std::string_view hex);
// DISCORD_PUBLIC_KEY and DISCORD_ALLOWED_USERS (ids separated by commas or spaces); nullopt
// when DISCORD_PUBLIC_KEY is not set.
Result<std::optional<InteractionSettings>> interaction_settings_from_environment(const Environment& environment);

// The Ed25519 signature `signature_hex` of timestamp + body under `key` (OpenSSL's
// EVP_DigestVerify); false for anything malformed.
bool verify_signature(const Ed25519PublicKey& key, std::string_view signature_hex, std::string_view timestamp, std::string_view body);

struct InteractionContext {
  const ops::StatusSnapshot* status = nullptr;  // nullptr before the engine's first publication
  std::optional<double> resident_bytes;         // the process's memory, for /status
  // The wall time, when the timestamp's age is to be checked: a signed request older (or
  // newer) than kMaxSignatureAge is refused like a bad signature, so a recorded request
  // cannot be replayed later to read the account.
  std::optional<Timestamp> now;
};
inline constexpr Milliseconds kMaxSignatureAge{5 * 60'000};

class InteractionHandler {
 public:
  explicit InteractionHandler(InteractionSettings settings) : settings_(std::move(settings)) {}
  [[nodiscard]] net::HttpResponse handle(const net::HttpHeaders& headers, std::string_view body, const InteractionContext& context) const;

 private:
  InteractionSettings settings_;
};

// For OpsServer::add_route: POST /discord/interactions through `handler` (the snapshot from
// `board`, which must outlive the route; the memory from /proc/self).
ops::OpsRoute interactions_route(std::shared_ptr<const InteractionHandler> handler, const ops::StatusBoard& board);

inline constexpr std::string_view kInteractionsPath = "/discord/interactions";

}  // namespace winiswin::notify
