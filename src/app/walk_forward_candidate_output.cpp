// How the candidates' test months are written: candidates.csv (a row per test month and
// candidate, beside the walk-forward's own XGBoost and the month without a model), each fold's
// "candidates" list in walk_forward.json, lines of the summary, and a section of the page.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "app/walk_forward_output.h"
#include "report/html_text.h"

namespace winiswin {
namespace {

std::string number_or(std::optional<double> value, std::string_view none) {
  return value && std::isfinite(*value) ? fmt::format("{}", *value) : std::string(none);
}

// A candidate's months summed: its AUC against the XGBoost's, its ranking against no model and
// against the XGBoost's ranking.
struct CandidateTally {
  std::size_t months = 0, with_auc = 0, auc_above_half = 0, auc_above_xgboost = 0, better_than_without = 0, better_than_xgboost = 0;
  std::size_t trades = 0;
  double auc_sum = 0.0, total = 0.0, without = 0.0, xgboost = 0.0;
  void add(const FoldResult& fold, const CandidateResult& candidate) {
    ++months;
    if (candidate.auc) {
      ++with_auc;
      auc_sum += *candidate.auc;
      auc_above_half += *candidate.auc > 0.5 ? 1 : 0;
      auc_above_xgboost += fold.auc && *candidate.auc > *fold.auc ? 1 : 0;
    }
    total += candidate.ranking.return_pct;
    without += fold.without_model.return_pct;
    xgboost += fold.with_model.return_pct;
    better_than_without += candidate.ranking.return_pct > fold.without_model.return_pct ? 1 : 0;
    better_than_xgboost += candidate.ranking.return_pct > fold.with_model.return_pct ? 1 : 0;
    trades += candidate.ranking.trades;
  }
  [[nodiscard]] std::string mean_auc() const { return with_auc > 0 ? fmt::format("{:.3f}", auc_sum / static_cast<double>(with_auc)) : "-"; }
};

// Each candidate's tally, in the order they first appear.
std::vector<std::pair<std::string, CandidateTally>> tallies(const std::vector<FoldResult>& folds) {
  std::vector<std::pair<std::string, CandidateTally>> out;
  for (const FoldResult& fold : folds) {
    if (!fold.skipped.empty()) continue;
    for (const CandidateResult& candidate : fold.candidates) {
      auto at = std::find_if(out.begin(), out.end(), [&](const auto& entry) { return entry.first == candidate.name; });
      if (at == out.end()) at = out.insert(out.end(), {candidate.name, CandidateTally{}});
      at->second.add(fold, candidate);
    }
  }
  return out;
}

std::string three_places(std::optional<double> value) {
  return value && std::isfinite(*value) ? fmt::format("{:.3f}", *value) : std::string("–");
}

}  // namespace

std::string candidates_csv(const std::vector<FoldResult>& folds) {
  std::string csv =
      "test_month,candidate,test_rows,auc,log_loss,base_log_loss,xgboost_auc,xgboost_log_loss,top_k,top_k_win_rate,xgboost_top_k_win_rate,"
      "return_pct,trades,win_rate,average_r,without_return_pct,xgboost_return_pct\n";
  for (const FoldResult& fold : folds) {
    for (const CandidateResult& candidate : fold.candidates) {
      csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", fold.fold.test.name, candidate.name, fold.rows.test.size(),
                         number_or(candidate.auc, ""), number_or(candidate.log_loss, ""), number_or(candidate.is_probability ? fold.base_log_loss : std::nullopt, ""),
                         number_or(fold.auc, ""), number_or(fold.log_loss, ""), fold.top_k, number_or(candidate.top.win_rate, ""),
                         number_or(fold.model_top.win_rate, ""), candidate.ranking.return_pct,
                         candidate.ranking.trades, number_or(candidate.ranking.win_rate, ""), number_or(candidate.ranking.average_r, ""),
                         fold.without_model.return_pct, fold.with_model.return_pct);
    }
  }
  return csv;
}

std::string candidates_json(const FoldResult& fold) {
  std::string list;
  for (const CandidateResult& candidate : fold.candidates) {
    std::string bins;
    for (const ml::CalibrationBin& bin : candidate.calibration) {
      bins += fmt::format(R"({}{{"rows": {}, "mean_predicted": {}, "observed_win_rate": {}}})", bins.empty() ? "" : ", ", bin.rows,
                          number_or(bin.mean_predicted, "null"), number_or(bin.observed_win_rate, "null"));
    }
    list += fmt::format(
        R"({}{{"name": "{}", "is_probability": {}, "auc": {}, "log_loss": {}, "top_k_win_rate": {}, )"
        R"("ranking": {{"return_pct": {}, "trades": {}, "win_rate": {}, "average_r": {}}}, "calibration": [{}]}})",
        list.empty() ? "" : ", ", candidate.name, candidate.is_probability, number_or(candidate.auc, "null"), number_or(candidate.log_loss, "null"),
        number_or(candidate.top.win_rate, "null"), number_or(candidate.ranking.return_pct, "null"),
        candidate.ranking.trades, number_or(candidate.ranking.win_rate, "null"), number_or(candidate.ranking.average_r, "null"), bins);
  }
  return "[" + list + "]";
}

std::string candidates_summary(const std::vector<FoldResult>& folds) {
  std::string text;
  for (const auto& [name, tally] : tallies(folds)) {
    text += fmt::format("candidate {}: mean AUC {} (above 0.5 in {} of {} months, above the XGBoost's in {}); ranking {:.2f} % ({} trades) against "
                        "{:.2f} % without a model (better in {} months) and {:.2f} % with the XGBoost ranking (better in {})\n",
                        name, tally.mean_auc(), tally.auc_above_half, tally.with_auc, tally.auc_above_xgboost, tally.total, tally.trades,
                        tally.without, tally.better_than_without, tally.xgboost, tally.better_than_xgboost);
  }
  return text;
}

std::string candidates_section(const std::vector<FoldResult>& folds) {
  const auto tallied = tallies(folds);
  if (tallied.empty()) return "";
  std::string html =
      "<h2>Candidates beside the XGBoost (each trained on the same rows, its test month backtested with its model ranking)</h2>"
      "<table><tr><th>candidate</th><th>months</th><th>mean AUC</th><th>AUC &gt; 0.5</th><th>AUC &gt; XGBoost's</th><th>return ranking</th>"
      "<th>without a model</th><th>XGBoost ranking</th><th>months better than without / than XGBoost</th><th>trades</th></tr>";
  for (const auto& [name, tally] : tallied) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2f} %</td><td>{:.2f} %</td><td>{:.2f} %</td><td>{} / {}</td>"
                        "<td>{}</td></tr>",
                        report::escape_html(name), tally.months, tally.mean_auc(), tally.auc_above_half, tally.auc_above_xgboost, tally.total,
                        tally.without, tally.xgboost, tally.better_than_without, tally.better_than_xgboost, tally.trades);
  }
  html += "</table><table><tr><th>test month</th><th>candidate</th><th>AUC</th><th>XGBoost AUC</th><th>log loss</th><th>return ranking</th><th>trades</th></tr>";
  for (const FoldResult& fold : folds) {
    for (const CandidateResult& candidate : fold.candidates) {
      html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2f} %</td><td>{}</td></tr>", fold.fold.test.name,
                          report::escape_html(candidate.name), three_places(candidate.auc), three_places(fold.auc),
                          three_places(candidate.log_loss), candidate.ranking.return_pct, candidate.ranking.trades);
    }
  }
  return html + "</table>";
}

}  // namespace winiswin
