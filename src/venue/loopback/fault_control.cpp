#include "venue/loopback/fault_control.h"

#include <simdjson.h>

#include <fmt/format.h>

namespace winiswin::loopback {
namespace {

using simdjson::dom::element;

Error wrong(std::string_view key, std::string_view expected) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("faults: '{}' must be {}", key, expected));
}

Result<double> rate(element value, std::string_view key) {
  double number = 0;
  if (value.get_double().get(number) != simdjson::SUCCESS || number < 0 || number > 1) return wrong(key, "a number in [0, 1]");
  return number;
}

Result<Milliseconds> duration(element value, std::string_view key, bool signed_allowed = false) {
  std::int64_t ms = 0;
  if (value.get_int64().get(ms) != simdjson::SUCCESS || (!signed_allowed && ms < 0)) {
    return wrong(key, signed_allowed ? "whole milliseconds" : "whole milliseconds ≥ 0");
  }
  return Milliseconds{ms};
}

Result<bool> flag(element value, std::string_view key) {
  bool set = false;
  if (value.get_bool().get(set) != simdjson::SUCCESS) return wrong(key, "true or false");
  return set;
}

// One key of the object into `faults` or `actions`.
Status apply(std::string_view key, element value, FaultConfig& faults, FaultActions& actions) {
  if (key == "seed") {
    std::uint64_t seed = 0;
    if (value.get_uint64().get(seed) != simdjson::SUCCESS) return wrong(key, "a whole number ≥ 0");
    faults.seed = seed;
  } else if (key == "latency_ms") {
    WINISWIN_TRY(faults.latency, duration(value, key));
  } else if (key == "latency_jitter_ms") {
    WINISWIN_TRY(faults.latency_jitter, duration(value, key));
  } else if (key == "too_many_requests_rate") {
    WINISWIN_TRY(faults.too_many_requests_rate, rate(value, key));
  } else if (key == "ip_ban_rate") {
    WINISWIN_TRY(faults.ip_ban_rate, rate(value, key));
  } else if (key == "server_error_rate") {
    WINISWIN_TRY(faults.server_error_rate, rate(value, key));
  } else if (key == "retry_after_ms") {
    WINISWIN_TRY(faults.retry_after, duration(value, key));
  } else if (key == "lost_answer_rate") {
    WINISWIN_TRY(faults.lost_answer_rate, rate(value, key));
  } else if (key == "algo_query_lag_ms") {
    WINISWIN_TRY(faults.algo_query_lag, duration(value, key));
  } else if (key == "clock_skew_ms") {
    WINISWIN_TRY(faults.clock_skew, duration(value, key, true));
  } else if (key == "listen_key_validity_ms") {
    WINISWIN_TRY(faults.listen_key_validity, duration(value, key));
  } else if (key == "lost_answer") {
    std::string_view how;
    if (value.get_string().get(how) != simdjson::SUCCESS || (how != "503" && how != "none")) return wrong(key, "\"503\" or \"none\"");
    faults.lost_answer = how == "503" ? LostAnswer::kServiceUnavailable : LostAnswer::kNoAnswer;
  } else if (key == "lose_answer_for") {
    simdjson::dom::array ids;
    if (value.get_array().get(ids) != simdjson::SUCCESS) return wrong(key, "an array of client ids");
    faults.lose_answer_for.clear();
    for (const element id : ids) {
      std::string_view text;
      if (id.get_string().get(text) != simdjson::SUCCESS) return wrong(key, "an array of client ids");
      faults.lose_answer_for.emplace_back(text);
    }
  } else if (key == "expire_listen_keys") {
    WINISWIN_TRY(actions.expire_listen_keys, flag(value, key));
  } else if (key == "stall_market_streams") {
    WINISWIN_TRY(actions.stall_market_streams, flag(value, key));
  } else if (key == "drop_market_streams") {
    WINISWIN_TRY(actions.drop_market_streams, flag(value, key));
  } else {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("faults: unknown key '{}'", key));
  }
  return Ok{};
}

}  // namespace

Result<FaultActions> apply_fault_json(std::string_view json, FaultConfig& faults) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get(object) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, "faults: not a JSON object");
  }
  FaultConfig updated = faults;
  FaultActions actions;
  for (const auto field : object) {
    if (auto status = apply(field.key, field.value, updated, actions); !status) return status.error();
  }
  faults = std::move(updated);
  return actions;
}

}  // namespace winiswin::loopback
