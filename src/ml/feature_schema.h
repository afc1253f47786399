// The feature schema a model was trained on: the names of its columns, in order, and the
// feature version (strategy/signal.h). A model file carries both; a model whose schema
// differs from the one this build computes is refused, never silently fed other columns.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace winiswin::ml {

struct FeatureSchema {
  int version = 0;
  std::vector<std::string> names;
};

// What this build computes: strategy::kFeatureVersion and kFeatureNames.
FeatureSchema current_schema();

// Ok when `found` equals this build's schema; else an error naming the first difference
// and what to do. `where` names the model (its file).
Status check_schema(const FeatureSchema& found, const std::string& where);

}  // namespace winiswin::ml
