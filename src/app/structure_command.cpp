#include <fmt/format.h>

#include "app/commands.h"
#include "data/file_bytes.h"
#include "data/kline_file.h"
#include "indicators/indicator_set.h"
#include "structure/structure_set.h"

namespace winiswin {

Status run_structure(const std::filesystem::path& input, const std::filesystem::path& out) {
  WINISWIN_TRY(const KlineSeries series, load_klines(input));
  indicators::IndicatorSet indicator_set(series.interval);
  structure::StructureSet structure_set;
  std::string text;
  std::size_t events = 0;
  std::int64_t gaps = 0;
  for (std::size_t bar_idx = 0; bar_idx < series.bars.size(); ++bar_idx) {
    const Kline& bar = series.bars[bar_idx];
    auto report = indicator_set.update(bar);
    if (!report) return report.error().with_context(fmt::format("{} bar {}", input.string(), bar_idx));
    gaps += report->missing_bars > 0 ? 1 : 0;
    for (const structure::StructureEvent& event : structure_set.update(bar, structure::StructureInputs::of(indicator_set))) {
      text += structure::format_event_json(event, series.symbol);
      text += '\n';
      ++events;
    }
  }
  if (auto status = write_file_bytes(out, text); !status) return status;
  fmt::print("{}: {} bars → {} structure events in {}{}\n", input.string(), series.bars.size(), events, out.string(),
             gaps ? fmt::format(" ({} gaps in the input)", gaps) : "");
  return Ok{};
}

}  // namespace winiswin
