#include "data/kline_file.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "data/kline_store.h"

namespace winiswin {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_kline_file_name(std::string_view name) {
  return ends_with(name, kKlineStoreExtension) || ends_with(name, ".csv") || ends_with(name, ".csv.gz") ||
         ends_with(name, ".zip");
}

bool looks_like_symbol(std::string_view token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

KlineFileName parse_kline_file_name(const std::filesystem::path& path) {
  KlineFileName parsed;
  const std::string name = path.filename().string();
  std::string_view rest = name;
  bool first = true;
  while (!rest.empty()) {
    const std::size_t dash = rest.find_first_of("-.");
    const std::string_view token = rest.substr(0, dash);
    if (first && looks_like_symbol(token)) parsed.symbol = std::string(token);
    if (!first && !parsed.interval) {
      if (auto interval = parse_interval(token)) parsed.interval = *interval;
    }
    first = false;
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  return parsed;
}

Result<KlineSeries> load_klines(const std::filesystem::path& path) {
  const KlineFileName name = parse_kline_file_name(path);
  if (ends_with(path.string(), kKlineStoreExtension)) return read_kline_store(path);
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return parse_kline_csv(*bytes, KlineCsvOptions{path.string(), name.symbol, name.interval});
}

Result<std::vector<std::filesystem::path>> list_kline_files(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot list: {}", directory.string(), error.message()));
  std::vector<std::filesystem::path> files;
  for (const auto& entry : it) {
    if (entry.is_regular_file() && is_kline_file_name(entry.path().filename().string())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace winiswin
