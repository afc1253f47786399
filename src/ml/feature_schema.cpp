#include "ml/feature_schema.h"

#include <fmt/format.h>

#include "strategy/signal.h"

namespace winiswin::ml {

FeatureSchema current_schema() {
  FeatureSchema schema;
  schema.version = strategy::kFeatureVersion;
  schema.names.assign(strategy::kFeatureNames.begin(), strategy::kFeatureNames.end());
  return schema;
}

Status check_schema(const FeatureSchema& found, const std::string& where) {
  const FeatureSchema expected = current_schema();
  const auto refuse = [&](const std::string& what) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: feature schema differs from this build's (v{}, {} features): {}; retrain the model "
                                  "(winiswin ml train) on data sets of this build",
                                  where, expected.version, expected.names.size(), what));
  };
  if (found.version != expected.version) return refuse(fmt::format("the model is of features v{}", found.version));
  if (found.names.size() != expected.names.size()) return refuse(fmt::format("the model has {} features", found.names.size()));
  for (std::size_t idx = 0; idx < found.names.size(); ++idx) {
    if (found.names[idx] != expected.names[idx]) {
      return refuse(fmt::format("feature {} is '{}' in the model, '{}' here", idx, found.names[idx], expected.names[idx]));
    }
  }
  return Ok{};
}

}  // namespace winiswin::ml
