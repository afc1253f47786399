// Listen keys (spec/rest.md #21): POST returns the account's active key, extended, or a new
// one; PUT extends and DELETE closes the key named by `listenKey` (or, without it, the
// account's active one — Binance's keys belong to the API key, so clients may omit it);
// -1125 when there is no such active key.
#include "venue/loopback/api_error.h"
#include "venue/loopback/loopback_exchange.h"

namespace winiswin::loopback {

Result<std::string> LoopbackExchange::open_listen_key(const Call&) {
  const std::string key = user_streams_.open(server_clock(), config_.faults.listen_key_validity);  // validity in server (wall) time, as the clients keep it
  JsonWriter json;
  json.begin_object().field("listenKey", key).end_object();
  return json.take();
}

Result<std::string> LoopbackExchange::keepalive_listen_key(const Call& call) {
  const auto named = call.params.find("listenKey");
  const std::optional<std::string> key = named ? std::optional<std::string>(std::string(*named)) : user_streams_.active_key();
  if (!key) return unknown_listen_key();
  if (auto extended = user_streams_.keepalive(*key, server_clock(), config_.faults.listen_key_validity); !extended) return extended.error();
  JsonWriter json;
  json.begin_object().field("listenKey", *key).end_object();
  return json.take();
}

Result<std::string> LoopbackExchange::close_listen_key(const Call& call) {
  const auto named = call.params.find("listenKey");
  const std::optional<std::string> key = named ? std::optional<std::string>(std::string(*named)) : user_streams_.active_key();
  if (!key) return unknown_listen_key();
  if (auto closed = user_streams_.close(*key); !closed) return closed.error();
  return std::string("{}");
}

}  // namespace winiswin::loopback
