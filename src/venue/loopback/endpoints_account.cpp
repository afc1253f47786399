// Account endpoints (spec/rest.md #9–15, #30): leverage, marginType, position mode (one-way
// only), positionRisk v2/v3, balance v2/v3, account v2/v3, commissionRate — over the
// simulator's positions and balance. Mark = last close; initial margin = |notional| /
// leverage; maintenance margin from the symbol's brackets; an isolated position's
// isolatedWallet is its margin and isolatedMargin that plus its unrealised PnL; an open
// order's initial margin is its notional (limit price, or mark for MARKET) / leverage unless
// it is reduce-only.
#include <algorithm>

#include <fmt/format.h>

#include "venue/loopback/api_error.h"
#include "venue/loopback/loopback_exchange.h"
#include "venue/loopback/order_params.h"

namespace winiswin::loopback {
namespace {

using venue::MarginType;
using venue::PositionReport;

Notional magnitude(Notional value) { return value.is_negative() ? -value : value; }

Notional signed_notional(Price mark, Quantity amount) {
  const Quantity size = amount.is_negative() ? -amount : amount;
  const Notional value = notional_of(mark, size, Rounding::kDown);
  return amount.is_negative() ? -value : value;
}

Notional divided(Notional value, int leverage) { return Notional::from_raw(value.raw() / std::max(1, leverage)); }

}  // namespace

Result<std::string> LoopbackExchange::change_leverage(const Call& call) {
  WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
  WINISWIN_TRY(const std::int64_t leverage, call.params.required_integer("leverage"));
  if (leverage < 1 || leverage > 125) return make_rejection(-4028, fmt::format("Leverage {} is not valid", leverage));
  if (auto changed = sim_.set_leverage(instrument->symbol, static_cast<int>(leverage)); !changed) {
    return as_binance_rejection(changed.error());
  }
  settings_.at(instrument->symbol).leverage = static_cast<int>(leverage);
  JsonWriter event;
  event.begin_object().field("e", "ACCOUNT_CONFIG_UPDATE").field("E", to_ms(server_clock())).field("T", to_ms(server_clock()));
  event.key("ac").begin_object().field("s", instrument->symbol).field("l", leverage).end_object().end_object();
  user_streams_.publish(UserStreamMessage{"ACCOUNT_CONFIG_UPDATE", event.take()});
  JsonWriter json;
  json.begin_object()
      .field("leverage", leverage)
      .field("maxNotionalValue", max_notional(instrument->symbol, static_cast<int>(leverage)))
      .field("symbol", instrument->symbol)
      .end_object();
  return json.take();
}

Result<std::string> LoopbackExchange::change_margin_type(const Call& call) {
  WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
  WINISWIN_TRY(const std::string_view type_name, call.params.required("marginType"));
  MarginType type = MarginType::kIsolated;
  if (type_name == "CROSSED") {
    type = MarginType::kCrossed;
  } else if (type_name != "ISOLATED") {
    return invalid_parameter("marginType");
  }
  if (auto changed = sim_.set_margin_type(instrument->symbol, type); !changed) return as_binance_rejection(changed.error());
  settings_.at(instrument->symbol).margin_type = type;
  return std::string(R"({"code":200,"msg":"success"})");
}

Result<std::string> LoopbackExchange::position_mode(const Call&) { return std::string(R"({"dualSidePosition":false})"); }

Result<std::string> LoopbackExchange::change_position_mode(const Call& call) {
  if (!call.params.has("dualSidePosition")) return missing_parameter("dualSidePosition");
  WINISWIN_TRY(const bool hedge, call.params.optional_bool("dualSidePosition", false));
  if (!hedge) return make_rejection(-4059, "No need to change position side.");
  return make_rejection(-1020, "This operation is not supported. (the loopback venue trades in one-way mode only)");
}

Result<std::string> LoopbackExchange::commission_rate(const Call& call) {
  WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
  JsonWriter json;
  json.begin_object()
      .field("symbol", instrument->symbol)
      .field("makerCommissionRate", config_.venue.maker_fee)
      .field("takerCommissionRate", config_.venue.taker_fee)
      .end_object();
  return json.take();
}

Result<std::vector<LoopbackExchange::PositionView>> LoopbackExchange::position_views() {
  WINISWIN_TRY(const std::vector<PositionReport> reports, sim_.positions());
  std::vector<PositionView> views;
  views.reserve(instruments_.size());
  for (const Instrument& instrument : instruments_) {
    const SymbolSettings& settings = settings_.at(instrument.symbol);
    PositionView view;
    view.symbol = instrument.symbol;
    view.leverage = settings.leverage;
    view.margin_type = settings.margin_type;
    view.mark = mark_of(instrument.symbol);
    const auto report = std::find_if(reports.begin(), reports.end(), [&](const PositionReport& r) { return r.symbol == instrument.symbol; });
    if (report != reports.end()) {
      view.amount = report->quantity;
      view.entry = report->entry_price;
      view.mark = report->mark_price;
      view.liquidation = report->liquidation_price;
      view.unrealized = report->unrealized_pnl;
      if (view.margin_type == MarginType::kIsolated) view.isolated_wallet = report->margin;
    }
    view.notional = signed_notional(view.mark, view.amount);
    view.initial_margin = divided(magnitude(view.notional), view.leverage);
    if (const auto brackets = brackets_.find(instrument.symbol); brackets != brackets_.end()) {
      const double maintenance = maintenance_margin(brackets->second, magnitude(view.notional).to_double());
      if (auto exact = Notional::from_double(maintenance)) view.maint_margin = *exact;
    }
    WINISWIN_TRY(const auto orders, sim_.open_orders(instrument.symbol));
    WINISWIN_TRY(const auto algo_orders, sim_.open_algo_orders(instrument.symbol));
    view.has_open_orders = !orders.empty() || !algo_orders.empty();
    for (const venue::OrderStatusReport& order : orders) {
      if (order.reduce_only) continue;
      const Price reference = order.type == venue::OrderType::kLimit ? order.price : view.mark;
      view.open_order_margin += divided(notional_of(reference, order.original_quantity, Rounding::kUp), view.leverage);
    }
    views.push_back(std::move(view));
  }
  return views;
}

Result<std::string> LoopbackExchange::position_risk_v2(const Call& call) { return position_risk(call, true); }
Result<std::string> LoopbackExchange::position_risk_v3(const Call& call) { return position_risk(call, false); }

// v2: every symbol, with leverage and marginType; v3: only symbols with a position or open
// orders, with margins (spec/rest.md #12). Note Binance's `unRealizedProfit` spelling here.
Result<std::string> LoopbackExchange::position_risk(const Call& call, bool version2) {
  std::optional<std::string> only;
  if (call.params.has("symbol")) {
    WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
    only = instrument->symbol;
  }
  WINISWIN_TRY(const std::vector<PositionView> views, position_views());
  JsonWriter json;
  json.begin_array();
  for (const PositionView& view : views) {
    if (only && view.symbol != *only) continue;
    const bool isolated = view.margin_type == MarginType::kIsolated;
    const Notional isolated_margin = isolated && !view.amount.is_zero() ? view.isolated_wallet + view.unrealized : Notional{};
    if (version2) {
      json.begin_object()
          .field("symbol", view.symbol)
          .field("positionAmt", view.amount)
          .field("entryPrice", view.entry)
          .field("breakEvenPrice", view.entry)
          .field("markPrice", view.mark)
          .field("unRealizedProfit", view.unrealized)
          .field("liquidationPrice", view.liquidation)
          .field("leverage", std::to_string(view.leverage))
          .field("maxNotionalValue", max_notional(view.symbol, view.leverage))
          .field("marginType", isolated ? "isolated" : "cross")
          .field("isolatedMargin", isolated_margin)
          .field("isAutoAddMargin", "false")
          .field("positionSide", "BOTH")
          .field("notional", view.notional)
          .field("isolatedWallet", view.isolated_wallet)
          .field("updateTime", 0)
          .end_object();
      continue;
    }
    if (view.amount.is_zero() && !view.has_open_orders) continue;
    json.begin_object()
        .field("symbol", view.symbol)
        .field("positionSide", "BOTH")
        .field("positionAmt", view.amount)
        .field("entryPrice", view.entry)
        .field("breakEvenPrice", view.entry)
        .field("markPrice", view.mark)
        .field("unRealizedProfit", view.unrealized)
        .field("liquidationPrice", view.liquidation)
        .field("isolatedMargin", isolated_margin)
        .field("notional", view.notional)
        .field("marginAsset", "USDT")
        .field("isolatedWallet", view.isolated_wallet)
        .field("initialMargin", view.initial_margin + view.open_order_margin)
        .field("maintMargin", view.maint_margin)
        .field("positionInitialMargin", view.initial_margin)
        .field("openOrderInitialMargin", view.open_order_margin)
        .field("adl", 0)
        .field("bidNotional", "0")
        .field("askNotional", "0")
        .field("updateTime", 0)
        .end_object();
  }
  json.end_array();
  return json.take();
}

Result<std::string> LoopbackExchange::balance(const Call&) {
  WINISWIN_TRY(const venue::BalanceReport report, sim_.balance());
  WINISWIN_TRY(const std::vector<PositionView> views, position_views());
  Notional cross_wallet = report.wallet_balance, cross_unrealized;
  for (const PositionView& view : views) {
    cross_wallet -= view.isolated_wallet;
    if (view.margin_type == MarginType::kCrossed) cross_unrealized += view.unrealized;
  }
  JsonWriter json;
  json.begin_array()
      .begin_object()
      .field("accountAlias", "loopback")
      .field("asset", "USDT")
      .field("balance", report.wallet_balance)
      .field("crossWalletBalance", cross_wallet)
      .field("crossUnPnl", cross_unrealized)
      .field("availableBalance", report.available_balance)
      .field("maxWithdrawAmount", report.available_balance)
      .field("marginAvailable", true)
      .field("updateTime", to_ms(server_clock()))
      .end_object()
      .end_array();
  return json.take();
}

Result<std::string> LoopbackExchange::account_v2(const Call&) { return account(true); }
Result<std::string> LoopbackExchange::account_v3(const Call&) { return account(false); }

// v3: totals, the USDT asset, positions with a position or open orders; v2 adds the account
// flags and lists every symbol with leverage and isolation (spec/rest.md #10).
Result<std::string> LoopbackExchange::account(bool version2) {
  WINISWIN_TRY(const venue::BalanceReport report, sim_.balance());
  WINISWIN_TRY(const std::vector<PositionView> views, position_views());
  Notional unrealized, position_margin, order_margin, maint_margin, cross_wallet = report.wallet_balance, cross_unrealized;
  for (const PositionView& view : views) {
    unrealized += view.unrealized;
    position_margin += view.initial_margin;
    order_margin += view.open_order_margin;
    maint_margin += view.maint_margin;
    cross_wallet -= view.isolated_wallet;
    if (view.margin_type == MarginType::kCrossed) cross_unrealized += view.unrealized;
  }
  const Notional margin_balance = report.wallet_balance + unrealized;
  const auto totals = [&](JsonWriter& json, const char* prefix) {
    const auto name = [&](const char* field) { return fmt::format("{}{}", prefix, field); };
    json.field(name("InitialMargin"), position_margin + order_margin)
        .field(name("MaintMargin"), maint_margin)
        .field(name("WalletBalance"), report.wallet_balance)
        .field(name("UnrealizedProfit"), unrealized)
        .field(name("MarginBalance"), margin_balance)
        .field(name("PositionInitialMargin"), position_margin)
        .field(name("OpenOrderInitialMargin"), order_margin)
        .field(name("CrossWalletBalance"), cross_wallet)
        .field(name("CrossUnPnl"), cross_unrealized);
  };
  JsonWriter json;
  json.begin_object();
  if (version2) {
    json.field("feeTier", 0)
        .field("feeBurn", false)
        .field("canTrade", true)
        .field("canDeposit", true)
        .field("canWithdraw", true)
        .field("updateTime", 0)
        .field("multiAssetsMargin", false)
        .field("tradeGroupId", -1);
  }
  totals(json, "total");
  json.field("availableBalance", report.available_balance).field("maxWithdrawAmount", report.available_balance);
  json.key("assets").begin_array().begin_object();
  json.field("asset", "USDT")
      .field("walletBalance", report.wallet_balance)
      .field("unrealizedProfit", unrealized)
      .field("marginBalance", margin_balance)
      .field("maintMargin", maint_margin)
      .field("initialMargin", position_margin + order_margin)
      .field("positionInitialMargin", position_margin)
      .field("openOrderInitialMargin", order_margin)
      .field("crossWalletBalance", cross_wallet)
      .field("crossUnPnl", cross_unrealized)
      .field("availableBalance", report.available_balance)
      .field("maxWithdrawAmount", report.available_balance)
      .field("marginAvailable", true)
      .field("updateTime", to_ms(server_clock()));
  json.end_object().end_array();
  json.key("positions").begin_array();
  for (const PositionView& view : views) {
    if (!version2 && view.amount.is_zero() && !view.has_open_orders) continue;
    const bool isolated = view.margin_type == MarginType::kIsolated;
    json.begin_object()
        .field("symbol", view.symbol)
        .field("positionSide", "BOTH")
        .field("positionAmt", view.amount)
        .field("unrealizedProfit", view.unrealized)
        .field("isolatedMargin", isolated && !view.amount.is_zero() ? view.isolated_wallet + view.unrealized : Notional{})
        .field("notional", view.notional)
        .field("isolatedWallet", view.isolated_wallet)
        .field("initialMargin", view.initial_margin + view.open_order_margin)
        .field("maintMargin", view.maint_margin);
    if (version2) {
      json.field("positionInitialMargin", view.initial_margin)
          .field("openOrderInitialMargin", view.open_order_margin)
          .field("leverage", std::to_string(view.leverage))
          .field("isolated", isolated)
          .field("entryPrice", view.entry)
          .field("breakEvenPrice", view.entry)
          .field("maxNotional", max_notional(view.symbol, view.leverage))
          .field("bidNotional", "0")
          .field("askNotional", "0");
    }
    json.field("updateTime", 0).end_object();
  }
  json.end_array().end_object();
  return json.take();
}

}  // namespace winiswin::loopback
