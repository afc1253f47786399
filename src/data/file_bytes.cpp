#include "data/file_bytes.h"

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include <fmt/format.h>

namespace winiswin {
namespace {

Error io_error(const std::filesystem::path& path, const std::string& what) {
  return make_error(ErrorCode::kIo, fmt::format("{}: {}", path.string(), what));
}

Result<std::string> read_raw(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error(path, "cannot open for reading (does it exist?)");
  std::string bytes;
  in.seekg(0, std::ios::end);
  bytes.resize(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) return io_error(path, "read failed");
  return bytes;
}

Result<std::string> gunzip(const std::filesystem::path& path, const std::string& compressed) {
  constexpr std::size_t kSmallestGzip = 18;  // 10-byte header + 8-byte trailer
  if (compressed.size() < kSmallestGzip) return io_error(path, "corrupt or truncated gzip data (too short)");
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header; concatenated gzip members are handled below.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return io_error(path, "zlib initialisation failed");
  // The gzip trailer's last 4 bytes hold the uncompressed size mod 2^32 (RFC 1952): a
  // presized buffer avoids regrowing and re-zeroing it while inflating. It is only a hint
  // (a truncated file ends in arbitrary bytes), so it is trusted up to a plausible ratio.
  constexpr std::size_t kPlausibleRatio = 32;
  std::uint32_t trailer_size = 0;
  std::memcpy(&trailer_size, compressed.data() + compressed.size() - 4, sizeof(trailer_size));
  std::string out;
  out.resize(std::clamp<std::size_t>(std::size_t{trailer_size} + 1, compressed.size() * 4 + 4096,
                                     compressed.size() * kPlausibleRatio + 4096));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::size_t produced = 0;
  int status = Z_OK;
  while (true) {
    if (produced == out.size()) out.resize(out.size() * 2);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(out.size() - produced);
    status = inflate(&stream, Z_NO_FLUSH);
    produced = out.size() - stream.avail_out;
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // another gzip member follows
      continue;
    }
    if (status != Z_OK && status != Z_BUF_ERROR) break;
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) return io_error(path, "corrupt or truncated gzip data");
  out.resize(produced);
  return out;
}

Result<std::string> unzip_single(const std::filesystem::path& path) {
  int error_code = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open(path.c_str(), ZIP_RDONLY, &error_code), &zip_discard);
  if (!archive) return io_error(path, fmt::format("cannot open zip archive (libzip error {})", error_code));
  const zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
  if (entries != 1) return io_error(path, fmt::format("zip holds {} files; expected exactly one CSV", entries));
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive.get(), 0, 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) {
    return io_error(path, "cannot read the zip entry's size");
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive.get(), 0, 0), &zip_fclose);
  if (!file) return io_error(path, "cannot open the zip entry");
  std::string out(static_cast<std::size_t>(stat.size), '\0');
  const zip_int64_t read = zip_fread(file.get(), out.data(), stat.size);
  if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size) return io_error(path, "corrupt zip entry");
  return out;
}

// The first `limit` bytes of a gzip stream's content (its members joined).
Result<std::string> gunzip_head(const std::filesystem::path& path, const std::string& compressed, std::size_t limit) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return io_error(path, "zlib initialisation failed");
  std::string out(limit, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(limit);
  int status = Z_OK;
  while (stream.avail_out > 0) {
    status = inflate(&stream, Z_NO_FLUSH);
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // another gzip member follows
      continue;
    }
    if (status != Z_OK) break;
  }
  const std::size_t produced = limit - stream.avail_out;
  inflateEnd(&stream);
  const bool fine = status == Z_STREAM_END || (status == Z_OK && produced == limit);
  if (!fine) return io_error(path, "corrupt or truncated gzip data");
  out.resize(produced);
  return out;
}

Result<std::string> unzip_head(const std::filesystem::path& path, std::size_t limit) {
  int error_code = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open(path.c_str(), ZIP_RDONLY, &error_code), &zip_discard);
  if (!archive) return io_error(path, fmt::format("cannot open zip archive (libzip error {})", error_code));
  const zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
  if (entries != 1) return io_error(path, fmt::format("zip holds {} files; expected exactly one CSV", entries));
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive.get(), 0, 0), &zip_fclose);
  if (!file) return io_error(path, "cannot open the zip entry");
  std::string out(limit, '\0');
  const zip_int64_t read = zip_fread(file.get(), out.data(), limit);
  if (read < 0) return io_error(path, "corrupt zip entry");
  out.resize(static_cast<std::size_t>(read));
  return out;
}

}  // namespace

Result<std::string> read_file_head(const std::filesystem::path& path, std::size_t limit) {
  if (std::filesystem::is_directory(path)) return io_error(path, "is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error(path, "cannot open for reading (does it exist?)");
  std::string head(std::max<std::size_t>(limit, 4), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b) {
    WINISWIN_TRY(const std::string compressed, read_raw(path));  // compressed: a fraction of the content
    return gunzip_head(path, compressed, limit);
  }
  if (head.size() >= 4 && head.compare(0, 4, "PK\x03\x04") == 0) return unzip_head(path, limit);
  if (head.size() > limit) head.resize(limit);
  return head;
}

Result<std::string> read_file_bytes(const std::filesystem::path& path) {
  if (std::filesystem::is_directory(path)) return io_error(path, "is a directory, expected a file");
  auto raw = read_raw(path);
  if (!raw) return raw;
  const std::string& bytes = *raw;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b) {
    return gunzip(path, bytes);
  }
  if (bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04") == 0) return unzip_single(path);
  return raw;
}

Status write_file_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return io_error(path, "cannot open for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return io_error(path, "write failed (disk full?)");
  return Ok{};
}

}  // namespace winiswin
