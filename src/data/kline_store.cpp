#include "data/kline_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "data/kline_validation.h"

namespace winiswin {
namespace {

constexpr std::array<char, 8> kMagic = {'W', 'I', 'N', 'I', 'S', 'W', 'K', 'L'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint16_t kColumnCount = 11;
constexpr std::size_t kSymbolBytes = 32;

struct StoreHeader {
  std::array<char, 8> magic;
  std::uint32_t version;
  std::uint32_t header_size;
  std::uint8_t interval;
  std::uint8_t fields;
  std::uint16_t column_count;
  std::uint32_t reserved_alignment;
  std::uint64_t bar_count;
  std::uint32_t crc;
  std::uint32_t reserved;
  std::array<char, kSymbolBytes> symbol;
  std::array<char, 56> padding;
};
static_assert(sizeof(StoreHeader) == 128, "the store header is 128 bytes on disk");

Error store_error(ErrorCode code, const std::filesystem::path& path, const std::string& what) {
  return make_error(code, fmt::format("{}: {}", path.string(), what));
}

std::uint32_t crc_of(const StoreHeader& header, const unsigned char* columns, std::size_t column_bytes) {
  StoreHeader zeroed = header;
  zeroed.crc = 0;
  uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(&zeroed), sizeof(zeroed));
  // zlib treats a null buffer as "give me the initial value", so skip empty payloads.
  if (column_bytes > 0) crc = crc32_z(crc, columns, column_bytes);
  return static_cast<std::uint32_t>(crc);
}

// Accessors for each column, in on-disk order.
using Column = std::int64_t (*)(const Kline&);
constexpr std::array<Column, kColumnCount> kColumns = {
    [](const Kline& bar) { return to_ms(bar.open_time); },
    [](const Kline& bar) { return bar.open.raw(); },
    [](const Kline& bar) { return bar.high.raw(); },
    [](const Kline& bar) { return bar.low.raw(); },
    [](const Kline& bar) { return bar.close.raw(); },
    [](const Kline& bar) { return bar.volume.raw(); },
    [](const Kline& bar) { return to_ms(bar.close_time); },
    [](const Kline& bar) { return bar.quote_volume.raw(); },
    [](const Kline& bar) { return bar.trades; },
    [](const Kline& bar) { return bar.taker_buy_volume.raw(); },
    [](const Kline& bar) { return bar.taker_buy_quote_volume.raw(); },
};

}  // namespace

Status write_kline_store(const std::filesystem::path& path, const KlineSeries& series) {
  if (series.symbol.size() >= kSymbolBytes) {
    return store_error(ErrorCode::kInvalidArgument, path, "symbol '" + series.symbol + "' is longer than 31 bytes");
  }
  const std::size_t count = series.bars.size();
  std::vector<std::int64_t> columns(count * kColumnCount);
  for (std::size_t column_idx = 0; column_idx < kColumnCount; ++column_idx) {
    std::int64_t* column = columns.data() + column_idx * count;
    for (std::size_t bar_idx = 0; bar_idx < count; ++bar_idx) column[bar_idx] = kColumns[column_idx](series.bars[bar_idx]);
  }
  StoreHeader header{};
  header.magic = kMagic;
  header.version = kVersion;
  header.header_size = sizeof(StoreHeader);
  header.interval = static_cast<std::uint8_t>(series.interval);
  header.fields = static_cast<std::uint8_t>(series.fields);
  header.column_count = kColumnCount;
  header.bar_count = count;
  std::memcpy(header.symbol.data(), series.symbol.data(), series.symbol.size());
  const auto* column_bytes = reinterpret_cast<const unsigned char*>(columns.data());
  header.crc = crc_of(header, column_bytes, columns.size() * sizeof(std::int64_t));

  // Write to a temporary name and rename, so a crash never leaves a half-written store.
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return store_error(ErrorCode::kIo, path, "cannot open for writing");
    out.write(reinterpret_cast<const char*>(&header), sizeof(header));
    out.write(reinterpret_cast<const char*>(column_bytes), static_cast<std::streamsize>(columns.size() * sizeof(std::int64_t)));
    out.close();
    if (!out) return store_error(ErrorCode::kIo, path, "write failed (disk full?)");
  }
  std::error_code rename_error;
  std::filesystem::rename(temporary, path, rename_error);
  if (rename_error) return store_error(ErrorCode::kIo, path, "cannot rename into place: " + rename_error.message());
  return Ok{};
}

// The open file, what its header says, and the window of bars read last.
struct KlineStoreReader::File {
  explicit File(std::filesystem::path where) : path(std::move(where)) {}
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() {
    if (descriptor >= 0) ::close(descriptor);
  }

  std::filesystem::path path;
  int descriptor = -1;
  StoreHeader header{};
  std::string symbol;
  std::size_t count = 0;
  // Bars [window_begin, window_begin + window_bars) of every column, column after column.
  std::vector<std::int64_t> window;
  std::size_t window_begin = 0;
  std::size_t window_bars = 0;

  [[nodiscard]] bool in_window(std::size_t bar) const { return bar >= window_begin && bar < window_begin + window_bars; }
  [[nodiscard]] std::int64_t value(std::size_t column_idx, std::size_t bar) const {
    return window[column_idx * kKlineStoreWindowBars + (bar - window_begin)];
  }
  // Reads exactly `size` bytes at `offset`; false on any failure or a short read.
  bool read_at(void* into, std::size_t size, std::size_t offset) const {
    auto* bytes = static_cast<char*>(into);
    while (size > 0) {
      const ssize_t got = ::pread(descriptor, bytes, size, static_cast<off_t>(offset));
      if (got <= 0) return false;
      bytes += got;
      size -= static_cast<std::size_t>(got);
      offset += static_cast<std::size_t>(got);
    }
    return true;
  }
};

Result<KlineStoreReader> KlineStoreReader::open(const std::filesystem::path& path) {
  auto file = std::make_unique<File>(path);
  file->descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->descriptor < 0) return store_error(ErrorCode::kIo, path, "cannot open for reading (does it exist?)");
  struct stat info {};
  if (::fstat(file->descriptor, &info) != 0) return store_error(ErrorCode::kIo, path, "cannot read its size");
  const auto file_size = static_cast<std::size_t>(info.st_size);
  if (file_size < sizeof(StoreHeader)) return store_error(ErrorCode::kCorrupt, path, "too short for a kline store header");
  StoreHeader& header = file->header;
  if (!file->read_at(&header, sizeof(header), 0)) return store_error(ErrorCode::kIo, path, "cannot read its header");
  if (header.magic != kMagic) return store_error(ErrorCode::kCorrupt, path, "not a winiswin kline store (bad magic)");
  if (header.version != kVersion || header.header_size != sizeof(StoreHeader) || header.column_count != kColumnCount) {
    return store_error(ErrorCode::kCorrupt, path,
                       fmt::format("unsupported store version {} (this build reads version {}); re-convert from CSV",
                                   header.version, kVersion));
  }
  if (header.interval >= kAllIntervals.size() || header.fields > static_cast<std::uint8_t>(KlineFields::kFull)) {
    return store_error(ErrorCode::kCorrupt, path, "bad interval or field code in header");
  }
  const std::size_t count = header.bar_count;
  const std::size_t column_bytes = count * kColumnCount * sizeof(std::int64_t);
  if (count > (file_size / (kColumnCount * sizeof(std::int64_t))) || file_size != sizeof(StoreHeader) + column_bytes) {
    return store_error(ErrorCode::kCorrupt, path, fmt::format("size {} does not match {} bars (truncated?)", file_size, count));
  }
  file->count = count;
  file->symbol.assign(header.symbol.data(), strnlen(header.symbol.data(), kSymbolBytes));
  return KlineStoreReader(std::move(file));
}

KlineStoreReader::KlineStoreReader(std::unique_ptr<File> file) : file_(std::move(file)) {}
KlineStoreReader::KlineStoreReader(KlineStoreReader&&) noexcept = default;
KlineStoreReader& KlineStoreReader::operator=(KlineStoreReader&&) noexcept = default;
KlineStoreReader::~KlineStoreReader() = default;

const std::filesystem::path& KlineStoreReader::path() const { return file_->path; }
const std::string& KlineStoreReader::symbol() const { return file_->symbol; }
Interval KlineStoreReader::interval() const { return static_cast<Interval>(file_->header.interval); }
KlineFields KlineStoreReader::fields() const { return static_cast<KlineFields>(file_->header.fields); }
std::size_t KlineStoreReader::size() const { return file_->count; }

// The window holding `bar`: kKlineStoreWindowBars bars of each column from a multiple of it.
Status KlineStoreReader::load_window(std::size_t bar) {
  File& file = *file_;
  if (file.in_window(bar)) return Ok{};
  file.window.resize(kColumnCount * kKlineStoreWindowBars);
  file.window_begin = bar / kKlineStoreWindowBars * kKlineStoreWindowBars;
  file.window_bars = std::min(kKlineStoreWindowBars, file.count - file.window_begin);
  for (std::size_t column_idx = 0; column_idx < kColumnCount; ++column_idx) {
    const std::size_t offset = sizeof(StoreHeader) + (column_idx * file.count + file.window_begin) * sizeof(std::int64_t);
    if (!file.read_at(file.window.data() + column_idx * kKlineStoreWindowBars, file.window_bars * sizeof(std::int64_t), offset)) {
      file.window_bars = 0;
      return store_error(ErrorCode::kIo, file.path, "read failed (truncated since it was opened?)");
    }
  }
  return Ok{};
}

Result<Timestamp> KlineStoreReader::open_time(std::size_t bar) {
  if (auto status = load_window(bar); !status) return status.error();
  return timestamp_from_ms(file_->value(0, bar));
}

Status KlineStoreReader::verify() const {
  constexpr std::size_t kBlockBytes = 1 << 20;
  const File& file = *file_;
  StoreHeader zeroed = file.header;
  zeroed.crc = 0;
  uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(&zeroed), sizeof(zeroed));
  std::vector<unsigned char> block(kBlockBytes);
  const std::size_t end = sizeof(StoreHeader) + file.count * kColumnCount * sizeof(std::int64_t);
  for (std::size_t offset = sizeof(StoreHeader); offset < end; offset += kBlockBytes) {
    const std::size_t size = std::min(kBlockBytes, end - offset);
    if (!file.read_at(block.data(), size, offset)) return store_error(ErrorCode::kIo, file.path, "read failed while checking it");
    crc = crc32_z(crc, block.data(), size);
  }
  if (static_cast<std::uint32_t>(crc) != file.header.crc) {
    return store_error(ErrorCode::kCorrupt, file.path, "checksum mismatch: the file is corrupt; re-convert it from its source");
  }
  return Ok{};
}

Status KlineStoreReader::read(std::size_t begin, std::size_t end, std::vector<Kline>& out) {
  const File& file = *file_;
  end = std::min(end, file.count);
  const Interval bar_interval = interval();
  const KlineFields bar_fields = fields();
  std::optional<Kline> previous;
  if (begin > 0 && begin < end) {
    previous.emplace();
    WINISWIN_TRY(previous->open_time, open_time(begin - 1));  // all the order check reads
  }
  for (std::size_t bar_idx = begin; bar_idx < end; ++bar_idx) {
    if (auto status = load_window(bar_idx); !status) return status;
    Kline& bar = out.emplace_back();
    bar.open_time = timestamp_from_ms(file.value(0, bar_idx));
    bar.open = Price::from_raw(file.value(1, bar_idx));
    bar.high = Price::from_raw(file.value(2, bar_idx));
    bar.low = Price::from_raw(file.value(3, bar_idx));
    bar.close = Price::from_raw(file.value(4, bar_idx));
    bar.volume = Quantity::from_raw(file.value(5, bar_idx));
    bar.close_time = timestamp_from_ms(file.value(6, bar_idx));
    bar.quote_volume = Notional::from_raw(file.value(7, bar_idx));
    bar.trades = file.value(8, bar_idx);
    bar.taker_buy_volume = Quantity::from_raw(file.value(9, bar_idx));
    bar.taker_buy_quote_volume = Notional::from_raw(file.value(10, bar_idx));
    // The checksum proves the bytes are what we wrote; validation proves what we wrote was sane.
    auto problem = find_bar_problem(bar, bar_interval, bar_fields);
    if (!problem && previous) problem = find_order_problem(*previous, bar);
    if (problem) return make_error(ErrorCode::kParse, fmt::format("{}: bar {}: {}", file.path.string(), bar_idx, *problem));
    previous = bar;
  }
  return Ok{};
}

Result<KlineSeries> read_kline_store(const std::filesystem::path& path) {
  WINISWIN_TRY(KlineStoreReader view, KlineStoreReader::open(path));
  if (auto status = view.verify(); !status) return status.error();
  KlineSeries series;
  series.symbol = view.symbol();
  series.interval = view.interval();
  series.fields = view.fields();
  series.bars.reserve(view.size());
  if (auto status = view.read(0, view.size(), series.bars); !status) return status.error();
  return series;
}

}  // namespace winiswin
