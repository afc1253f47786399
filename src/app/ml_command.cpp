// winiswin ml train: a win classifier (or an R regression) from labelled data sets (ml/dataset.h, ml/trainer.h).
#include <algorithm>

#include <fmt/format.h>

#include "app/commands.h"
#include "ml/dataset.h"
#include "ml/trainer.h"

namespace winiswin {
namespace {

void print_regression(const ml::TrainReport& report, const ml::TrainConfig& train) {
  fmt::print("train: R regression (reg:squarederror) on {} rows; {} rounds, depth {}, eta {}, seed {}\n", report.split.train.size(),
             train.rounds, train.max_depth, train.eta, train.seed);
  if (report.validation_rmse) {
    fmt::print("validation: RMSE {:.4f} R, Spearman rank correlation of predicted with actual R {:.4f}\n", *report.validation_rmse,
               report.validation_spearman.value_or(0.0));
  } else {
    fmt::print("validation: none (no held-out rows)\n");
  }
  fmt::print("note: --model takes win-probability models; this R model is for ranking studies and is refused there\n");
}

}  // namespace

Status run_ml_train(const MlTrainOptions& options, const AppConfig& config) {
  ml::DatasetOptions dataset_options;
  dataset_options.taker_fee = options.taker_fee.value_or(config.sim.taker_fee.to_double());
  WINISWIN_TRY(const std::vector<ml::LabelledRow> rows, ml::read_datasets(options.datasets, dataset_options));
  const bool is_r = options.train.target == ml::Target::kR;
  const auto virtuals = std::count_if(rows.begin(), rows.end(), [](const ml::LabelledRow& row) { return row.is_virtual; });
  fmt::print("data set: {} rows ({} real, {} virtual) from {} file(s); label: {}R net of {:.4f} % taker fees{}\n", rows.size(),
             rows.size() - static_cast<std::size_t>(virtuals), virtuals, options.datasets.size(), is_r ? "" : "win = ",
             100.0 * dataset_options.taker_fee, is_r ? "" : " > 0");
  WINISWIN_TRY(const ml::TrainReport report, ml::train(rows, options.train, options.out));
  const ml::Split& split = report.split;
  fmt::print("split: {} train, {} validation (the latest {:.0f} % of decision times), {} purged (label window reaching the "
             "validation window), {} censored (end of data, data gap, model exit)\n",
             split.train.size(), split.validation.size(), 100.0 * options.train.validation_fraction, split.purged, split.censored);
  if (options.train.target == ml::Target::kR) {
    print_regression(report, options.train);
  } else {
    fmt::print("train: {} wins of {} ({:.1f} %), scale_pos_weight {:.4f}; {} rounds, depth {}, eta {}, seed {}\n", report.wins,
               split.train.size(), 100.0 * static_cast<double>(report.wins) / static_cast<double>(split.train.size()),
               report.scale_pos_weight, options.train.rounds, options.train.max_depth, options.train.eta, options.train.seed);
  }
  fmt::print("metrics after the last round: {}\nmodel: {}\n", report.evaluation, options.out.string());
  return Ok{};
}

}  // namespace winiswin
