#include "venue/loopback/user_streams.h"

#include <fmt/format.h>

#include "venue/loopback/json_writer.h"

namespace winiswin::loopback {

Error unknown_listen_key() {
  return make_rejection(-1125, "This listenKey does not exist. Please use `POST /fapi/v1/listenKey` to recreate `listenKey`");
}

std::string UserStreams::new_key() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string key;
  key.reserve(64);
  for (int idx = 0; idx < 64; ++idx) key += kAlphabet[dice_.next() % (sizeof(kAlphabet) - 1)];
  return key;
}

std::string UserStreams::open(Timestamp now, Milliseconds validity) {
  if (const auto key = active_key()) {  // Binance returns the active key, extended
    streams_.find(*key)->second.expires = now + validity;
    return *key;
  }
  std::string key = new_key();
  streams_.emplace(key, Stream{now + validity, true, {}});
  return key;
}

Status UserStreams::keepalive(std::string_view key, Timestamp now, Milliseconds validity) {
  const auto found = streams_.find(key);
  if (found == streams_.end() || !found->second.active) return unknown_listen_key();
  found->second.expires = now + validity;
  return Ok{};
}

Status UserStreams::close(std::string_view key) {
  const auto found = streams_.find(key);
  if (found == streams_.end() || !found->second.active) return unknown_listen_key();
  found->second.active = false;
  return Ok{};
}

void UserStreams::expire(Timestamp now, bool force) {
  for (auto& [key, stream] : streams_) {
    if (!stream.active || (!force && now < stream.expires)) continue;
    stream.active = false;
    JsonWriter json;
    json.begin_object().field("e", "listenKeyExpired").field("E", to_ms(now)).field("listenKey", key).end_object();
    stream.queue.push_back(UserStreamMessage{"listenKeyExpired", json.take()});
  }
}

std::optional<std::string> UserStreams::active_key() const {
  for (const auto& [key, stream] : streams_) {
    if (stream.active) return key;
  }
  return std::nullopt;
}

bool UserStreams::is_active(std::string_view key) const {
  const auto found = streams_.find(key);
  return found != streams_.end() && found->second.active;
}

void UserStreams::publish(const UserStreamMessage& message) {
  for (auto& [key, stream] : streams_) {
    if (stream.active) stream.queue.push_back(message);
  }
}

Result<std::vector<UserStreamMessage>> UserStreams::take(std::string_view key) {
  const auto found = streams_.find(key);
  if (found == streams_.end()) return unknown_listen_key();
  std::vector<UserStreamMessage> out(std::make_move_iterator(found->second.queue.begin()),
                                     std::make_move_iterator(found->second.queue.end()));
  found->second.queue.clear();
  return out;
}

}  // namespace winiswin::loopback
