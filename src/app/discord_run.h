// What Discord adds to `winiswin run` when its environment is set (README, "Discord"):
//   DISCORD_WEBHOOK_URL, or DISCORD_TOKEN + DISCORD_CHANNEL_ID   notifications (notify/notifier.h)
//   DISCORD_PUBLIC_KEY (+ DISCORD_ALLOWED_USERS) with --http     slash commands at /discord/interactions
// With none set, record_into() hands back the journal itself and nothing else happens.
// The decision thread calls everything here; the notifier sends from its own thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "engine/live_runner.h"
#include "journal/recorder.h"
#include "notify/interactions.h"
#include "notify/notifier.h"
#include "notify/notifying_recorder.h"
#include "notify/open_trade_watch.h"
#include "ops/ops_server.h"

namespace winiswin {

class DiscordRun {
 public:
  // The settings from the process's environment; kConfig when one is malformed (the run then
  // does not start: a misspelt webhook should not go unnoticed for weeks).
  static Result<std::unique_ptr<DiscordRun>> from_environment(std::string mode, bool model_loaded, bool serving_http);
  ~DiscordRun();

  // What the runner records into: `journal` behind the NotifyingRecorder (once; `journal`
  // must outlive this), or `journal` itself without notifications.
  journal::Recorder& record_into(journal::Recorder& journal);
  // The ops server's routes for Discord's interactions endpoint, answering from `board`
  // (none without DISCORD_PUBLIC_KEY).
  [[nodiscard]] std::vector<ops::OpsRoute> interactions_routes(const ops::StatusBoard& board) const;
  // The notifier's counters for /metrics, read on the HTTP thread (empty without notifications;
  // this must outlive the ops server — it is made first, so it is destroyed after).
  [[nodiscard]] ops::NotificationSource notification_source() const;
  // Each loop round: trades whose entry filled since the last round are announced, and a
  // daily report the bars did not bring by `exchange_now` is sent (notifying_recorder.h).
  void after_round(const engine::LiveRunner& runner, Timestamp exchange_now);
  void started(std::size_t symbols);
  void stopped(int decisions);

 private:
  DiscordRun(std::string mode, bool model_loaded) : mode_(std::move(mode)), model_loaded_(model_loaded) {}

  std::string mode_;
  bool model_loaded_ = false;
  std::unique_ptr<notify::Notifier> notifier_;
  std::unique_ptr<notify::NotifyingRecorder> recorder_;
  notify::OpenTradeWatch opens_;
  std::shared_ptr<const notify::InteractionHandler> interactions_;
};

}  // namespace winiswin
