#include "engine/file_feed.h"

#include <algorithm>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "data/kline_store.h"

namespace winiswin::engine {
namespace {

constexpr std::size_t kNoFile = std::numeric_limits<std::size_t>::max();
// A span buffer grown past this by a long read (a chart's week, the benchmark's first week)
// is let go before the next read: the hourly reads of 200 symbols should not each keep a week.
constexpr std::size_t kKeptSpanCapacity = 1440;

bool is_store(const std::filesystem::path& path) { return path.extension() == kKlineStoreExtension; }

}  // namespace

// One symbol's files and the one of them open now. Only the thread reading the symbol
// touches its stream.
struct FileFeed::Stream {
  explicit Stream(SymbolFiles planned) : files(std::move(planned)), verified(files.files.size(), false) {}

  SymbolFiles files;
  // By file: a store's CRC was checked. Once a run, when the file is first reached, before
  // any of its bars is handed out: a corrupt file fails the run before it can sway a
  // decision, and the pass that checks it also brings the file into the page cache, from
  // which the reads by span then take it (the disk is read once; the checking pass costs
  // ~5 % of a run's CPU). Folding the CRC into the reads by span (a running CRC per column,
  // joined with crc32_combine) would read the bytes once, but would find a corrupt file only
  // at its end, after a year of its bars had been traded on. Checking again at every later
  // opening (the report's charts and benchmark read back) would only repeat the pass.
  std::vector<bool> verified;
  std::size_t open_file = kNoFile;
  std::optional<KlineStoreReader> store;  // the open file, when it is a store
  std::vector<Kline> decoded;           // the open file's bars, when it is a CSV
  std::size_t cursor = 0;               // in the open file: where the last read ended
  std::vector<Kline> span;              // the bars of the last read

  [[nodiscard]] std::size_t bar_count() const { return store ? store->size() : decoded.size(); }
  Result<Timestamp> open_time(std::size_t bar) { return store ? store->open_time(bar) : Result<Timestamp>(decoded[bar].open_time); }

  void close() {
    store.reset();
    std::vector<Kline>().swap(decoded);
    open_file = kNoFile;
    cursor = 0;
  }

  Status open(std::size_t file_idx) {
    if (open_file == file_idx) return Ok{};
    close();
    const KlineFilePiece& piece = files.files[file_idx];
    if (is_store(piece.path)) {
      WINISWIN_TRY(KlineStoreReader view, KlineStoreReader::open(piece.path));
      if (view.interval() != files.interval) {
        return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: holds {} bars, {} expected", piece.path.string(),
                                                                   name_of(view.interval()), name_of(files.interval)));
      }
      if (!verified[file_idx]) {
        if (auto status = view.verify(); !status) return status;
        verified[file_idx] = true;
      }
      store.emplace(std::move(view));
    } else {
      WINISWIN_TRY(KlineSeries series, load_klines(piece.path));
      decoded = std::move(series.bars);
    }
    open_file = file_idx;
    const std::size_t count = bar_count();
    const auto same_time = [&](std::size_t bar, Timestamp planned) {
      const Result<Timestamp> time = open_time(bar);
      return time.ok() && *time == planned;
    };
    if (count == 0 || !same_time(0, piece.first) || (piece.last && !same_time(count - 1, *piece.last))) {
      close();
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: changed since the run began (its first bar was {}); run again",
                                                                 piece.path.string(), format_utc(piece.first)));
    }
    if (!piece.last) return learn_last(file_idx);
    return Ok{};
  }

  // A CSV's last bar, known once it is read: the next file must start after it. Kept only
  // when it does, so that reading the file again fails again.
  Status learn_last(std::size_t file_idx) {
    KlineFilePiece read = files.files[file_idx];
    WINISWIN_TRY(read.last, open_time(bar_count() - 1));
    if (file_idx + 1 < files.files.size()) {
      if (auto status = check_no_overlap(read, files.files[file_idx + 1]); !status) {
        close();
        return status;
      }
    }
    files.files[file_idx].last = read.last;
    return Ok{};
  }

  // The first bar of the open file at or after `time`, searched from `hint` on: galloping
  // (a cold binary search over a month of bars misses the cache at every probe), from the
  // start when `time` is before the bar ahead of the hint.
  Result<std::size_t> first_at(Timestamp time, std::size_t hint) {
    const std::size_t count = bar_count();
    if (hint > count) hint = 0;
    if (hint > 0) {
      WINISWIN_TRY(const Timestamp before_hint, open_time(hint - 1));
      if (before_hint >= time) hint = 0;
    }
    std::size_t low = hint, step = 1;  // every bar before `low` opens before `time`
    while (low + step <= count) {
      WINISWIN_TRY(const Timestamp probe, open_time(low + step - 1));
      if (probe >= time) break;
      low += step;
      step *= 2;
    }
    std::size_t high = std::min(count, low + step);  // the answer is in [low, high]
    while (low < high) {
      const std::size_t middle = low + (high - low) / 2;
      WINISWIN_TRY(const Timestamp probe, open_time(middle));
      if (probe < time) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  // The open file's bars opening in [from, to), appended to the span.
  Status read(Timestamp from, Timestamp to) {
    WINISWIN_TRY(const std::size_t begin, first_at(from, cursor));
    WINISWIN_TRY(const std::size_t end, first_at(to, begin));
    cursor = end;
    if (end <= begin) return Ok{};
    if (store) return store->read(begin, end, span);
    span.insert(span.end(), decoded.begin() + static_cast<std::ptrdiff_t>(begin), decoded.begin() + static_cast<std::ptrdiff_t>(end));
    return Ok{};
  }
};

FileFeed::FileFeed() = default;
FileFeed::FileFeed(FileFeed&&) noexcept = default;
FileFeed& FileFeed::operator=(FileFeed&&) noexcept = default;
FileFeed::~FileFeed() = default;

Result<FileFeed> FileFeed::make(std::vector<SymbolFiles> plan) {
  if (plan.empty()) return make_error(ErrorCode::kInvalidArgument, "no bars to backtest");
  FileFeed feed;
  feed.interval_ = Interval::k5m;
  feed.first_ = Timestamp::max();
  feed.last_ = Timestamp::min();
  for (SymbolFiles& symbol : plan) {
    if (symbol.interval != Interval::k1m && symbol.interval != Interval::k5m) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{}: the backtest walks 1m or 5m bars, got {}", symbol.symbol, name_of(symbol.interval)));
    }
    feed.interval_ = std::min(feed.interval_, symbol.interval);
    if (symbol.files.empty() || !symbol.files.back().last) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: no files, or the last one's end unknown", symbol.symbol));
    }
    if (std::find(feed.symbols_.begin(), feed.symbols_.end(), symbol.symbol) != feed.symbols_.end()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: given twice", symbol.symbol));
    }
    feed.first_ = std::min(feed.first_, symbol.files.front().first);
    feed.last_ = std::max(feed.last_, *symbol.files.back().last);
    feed.symbols_.push_back(symbol.symbol);
    feed.streams_.push_back(std::make_unique<Stream>(std::move(symbol)));
  }
  return feed;
}

Interval FileFeed::interval_of(std::size_t index) const { return streams_.at(index)->files.interval; }

Timestamp FileFeed::last_of(std::size_t index) const { return *streams_.at(index)->files.files.back().last; }

Result<std::span<const Kline>> FileFeed::bars(std::size_t index, Timestamp from, Timestamp to) {
  Stream& stream = *streams_.at(index);
  if (stream.span.capacity() > kKeptSpanCapacity) std::vector<Kline>().swap(stream.span);
  stream.span.clear();
  const std::vector<KlineFilePiece>& files = stream.files.files;
  if (from > *files.back().last) {
    stream.close();  // its data ended: its last file is let go
    return std::span<const Kline>();
  }
  // The first file that may hold a bar at or after `from`: its last bar (or, not yet known,
  // the next file's first) is not before `from`.
  const auto ends_before = [&](const KlineFilePiece& piece) {
    const auto idx = static_cast<std::size_t>(&piece - files.data());
    return piece.last ? *piece.last < from : files[idx + 1].first <= from;
  };
  auto file = std::partition_point(files.begin(), files.end(), ends_before);
  for (; file != files.end() && file->first < to; ++file) {
    if (auto status = stream.open(static_cast<std::size_t>(file - files.begin())); !status) return status.error();
    if (auto status = stream.read(from, to); !status) return status.error();
  }
  return std::span<const Kline>(stream.span);
}

}  // namespace winiswin::engine
