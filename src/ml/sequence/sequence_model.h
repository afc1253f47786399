// Deep sequence models over the last N 5m bars (bar_windows.h), trained with libtorch's C++
// API: an LSTM, a small Transformer encoder and a dilated 1-D CNN, each giving p(win) through
// a sigmoid. Torch stays in this folder's .cpp files (its headers cost seconds per file and
// its CMake target carries compile flags): this header is plain C++.
//
// Training (train()): the rows in decision-time order; the most recent max_train_rows kept;
// the last early_stop_fraction of them (by time) hold out for early stopping, never a test
// row. Channels standardised by the fitting rows' mean and standard deviation. Loss: binary
// cross-entropy with pos_weight = losses / wins of the fitting rows (the XGBoost trainer's
// class balance, scale_pos_weight); Adam; at most `epochs` passes, stopped after `patience`
// epochs without a better held-out loss, and the best epoch's weights kept. Deterministic for
// a seed: torch::manual_seed, the batch order from std::mt19937_64, and `threads` intra-op
// threads (1 by default: a different count may sum in another order).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace winiswin::ml::sequence {

enum class Architecture { kLstm, kTransformer, kCnn };
std::string_view name_of(Architecture architecture);

struct SequenceTrainConfig {
  Architecture architecture = Architecture::kLstm;
  std::size_t hidden = 32;            // LSTM state, Transformer width, CNN channels
  std::size_t epochs = 20;            // at most
  std::size_t patience = 3;           // epochs without a better held-out loss before stopping
  std::size_t batch = 128;
  double learning_rate = 1e-3;
  double weight_decay = 1e-4;
  double early_stop_fraction = 0.15;  // the latest rows held out for early stopping
  std::size_t max_train_rows = 20000; // the most recent kept: bounds the cost
  std::uint64_t seed = 42;
  int threads = 1;                    // torch intra-op threads
};

// Rows × length × channels values, time-major per row (bar_windows.h's fill), with one label
// per row when training. Rows in decision-time order.
struct SequenceSet {
  std::size_t length = 0;
  std::size_t channels = 0;
  std::vector<float> values;
  std::vector<std::uint8_t> wins;  // 1 = win; empty for prediction

  [[nodiscard]] std::size_t rows() const { return length * channels == 0 ? 0 : values.size() / (length * channels); }
};

struct SequenceTrainReport {
  std::size_t fitting_rows = 0;
  std::size_t held_out_rows = 0;
  std::size_t dropped_oldest = 0;  // rows beyond max_train_rows
  std::size_t epochs_run = 0;
  std::size_t best_epoch = 0;      // 1-based
  double best_held_out_loss = 0.0; // weighted BCE
  double pos_weight = 1.0;
};

class SequenceModel {
 public:
  // Errors: no rows, labels not one per row, one class only among the fitting rows, a
  // non-finite value (named by row, bar and channel), a bad configuration.
  static Result<SequenceModel> train(const SequenceSet& rows, const SequenceTrainConfig& config);
  SequenceModel(SequenceModel&&) noexcept;
  SequenceModel& operator=(SequenceModel&&) noexcept;
  ~SequenceModel();

  // p(win) per row; the rows' length and channels must be the training's.
  [[nodiscard]] Result<std::vector<double>> predict(const SequenceSet& rows) const;
  [[nodiscard]] const SequenceTrainReport& report() const;

 private:
  struct Impl;
  explicit SequenceModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::ml::sequence
