#include "venue/binance/stream_plan.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace winiswin::binance {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// splitmix64: a small, well-mixed deterministic generator for the jitter (tests can repeat it).
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string kline_stream(std::string_view symbol, Interval interval) {
  return fmt::format("{}@kline_{}", lower(symbol), name_of(interval));
}

std::string mark_price_stream(std::string_view symbol) { return fmt::format("{}@markPrice@1s", lower(symbol)); }

std::vector<std::vector<std::string>> split_streams(const std::vector<std::string>& streams, const StreamPlanConfig& config) {
  const auto per = static_cast<std::size_t>(std::clamp(config.streams_per_connection, 1, 1024));
  std::vector<std::vector<std::string>> connections;
  for (std::size_t first = 0; first < streams.size(); first += per) {
    const auto last = std::min(streams.size(), first + per);
    connections.emplace_back(streams.begin() + static_cast<std::ptrdiff_t>(first), streams.begin() + static_cast<std::ptrdiff_t>(last));
  }
  return connections;
}

std::vector<std::string> subscribe_frames(const std::vector<std::string>& streams, std::int64_t first_id, const StreamPlanConfig& config) {
  const auto per = static_cast<std::size_t>(std::max(1, config.streams_per_frame));
  std::vector<std::string> frames;
  for (std::size_t first = 0; first < streams.size(); first += per) {
    std::string params;
    for (std::size_t idx = first; idx < std::min(streams.size(), first + per); ++idx) {
      params += fmt::format("{}\"{}\"", params.empty() ? "" : ",", streams[idx]);
    }
    frames.push_back(fmt::format(R"({{"method":"SUBSCRIBE","params":[{}],"id":{}}})", params, first_id++));
  }
  return frames;
}

ReconnectBackoff::ReconnectBackoff(std::uint64_t seed, Milliseconds base, Milliseconds cap) : state_(seed), base_(base), cap_(cap) {}

Milliseconds ReconnectBackoff::next() {
  const int doublings = std::min(failures_++, 30);
  const std::int64_t full = std::min(cap_.count(), base_.count() << doublings);
  // 50–100 % of the full wait: never sooner than half, never later than the cap.
  const auto jitter = static_cast<double>(next_random(state_) >> 11) / static_cast<double>(1ULL << 53);
  return Milliseconds{full / 2 + static_cast<std::int64_t>(jitter * static_cast<double>(full - full / 2))};
}

StreamWatchdog::StreamWatchdog(Timestamp connected, const StreamPlanConfig& config)
    : connected_(connected), last_message_(connected), silence_(config.silence), max_age_(config.max_age) {}

}  // namespace winiswin::binance
