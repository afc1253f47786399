#include "report/drawdown_periods.h"

#include <algorithm>

namespace winiswin::report {
namespace {
bool deeper(const DrawdownPeriod& a, const DrawdownPeriod& b) { return a.depth > b.depth || (a.depth == b.depth && a.peak < b.peak); }
}  // namespace

void DrawdownPeriods::add(Timestamp time, double equity) {
  if (!peak_time_) peak_time_ = time;  // the starting equity's peak stands at the first point
  if (equity >= peak_) {
    if (open_) {
      open_->recovered = time;
      keep(*open_);
      open_.reset();
    }
    peak_ = equity;
    peak_time_ = time;
    return;
  }
  const double depth = peak_ > 0 ? 1.0 - equity / peak_ : 0.0;
  if (!open_) open_ = DrawdownPeriod{*peak_time_, time, std::nullopt, depth};
  if (depth > open_->depth) {
    open_->depth = depth;
    open_->trough = time;
  }
}

void DrawdownPeriods::keep(const DrawdownPeriod& period) {
  kept_.insert(std::upper_bound(kept_.begin(), kept_.end(), period, deeper), period);
  if (kept_.size() > kKept) kept_.pop_back();
}

std::vector<DrawdownPeriod> DrawdownPeriods::deepest() const {
  std::vector<DrawdownPeriod> all = kept_;
  if (open_) all.insert(std::upper_bound(all.begin(), all.end(), *open_, deeper), *open_);
  if (all.size() > kKept) all.resize(kKept);
  return all;
}

}  // namespace winiswin::report
