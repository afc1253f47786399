#include "engine/decision_cycle.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>

#include "ml/blend.h"
#include "support/instruments.h"

namespace winiswin::engine {
namespace {

const Timestamp kClose = timestamp_from_ms(1'767'225'600'000);

// A strategy whose score is the snapshot's preset confidence (kept in `last_price`'s place:
// the cycle is under test here, not the ICT scoring); symbols starting "COARSE" cannot be
// placed on their tick.
class PresetStrategy final : public strategy::Strategy {
 public:
  [[nodiscard]] std::string_view name() const override { return "preset"; }
  [[nodiscard]] strategy::Scoring score(const strategy::MarketSnapshot&) const override { return {}; }
  [[nodiscard]] strategy::Evaluation propose(const strategy::MarketSnapshot& snapshot, const strategy::Score& score,
                                             const Instrument&) const override {
    if (snapshot.symbol.starts_with("COARSE")) return strategy::Evaluation{std::nullopt, "the tick swallows the stop"};
    strategy::Signal signal = strategy::signal_from(snapshot, score, name());
    signal.entry = Price::from_units(100);
    signal.stop = score.side == Side::kBuy ? signal.entry - stop_distance : signal.entry + stop_distance;
    signal.target = score.side == Side::kBuy ? Price::from_units(104) : Price::from_units(96);
    return strategy::Evaluation{signal, ""};
  }
  Price stop_distance = Price::from_units(2);
};

struct Market {
  std::vector<strategy::MarketSnapshot> snapshots;
  std::vector<strategy::Score> scores;
  std::vector<Instrument> instruments;
  std::vector<Candidate> candidates;

  void add(const std::string& symbol, double confidence, bool blocked = false) {
    strategy::MarketSnapshot snapshot;
    snapshot.symbol = symbol;
    snapshot.time = kClose;
    snapshot.last_price = Price::from_units(100);
    snapshots.push_back(snapshot);
    strategy::Score score;
    score.confidence = confidence;
    score.side = snapshots.size() % 2 ? Side::kBuy : Side::kSell;
    scores.push_back(score);
    instruments.push_back(testing::instrument_with(symbol, {"0.01", "1000000", "0.01", "0.001", "100000", "0.001", "100000", "5"}));
    blocked_.push_back(blocked);
  }
  std::span<const Candidate> make() {
    candidates.clear();
    for (std::size_t idx = 0; idx < snapshots.size(); ++idx) {
      candidates.push_back(Candidate{&snapshots[idx], &scores[idx], &instruments[idx], {}, blocked_[idx]});
    }
    return candidates;
  }

 private:
  std::vector<bool> blocked_;
};

AccountView ample_account() {
  AccountView account;
  account.equity = account.available = account.day_start_equity = Notional::from_units(10'000);
  return account;
}

TEST(DecisionCycle, RanksByScoreAndGivesAnUnplaceableRankToTheNext) {
  Market market;
  market.add("AUSDT", 0.60);
  market.add("COARSEUSDT", 0.90);  // best score, but no trade levels
  market.add("BUSDT", 0.80);
  market.add("CUSDT", 0.30);  // below min_confidence
  market.add("DUSDT", 0.95, true);  // holds a position
  market.add("EUSDT", 0.70);
  const PresetStrategy strategy;
  CycleConfig config;
  config.top_k = 1;
  DecisionCycle cycle(strategy, ml::pass_through_model(), config);
  const CycleOutcome outcome = cycle.run(kClose, market.make(), ample_account()).value();
  ASSERT_EQ(outcome.real.size(), 1u);
  EXPECT_EQ(outcome.real[0].ranked.signal.symbol, "BUSDT");
  EXPECT_EQ(outcome.real[0].ranked.rank, 1);
  ASSERT_EQ(outcome.virtuals.size(), 2u);
  EXPECT_EQ(outcome.virtuals[0].signal.symbol, "EUSDT");
  EXPECT_EQ(outcome.virtuals[0].rank, 2);
  EXPECT_EQ(outcome.virtuals[1].signal.symbol, "AUSDT");
  EXPECT_EQ(outcome.virtuals[1].rank, 3);
  EXPECT_TRUE(outcome.refusals.empty());
}

// A model that reverses the strategy's order ranks the batch by its own scores.
class ReversingModel final : public ml::Model {
 public:
  [[nodiscard]] std::string_view name() const override { return "reversing"; }
  [[nodiscard]] Status score(std::span<const strategy::Signal> batch, std::span<double> scores) const override {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) scores[idx] = 1.0 - batch[idx].confidence;
    return Ok{};
  }
};

TEST(DecisionCycle, TheModelsScoresDecideTheRanks) {
  Market market;
  market.add("AUSDT", 0.60);
  market.add("BUSDT", 0.80);
  market.add("CUSDT", 0.70);
  const PresetStrategy strategy;
  const ReversingModel model;
  DecisionCycle cycle(strategy, model, CycleConfig{});
  const CycleOutcome outcome = cycle.run(kClose, market.make(), ample_account()).value();
  ASSERT_EQ(outcome.real.size(), 3u);
  EXPECT_EQ(outcome.real[0].ranked.signal.symbol, "AUSDT");
  EXPECT_NEAR(outcome.real[0].ranked.model_score, 0.4, 1e-12);
  EXPECT_EQ(outcome.real[2].ranked.signal.symbol, "BUSDT");
}

TEST(DecisionCycle, ShutdownRefusesEveryRealEntryWithItsReason) {
  Market market;
  market.add("AUSDT", 0.60);
  market.add("BUSDT", 0.80);
  const PresetStrategy strategy;
  DecisionCycle cycle(strategy, ml::pass_through_model(), CycleConfig{});
  AccountView account = ample_account();
  account.state = risk::TradingState::kShutdown;
  const CycleOutcome outcome = cycle.run(kClose, market.make(), account).value();
  EXPECT_TRUE(outcome.real.empty());
  ASSERT_EQ(outcome.refusals.size(), 2u);
  EXPECT_EQ(outcome.refusals[0].limit, "trading_state");
  EXPECT_EQ(outcome.virtuals.size(), 2u);
}

// While the venue's circuit breaker holds orders back, the real walk refuses with that rule
// and the ranks still become virtual (the ML data does not stop with the venue).
TEST(DecisionCycle, TheCircuitBreakerHoldsRealEntriesBack) {
  Market market;
  market.add("AUSDT", 0.60);
  market.add("BUSDT", 0.80);
  const PresetStrategy strategy;
  DecisionCycle cycle(strategy, ml::pass_through_model(), CycleConfig{});
  AccountView account = ample_account();
  account.venue_available = false;
  const CycleOutcome held = cycle.run(kClose, market.make(), account).value();
  EXPECT_TRUE(held.real.empty());
  ASSERT_EQ(held.refusals.size(), 2u);
  EXPECT_EQ(held.refusals[0].limit, "circuit_breaker");
  EXPECT_EQ(held.refusals[1].limit, "circuit_breaker");
  EXPECT_EQ(held.virtuals.size(), 2u);
  account.venue_available = true;
  EXPECT_EQ(cycle.run(kClose, market.make(), account).value().real.size(), 2u);
}

// A stop so close that the round trip's taker fees exceed max_fee_to_risk of the risk is
// refused with that rule (at 0.05 %: 0.1 of fees per unit against 0.4 of risk at a 2-unit
// stop, 0.1 against 0.1 at 0.1 … refused above 0.2 × risk).
TEST(DecisionCycle, StopsTooCloseForTheFeesAreRefused) {
  Market market;
  market.add("AUSDT", 0.8);
  PresetStrategy strategy;
  CycleConfig config;
  config.taker_fee = Ratio::parse("0.0005").value();
  strategy.stop_distance = Price::parse("0.4").value();  // fees 0.0998 > 0.2 × 0.4 = 0.08
  DecisionCycle tight(strategy, ml::pass_through_model(), config);
  const CycleOutcome refused = tight.run(kClose, market.make(), ample_account()).value();
  ASSERT_EQ(refused.refusals.size(), 1u);
  EXPECT_EQ(refused.refusals[0].limit, "fees_exceed_risk");
  EXPECT_TRUE(refused.real.empty());
  strategy.stop_distance = Price::parse("0.6").value();  // fees 0.0997 ≤ 0.12
  DecisionCycle wider(strategy, ml::pass_through_model(), config);
  EXPECT_EQ(wider.run(kClose, market.make(), ample_account()).value().real.size(), 1u);
}

// Random accounts and candidates: never more real positions (open, pending and new) than
// the limit, every refusal says which limit and why, and the real entries do not depend on
// how many ranks become virtual.
TEST(DecisionCycle, PropertiesOverRandomAccountsAndCandidates) {
  std::mt19937_64 random(20261201);
  const PresetStrategy strategy;
  for (int round = 0; round < 300; ++round) {
    Market market;
    const int symbols = std::uniform_int_distribution<int>(0, 25)(random);
    std::set<std::string> held;
    AccountView account;
    account.equity = Notional::from_units(std::uniform_int_distribution<int>(500, 50'000)(random));
    account.available = Notional::from_units(std::uniform_int_distribution<int>(0, 50'000)(random));
    account.day_start_equity = Notional::from_units(std::uniform_int_distribution<int>(500, 50'000)(random));
    account.state = static_cast<risk::TradingState>(std::uniform_int_distribution<int>(0, 3)(random));
    for (int idx = 0; idx < symbols; ++idx) {
      const std::string symbol = fmt::format("S{:02}USDT", idx);
      const bool holds = std::uniform_int_distribution<int>(0, 5)(random) == 0;
      if (holds) {
        held.insert(symbol);
        account.positions.push_back(risk::OpenPosition{symbol, Notional::from_units(1'000), idx % 2 == 0});
      }
      market.add(symbol, std::uniform_real_distribution<double>(0.0, 1.0)(random), holds);
    }
    CycleConfig config;
    config.top_k = std::uniform_int_distribution<int>(1, 5)(random);
    config.limits.max_open_positions = std::uniform_int_distribution<int>(1, 5)(random);
    const auto outcome_with = [&](int virtual_through) {
      config.virtual_through = virtual_through;
      DecisionCycle cycle(strategy, ml::pass_through_model(), config);
      return cycle.run(kClose, market.make(), account).value();
    };
    const CycleOutcome ten = outcome_with(10), none = outcome_with(0), three = outcome_with(3);
    const int before = static_cast<int>(account.positions.size());
    EXPECT_LE(static_cast<int>(ten.real.size()), config.top_k);
    EXPECT_LE(before + static_cast<int>(ten.real.size()), std::max(before, config.limits.max_open_positions)) << round;
    if (account.state == risk::TradingState::kShutdown) {
      EXPECT_TRUE(ten.real.empty());
    }
    std::vector<int> ranks;
    for (const RealEntry& entry : ten.real) {
      EXPECT_FALSE(held.contains(entry.ranked.signal.symbol));
      EXPECT_GE(entry.ranked.signal.confidence, config.min_confidence);
      ranks.push_back(entry.ranked.rank);
    }
    for (const Refusal& refusal : ten.refusals) {
      EXPECT_FALSE(refusal.limit.empty());
      EXPECT_FALSE(refusal.reason.empty());
    }
    for (const RankedSignal& ranked : ten.virtuals) ranks.push_back(ranked.rank);
    std::sort(ranks.begin(), ranks.end());
    for (std::size_t idx = 0; idx < ranks.size(); ++idx) EXPECT_EQ(ranks[idx], static_cast<int>(idx) + 1);
    EXPECT_TRUE(none.virtuals.empty());
    for (const CycleOutcome* other : {&none, &three}) {
      ASSERT_EQ(other->real.size(), ten.real.size());
      for (std::size_t idx = 0; idx < ten.real.size(); ++idx) {
        EXPECT_EQ(other->real[idx].ranked.signal.symbol, ten.real[idx].ranked.signal.symbol);
        EXPECT_EQ(other->real[idx].intent.quantity, ten.real[idx].intent.quantity);
      }
    }
  }
}


// Sizing gets the 15m ATR, its normal level and the win rate: the volatility breaker caps
// leverage at 5 when ATR > 2 × normal, and "win_rate" leverage follows the account's results.
TEST(DecisionCycle, SizingSeesVolatilityAndTheWinRate) {
  const PresetStrategy strategy;
  const auto leverage_of = [&](double atr, double normal_atr, double win_rate, risk::LeverageMode mode) {
    Market market;
    market.add("AUSDT", 0.9);  // confidence leverage: 3 + 17 · 0.9 = 18.3 → 18
    market.snapshots[0].quarter.atr = atr;
    market.snapshots[0].normal_atr = normal_atr;
    CycleConfig config;
    config.sizing.leverage_mode = mode;
    DecisionCycle cycle(strategy, ml::pass_through_model(), config);
    AccountView account = ample_account();
    account.win_rate = win_rate;
    const CycleOutcome outcome = cycle.run(kClose, market.make(), account).value();
    return outcome.real.empty() ? 0 : outcome.real[0].intent.leverage;
  };
  EXPECT_EQ(leverage_of(1.9, 1.0, 0.5, risk::LeverageMode::kConfidence), 18);
  EXPECT_EQ(leverage_of(2.1, 1.0, 0.5, risk::LeverageMode::kConfidence), 5);   // the breaker
  EXPECT_EQ(leverage_of(2.1, 0.0, 0.5, risk::LeverageMode::kConfidence), 18);  // normal level unknown
  EXPECT_EQ(leverage_of(1.0, 1.0, 0.5, risk::LeverageMode::kWinRate), 3);
  EXPECT_EQ(leverage_of(1.0, 1.0, 0.6, risk::LeverageMode::kWinRate), 11);  // 3 + 17 · 0.5 = 11.5 → 11
  EXPECT_EQ(leverage_of(1.0, 1.0, 0.8, risk::LeverageMode::kWinRate), 20);
}

const ReversingModel kReversingForVeto{};

// A model with a probability of its own: the cycle keeps it beside the blended score.
class ProbabilityModel final : public ml::WinProbabilityModel {
 public:
  [[nodiscard]] std::string_view name() const override { return "probability"; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      probabilities[idx] = 1.0 - batch[idx].confidence;
      scores[idx] = 0.5 * probabilities[idx] + 0.5 * batch[idx].confidence * batch[idx].confidence;
    }
    return Ok{};
  }
};

TEST(DecisionCycle, AModelsProbabilityTravelsWithItsRankedSignal) {
  Market market;
  market.add("AUSDT", 0.60);
  market.add("BUSDT", 0.90);
  const PresetStrategy strategy;
  const ProbabilityModel model;
  DecisionCycle cycle(strategy, model, CycleConfig{});
  const CycleOutcome outcome = cycle.run(kClose, market.make(), ample_account()).value();
  ASSERT_EQ(outcome.real.size(), 2u);
  EXPECT_EQ(outcome.real[0].ranked.signal.symbol, "BUSDT");  // 0.05 + 0.405 against 0.2 + 0.18
  ASSERT_TRUE(outcome.real[0].ranked.ml_probability.has_value());
  EXPECT_NEAR(*outcome.real[0].ranked.ml_probability, 0.1, 1e-12);
  EXPECT_NEAR(outcome.real[0].ranked.model_score, 0.455, 1e-12);
  // Models without one (the pass-through, a model that only scores) leave it empty.
  const ReversingModel reversing;
  DecisionCycle plain(strategy, reversing, CycleConfig{});
  EXPECT_FALSE(plain.run(kClose, market.make(), ample_account()).value().real[0].ranked.ml_probability.has_value());
  DecisionCycle passing(strategy, ml::pass_through_model(), CycleConfig{});
  EXPECT_FALSE(passing.run(kClose, market.make(), ample_account()).value().real[0].ranked.ml_probability.has_value());
}

// A model whose probability is 1 − confidence and whose score is its probability (weight 1)
// or the confidence itself (weight 0): what the veto and the sizing option read.
class WeightedModel final : public ml::WinProbabilityModel {
 public:
  explicit WeightedModel(double weight) : weight_(weight) {}
  [[nodiscard]] std::string_view name() const override { return "weighted"; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      probabilities[idx] = 1.0 - batch[idx].confidence;
      scores[idx] = ml::blended_score(probabilities[idx], batch[idx].confidence, weight_);
    }
    return Ok{};
  }

 private:
  double weight_;
};

// The veto refuses ranks below min_probability in the real walk without taking a slot: the
// next rank trades, and the vetoed one is still a virtual position (a label).
TEST(DecisionCycle, TheVetoRefusesImprobableRanksWhichStayVirtual) {
  Market market;
  market.add("AUSDT", 0.90);  // p 0.10
  market.add("BUSDT", 0.50);  // p 0.50
  market.add("CUSDT", 0.70);  // p 0.30
  market.add("DUSDT", 0.40);  // p 0.60
  const PresetStrategy strategy;
  const WeightedModel by_confidence(0.0);  // ranks as confidence does: A, C, B, D
  CycleConfig config;
  config.top_k = 2;
  config.min_probability = 0.35;
  DecisionCycle cycle(strategy, by_confidence, config);
  const CycleOutcome outcome = cycle.run(kClose, market.make(), ample_account()).value();
  ASSERT_EQ(outcome.real.size(), 2u);
  EXPECT_EQ(outcome.real[0].ranked.signal.symbol, "BUSDT");
  EXPECT_EQ(outcome.real[1].ranked.signal.symbol, "DUSDT");
  ASSERT_EQ(outcome.refusals.size(), 2u);
  EXPECT_EQ(outcome.refusals[0].symbol, "AUSDT");
  EXPECT_EQ(outcome.refusals[0].limit, "model_veto");
  EXPECT_NE(outcome.refusals[0].reason.find("0.1000"), std::string::npos) << outcome.refusals[0].reason;
  EXPECT_EQ(outcome.refusals[1].symbol, "CUSDT");
  ASSERT_EQ(outcome.virtuals.size(), 2u);
  EXPECT_EQ(outcome.virtuals[0].signal.symbol, "AUSDT");
  // A model without a probability is never vetoed; without min_probability nothing is.
  DecisionCycle plain(strategy, kReversingForVeto, config);
  EXPECT_TRUE(plain.run(kClose, market.make(), ample_account()).value().refusals.empty());
  config.min_probability.reset();
  DecisionCycle off(strategy, by_confidence, config);
  const CycleOutcome unvetoed = off.run(kClose, market.make(), ample_account()).value();
  ASSERT_EQ(unvetoed.real.size(), 2u);
  EXPECT_EQ(unvetoed.real[0].ranked.signal.symbol, "AUSDT");
}

// Sizing by the model's score: with weight 0 the score is the confidence, so every intent is
// the same as sizing by confidence; with weight 1 the score is p = 1 − confidence.
TEST(DecisionCycle, SizingByTheModelsScoreReadsTheBlendedScore) {
  const PresetStrategy strategy;
  const auto intent_of = [&](double weight, bool by_score) {
    Market market;
    market.add("AUSDT", 0.9);  // confidence leverage 18; by p = 0.1: 3 + 1.7 → 4
    CycleConfig config;
    config.size_by_model_score = by_score;
    const WeightedModel model(weight);
    DecisionCycle cycle(strategy, model, config);
    const CycleOutcome outcome = cycle.run(kClose, market.make(), ample_account()).value();
    return outcome.real.empty() ? risk::OrderIntent{} : outcome.real[0].intent;
  };
  const risk::OrderIntent by_confidence = intent_of(0.0, false);
  const risk::OrderIntent by_equal_score = intent_of(0.0, true);
  EXPECT_EQ(by_confidence.leverage, 18);
  EXPECT_EQ(by_equal_score.leverage, by_confidence.leverage);
  EXPECT_EQ(by_equal_score.quantity, by_confidence.quantity);
  EXPECT_EQ(by_equal_score.size_fraction, by_confidence.size_fraction);
  EXPECT_EQ(intent_of(1.0, false).leverage, 18);
  EXPECT_EQ(intent_of(1.0, true).leverage, 4);
  EXPECT_LT(intent_of(1.0, true).size_fraction, by_confidence.size_fraction);
}

// A model scoring by confidence that halves the size of the symbols it is told to (or scales
// every signal by `scale`), and says so only when `scales` is set.
class ScalingModel final : public ml::WinProbabilityModel {
 public:
  ScalingModel(bool scales, std::string halved, double scale = 1.0) : scales_(scales), halved_(std::move(halved)), scale_(scale) {}
  [[nodiscard]] std::string_view name() const override { return "scaling"; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) scores[idx] = probabilities[idx] = batch[idx].confidence;
    return Ok{};
  }
  [[nodiscard]] bool scales_size() const override { return scales_; }
  [[nodiscard]] Status size_scales(std::span<const strategy::Signal> batch, std::span<double> scales) const override {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) scales[idx] = batch[idx].symbol == halved_ ? 0.5 : scale_;
    return Ok{};
  }

 private:
  bool scales_;
  std::string halved_;
  double scale_;
};

// The model's size scale multiplies the risk-sized quantity of its signal only (step-rounded
// down); scales of 1, or a model that does not scale, size every position as before.
TEST(DecisionCycle, AModelsSizeScaleHalvesThatSignalsPositionOnly) {
  const PresetStrategy strategy;
  const auto intents_of = [&](const ml::Model& model) {
    Market market;
    market.add("AUSDT", 0.90);
    market.add("BUSDT", 0.80);
    market.add("CUSDT", 0.70);
    DecisionCycle cycle(strategy, model, CycleConfig{});
    std::map<std::string, risk::OrderIntent> intents;
    const CycleOutcome outcome = cycle.run(kClose, market.make(), ample_account()).value();
    for (const RealEntry& entry : outcome.real) intents[entry.intent.symbol] = entry.intent;
    return intents;
  };
  const auto plain = intents_of(ScalingModel(false, "BUSDT"));
  const auto ones = intents_of(ScalingModel(true, "none"));
  const auto halved = intents_of(ScalingModel(true, "BUSDT"));
  ASSERT_EQ(plain.size(), 3u);
  ASSERT_EQ(ones.size(), 3u);
  ASSERT_EQ(halved.size(), 3u);
  const Quantity step = Quantity::from_raw(100'000);  // the instruments' 0.001
  for (const auto& [symbol, intent] : plain) {
    EXPECT_EQ(ones.at(symbol).quantity, intent.quantity) << symbol;
    EXPECT_EQ(ones.at(symbol).notional, intent.notional) << symbol;
    if (symbol == "BUSDT") continue;
    EXPECT_EQ(halved.at(symbol).quantity, intent.quantity) << symbol;
  }
  const Quantity full = plain.at("BUSDT").quantity, half = halved.at("BUSDT").quantity;
  // half = step-floor(Q / 2) with Q in [full, full + step): within a step below full / 2, at most half a step above.
  EXPECT_LE(2 * half.raw(), full.raw() + step.raw());
  EXPECT_GT(2 * half.raw(), full.raw() - 2 * step.raw());
  EXPECT_EQ(half.raw() % step.raw(), 0);
  EXPECT_EQ(halved.at("BUSDT").leverage, plain.at("BUSDT").leverage);
}

TEST(DecisionCycle, ASizeScaleOutsideZeroToOneIsAnError) {
  const PresetStrategy strategy;
  Market market;
  market.add("AUSDT", 0.90);
  for (const double bad : {0.0, 1.5, std::nan("")}) {
    const ScalingModel model(true, "none", bad);
    DecisionCycle cycle(strategy, model, CycleConfig{});
    const auto outcome = cycle.run(kClose, market.make(), ample_account());
    ASSERT_FALSE(outcome.ok()) << bad;
    EXPECT_NE(outcome.error().message.find("size scales must lie in (0, 1]"), std::string::npos) << outcome.error().message;
  }
}

const ReversingModel kReversing{};

// Labelling every signal ranks them all; the real walk and its refusals are those of a run
// without it, and every rank that is not real becomes virtual.
TEST(DecisionCycle, LabellingEverySignalKeepsTheRealWalkAndLabelsEveryOtherRank) {
  Market market;
  for (int idx = 0; idx < 14; ++idx) market.add(fmt::format("S{:02}USDT", idx), 0.40 + 0.04 * idx);
  market.add("COARSEUSDT", 0.99);  // cannot be placed: never ranked
  market.add("LOWUSDT", 0.20);     // below min_confidence
  const PresetStrategy strategy;
  CycleConfig config;
  config.top_k = 2;
  config.rank_depth = 5;
  config.virtual_through = 4;
  for (const ml::Model* model : {static_cast<const ml::Model*>(&ml::pass_through_model()), static_cast<const ml::Model*>(&kReversing)}) {
    DecisionCycle usual(strategy, *model, config);
    const AccountView account = ample_account();
    const CycleOutcome without = usual.run(kClose, market.make(), account).value();
    CycleConfig every = config;
    every.label_every_signal = true;
    DecisionCycle labelling(strategy, *model, every);
    const CycleOutcome with = labelling.run(kClose, market.make(), account).value();
    ASSERT_EQ(with.real.size(), 2u);
    ASSERT_EQ(without.real.size(), 2u);
    for (std::size_t idx = 0; idx < with.real.size(); ++idx) EXPECT_EQ(with.real[idx].ranked.signal.symbol, without.real[idx].ranked.signal.symbol);
    ASSERT_EQ(with.refusals.size(), without.refusals.size());
    // Ranks 1–4 as before, then every other proposed signal: 14 ranked, 2 real, 12 virtual.
    ASSERT_EQ(with.virtuals.size(), 12u);
    for (std::size_t idx = 0; idx < without.virtuals.size(); ++idx) EXPECT_EQ(with.virtuals[idx].signal.symbol, without.virtuals[idx].signal.symbol);
    EXPECT_EQ(with.virtuals.back().rank, 14);
    std::set<std::string> labelled;
    for (const RankedSignal& ranked : with.virtuals) labelled.insert(ranked.signal.symbol);
    for (const RealEntry& entry : with.real) labelled.insert(entry.ranked.signal.symbol);
    EXPECT_EQ(labelled.size(), 14u);
    EXPECT_FALSE(labelled.contains("LOWUSDT"));
  }
}

// The chance a driftless walk reaches the target before the stop, stop distance over both,
// read from the features the model exit builds: a model whose probability moves with the
// price, as an updated win probability should.
class DistanceModel final : public ml::WinProbabilityModel {
 public:
  [[nodiscard]] std::string_view name() const override { return "distance"; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override {
    for (std::size_t idx = 0; idx < batch.size(); ++idx) {
      const double stop = batch[idx].features[kStopFeature], target = batch[idx].features[kTargetFeature];
      probabilities[idx] = scores[idx] = stop / (stop + target);
    }
    return Ok{};
  }
  static constexpr std::size_t kStopFeature = 13, kTargetFeature = 14;  // stop_distance_pct, target_distance_pct
};

// Open longs with stop 98 and target 104, each on a symbol whose close is now `price`.
struct Held {
  Market market;
  std::vector<HeldTrade> trades;
  void add(const std::string& symbol, double price, Side scored_side = Side::kBuy) {
    market.add(symbol, 0.6, true);
    market.snapshots.back().last_price = Price::from_double(price).value();
    market.scores.back().side = scored_side;
    market.scores.back().components.trend = 0.7;
    trades.push_back(HeldTrade{trades.size(), Side::kBuy, Price::from_units(98), Price::from_units(104), 0.45, 0.25});
  }
};

TEST(DecisionCycle, TheModelExitClosesHeldTradesWhoseUpdatedProbabilityFellBelowTheThreshold) {
  static_assert(strategy::kFeatureNames[DistanceModel::kStopFeature] == "stop_distance_pct");
  static_assert(strategy::kFeatureNames[DistanceModel::kTargetFeature] == "target_distance_pct");
  Held held;
  held.add("AUSDT", 100.0);  // p = 2 / 6
  held.add("BUSDT", 99.0);   // p = 1 / 6: below 0.25
  held.add("CUSDT", 103.0);  // p = 5 / 6
  held.add("DUSDT", 98.0);   // at its stop: left to the stop order
  held.add("EUSDT", 98.5);   // p = 0.5 / 6
  const PresetStrategy strategy;
  const DistanceModel model;
  CycleConfig config;
  config.exit_below = 0.25;
  DecisionCycle cycle(strategy, model, config);
  const std::span<const Candidate> candidates = held.market.make();
  const std::vector<ModelExit> exits = cycle.held_exits(kClose, candidates, held.trades).value();
  ASSERT_EQ(exits.size(), 2u);
  EXPECT_EQ(exits[0].symbol, "BUSDT");
  EXPECT_NEAR(exits[0].probability, 1.0 / 6.0, 1e-9);
  EXPECT_EQ(exits[0].candidate, 1u);
  EXPECT_EQ(exits[1].symbol, "EUSDT");
  // Deterministic: the same exits again.
  const std::vector<ModelExit> again = cycle.held_exits(kClose, candidates, held.trades).value();
  ASSERT_EQ(again.size(), exits.size());
  for (std::size_t idx = 0; idx < again.size(); ++idx) EXPECT_EQ(again[idx].probability, exits[idx].probability);
  // Never without exit_below, without a model's probability, or with the pass-through.
  DecisionCycle off(strategy, model, CycleConfig{});
  EXPECT_TRUE(off.held_exits(kClose, candidates, held.trades).value().empty());
  DecisionCycle scores_only(strategy, kReversingForVeto, config);
  EXPECT_TRUE(scores_only.held_exits(kClose, candidates, held.trades).value().empty());
  DecisionCycle passing(strategy, ml::pass_through_model(), config);
  EXPECT_TRUE(passing.held_exits(kClose, candidates, held.trades).value().empty());
  // A held trade pointing at no candidate of this close is the caller's mistake.
  std::vector<HeldTrade> stray = held.trades;
  stray[0].candidate = 99;
  EXPECT_FALSE(cycle.held_exits(kClose, candidates, stray).ok());
}

// The signal re-scored: the trade's side and levels, entry at this close; the strategy's
// confidence and trend now where it scores the trade's side, the trade's own where it has turned.
TEST(DecisionCycle, TheRescoredSignalIsAFreshProposalAtTheTradesLevels) {
  Held held;
  held.add("AUSDT", 101.0, Side::kBuy);
  held.add("BUSDT", 101.0, Side::kSell);
  const std::span<const Candidate> candidates = held.market.make();
  const std::optional<strategy::Signal> same = rescored_signal(candidates[0], held.trades[0]);
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->side, Side::kBuy);
  EXPECT_EQ(same->time, kClose);
  EXPECT_EQ(same->entry, Price::from_units(101));
  EXPECT_EQ(same->stop, Price::from_units(98));
  EXPECT_EQ(same->target, Price::from_units(104));
  EXPECT_NEAR(same->features[13], 100.0 * 3.0 / 101.0, 1e-9);  // stop_distance_pct from here
  EXPECT_NEAR(same->features[14], 100.0 * 3.0 / 101.0, 1e-9);
  EXPECT_DOUBLE_EQ(same->confidence, 0.6);
  EXPECT_DOUBLE_EQ(same->features[24], 0.7);  // trend_strength
  const std::optional<strategy::Signal> turned = rescored_signal(candidates[1], held.trades[1]);
  ASSERT_TRUE(turned.has_value());
  EXPECT_EQ(turned->side, Side::kBuy);
  EXPECT_DOUBLE_EQ(turned->confidence, 0.45);
  EXPECT_DOUBLE_EQ(turned->features[15], 0.45);
  EXPECT_DOUBLE_EQ(turned->features[24], 0.25);
}

}  // namespace
}  // namespace winiswin::engine
