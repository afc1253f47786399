#include "data/kline_store.h"

#include <fcntl.h>
#include <sys/mman.h>
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

// The mapping and what its header says, behind the view's pointer so the view moves cheaply.
struct KlineStoreView::Mapping {
  explicit Mapping(const std::filesystem::path& where) : path(where), file(where) {}
  std::filesystem::path path;
  MappedFile file;
  StoreHeader header{};
  std::string symbol;
  const unsigned char* columns = nullptr;
  std::size_t count = 0;
  std::size_t released_through = 0;  // bars whose pages were handed back, per column

  [[nodiscard]] std::int64_t value(std::size_t column_idx, std::size_t bar_idx) const {
    std::int64_t value;
    std::memcpy(&value, columns + (column_idx * count + bar_idx) * sizeof(std::int64_t), sizeof(value));
    return value;
  }
};

namespace {

constexpr std::size_t kReleaseEveryBars = 16'384;  // 128 KB of each column

// Hands the pages of [from, to) of the mapping back to the kernel (only whole pages inside
// it): the file stays in the page cache, the process's resident set stops counting it, and
// reading there again faults the pages back in from the file.
void release_pages(const unsigned char* base, std::size_t from, std::size_t to) {
  static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<std::uintptr_t>(base) + from + page - 1) / page * page;
  const auto end = (reinterpret_cast<std::uintptr_t>(base) + to) / page * page;
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace

Result<KlineStoreView> KlineStoreView::open(const std::filesystem::path& path) {
  auto mapping = std::make_unique<Mapping>(path);
  const MappedFile& file = mapping->file;
  if (!file.opened()) return store_error(ErrorCode::kIo, path, "cannot open for reading (does it exist?)");
  if (file.size() < sizeof(StoreHeader)) return store_error(ErrorCode::kCorrupt, path, "too short for a kline store header");
  StoreHeader& header = mapping->header;
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
  mapping->count = count;
  mapping->columns = file.data() + sizeof(StoreHeader);
  mapping->symbol.assign(header.symbol.data(), strnlen(header.symbol.data(), kSymbolBytes));
  return KlineStoreView(std::move(mapping));
}

KlineStoreView::KlineStoreView(std::unique_ptr<Mapping> mapping) : mapping_(std::move(mapping)) {}
KlineStoreView::KlineStoreView(KlineStoreView&&) noexcept = default;
KlineStoreView& KlineStoreView::operator=(KlineStoreView&&) noexcept = default;
KlineStoreView::~KlineStoreView() = default;

const std::filesystem::path& KlineStoreView::path() const { return mapping_->path; }
const std::string& KlineStoreView::symbol() const { return mapping_->symbol; }
Interval KlineStoreView::interval() const { return static_cast<Interval>(mapping_->header.interval); }
KlineFields KlineStoreView::fields() const { return static_cast<KlineFields>(mapping_->header.fields); }
std::size_t KlineStoreView::size() const { return mapping_->count; }
Timestamp KlineStoreView::open_time(std::size_t bar) const { return timestamp_from_ms(mapping_->value(0, bar)); }

Status KlineStoreView::verify() const {
  const std::size_t column_bytes = mapping_->count * kColumnCount * sizeof(std::int64_t);
  const bool intact = crc_of(mapping_->header, mapping_->columns, column_bytes) == mapping_->header.crc;
  release_pages(mapping_->file.data(), 0, mapping_->file.size());
  if (!intact) return store_error(ErrorCode::kCorrupt, mapping_->path, "checksum mismatch: the file is corrupt; re-convert it from its source");
  return Ok{};
}

Status KlineStoreView::read(std::size_t begin, std::size_t end, std::vector<Kline>& out) {
  Mapping& map = *mapping_;
  end = std::min(end, map.count);
  const Interval bar_interval = interval();
  const KlineFields bar_fields = fields();
  std::optional<Kline> previous;
  if (begin > 0 && begin < end) {
    previous.emplace();
    previous->open_time = open_time(begin - 1);  // all the order check reads
  }
  for (std::size_t bar_idx = begin; bar_idx < end; ++bar_idx) {
    Kline& bar = out.emplace_back();
    bar.open_time = timestamp_from_ms(map.value(0, bar_idx));
    bar.open = Price::from_raw(map.value(1, bar_idx));
    bar.high = Price::from_raw(map.value(2, bar_idx));
    bar.low = Price::from_raw(map.value(3, bar_idx));
    bar.close = Price::from_raw(map.value(4, bar_idx));
    bar.volume = Quantity::from_raw(map.value(5, bar_idx));
    bar.close_time = timestamp_from_ms(map.value(6, bar_idx));
    bar.quote_volume = Notional::from_raw(map.value(7, bar_idx));
    bar.trades = map.value(8, bar_idx);
    bar.taker_buy_volume = Quantity::from_raw(map.value(9, bar_idx));
    bar.taker_buy_quote_volume = Notional::from_raw(map.value(10, bar_idx));
    // The checksum proves the bytes are what we wrote; validation proves what we wrote was sane.
    auto problem = find_bar_problem(bar, bar_interval, bar_fields);
    if (!problem && previous) problem = find_order_problem(*previous, bar);
    if (problem) return make_error(ErrorCode::kParse, fmt::format("{}: bar {}: {}", map.path.string(), bar_idx, *problem));
    previous = bar;
  }
  if (begin >= map.released_through + kReleaseEveryBars) {
    for (std::size_t column_idx = 0; column_idx < kColumnCount; ++column_idx) {
      const std::size_t column_start = sizeof(StoreHeader) + column_idx * map.count * sizeof(std::int64_t);
      release_pages(map.file.data(), column_start, column_start + begin * sizeof(std::int64_t));
    }
    map.released_through = begin;
  }
  return Ok{};
}

Result<KlineSeries> read_kline_store(const std::filesystem::path& path) {
  WINISWIN_TRY(KlineStoreView view, KlineStoreView::open(path));
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
