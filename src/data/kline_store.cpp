#include "data/kline_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cstring>
#include <fstream>

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

// Read-only memory map, unmapped on scope exit.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
      size_ = static_cast<std::size_t>(info.st_size);
      void* data = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (data != MAP_FAILED) {
        data_ = static_cast<const unsigned char*>(data);
        ::madvise(data, size_, MADV_SEQUENTIAL);
      }
    }
    opened_ = true;
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] bool opened() const { return opened_; }
  [[nodiscard]] const unsigned char* data() const { return data_; }
  [[nodiscard]] std::size_t size() const { return data_ ? size_ : 0; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
  bool opened_ = false;
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

Result<KlineSeries> read_kline_store(const std::filesystem::path& path) {
  const MappedFile file(path);
  if (!file.opened()) return store_error(ErrorCode::kIo, path, "cannot open for reading (does it exist?)");
  if (file.size() < sizeof(StoreHeader)) return store_error(ErrorCode::kCorrupt, path, "too short for a kline store header");
  StoreHeader header;
  std::memcpy(&header, file.data(), sizeof(header));
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
  if (count > (file.size() / (kColumnCount * sizeof(std::int64_t))) || file.size() != sizeof(StoreHeader) + column_bytes) {
    return store_error(ErrorCode::kCorrupt, path, fmt::format("size {} does not match {} bars (truncated?)", file.size(), count));
  }
  const unsigned char* columns = file.data() + sizeof(StoreHeader);
  if (crc_of(header, columns, column_bytes) != header.crc) {
    return store_error(ErrorCode::kCorrupt, path, "checksum mismatch: the file is corrupt; re-convert it from its source");
  }

  KlineSeries series;
  series.symbol.assign(header.symbol.data(), strnlen(header.symbol.data(), kSymbolBytes));
  series.interval = static_cast<Interval>(header.interval);
  series.fields = static_cast<KlineFields>(header.fields);
  series.bars.resize(count);
  const auto column = [&](std::size_t column_idx, std::size_t bar_idx) {
    std::int64_t value;
    std::memcpy(&value, columns + (column_idx * count + bar_idx) * sizeof(std::int64_t), sizeof(value));
    return value;
  };
  for (std::size_t bar_idx = 0; bar_idx < count; ++bar_idx) {
    Kline& bar = series.bars[bar_idx];
    bar.open_time = timestamp_from_ms(column(0, bar_idx));
    bar.open = Price::from_raw(column(1, bar_idx));
    bar.high = Price::from_raw(column(2, bar_idx));
    bar.low = Price::from_raw(column(3, bar_idx));
    bar.close = Price::from_raw(column(4, bar_idx));
    bar.volume = Quantity::from_raw(column(5, bar_idx));
    bar.close_time = timestamp_from_ms(column(6, bar_idx));
    bar.quote_volume = Notional::from_raw(column(7, bar_idx));
    bar.trades = column(8, bar_idx);
    bar.taker_buy_volume = Quantity::from_raw(column(9, bar_idx));
    bar.taker_buy_quote_volume = Notional::from_raw(column(10, bar_idx));
  }
  // The checksum proves the bytes are what we wrote; validation proves what we wrote was sane.
  if (auto status = validate_series(series, path.string()); !status) return status.error();
  return series;
}

}  // namespace winiswin
