// The texts of the slash commands' answers, from a StatusSnapshot (pure functions).
#pragma once

#include <optional>
#include <string>

#include "ops/status_snapshot.h"

namespace winiswin::notify {

std::string balance_answer(const ops::StatusSnapshot& status);
std::string positions_answer(const ops::StatusSnapshot& status);
std::string status_answer(const ops::StatusSnapshot& status, std::optional<double> resident_bytes);

}  // namespace winiswin::notify
