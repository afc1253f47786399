#include "notify/notifying_recorder.h"

#include <algorithm>

namespace winiswin::notify {
namespace {

constexpr Milliseconds kDay{86'400'000};
constexpr double kRearmFraction = 0.8;  // a drawdown warning is given again after recovering to 80 % of the threshold

Timestamp day_of(Timestamp time) { return Timestamp{time.time_since_epoch() - time.time_since_epoch() % kDay}; }

}  // namespace

NotifyingRecorder::NotifyingRecorder(journal::Recorder& journal, MessageSink& sink, NotifyingRecorderOptions options)
    : journal_(journal), sink_(sink), options_(options) {}

Status NotifyingRecorder::trade(const journal::TradeRecord& row) {
  Status written = journal_.trade(row);
  sink_.post(Importance::kMatters, trade_closed_text(row));
  roll_day(row.exit_time);
  DailyReport& day = *today_;
  ++day.trades;
  const bool won = row.pnl > 0.0;
  day.wins += won ? 1 : 0;
  day.pnl += row.pnl;
  if (row.ml_probability) {
    ++day.scored_trades;
    day.probability_sum += *row.ml_probability;
    day.scored_wins += won ? 1 : 0;
    const double error = *row.ml_probability - (won ? 1.0 : 0.0);
    day.brier_sum += error * error;
  }
  return written;
}

Status NotifyingRecorder::equity(const journal::EquityPoint& row) {
  Status written = journal_.equity(row);
  roll_day(row.time);
  watch_drawdown(row);
  today_->equity = row.equity;
  return written;
}

Status NotifyingRecorder::transition(const risk::StateTransition& row) {
  Status written = journal_.transition(row);
  sink_.post(Importance::kMatters, state_change_text(row));
  return written;
}

Status NotifyingRecorder::breaker(const journal::BreakerEvent& row) {
  Status written = journal_.breaker(row);
  sink_.post(Importance::kMatters, breaker_text(row));
  return written;
}

void NotifyingRecorder::watch_drawdown(const journal::EquityPoint& point) {
  peak_ = std::max(peak_, point.equity);
  if (peak_ <= 0.0) return;
  const double drawdown = 1.0 - point.equity / peak_;
  today_->max_drawdown = std::max(today_->max_drawdown, drawdown);
  if (!drawdown_warned_ && drawdown > options_.drawdown_warning) {
    drawdown_warned_ = true;
    sink_.post(Importance::kMatters, drawdown_warning_text(drawdown, point.equity, peak_, options_.drawdown_warning));
  } else if (drawdown_warned_ && drawdown < options_.drawdown_warning * kRearmFraction) {
    drawdown_warned_ = false;
  }
}

void NotifyingRecorder::on_clock(Timestamp exchange_now) {
  if (!today_ || exchange_now < today_->day + kDay + kLateReport) return;
  roll_day(exchange_now);
}

// The report of the day that ended, once a row of a later day comes.
void NotifyingRecorder::roll_day(Timestamp time) {
  const Timestamp day = day_of(time);
  if (today_ && day <= today_->day) return;
  if (today_) sink_.post(Importance::kRoutine, daily_report_text(*today_));
  DailyReport next;
  next.day = day;
  next.model_loaded = options_.model_loaded;
  next.equity = today_ ? today_->equity : 0.0;
  today_ = next;
}

}  // namespace winiswin::notify
