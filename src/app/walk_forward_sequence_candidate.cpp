// The sequence candidates of `ml walk-forward` (--candidate lstm, transformer, cnn): per fold a
// deep sequence model (src/ml/sequence) trained on the fold's training rows' windows — the 48
// 5m bars closed by each decision, aggregated from the data's finest bars — p(win) for the test
// rows, and the model behind the engine's seam for the month's backtest (sequence_scorer.h).
// Rows without a window: training rows left out, test rows and signals given the training win
// rate (sequence_fold.h); the counts by reason and each fold's training go to
// out/candidates/<name>/folds.csv.
#include <spdlog/spdlog.h>
#include <fmt/format.h>

#include <numeric>

#include "app/walk_forward_candidate.h"
#include "data/file_bytes.h"
#include "engine/file_feed.h"
#include "ml/sequence/sequence_fold.h"
#include "ml/sequence/sequence_scorer.h"

namespace winiswin {
namespace {

using ml::sequence::Architecture;

// Each symbol's bars, a month at a time through the feed (it holds one file per symbol at once).
Result<ml::sequence::BarWindows> load_windows(std::span<const SymbolFiles> plan, std::size_t length) {
  WINISWIN_TRY(ml::sequence::BarWindows windows, ml::sequence::BarWindows::make(length));
  WINISWIN_TRY(engine::FileFeed feed, engine::FileFeed::make(std::vector<SymbolFiles>(plan.begin(), plan.end())));
  for (std::size_t index = 0; index < feed.symbols().size(); ++index) {
    for (ml::Month month = ml::month_of(plan[index].files.front().first); month.start <= feed.last_of(index); month = ml::month_of(month.end)) {
      WINISWIN_TRY(const std::span<const Kline> bars, feed.bars(index, month.start, month.end));
      if (auto status = windows.add(feed.symbols()[index], feed.interval_of(index), bars); !status) return status.error();
    }
  }
  return windows;
}

std::string missing_columns(const std::array<std::size_t, ml::sequence::kWindowMissKinds>& missing) {
  std::string out;
  for (std::size_t kind = 1; kind < missing.size(); ++kind) out += fmt::format(",{}", missing[kind]);
  return out;
}

std::size_t total(const std::array<std::size_t, ml::sequence::kWindowMissKinds>& missing) {
  return std::accumulate(missing.begin(), missing.end(), std::size_t{0});
}

class SequenceCandidate final : public WalkForwardCandidate {
 public:
  SequenceCandidate(Architecture architecture, std::span<const SymbolFiles> plan) : architecture_(architecture), plan_(plan.begin(), plan.end()) {}

  [[nodiscard]] std::string_view name() const override { return ml::sequence::name_of(architecture_); }

  [[nodiscard]] Result<CandidatePrediction> predict(const CandidateFold& fold) override {
    if (!windows_) {
      WINISWIN_TRY(ml::sequence::BarWindows loaded, load_windows(plan_, ml::sequence::kDefaultWindowBars));
      windows_ = std::make_shared<const ml::sequence::BarWindows>(std::move(loaded));
    }
    std::vector<ml::sequence::DecisionRow> rows;
    rows.reserve(fold.rows.size());
    for (const ml::LabelledRow& row : fold.rows) rows.push_back({row.symbol, row.decided, row.side, row.win});
    ml::sequence::SequenceTrainConfig config;
    config.architecture = architecture_;
    config.seed = fold.train.seed;
    WINISWIN_TRY(const ml::sequence::FoldPrediction predicted, ml::sequence::predict_fold(*windows_, rows, fold.split.train, fold.split.test, config));
    if (auto status = record(fold, predicted); !status) return status.error();
    auto scorer = std::make_unique<ml::sequence::SequenceScorer>(std::string(name()), windows_, predicted.model, predicted.base_rate, fold.model_weight);
    for (std::size_t position = 0; position < fold.split.test.size(); ++position) {
      const ml::LabelledRow& row = fold.rows[fold.split.test[position]];
      scorer->remember(row.symbol, row.side, row.decided, predicted.probability[position]);
    }
    CandidatePrediction prediction;
    prediction.probability = predicted.probability;
    prediction.model = std::move(scorer);
    return prediction;
  }

 private:
  Status record(const CandidateFold& fold, const ml::sequence::FoldPrediction& predicted) {
    const ml::sequence::SequenceTrainReport& report = predicted.report;
    folds_csv_ += fmt::format("{},{},{},{},{},{},{:.6f},{:.4f},{:.4f}{}{}\n", fold.fold.test.name, report.fitting_rows, report.held_out_rows,
                              report.dropped_oldest, report.epochs_run, report.best_epoch, report.best_held_out_loss, report.pos_weight,
                              predicted.base_rate, missing_columns(predicted.train_missing), missing_columns(predicted.test_missing));
    spdlog::info("{} {}: trained on {} rows ({} held out for early stopping; best epoch {} of {}), {} training and {} of {} test rows without a window",
                 name(), fold.fold.test.name, report.fitting_rows, report.held_out_rows, report.best_epoch, report.epochs_run,
                 total(predicted.train_missing), total(predicted.test_missing), fold.split.test.size());
    return write_file_bytes(fold.folder / "folds.csv", folds_csv_);
  }

  Architecture architecture_;
  std::vector<SymbolFiles> plan_;
  std::shared_ptr<const ml::sequence::BarWindows> windows_;  // loaded at the first fold
  std::string folds_csv_ =
      "test_month,fitting_rows,held_out_rows,dropped_oldest,epochs_run,best_epoch,best_held_out_loss,pos_weight,base_rate,"
      "train_unknown_symbol,train_no_decision_bar,train_too_few_bars,train_hole,test_unknown_symbol,test_no_decision_bar,test_too_few_bars,test_hole\n";
};

Result<std::unique_ptr<WalkForwardCandidate>> make_sequence(Architecture architecture, const CandidateContext& context) {
  return std::unique_ptr<WalkForwardCandidate>(std::make_unique<SequenceCandidate>(architecture, context.plan));
}

}  // namespace

Result<std::unique_ptr<WalkForwardCandidate>> make_lstm_candidate(const CandidateContext& context) {
  return make_sequence(Architecture::kLstm, context);
}
Result<std::unique_ptr<WalkForwardCandidate>> make_transformer_candidate(const CandidateContext& context) {
  return make_sequence(Architecture::kTransformer, context);
}
Result<std::unique_ptr<WalkForwardCandidate>> make_cnn_candidate(const CandidateContext& context) {
  return make_sequence(Architecture::kCnn, context);
}

}  // namespace winiswin
