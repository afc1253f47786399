#include "engine/decision_cycle.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace winiswin::engine {

std::optional<strategy::Signal> rescored_signal(const Candidate& candidate, const HeldTrade& held) {
  if (candidate.snapshot == nullptr) return std::nullopt;
  const strategy::MarketSnapshot& snapshot = *candidate.snapshot;
  const Price now = snapshot.last_price;
  const bool is_long = held.side == Side::kBuy;
  const bool inside = is_long ? held.stop < now && now < held.target : held.target < now && now < held.stop;
  if (!inside) return std::nullopt;
  strategy::Signal signal;
  signal.symbol = snapshot.symbol;
  signal.time = snapshot.time;
  signal.side = held.side;
  signal.entry = now;
  signal.stop = held.stop;
  signal.target = held.target;
  const bool scored_for_side = candidate.score != nullptr && candidate.score->side == held.side;
  signal.confidence = scored_for_side ? candidate.score->confidence : held.entry_confidence;
  signal.components.trend = scored_for_side ? candidate.score->components.trend : held.entry_trend;
  signal.features = strategy::build_features(snapshot, signal);
  return signal;
}

Result<std::vector<ModelExit>> DecisionCycle::held_exits(Timestamp decision, std::span<const Candidate> candidates,
                                                         std::span<const HeldTrade> held) {
  std::vector<ModelExit> exits;
  if (!config_.exit_below || held.empty() || model_.passes_confidence_through()) return exits;
  batch_.clear();
  batch_candidates_.clear();
  for (const HeldTrade& trade : held) {
    if (trade.candidate >= candidates.size() || candidates[trade.candidate].snapshot == nullptr ||
        candidates[trade.candidate].snapshot->time != decision) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("model exit at {}: a held trade without a candidate of this close", format_utc(decision)));
    }
    std::optional<strategy::Signal> signal = rescored_signal(candidates[trade.candidate], trade);
    if (!signal) continue;
    batch_.push_back(std::move(*signal));
    batch_candidates_.push_back(trade.candidate);
  }
  if (batch_.empty()) return exits;
  scores_.assign(batch_.size(), 0.0);
  probabilities_.assign(batch_.size(), 0.0);
  if (auto status = model_.evaluate(batch_, scores_, probabilities_); !status) {
    return status.error().with_context(fmt::format("model {} re-scoring the open trades", model_.name()));
  }
  for (std::size_t idx = 0; idx < batch_.size(); ++idx) {
    const double probability = probabilities_[idx];
    if (std::isnan(probability) || !(probability < *config_.exit_below)) continue;
    exits.push_back(ModelExit{batch_candidates_[idx], batch_[idx].symbol, probability});
  }
  return exits;
}

DecisionCycle::DecisionCycle(const strategy::Strategy& strategy, const ml::Model& model, CycleConfig config)
    : strategy_(strategy), model_(model), config_(std::move(config)) {}

Result<CycleOutcome> DecisionCycle::run(Timestamp decision, std::span<const Candidate> candidates, AccountView account) {
  for (const Candidate& candidate : candidates) {
    if (candidate.snapshot == nullptr || candidate.instrument == nullptr || candidate.snapshot->time != decision) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("decision cycle at {}: a candidate without snapshot or instrument, or of another time",
                                    format_utc(decision)));
    }
  }
  CycleOutcome outcome;
  std::vector<RankedSignal> ranked;
  if (auto status = rank(candidates, ranked); !status) return status.error();
  for (RankedSignal& signal : ranked) allocate(candidates[signal.candidate], signal, account, outcome);
  return outcome;
}

Status DecisionCycle::rank(std::span<const Candidate> candidates, std::vector<RankedSignal>& ranked) {
  order_.clear();
  for (std::size_t idx = 0; idx < candidates.size(); ++idx) {
    const Candidate& candidate = candidates[idx];
    if (!candidate.blocked && candidate.score && candidate.score->confidence >= config_.min_confidence) order_.push_back(idx);
  }
  const auto depth = config_.label_every_signal ? order_.size() : static_cast<std::size_t>(std::max(0, config_.rank_depth));
  const auto propose = [&](std::size_t idx) {
    const Candidate& candidate = candidates[idx];
    return strategy_.propose(*candidate.snapshot, *candidate.score, *candidate.instrument);
  };
  if (model_.passes_confidence_through()) {
    // Ranked on the strategy's confidence; proposed only until the ranks are filled.
    std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
      return strategy::ranks_before(candidates[a].score->confidence, candidates[a].snapshot->symbol,
                                    candidates[b].score->confidence, candidates[b].snapshot->symbol);
    });
    for (const std::size_t idx : order_) {
      if (ranked.size() >= depth) break;
      strategy::Evaluation proposal = propose(idx);
      if (!proposal.signal) continue;  // the tick cannot place it: its rank goes to the next
      const double confidence = proposal.signal->confidence;
      ranked.push_back(RankedSignal{idx, static_cast<int>(ranked.size()) + 1, confidence, std::nullopt, 1.0, std::move(*proposal.signal)});
    }
    return Ok{};
  }
  // Any other model scores every proposed signal in one batch.
  batch_.clear();
  batch_candidates_.clear();
  for (const std::size_t idx : order_) {
    strategy::Evaluation proposal = propose(idx);
    if (!proposal.signal) continue;
    batch_.push_back(std::move(*proposal.signal));
    batch_candidates_.push_back(idx);
  }
  scores_.assign(batch_.size(), 0.0);
  probabilities_.assign(batch_.size(), 0.0);
  if (auto status = model_.evaluate(batch_, scores_, probabilities_); !status) return status.error().with_context(fmt::format("model {}", model_.name()));
  for (std::size_t idx = 0; idx < scores_.size(); ++idx) {
    if (!(scores_[idx] >= 0.0 && scores_[idx] <= 1.0)) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("model {} scored {} as {}: scores must lie in [0, 1]", model_.name(), batch_[idx].symbol, scores_[idx]));
    }
  }
  if (auto status = read_size_scales(); !status) return status;
  order_.resize(batch_.size());
  for (std::size_t idx = 0; idx < order_.size(); ++idx) order_[idx] = idx;
  std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
    return strategy::ranks_before(scores_[a], batch_[a].symbol, scores_[b], batch_[b].symbol);
  });
  for (std::size_t at = 0; at < order_.size() && at < depth; ++at) {
    const std::size_t idx = order_[at];
    const double probability = probabilities_[idx];
    ranked.push_back(RankedSignal{batch_candidates_[idx], static_cast<int>(at) + 1, scores_[idx],
                                  std::isnan(probability) ? std::nullopt : std::optional<double>(probability), size_scales_[idx],
                                  std::move(batch_[idx])});
  }
  return Ok{};
}

// The model's size factors for batch_: read only from a model that scales size, so every other
// model's cycle does what it did before (all 1, no call).
Status DecisionCycle::read_size_scales() {
  size_scales_.assign(batch_.size(), 1.0);
  if (!model_.scales_size()) return Ok{};
  if (auto status = model_.size_scales(batch_, size_scales_); !status) {
    return status.error().with_context(fmt::format("model {} sizing the batch", model_.name()));
  }
  for (std::size_t idx = 0; idx < size_scales_.size(); ++idx) {
    if (!(size_scales_[idx] > 0.0 && size_scales_[idx] <= 1.0)) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("model {} scaled {}'s size by {}: size scales must lie in (0, 1]",
                                                                 model_.name(), batch_[idx].symbol, size_scales_[idx]));
    }
  }
  return Ok{};
}

void DecisionCycle::allocate(const Candidate& candidate, RankedSignal& ranked, AccountView& account, CycleOutcome& outcome) const {
  const auto make_virtual = [&] {
    if (config_.opens_virtual(ranked.rank)) outcome.virtuals.push_back(std::move(ranked));
  };
  // Past rank_depth (label_every_signal only): labels, never real.
  if (ranked.rank > config_.rank_depth || static_cast<int>(outcome.real.size()) >= config_.top_k) return make_virtual();
  const strategy::Signal& signal = ranked.signal;
  const auto refuse = [&](std::string limit, std::string reason) {
    outcome.refusals.push_back(Refusal{ranked.candidate, ranked.rank, signal.symbol, std::move(limit), std::move(reason)});
    make_virtual();
  };
  if (config_.min_probability && ranked.ml_probability && *ranked.ml_probability < *config_.min_probability) {
    return refuse("model_veto", fmt::format("the model's win probability {:.4f} is below min_probability {}", *ranked.ml_probability,
                                            *config_.min_probability));
  }
  if (account.state == risk::TradingState::kShutdown) {
    return refuse(std::string(risk::name_of(risk::Refusal::kTradingState)),
                  fmt::format("{} takes no new exposure", risk::name_of(account.state)));
  }
  if (!account.venue_available) {
    return refuse(std::string(risk::name_of(risk::Refusal::kCircuitBreaker)),
                  "the venue's circuit breaker holds new orders back (back-off after failed calls, or EMERGENCY)");
  }
  risk::SizingRequest request;
  request.instrument = candidate.instrument;
  request.side = signal.side;
  request.confidence = config_.size_by_model_score && ranked.ml_probability ? ranked.model_score : signal.confidence;
  request.entry = signal.entry;
  request.stop = signal.stop;
  request.atr = candidate.snapshot->quarter.atr;
  request.normal_atr = candidate.snapshot->normal_atr;
  request.win_rate = account.win_rate;
  request.taker_fee = config_.taker_fee;
  request.size_scale = ranked.size_scale;
  const risk::SizingDecision sized =
      risk::size_position(request, risk::AccountSnapshot{account.equity, account.available, account.state}, candidate.brackets,
                          config_.sizing);
  if (!sized.intent) return refuse(std::string(risk::name_of(sized.refusal)), sized.reason);
  const risk::SizingDecision limited = risk::apply_account_limits(
      *sized.intent, *candidate.instrument, risk::AccountExposure{account.equity, account.day_start_equity, account.positions},
      config_.limits);
  if (!limited.intent) return refuse(std::string(risk::name_of(limited.refusal)), limited.reason);
  const risk::OrderIntent& intent = *limited.intent;
  // Pending from now on: the next ranks are limited with it (count, exposure, margin).
  account.available = intent.margin < account.available ? account.available - intent.margin : Notional{};
  account.positions.push_back(risk::OpenPosition{intent.symbol, intent.notional, true});
  outcome.real.push_back(RealEntry{std::move(ranked), intent});
}

}  // namespace winiswin::engine
