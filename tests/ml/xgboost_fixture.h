// Tiny XGBoost models trained in the tests through the C API itself (not through winiswin's
// trainer), so the model's loading and predictions are checked against libxgboost alone.
#pragma once

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ml/xgboost_api.h"
#include "ml/xgboost_model.h"
#include "strategy/signal.h"

namespace winiswin::ml::testing {

// Rows of the 28 features, row-major, from a fixed seed; some cells missing (NaN).
inline std::vector<float> random_rows(std::size_t count, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> rows(count * strategy::kFeatureCount);
  for (std::size_t idx = 0; idx < rows.size(); ++idx) rows[idx] = idx % 97 == 5 ? std::numeric_limits<float>::quiet_NaN() : normal(random);
  return rows;
}

// Wins where a few features say so, plus noise: something for trees to find.
inline std::vector<float> labels_of(const std::vector<float>& rows, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
  std::vector<float> labels;
  for (std::size_t at = 0; at < rows.size(); at += strategy::kFeatureCount) {
    const float value = rows[at + 6] + 0.5f * rows[at + 15] - 0.3f * rows[at + 20] + noise(random);
    labels.push_back(value > 0.3f ? 1.0f : 0.0f);
  }
  return labels;
}

struct TinyModel {
  int feature_version = strategy::kFeatureVersion;
  std::vector<std::string> names{strategy::kFeatureNames.begin(), strategy::kFeatureNames.end()};
  bool with_version = true;
  int rounds = 20;
};

// Trains on 500 rows and saves the model as JSON to `file`.
inline void train_tiny_model(const std::filesystem::path& file, const TinyModel& spec = {}) {
  const std::vector<float> rows = random_rows(500, 7);
  const std::vector<float> labels = labels_of(rows, 8);
  xgb::Matrix train = xgb::matrix(rows, strategy::kFeatureCount).value();
  ASSERT_TRUE(xgb::set_labels(train.get(), labels).ok());
  const DMatrixHandle handles[] = {train.get()};
  xgb::Booster booster = xgb::make_booster(handles).value();
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"objective", "binary:logistic"}, {"max_depth", "3"}, {"eta", "0.3"}, {"nthread", "1"}, {"seed", "1"}}) {
    ASSERT_TRUE(xgb::set_param(booster.get(), name, value).ok());
  }
  for (int round = 0; round < spec.rounds; ++round) {
    ASSERT_EQ(XGBoosterUpdateOneIter(booster.get(), round, train.get()), 0) << XGBGetLastError();
  }
  ASSERT_TRUE(xgb::set_feature_names(booster.get(), spec.names).ok());
  if (spec.with_version) {
    ASSERT_TRUE(xgb::set_attr(booster.get(), kFeatureVersionAttribute, std::to_string(spec.feature_version)).ok());
  }
  ASSERT_EQ(XGBoosterSaveModel(booster.get(), file.c_str()), 0) << XGBGetLastError();
}

// libxgboost's own prediction of `rows` by a model file: loaded afresh, through a DMatrix
// (XGBoosterPredict), not the in-place path the model uses.
inline std::vector<float> libxgboost_predictions(const std::filesystem::path& file, const std::vector<float>& rows) {
  xgb::Booster booster = xgb::make_booster({}).value();
  EXPECT_EQ(XGBoosterLoadModel(booster.get(), file.c_str()), 0) << XGBGetLastError();
  xgb::Matrix matrix = xgb::matrix(rows, strategy::kFeatureCount).value();
  bst_ulong length = 0;
  const float* values = nullptr;
  EXPECT_EQ(XGBoosterPredict(booster.get(), matrix.get(), 0, 0, 0, &length, &values), 0) << XGBGetLastError();
  return std::vector<float>(values, values + length);
}

}  // namespace winiswin::ml::testing
