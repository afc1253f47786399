#include <cmath>

#include <fmt/format.h>

#include "app/commands.h"
#include "data/file_bytes.h"
#include "data/kline_file.h"
#include "indicators/batch.h"

namespace winiswin {

Status run_indicators(const std::filesystem::path& input, const std::filesystem::path& out) {
  WINISWIN_TRY(const KlineSeries series, load_klines(input));
  WINISWIN_TRY(const indicators::IndicatorTable table, indicators::compute_indicators(series));
  std::string text = "open_time";
  for (const std::string& name : table.names) text += "," + name;
  text += '\n';
  text.reserve(series.bars.size() * 24 * 20);
  std::int64_t gaps = 0;
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    fmt::format_to(std::back_inserter(text), "{}", to_ms(series.bars[row].open_time));
    for (const double value : table.rows[row]) {
      text += ',';
      if (!std::isnan(value)) fmt::format_to(std::back_inserter(text), "{}", value);  // shortest exact
    }
    text += '\n';
    gaps += table.gaps_before[row] > 0 ? 1 : 0;
  }
  if (auto status = write_file_bytes(out, text); !status) return status;
  fmt::print("{}: {} bars × {} indicators → {}{}\n", input.string(), table.rows.size(), table.names.size(), out.string(),
             gaps ? fmt::format(" ({} gaps in the input: values after them treat the bars as adjacent)", gaps) : "");
  return Ok{};
}

}  // namespace winiswin
