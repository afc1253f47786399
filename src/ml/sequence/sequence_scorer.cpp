#include "ml/sequence/sequence_scorer.h"

#include "ml/blend.h"

namespace winiswin::ml::sequence {

SequenceScorer::SequenceScorer(std::string name, std::shared_ptr<const BarWindows> windows, std::shared_ptr<const SequenceModel> model,
                               double base_rate, double model_weight)
    : name_(std::move(name)), windows_(std::move(windows)), model_(std::move(model)), base_rate_(base_rate), model_weight_(model_weight) {}

void SequenceScorer::remember(std::string_view symbol, Side side, Timestamp decided, double probability) {
  known_[Key{std::string(symbol), side, decided}] = probability;
}

Status SequenceScorer::evaluate(std::span<const strategy::Signal> batch, std::span<double> scores, std::span<double> probabilities) const {
  // The signals neither remembered nor windowless, run through the network in one batch.
  const std::size_t per_row = windows_->length() * kChannelCount;
  SequenceSet unknown{windows_->length(), kChannelCount, {}, {}};
  std::vector<std::size_t> unknown_at;
  for (std::size_t at = 0; at < batch.size(); ++at) {
    const strategy::Signal& signal = batch[at];
    if (const auto found = known_.find(Key{signal.symbol, signal.side, signal.time}); found != known_.end()) {
      probabilities[at] = found->second;
      continue;
    }
    const WindowLookup lookup = windows_->locate(signal.symbol, signal.time);
    probabilities[at] = base_rate_;
    if (lookup.miss != WindowMiss::kNone) continue;
    unknown.values.resize(unknown.values.size() + per_row);
    windows_->fill(lookup.ref, signal.side, std::span<float>(unknown.values).last(per_row));
    unknown_at.push_back(at);
  }
  if (!unknown_at.empty()) {
    WINISWIN_TRY(const std::vector<double> predicted, model_->predict(unknown));
    for (std::size_t row = 0; row < unknown_at.size(); ++row) probabilities[unknown_at[row]] = predicted[row];
  }
  for (std::size_t at = 0; at < batch.size(); ++at) scores[at] = blended_score(probabilities[at], batch[at].confidence, model_weight_);
  return Ok{};
}

}  // namespace winiswin::ml::sequence
