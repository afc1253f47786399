#include "ml/sequence/sequence_fold.h"

#include <algorithm>

namespace winiswin::ml::sequence {

SequenceSet window_set(const BarWindows& windows, std::span<const DecisionRow> rows, std::span<const std::size_t> picked, bool labelled,
                       std::array<std::size_t, kWindowMissKinds>& missing, std::vector<std::size_t>* kept) {
  const std::size_t per_row = windows.length() * kChannelCount;
  SequenceSet set{windows.length(), kChannelCount, {}, {}};
  set.values.reserve(picked.size() * per_row);
  for (std::size_t position = 0; position < picked.size(); ++position) {
    const DecisionRow& row = rows[picked[position]];
    const WindowLookup lookup = windows.locate(row.symbol, row.decided);
    if (lookup.miss != WindowMiss::kNone) {
      ++missing[static_cast<std::size_t>(lookup.miss)];
      continue;
    }
    set.values.resize(set.values.size() + per_row);
    windows.fill(lookup.ref, row.side, std::span<float>(set.values).last(per_row));
    if (labelled) set.wins.push_back(row.win ? 1 : 0);
    if (kept != nullptr) kept->push_back(position);
  }
  return set;
}

Result<FoldPrediction> predict_fold(const BarWindows& windows, std::span<const DecisionRow> rows, std::span<const std::size_t> train,
                                    std::span<const std::size_t> test, const SequenceTrainConfig& config) {
  FoldPrediction fold;
  const SequenceSet training = window_set(windows, rows, train, true, fold.train_missing);
  WINISWIN_TRY(SequenceModel model, SequenceModel::train(training, config));
  fold.report = model.report();
  fold.model = std::make_shared<const SequenceModel>(std::move(model));
  const auto wins = static_cast<std::size_t>(std::count_if(train.begin(), train.end(), [&](std::size_t index) { return rows[index].win; }));
  fold.base_rate = train.empty() ? 0.0 : static_cast<double>(wins) / static_cast<double>(train.size());
  std::vector<std::size_t> kept;
  const SequenceSet testing = window_set(windows, rows, test, false, fold.test_missing, &kept);
  WINISWIN_TRY(const std::vector<double> predicted, fold.model->predict(testing));
  fold.probability.assign(test.size(), fold.base_rate);
  for (std::size_t at = 0; at < kept.size(); ++at) fold.probability[kept[at]] = predicted[at];
  return fold;
}

}  // namespace winiswin::ml::sequence
