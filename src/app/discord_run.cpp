#include "app/discord_run.h"

#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "notify/interactions.h"

namespace winiswin {
namespace {

const char* from_process(const char* name) { return std::getenv(name); }

}  // namespace

Result<std::unique_ptr<DiscordRun>> DiscordRun::from_environment(std::string mode, bool model_loaded, bool serving_http) {
  std::unique_ptr<DiscordRun> run(new DiscordRun(std::move(mode), model_loaded));
  WINISWIN_TRY(std::optional<notify::DiscordDelivery> delivery, notify::delivery_from_environment(from_process));
  if (delivery) {
    spdlog::info("discord: notifications to {}", delivery->describe());
    run->notifier_ = std::make_unique<notify::Notifier>(std::move(*delivery));
    run->notifier_->start();
  }
  WINISWIN_TRY(std::optional<notify::InteractionSettings> settings, notify::interaction_settings_from_environment(from_process));
  if (settings) {
    if (!serving_http) spdlog::warn("discord: DISCORD_PUBLIC_KEY is set but --http is not: slash commands need the ops server");
    if (settings->allowed_users.empty()) spdlog::warn("discord: DISCORD_ALLOWED_USERS is empty: every slash command is refused");
    run->interactions_ = std::make_shared<notify::InteractionHandler>(std::move(*settings));
  }
  return run;
}

DiscordRun::~DiscordRun() {
  if (notifier_) notifier_->stop();  // up to its drain time for what is still queued
}

journal::Recorder& DiscordRun::record_into(journal::Recorder& journal) {
  if (!notifier_) return journal;
  if (recorder_) throw std::logic_error("DiscordRun::record_into called twice");
  recorder_ = std::make_unique<notify::NotifyingRecorder>(journal, *notifier_, notify::NotifyingRecorderOptions{.model_loaded = model_loaded_});
  return *recorder_;
}

std::vector<ops::OpsRoute> DiscordRun::interactions_routes(const ops::StatusBoard& board) const {
  if (!interactions_) return {};
  return {notify::interactions_route(interactions_, board)};
}

ops::NotificationSource DiscordRun::notification_source() const {
  if (!notifier_) return {};
  const notify::Notifier* notifier = notifier_.get();
  return [notifier] { return std::optional<ops::NotificationCounters>(notifier->counters()); };
}

void DiscordRun::after_round(const engine::LiveRunner& runner, Timestamp exchange_now) {
  if (!notifier_) return;
  if (recorder_) recorder_->on_clock(exchange_now);
  std::vector<notify::OpenTradeSeen> open;
  for (const auto& trade : runner.trader().executor().open_trades()) open.push_back({trade.record, trade.quantity.to_double(), trade.filled});
  for (std::string& text : opens_.observe(open)) notifier_->post(notify::Importance::kMatters, std::move(text));
}

void DiscordRun::started(std::size_t symbols) {
  if (notifier_) notifier_->post(notify::Importance::kMatters, fmt::format("▶️ **winiswin {} started**: {} symbols watched", mode_, symbols));
}

void DiscordRun::stopped(int decisions) {
  if (notifier_) notifier_->post(notify::Importance::kMatters, fmt::format("⏹️ **winiswin {} stopped** after {} decisions", mode_, decisions));
}

}  // namespace winiswin
