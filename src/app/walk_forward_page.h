// walk_forward.html: the walk-forward as one self-contained page — the printed summary, AUC
// per test month against 0.5, each month's return with and without the model, the
// calibration pooled over the months, and the per-month and per-feature tables. Inline SVG,
// no script: it opens anywhere and two runs give the same bytes.
#pragma once

#include <string>
#include <vector>

#include "app/walk_forward_output.h"

namespace winiswin {

std::string walk_forward_page(const std::vector<FoldResult>& folds, const std::string& title, const std::string& summary);

}  // namespace winiswin
