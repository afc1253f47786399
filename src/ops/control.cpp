#include "ops/control.h"

#include <openssl/sha.h>

#include <fmt/format.h>

namespace winiswin::ops {

std::string_view name_of(ControlAction action) {
  switch (action) {
    case ControlAction::kPause: return "pause";
    case ControlAction::kResume: return "resume";
    case ControlAction::kClose: return "close";
  }
  return "?";
}

std::optional<ControlAction> control_action_named(std::string_view name) {
  for (const ControlAction action : {ControlAction::kPause, ControlAction::kResume, ControlAction::kClose}) {
    if (name_of(action) == name) return action;
  }
  return std::nullopt;
}

std::optional<std::future<ControlOutcome>> ControlMailbox::post(ControlRequest request) {
  const std::lock_guard lock(mutex_);
  if (waiting_.size() >= kCapacity) return std::nullopt;
  Pending& pending = waiting_.emplace_back(Pending{std::move(request), {}});
  std::future<ControlOutcome> answer = pending.reply.get_future();
  any_.store(true, std::memory_order_release);
  return answer;
}

std::vector<ControlMailbox::Pending> ControlMailbox::take() {
  std::vector<Pending> taken;
  if (!any_.load(std::memory_order_acquire)) return taken;  // the usual round: no lock
  const std::lock_guard lock(mutex_);
  taken.reserve(waiting_.size());
  for (Pending& pending : waiting_) taken.push_back(std::move(pending));
  waiting_.clear();
  any_.store(false, std::memory_order_release);
  return taken;
}

std::string token_identity(std::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  return fmt::format("token:{:02x}{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2], digest[3]);
}

bool same_secret(std::string_view given, std::string_view expected) {
  if (expected.empty()) return false;
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t idx = 0; idx < given.size(); ++idx) {
    difference |= static_cast<unsigned char>(given[idx] ^ expected[idx % expected.size()]);
  }
  return difference == 0;
}

}  // namespace winiswin::ops
