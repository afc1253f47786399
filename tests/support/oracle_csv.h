// Reads the reference CSVs in ../shared/oracles: a header row, then one row per input bar;
// an empty cell is NaN (warm-up or "no value").
#pragma once

#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/file_bytes.h"

namespace winiswin::testing {

struct OracleTable {
  std::vector<std::string> names;
  std::map<std::string, std::vector<double>> columns;

  const std::vector<double>& column(const std::string& name) const {
    const auto found = columns.find(name);
    if (found == columns.end()) throw std::runtime_error("oracle has no column " + name);
    return found->second;
  }
};

inline OracleTable read_oracle(const std::filesystem::path& path) {
  const std::string text = read_file_bytes(path).value();
  OracleTable table;
  std::size_t position = 0;
  bool header = true;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + position, end - position);
    position = end + 1;
    if (line.empty()) continue;
    std::size_t column_idx = 0, start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      const std::string_view cell = line.substr(start, comma == std::string_view::npos ? line.npos : comma - start);
      if (header) {
        table.names.emplace_back(cell);
        table.columns[std::string(cell)];
      } else {
        double value = std::nan("");
        if (!cell.empty()) std::from_chars(cell.data(), cell.data() + cell.size(), value);
        table.columns[table.names.at(column_idx)].push_back(value);
      }
      ++column_idx;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    header = false;
  }
  return table;
}

}  // namespace winiswin::testing
