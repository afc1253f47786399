#include "app/walk_forward_page.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ml/feature_schema.h"
#include "report/html_text.h"

namespace winiswin {
namespace {

using report::escape_html;

constexpr double kWidth = 900, kHeight = 260, kLeft = 50, kBottom = 40, kTop = 15;

std::vector<const FoldResult*> evaluated(const std::vector<FoldResult>& folds) {
  std::vector<const FoldResult*> out;
  for (const FoldResult& fold : folds) {
    if (fold.skipped.empty()) out.push_back(&fold);
  }
  return out;
}

struct Axis {
  double low, high;
  [[nodiscard]] double y(double value) const { return kTop + (kHeight - kTop - kBottom) * (high - value) / (high - low); }
};

// A y axis with its grid at `step`, and the month names under the slots.
std::string frame(const Axis& axis, double step, const std::vector<const FoldResult*>& months, const std::string& unit) {
  std::string svg;
  for (double value = std::ceil(axis.low / step) * step; value <= axis.high + 1e-9; value += step) {
    svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#ddd"/><text x="{}" y="{:.1f}" font-size="10" text-anchor="end">{:g}{}</text>)",
                       kLeft, kWidth, axis.y(value), axis.y(value), kLeft - 4, axis.y(value) + 3, value, unit);
  }
  const double slot = (kWidth - kLeft) / static_cast<double>(std::max<std::size_t>(months.size(), 1));
  for (std::size_t idx = 0; idx < months.size(); ++idx) {
    svg += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="9" text-anchor="middle">{}</text>)", kLeft + slot * (static_cast<double>(idx) + 0.5),
                       kHeight - kBottom + 14, months[idx]->fold.test.name);
  }
  return svg;
}

std::string auc_chart(const std::vector<const FoldResult*>& months) {
  const Axis axis{0.3, 0.7};
  std::string svg = frame(axis, 0.1, months, "");
  svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#c00" stroke-dasharray="4"/>)", kLeft, kWidth, axis.y(0.5), axis.y(0.5));
  const double slot = (kWidth - kLeft) / static_cast<double>(std::max<std::size_t>(months.size(), 1));
  for (std::size_t idx = 0; idx < months.size(); ++idx) {
    if (!months[idx]->auc) continue;
    const double value = std::clamp(*months[idx]->auc, axis.low, axis.high);
    svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="#246"><title>{} AUC {:.3f}</title></circle>)",
                       kLeft + slot * (static_cast<double>(idx) + 0.5), axis.y(value), months[idx]->fold.test.name, *months[idx]->auc);
  }
  return fmt::format(R"(<svg width="{}" height="{}">{}</svg>)", kWidth, kHeight, svg);
}

std::string return_chart(const std::vector<const FoldResult*>& months) {
  double low = 0, high = 0;
  for (const FoldResult* fold : months) {
    for (const MonthTrading* trading : {&fold->without_model, &fold->with_model, &fold->with_veto, &fold->with_sizing}) {
      low = std::min(low, trading->return_pct);
      high = std::max(high, trading->return_pct);
    }
  }
  const double step = 10.0;
  const Axis axis{std::floor(low / step) * step, std::max(std::ceil(high / step) * step, low + step)};
  std::string svg = frame(axis, step, months, " %");
  const double slot = (kWidth - kLeft) / static_cast<double>(std::max<std::size_t>(months.size(), 1)), bar = slot * 0.2;
  struct Bar {
    double value;
    const char* colour;
    const char* what;
  };
  for (std::size_t idx = 0; idx < months.size(); ++idx) {
    const double middle = kLeft + slot * (static_cast<double>(idx) + 0.5);
    const FoldResult& fold = *months[idx];
    const Bar bars[] = {{fold.without_model.return_pct, "#999", "without the model"},
                        {fold.with_model.return_pct, "#246", "the model ranking"},
                        {fold.with_veto.return_pct, "#c60", "ranking + veto"},
                        {fold.with_sizing.return_pct, "#393", "ranking + sizing by score"}};
    for (std::size_t side = 0; side < std::size(bars); ++side) {
      const double top = axis.y(std::max(bars[side].value, 0.0)), bottom = axis.y(std::min(bars[side].value, 0.0));
      svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{} {}: {:.2f} %</title></rect>)",
                         middle - 2 * bar + static_cast<double>(side) * bar, top, bar, std::max(bottom - top, 0.5), bars[side].colour,
                         fold.fold.test.name, bars[side].what, bars[side].value);
    }
  }
  return fmt::format(R"(<svg width="{}" height="{}">{}</svg>)", kWidth, kHeight, svg);
}

// Decile i of every month pooled (rows-weighted): mean predicted against observed win rate.
std::string calibration_chart(const std::vector<const FoldResult*>& months) {
  constexpr double kSide = 300, kMargin = 40;
  std::vector<double> rows(10, 0.0), predicted(10, 0.0), observed(10, 0.0);
  for (const FoldResult* fold : months) {
    for (std::size_t bin = 0; bin < fold->calibration.size() && bin < rows.size(); ++bin) {
      const double count = static_cast<double>(fold->calibration[bin].rows);
      rows[bin] += count;
      predicted[bin] += count * fold->calibration[bin].mean_predicted;
      observed[bin] += count * fold->calibration[bin].observed_win_rate;
    }
  }
  const auto at = [&](double value) { return kMargin + (kSide - 2 * kMargin) * value; };
  std::string svg = fmt::format(R"(<line x1="{0}" y1="{1}" x2="{1}" y2="{0}" stroke="#c00" stroke-dasharray="4"/>)", at(0), kSide - at(0));
  svg += fmt::format(R"(<rect x="{0}" y="{0}" width="{1}" height="{1}" fill="none" stroke="#999"/>)", kMargin, kSide - 2 * kMargin);
  svg += fmt::format(R"(<text x="{}" y="{}" font-size="10" text-anchor="middle">mean predicted win probability</text>)", kSide / 2, kSide - 8);
  svg += fmt::format(R"svg(<text x="12" y="{0}" font-size="10" transform="rotate(-90 12 {0})" text-anchor="middle">observed win rate</text>)svg", kSide / 2);
  for (const double tick : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="9" text-anchor="middle">{:g}</text>)", at(tick), kSide - kMargin + 11, tick);
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="9" text-anchor="end">{:g}</text>)", kMargin - 3, kSide - at(tick) + 3, tick);
  }
  for (std::size_t bin = 0; bin < rows.size(); ++bin) {
    if (rows[bin] == 0) continue;
    const double x = predicted[bin] / rows[bin], y = observed[bin] / rows[bin];
    svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="#246"><title>decile {}: predicted {:.3f}, won {:.3f} ({:.0f} rows)</title></circle>)",
                       at(x), kSide - at(y), bin + 1, x, y, rows[bin]);
  }
  return fmt::format(R"(<svg width="{0}" height="{0}">{1}</svg>)", kSide, svg);
}

std::string cell(std::optional<double> value, const char* format) {
  return value && std::isfinite(*value) ? fmt::format(fmt::runtime(format), *value) : std::string("–");
}

std::string month_table(const std::vector<FoldResult>& folds) {
  std::string html =
      "<table><tr><th>test month</th><th>train rows</th><th>test rows</th><th>AUC</th><th>log loss</th><th>base log loss</th>"
      "<th>top-k model</th><th>top-k confidence</th><th>return without</th><th>ranking</th><th>+ veto</th><th>+ sizing</th>"
      "<th>placebo veto</th><th>placebo sizing</th><th>+ model exit</th><th>placebo exit</th><th>trades without / ranking / veto / sizing</th>"
      "<th>veto refusals</th><th>exited by the model / the placebo</th></tr>";
  for (const FoldResult& fold : folds) {
    if (!fold.skipped.empty()) {
      html += fmt::format("<tr><td>{}</td><td colspan=19>skipped: {}</td></tr>", fold.fold.test.name, escape_html(fold.skipped));
      continue;
    }
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                        "<td>{:.2f} %</td><td>{:.2f} %</td><td>{:.2f} %</td><td>{:.2f} %</td><td>{:.2f} %</td><td>{:.2f} %</td><td>{:.2f} %</td><td>{:.2f} %</td>"
                        "<td>{} / {} / {} / {}</td><td>{}</td><td>{} / {}</td></tr>",
                        fold.fold.test.name, fold.rows.train.size(), fold.rows.test.size(), cell(fold.auc, "{:.3f}"), cell(fold.log_loss, "{:.3f}"),
                        cell(fold.base_log_loss, "{:.3f}"), cell(fold.model_top.win_rate, "{:.3f}"), cell(fold.confidence_top.win_rate, "{:.3f}"),
                        fold.without_model.return_pct, fold.with_model.return_pct, fold.with_veto.return_pct, fold.with_sizing.return_pct,
                        fold.placebo_veto.return_pct, fold.placebo_sizing.return_pct, fold.with_exit.return_pct, fold.placebo_exit.return_pct,
                        fold.without_model.trades, fold.with_model.trades, fold.with_veto.trades, fold.with_sizing.trades, fold.with_veto.vetoed,
                        fold.with_exit.model_exits, fold.placebo_exit.model_exits);
  }
  return html + "</table>";
}

std::string feature_table(const std::vector<const FoldResult*>& months) {
  const std::vector<std::string> names = ml::current_schema().names;
  std::string html = "<table><tr><th>feature</th><th>mean gain</th><th>mean |SHAP|</th><th>mean PSI</th></tr>";
  for (std::size_t feature = 0; feature < names.size(); ++feature) {
    double gain = 0, shap = 0, psi = 0;
    std::size_t with_psi = 0;
    for (const FoldResult* fold : months) {
      if (feature < fold->gain.size()) gain += fold->gain[feature];
      if (feature < fold->shap.size()) shap += fold->shap[feature];
      if (feature < fold->psi.size() && fold->psi[feature]) psi += *fold->psi[feature], ++with_psi;
    }
    const double count = static_cast<double>(std::max<std::size_t>(months.size(), 1));
    html += fmt::format("<tr><td>{}</td><td>{:.3f}</td><td>{:.4f}</td><td>{}</td></tr>", names[feature], gain / count, shap / count,
                        with_psi > 0 ? fmt::format("{:.3f}", psi / static_cast<double>(with_psi)) : std::string("–"));
  }
  return html + "</table>";
}

}  // namespace

std::string walk_forward_page(const std::vector<FoldResult>& folds, const std::string& title, const std::string& summary) {
  const std::vector<const FoldResult*> months = evaluated(folds);
  return fmt::format(R"(<!doctype html>
<html><head><meta charset="utf-8"><title>{0}</title>
<style>body{{font-family:sans-serif;margin:20px;max-width:960px}}table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}pre{{font-size:12px;background:#f6f6f6;padding:8px;overflow-x:auto}}</style>
</head><body>
<h1>{0}</h1>
<pre>{1}</pre>
<h2>AUC per test month (dashed: 0.5, no skill)</h2>
{2}
<h2>Return of each test month: without the model (grey), the model ranking (blue), ranking + veto (orange), ranking + sizing by its score (green)</h2>
{3}
<h2>Calibration, every test month pooled by decile (dashed: perfect)</h2>
{4}
<h2>Per test month</h2>
{5}
{7}
<h2>Per feature, mean over the test months</h2>
{6}
</body></html>
)",
                     escape_html(title), escape_html(summary), auc_chart(months), return_chart(months), calibration_chart(months),
                     month_table(folds), feature_table(months), candidates_section(folds));
}

}  // namespace winiswin
