#include "venue/loopback/market_streams.h"

#include <algorithm>

#include "venue/loopback/json_writer.h"
#include "venue/loopback/market_data.h"

namespace winiswin::loopback {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string MarketStreamMessage::combined() const {
  JsonWriter json;
  json.begin_object().field("stream", stream).key("data").raw(data).end_object();
  return json.take();
}

namespace {
// Binance's stream names: the symbol in lowercase, the rest as spelt ("btcusdt@markPrice").
std::string stream_name(std::string_view stream) {
  const std::size_t at = std::min(stream.find('@'), stream.size());
  return lowercase(stream.substr(0, at)) + std::string(stream.substr(at));
}
}  // namespace

void MarketStreams::subscribe(std::string_view stream) {
  const std::string name = stream_name(stream);
  if (++counts_[name] > 1) return;
  by_symbol_[name.substr(0, name.find('@'))].push_back(name);
}

void MarketStreams::unsubscribe(std::string_view stream) {
  const std::string name = stream_name(stream);
  const auto found = counts_.find(name);
  if (found == counts_.end() || --found->second > 0) return;
  counts_.erase(found);
  auto& streams = by_symbol_[name.substr(0, name.find('@'))];
  std::erase(streams, name);
}

std::vector<std::string> MarketStreams::subscriptions() const {
  std::vector<std::string> names;
  for (const auto& [name, count] : counts_) names.push_back(name);
  return names;
}

void MarketStreams::on_bar(const std::string& symbol, const Kline& bar, std::span<const Kline> closed, const FundingView& funding) {
  if (counts_.empty()) return;  // the common case: nobody listens
  const auto found = by_symbol_.find(lowercase(symbol));
  if (found == by_symbol_.end()) return;
  for (const std::string& stream : found->second) {
    const std::string_view kind = std::string_view(stream).substr(stream.find('@') + 1);
    if (kind.starts_with("kline_")) {
      if (const auto interval = parse_interval(kind.substr(6))) queue_kline(symbol, stream, *interval, bar, closed);
    } else if (kind == "markPrice" || kind == "markPrice@1s") {
      JsonWriter json;
      json.begin_object()
          .field("e", "markPriceUpdate")
          .field("E", to_ms(bar.close_time) + 1)
          .field("s", symbol)
          .field("p", bar.close)
          .field("ap", bar.close)
          .field("i", bar.close)
          .field("P", bar.close)
          .field("r", funding.rate)
          .field("T", to_ms(funding.next_funding_time))
          .end_object();
      queue_.push_back(MarketStreamMessage{stream, json.take()});
    }
  }
}

void MarketStreams::queue_kline(const std::string& symbol, const std::string& stream, Interval interval, const Kline& bar,
                                std::span<const Kline> closed) {
  // The bucket as it stands: its closed minutes so far (this bar the last of them).
  const Timestamp bucket_open = bar_open_time(bar.open_time, interval);
  std::size_t begin = closed.size();
  while (begin > 0 && closed[begin - 1].open_time >= bucket_open) --begin;
  const std::vector<Kline> bucket = aggregate(closed.subspan(begin), interval, 1);
  if (bucket.empty()) return;
  const Kline& k = bucket.front();
  JsonWriter json;
  json.begin_object()
      .field("e", "kline")
      .field("E", to_ms(bar.close_time) + 1)
      .field("s", symbol)
      .key("k")
      .begin_object()
      .field("t", to_ms(k.open_time))
      .field("T", to_ms(k.close_time))
      .field("s", symbol)
      .field("i", name_of(interval))
      .field("f", -1)
      .field("L", -1)
      .field("o", k.open)
      .field("c", k.close)
      .field("h", k.high)
      .field("l", k.low)
      .field("v", k.volume)
      .field("n", k.trades)
      .field("x", bar.close_time == k.close_time)
      .field("q", k.quote_volume)
      .field("V", k.taker_buy_volume)
      .field("Q", k.taker_buy_quote_volume)
      .field("B", "0")
      .end_object()
      .end_object();
  queue_.push_back(MarketStreamMessage{stream, json.take()});
}

std::vector<MarketStreamMessage> MarketStreams::take() {
  std::vector<MarketStreamMessage> out;
  out.swap(queue_);
  return out;
}

}  // namespace winiswin::loopback
