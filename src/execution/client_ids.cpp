#include "execution/client_ids.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace winiswin::execution {

Result<ClientIds> ClientIds::make(std::string prefix) {
  const bool valid = !prefix.empty() && prefix.size() <= 16 &&
                     std::all_of(prefix.begin(), prefix.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
  if (!valid) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("client id prefix '{}': 1 to 16 letters or digits (Binance allows 36 characters in all)", prefix));
  }
  return ClientIds(std::move(prefix));
}

std::string ClientIds::id(std::int64_t trade, Leg leg) const { return fmt::format("{}-{}-{}", prefix_, trade, static_cast<char>(leg)); }

std::optional<OrderRef> ClientIds::parse(std::string_view client_id) const {
  if (client_id.size() < prefix_.size() + 4 || client_id.substr(0, prefix_.size()) != prefix_ || client_id[prefix_.size()] != '-') {
    return std::nullopt;
  }
  const std::string_view rest = client_id.substr(prefix_.size() + 1);
  if (rest.size() < 3 || rest[rest.size() - 2] != '-') return std::nullopt;
  OrderRef ref;
  const char* end = rest.data() + rest.size() - 2;
  if (std::from_chars(rest.data(), end, ref.trade).ptr != end || ref.trade <= 0) return std::nullopt;
  switch (rest.back()) {
    case 'E': ref.leg = Leg::kEntry; break;
    case 'S': ref.leg = Leg::kStop; break;
    case 'T': ref.leg = Leg::kTarget; break;
    case 'X': ref.leg = Leg::kExit; break;
    case 'G': ref.leg = Leg::kCloseOut; break;
    case 'R': ref.leg = Leg::kRestoredStop; break;
    case 'Q': ref.leg = Leg::kRestoredTarget; break;
    case 'C': ref.leg = Leg::kReconcileClose; break;
    default: return std::nullopt;
  }
  return ref;
}

}  // namespace winiswin::execution
