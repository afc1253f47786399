// Bars streamed from a folder's files (data/kline_folder.h's plan): per symbol its files in
// time order, each opened when the engine's reads reach it and let go when they pass it. A
// CSV file (plain, gzip or zip) is decoded whole, one file per symbol at a time (a month of
// Binance's dumps); a store file (.wkl) is read through KlineStoreReader's window, only the
// bars asked for. Memory grows with symbols × one file's bars (CSV) or × one window (.wkl),
// never with the length of the run.
//
// Errors met in a file when it is reached (a bad row, a corrupt store, a file changed since
// it was planned) fail the read with a message naming the file.
#pragma once

#include <memory>
#include <vector>

#include "data/kline_folder.h"
#include "engine/bar_feed.h"

namespace winiswin::engine {

class FileFeed final : public BarFeed {
 public:
  // Each symbol of the plan at its finest, 1m or 5m (mixed or not).
  static Result<FileFeed> make(std::vector<SymbolFiles> plan);
  FileFeed(FileFeed&&) noexcept;
  FileFeed& operator=(FileFeed&&) noexcept;
  ~FileFeed() override;

  [[nodiscard]] const std::vector<std::string>& symbols() const override { return symbols_; }
  [[nodiscard]] Interval interval() const override { return interval_; }
  [[nodiscard]] Timestamp first() const override { return first_; }
  [[nodiscard]] Timestamp last() const override { return last_; }
  [[nodiscard]] Interval interval_of(std::size_t index) const override;
  [[nodiscard]] Timestamp last_of(std::size_t index) const override;
  Result<std::span<const Kline>> bars(std::size_t index, Timestamp from, Timestamp to) override;

 private:
  struct Stream;
  FileFeed();

  std::vector<std::string> symbols_;
  std::vector<std::unique_ptr<Stream>> streams_;  // one per symbol, each on its own allocation (read from many threads)
  Interval interval_ = Interval::k1m;
  Timestamp first_, last_;
};

}  // namespace winiswin::engine
