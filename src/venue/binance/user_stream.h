// Parser of Binance USDⓈ-M user-data stream messages into VenueEvents (spec/websocket.md §6,
// conditional-orders.md §4, changes-2026.md). Same contract as rest_market.h; raw or in the
// combined-stream envelope. Every event carries `time` = the message's transaction time `T`
// and `received` as given.
//
// ORDER_TRADE_UPDATE → one event:
// - execution type TRADE or CALCULATED (a liquidation) → kFill: price L, quantity l,
//   cumulative_quantity z, fee n (in asset N: BNB when fees are paid in BNB — the reason
//   then says so), realized_pnl rp; anything else (NEW, CANCELED, EXPIRED, AMENDMENT) →
//   kOrderUpdate. status is X, client_order_id c, order_id i.
// - cause: client id "autoclose-…" or execution type CALCULATED → kLiquidation;
//   "adl_autoclose…" → kAutoDeleverage; "settlement_autoclose-…" (a delisting's forced close)
//   → kUnspecified with reason "settlement"; an original type `ot` that is conditional
//   (STOP_MARKET …) → kAlgoTriggered with client_algo_id = c; otherwise kOrder.
//   The algo id of a triggered order's child is not in this message; ALGO_UPDATE carries
//   it (`ai`), and may arrive after the child's fill: the venue links the two.
// ACCOUNT_UPDATE → for reason FUNDING_FEE first one kFunding (fee = −bc of the margin asset:
// positive when paid; symbol and signed position quantity when exactly one position is
// pushed, else empty), then a kBalanceChange per margin-asset balance (wallet_balance = wb)
// and a kPositionChange per position (price = entry price ep to the nearest 1e-8, quantity =
// pa, signed). Balances of other assets are left out. reason = Binance's `m`.
// ALGO_UPDATE → kAlgoUpdate: algo_id aid, client_algo_id caid, algo_status X, order_id ai
// ("" until triggered: 0), price ap, quantity aq, reason rm. cause: TRIGGERING, TRIGGERED,
// FINISHED → kAlgoTriggered; REJECTED → kTriggerRejected; EXPIRED → kPositionClosed;
// NEW, CANCELED → kOrder.
// listenKeyExpired → ListenKeyExpired. Other event types → SkippedMessage (not an error).
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "venue/binance/stream_message.h"
#include "venue/venue.h"

namespace winiswin::binance {

struct ListenKeyExpired {
  std::string listen_key;  // empty when the message does not name it
  Timestamp event_time;
};

using UserDataMessage = std::variant<std::vector<venue::VenueEvent>, ListenKeyExpired, SubscriptionReply, SkippedMessage>;

// `margin_asset`: the asset whose balance BalanceReport tracks (USDT for USDT-margined).
Result<UserDataMessage> parse_user_data_message(std::string_view json, Timestamp received,
                                                std::string_view margin_asset = "USDT");

}  // namespace winiswin::binance
