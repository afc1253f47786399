#include "app/walk_forward_output.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ml/feature_schema.h"

namespace winiswin {
namespace {

// A number as JSON and CSV take it (shortest exact form); none and non-finite: null / empty.
std::string json_number(std::optional<double> value) {
  return value && std::isfinite(*value) ? fmt::format("{}", *value) : "null";
}
std::string csv_number(std::optional<double> value) { return value && std::isfinite(*value) ? fmt::format("{}", *value) : ""; }

std::string month_names(const std::vector<ml::Month>& months) {
  std::string names;
  for (const ml::Month& month : months) names += (names.empty() ? "" : " ") + month.name;
  return names;
}

struct Worst {
  std::optional<double> psi;
  std::string feature;
};
Worst largest_psi(const FoldResult& fold) {
  const std::vector<std::string> names = ml::current_schema().names;
  Worst worst;
  for (std::size_t idx = 0; idx < fold.psi.size(); ++idx) {
    if (fold.psi[idx] && (!worst.psi || *fold.psi[idx] > *worst.psi)) worst = {fold.psi[idx], names[idx]};
  }
  return worst;
}

std::optional<double> test_win_rate(const FoldResult& fold) {
  if (fold.rows.test.empty()) return std::nullopt;
  return static_cast<double>(fold.test_wins) / static_cast<double>(fold.rows.test.size());
}

std::string trading_csv(const MonthTrading& trading) {
  return fmt::format("{},{},{},{}", trading.return_pct, trading.trades, csv_number(trading.win_rate), csv_number(trading.average_r));
}

std::string trading_json(const MonthTrading& trading) {
  return fmt::format(R"({{"return_pct": {}, "trades": {}, "win_rate": {}, "average_r": {}, "vetoed": {}, "model_exits": {}}})", json_number(trading.return_pct),
                     trading.trades, json_number(trading.win_rate), json_number(trading.average_r), trading.vetoed, trading.model_exits);
}

std::string calibration_json(const std::vector<ml::CalibrationBin>& table) {
  std::string bins;
  for (const ml::CalibrationBin& bin : table) {
    bins += fmt::format(R"({}{{"rows": {}, "mean_predicted": {}, "observed_win_rate": {}}})", bins.empty() ? "" : ", ", bin.rows,
                        json_number(bin.mean_predicted), json_number(bin.observed_win_rate));
  }
  return "[" + bins + "]";
}

// {"feature": value, ...} in the schema's order.
template <typename Value>
std::string per_feature_json(const std::vector<Value>& values) {
  const std::vector<std::string> names = ml::current_schema().names;
  std::string members;
  for (std::size_t idx = 0; idx < values.size() && idx < names.size(); ++idx) {
    members += fmt::format(R"({}"{}": {})", members.empty() ? "" : ", ", names[idx], json_number(values[idx]));
  }
  return "{" + members + "}";
}

std::string fold_json(const FoldResult& fold) {
  const Worst worst = largest_psi(fold);
  return fmt::format(
      R"(    {{"test_month": "{}", "train_months": "{}", "skipped": "{}",)"
      "\n"
      R"(     "train_rows": {}, "train_wins": {}, "purged": {}, "censored": {}, "test_rows": {}, "test_win_rate": {}, "decisions": {}, "contested_decisions": {},)"
      "\n"
      R"(     "auc": {}, "log_loss": {}, "base_log_loss": {}, "top_k": {}, "model_top_k_win_rate": {}, "confidence_top_k_win_rate": {}, "top_k_picked": {},)"
      "\n"
      R"(     "model_top_1_win_rate": {}, "confidence_top_1_win_rate": {},)"
      "\n"
      R"(     "max_psi": {}, "max_psi_feature": "{}", "without_model": {}, "with_model": {}, "with_veto": {}, "with_sizing": {},)"
      "\n"
      R"(     "placebo_veto": {}, "placebo_sizing": {}, "with_exit": {}, "placebo_exit": {},)"
      "\n"
      R"(     "calibration": {},)"
      "\n"
      R"(     "gain": {},)"
      "\n"
      R"(     "mean_abs_shap": {},)"
      "\n"
      R"(     "psi": {},)"
      "\n"
      R"(     "candidates": {}}})",
      fold.fold.test.name, month_names(fold.fold.train), fold.skipped, fold.rows.train.size(), fold.train_wins, fold.rows.purged,
      fold.rows.censored, fold.rows.test.size(), json_number(test_win_rate(fold)), fold.decisions, fold.contested_decisions, json_number(fold.auc), json_number(fold.log_loss),
      json_number(fold.base_log_loss), fold.top_k, json_number(fold.model_top.win_rate), json_number(fold.confidence_top.win_rate), fold.model_top.picked,
      json_number(fold.model_first.win_rate), json_number(fold.confidence_first.win_rate),
      json_number(worst.psi), worst.feature, trading_json(fold.without_model), trading_json(fold.with_model), trading_json(fold.with_veto),
      trading_json(fold.with_sizing), trading_json(fold.placebo_veto), trading_json(fold.placebo_sizing),
      trading_json(fold.with_exit), trading_json(fold.placebo_exit), calibration_json(fold.calibration), per_feature_json(fold.gain), per_feature_json(fold.shap), per_feature_json(fold.psi),
      candidates_json(fold));
}

// "name value, ..." of the `count` features with the largest mean over the evaluated folds.
template <typename Pick>
std::string largest_means(const std::vector<FoldResult>& folds, std::size_t count, Pick pick) {
  const std::vector<std::string> names = ml::current_schema().names;
  std::vector<std::pair<double, std::string>> means;
  for (std::size_t feature = 0; feature < names.size(); ++feature) {
    double sum = 0.0;
    std::size_t seen = 0;
    for (const FoldResult& fold : folds) {
      if (const std::optional<double> value = pick(fold, feature)) sum += *value, ++seen;
    }
    if (seen > 0) means.emplace_back(-sum / static_cast<double>(seen), names[feature]);
  }
  std::sort(means.begin(), means.end());
  std::string text;
  for (std::size_t idx = 0; idx < means.size() && idx < count; ++idx) {
    text += fmt::format("{}{} {:.3g}", text.empty() ? "" : ", ", means[idx].second, -means[idx].first);
  }
  return text;
}

}  // namespace

std::string walk_forward_csv(const std::vector<FoldResult>& folds) {
  std::string csv =
      "test_month,train_months,skipped,train_rows,train_wins,purged,censored,test_rows,test_win_rate,decisions,contested_decisions,auc,log_loss,base_log_loss,top_k,"
      "model_top_k_win_rate,confidence_top_k_win_rate,model_top_1_win_rate,confidence_top_1_win_rate,max_psi,max_psi_feature,"
      "without_return_pct,without_trades,without_win_rate,without_average_r,with_return_pct,with_trades,with_win_rate,with_average_r,"
      "veto_return_pct,veto_trades,veto_win_rate,veto_average_r,vetoed,sized_return_pct,sized_trades,sized_win_rate,sized_average_r,"
      "placebo_veto_return_pct,placebo_veto_trades,placebo_veto_win_rate,placebo_veto_average_r,placebo_vetoed,"
      "placebo_sized_return_pct,placebo_sized_trades,placebo_sized_win_rate,placebo_sized_average_r,"
      "exit_return_pct,exit_trades,exit_win_rate,exit_average_r,model_exits,"
      "placebo_exit_return_pct,placebo_exit_trades,placebo_exit_win_rate,placebo_exit_average_r,placebo_model_exits\n";
  for (const FoldResult& fold : folds) {
    const Worst worst = largest_psi(fold);
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", fold.fold.test.name, month_names(fold.fold.train),
                       fold.skipped, fold.rows.train.size(), fold.train_wins, fold.rows.purged, fold.rows.censored, fold.rows.test.size(),
                       csv_number(test_win_rate(fold)), fold.decisions, fold.contested_decisions, csv_number(fold.auc), csv_number(fold.log_loss),
                       csv_number(fold.base_log_loss), fold.top_k,
                       csv_number(fold.model_top.win_rate), csv_number(fold.confidence_top.win_rate),
                       csv_number(fold.model_first.win_rate), csv_number(fold.confidence_first.win_rate), csv_number(worst.psi), worst.feature,
                       trading_csv(fold.without_model), trading_csv(fold.with_model), trading_csv(fold.with_veto), fold.with_veto.vetoed,
                       trading_csv(fold.with_sizing), trading_csv(fold.placebo_veto), fold.placebo_veto.vetoed, trading_csv(fold.placebo_sizing),
                       trading_csv(fold.with_exit), fold.with_exit.model_exits, trading_csv(fold.placebo_exit), fold.placebo_exit.model_exits);
  }
  return csv;
}

std::string walk_forward_json(const std::vector<FoldResult>& folds, const std::string& setup) {
  std::string body;
  for (const FoldResult& fold : folds) body += (body.empty() ? "" : ",\n") + fold_json(fold);
  return fmt::format("{{\n  \"setup\": {},\n  \"folds\": [\n{}\n  ]\n}}\n", setup, body);
}

namespace {

// Sums of a variant's month returns, and the months where it did better or worse than without the model.
struct VariantTally {
  double total = 0.0;
  std::size_t changed = 0, better = 0, worse = 0;
  void add(const MonthTrading& variant, const MonthTrading& without) {
    total += variant.return_pct;
    if (variant.trades != without.trades || variant.return_pct != without.return_pct) ++changed;
    better += variant.return_pct > without.return_pct ? 1 : 0;
    worse += variant.return_pct < without.return_pct ? 1 : 0;
  }
  [[nodiscard]] std::string text(std::string_view name) const {
    return fmt::format("{}: {:.2f} % (changed {} months: better {}, worse {})", name, total, changed, better, worse);
  }
};

// The model exit against holding (the same model ranking, trades held to stop, target or
// timeout) and against the placebo's exit.
struct ExitTally {
  double holding = 0.0, model = 0.0, placebo = 0.0;
  std::size_t better = 0, worse = 0, beats_placebo = 0, exited = 0, placebo_exited = 0, trades = 0, placebo_trades = 0;
  void add(const FoldResult& fold) {
    holding += fold.with_model.return_pct;
    model += fold.with_exit.return_pct;
    placebo += fold.placebo_exit.return_pct;
    better += fold.with_exit.return_pct > fold.with_model.return_pct ? 1 : 0;
    worse += fold.with_exit.return_pct < fold.with_model.return_pct ? 1 : 0;
    beats_placebo += fold.with_exit.return_pct > fold.placebo_exit.return_pct ? 1 : 0;
    exited += fold.with_exit.model_exits;
    trades += fold.with_exit.trades;
    placebo_exited += fold.placebo_exit.model_exits;
    placebo_trades += fold.placebo_exit.trades;
  }
  [[nodiscard]] std::string text() const {
    return fmt::format("the model exit (--exit-below): {:.2f} % against {:.2f} % holding to stop, target or timeout (better in {} months, worse "
                       "in {}; {} of {} trades exited by it); the placebo's exit {:.2f} % ({} of {} exited); the model beat the placebo in {} months\n",
                       model, holding, better, worse, exited, trades, placebo, placebo_exited, placebo_trades, beats_placebo);
  }
};

std::string summary_header() {
  constexpr std::string_view kRow = "{:<8} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>13} {:>13} {:>13} {:>13}\n";
  return fmt::format(fmt::runtime(kRow), "test", "train", "test", "AUC", "logloss", "logloss", "top-k", "top-k", "max", "without",
                     "ranking", "veto", "sizing") +
         fmt::format(fmt::runtime(kRow), "month", "rows", "rows", "", "model", "base", "model", "confid.", "PSI", "return % (n)",
                     "return % (n)", "return % (n)", "return % (n)");
}

std::string summary_row(const FoldResult& fold) {
  const auto percent = [](std::optional<double> share) { return share ? fmt::format("{:.1f}%", 100.0 * *share) : std::string("-"); };
  const auto fixed = [](std::optional<double> value) { return value ? fmt::format("{:.3f}", *value) : std::string("-"); };
  const auto trading = [](const MonthTrading& month) { return fmt::format("{:.2f} ({})", month.return_pct, month.trades); };
  return fmt::format("{:<8} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>13} {:>13} {:>13} {:>13}\n", fold.fold.test.name,
                     fold.rows.train.size(), fold.rows.test.size(), fixed(fold.auc), fixed(fold.log_loss), fixed(fold.base_log_loss),
                     percent(fold.model_top.win_rate), percent(fold.confidence_top.win_rate), fixed(largest_psi(fold).psi),
                     trading(fold.without_model), trading(fold.with_model), trading(fold.with_veto), trading(fold.with_sizing));
}

}  // namespace

std::string walk_forward_summary(const std::vector<FoldResult>& folds) {
  std::string text = summary_header();
  double without_total = 0.0, auc_sum = 0.0;
  std::size_t evaluated = 0, with_auc = 0, beats_base = 0, vetoed = 0;
  VariantTally ranking, veto, sizing, placebo_veto, placebo_sizing;
  std::size_t veto_beats_placebo = 0, sizing_beats_placebo = 0;
  ExitTally exits;
  double first_picked = 0.0, model_first_wins = 0.0, confidence_first_wins = 0.0;  // pooled over the months
  for (const FoldResult& fold : folds) {
    if (!fold.skipped.empty()) {
      text += fmt::format("{:<8} skipped: {}\n", fold.fold.test.name, fold.skipped);
      continue;
    }
    without_total += fold.without_model.return_pct;
    ranking.add(fold.with_model, fold.without_model);
    veto.add(fold.with_veto, fold.without_model);
    sizing.add(fold.with_sizing, fold.without_model);
    placebo_veto.add(fold.placebo_veto, fold.without_model);
    placebo_sizing.add(fold.placebo_sizing, fold.without_model);
    veto_beats_placebo += fold.with_veto.return_pct > fold.placebo_veto.return_pct ? 1 : 0;
    sizing_beats_placebo += fold.with_sizing.return_pct > fold.placebo_sizing.return_pct ? 1 : 0;
    vetoed += fold.with_veto.vetoed;
    exits.add(fold);
    ++evaluated;
    if (fold.auc) auc_sum += *fold.auc, ++with_auc;
    first_picked += static_cast<double>(fold.model_first.picked);
    model_first_wins += static_cast<double>(fold.model_first.picked) * fold.model_first.win_rate.value_or(0.0);
    confidence_first_wins += static_cast<double>(fold.confidence_first.picked) * fold.confidence_first.win_rate.value_or(0.0);
    if (fold.log_loss && fold.base_log_loss && *fold.log_loss < *fold.base_log_loss) ++beats_base;
    text += summary_row(fold);
  }
  text += fmt::format("{} months evaluated: mean AUC {}; log loss below the base rate's in {}\n", evaluated,
                      with_auc > 0 ? fmt::format("{:.3f}", auc_sum / static_cast<double>(with_auc)) : std::string("-"), beats_base);
  text += fmt::format("sum of the months' returns: without the model {:.2f} %; {}; {} ({} refusals); {}\n", without_total,
                      ranking.text("ranking"), veto.text("ranking + veto"), vetoed, sizing.text("ranking + sizing by score"));
  text += fmt::format("the controls, a placebo model of no skill with the model's probabilities: {}; {}; the model beat the placebo in {} months "
                      "vetoing, {} sizing\n",
                      placebo_veto.text("veto"), placebo_sizing.text("sizing"), veto_beats_placebo, sizing_beats_placebo);
  text += exits.text();
  if (first_picked > 0) {
    text += fmt::format("at the {:.0f} decisions with two or more signals, the first-ranked won {:.1f} % ranked by the model, {:.1f} % by confidence\n",
                        first_picked, 100.0 * model_first_wins / first_picked, 100.0 * confidence_first_wins / first_picked);
  }
  constexpr std::size_t kShown = 5;
  text += "largest mean gain: " + largest_means(folds, kShown, [](const FoldResult& fold, std::size_t feature) -> std::optional<double> {
            if (feature >= fold.gain.size()) return std::nullopt;
            return fold.gain[feature];
          }) + "\n";
  text += "largest mean |SHAP| on the test rows: " +
          largest_means(folds, kShown, [](const FoldResult& fold, std::size_t feature) -> std::optional<double> {
            if (feature >= fold.shap.size()) return std::nullopt;
            return fold.shap[feature];
          }) + "\n";
  text += "largest mean PSI (test vs train rows): " +
          largest_means(folds, kShown, [](const FoldResult& fold, std::size_t feature) -> std::optional<double> {
            return feature < fold.psi.size() ? fold.psi[feature] : std::nullopt;
          }) + "\n";
  return text;
}

}  // namespace winiswin
