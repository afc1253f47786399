// Reads a whole file into memory, transparently decompressing gzip and zip archives.
//
// Compression is recognised by content (magic bytes), not by file name: gzip (1f 8b) via
// zlib, zip (PK\3\4) via libzip. A zip must hold exactly one file, as Binance's kline
// dumps do; anything else is an error naming the archive.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"

namespace winiswin {

Result<std::string> read_file_bytes(const std::filesystem::path& path);
// The first `limit` bytes of what read_file_bytes would give (all of it when shorter),
// decompressing no further than that.
Result<std::string> read_file_head(const std::filesystem::path& path, std::size_t limit);
Status write_file_bytes(const std::filesystem::path& path, std::string_view bytes);

}  // namespace winiswin
