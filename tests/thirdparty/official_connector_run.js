// One scripted trading run of Binance's official Node connector
// (@binance/derivatives-trading-usds-futures 38.1.1) against a Binance-compatible venue.
//
//   node official_connector_run.js http://127.0.0.1:PORT      (or VENUE_URL=...)
//
// Every expectation comes from Binance's USDⓈ-M documentation (shared/spec) and the
// connector's own typings and README, never from the venue's code: where the venue answers
// differently from Binance, the run stops with a FAIL line naming the request and the answer.
// Exit 0: every step passed; 1: a step failed; 2: bad usage.

import {
  DerivativesTradingUsdsFutures,
  BadRequestError,
  UnauthorizedError,
} from '@binance/derivatives-trading-usds-futures';
import {
  check, short, isDecimalString, isInteger, toNumber, waitFor, sleep, filterOf, planSymbols,
  protectivePrices, venueFromArgs, main, step, CheckFailure,
} from './lib.js';

const venue = venueFromArgs('official_connector_run.js');
const runId = Date.now().toString(36);

function restConfig(apiSecret) {
  return {
    apiKey: venue.apiKey,
    apiSecret,
    basePath: venue.rest,
    timeout: 10000,
    retries: 0, // no silent retry: every answer the venue gives is the one checked
    proxy: false,
  };
}

// The answer of a REST call: its parsed body, its HTTP status and the rate-limit headers the
// connector read from it.
async function call(what, promise) {
  let response;
  try {
    response = await promise;
  } catch (error) {
    throw new CheckFailure(`${what} failed: ${error.name} code=${error.code} ${error.message}`);
  }
  const data = await response.data();
  return { data, status: response.status, rateLimits: response.rateLimits || [] };
}

// A REST call that must fail with Binance error `code` (HTTP 4xx, surfaced by the connector as
// one of `classes`).
async function expectError(what, code, classes, promise) {
  let response;
  try {
    response = await promise;
  } catch (error) {
    check(error.code === code, `${what}: expected Binance error ${code}`, `${error.name} code=${error.code} msg=${error.message}`);
    check(classes.some((c) => error instanceof c),
      `${what}: expected the connector to raise ${classes.map((c) => c.name).join(' or ')}`, error.name);
    return error;
  }
  const body = await response.data().catch(() => undefined);
  throw new CheckFailure(`${what}: expected error ${code}, the venue accepted it (HTTP ${response.status}) ${short(body)}`);
}

main('connector', async (log) => {
  const client = new DerivativesTradingUsdsFutures({
    configurationRestAPI: restConfig(venue.apiSecret),
    configurationWebsocketStreams: { wsURL: venue.ws, reconnectDelay: 1000 },
  });
  const rest = client.restAPI;

  // --- server time -------------------------------------------------------------------------
  await step('server time', async () => {
    const before = Date.now();
    const { data } = await call('GET /fapi/v1/time', rest.checkServerTime());
    check(isInteger(data.serverTime), 'time: serverTime is an integer of ms', data);
    const skew = toNumber(data.serverTime) - before;
    check(Math.abs(skew) < 5000, 'time: serverTime is the current time (|skew| < 5 s) as on Binance', `${data.serverTime} (skew ${skew} ms)`);
    log('server time', `serverTime=${data.serverTime} skew=${skew} ms`);
  });

  // --- exchange information ----------------------------------------------------------------
  const { data: info, rateLimits: infoLimits } = await call('GET /fapi/v1/exchangeInfo', rest.exchangeInformation());
  check(Array.isArray(info.symbols) && info.symbols.length > 0, 'exchangeInfo: symbols is a non-empty array', Object.keys(info));
  check(Array.isArray(info.rateLimits) && info.rateLimits.some((r) => r.rateLimitType === 'REQUEST_WEIGHT'),
    'exchangeInfo: rateLimits lists REQUEST_WEIGHT', info.rateLimits);
  check(info.timezone === 'UTC', 'exchangeInfo: timezone is UTC', info.timezone);
  check(infoLimits.some((r) => r.rateLimitType === 'REQUEST_WEIGHT' && r.interval === 'MINUTE'),
    'exchangeInfo: the answer carries X-MBX-USED-WEIGHT-1M (connector rateLimits)', infoLimits);

  // Mark prices of every symbol (premiumIndex without symbol: an array).
  const { data: allMarks } = await call('GET /fapi/v1/premiumIndex', rest.markPrice());
  check(Array.isArray(allMarks) && allMarks.length > 0, 'premiumIndex without symbol: an array', allMarks);
  const marks = new Map(allMarks.map((m) => [m.symbol, Number(m.markPrice)]));
  const { trade, tiny, count } = planSymbols(info, marks, 0);
  check(trade, 'exchangeInfo: a PERPETUAL USDT symbol in TRADING with LOT_SIZE, PRICE_FILTER, MIN_NOTIONAL and STOP_MARKET/TAKE_PROFIT_MARKET order types', info.symbols[0]);
  const symbol = trade.symbol;
  const s = trade.info;
  for (const field of ['pricePrecision', 'quantityPrecision']) check(isInteger(s[field]), `exchangeInfo ${symbol}: ${field} is an integer`, s[field]);
  for (const [filter, fields] of [['PRICE_FILTER', ['minPrice', 'maxPrice', 'tickSize']], ['LOT_SIZE', ['minQty', 'maxQty', 'stepSize']],
    ['MIN_NOTIONAL', ['notional']]]) {
    const f = filterOf(s, filter);
    for (const field of fields) check(isDecimalString(f[field]), `exchangeInfo ${symbol}: ${filter}.${field} is a decimal string`, f);
  }
  check(s.marginAsset === 'USDT', `exchangeInfo ${symbol}: marginAsset USDT`, s.marginAsset);
  log('exchange info', `${info.symbols.length} symbols, ${count} tradable; trading ${symbol} tick=${trade.price.tickSize} step=${trade.lot.stepSize} minNotional=${trade.minNotional} mark=${trade.mark} entryQty=${trade.entryQty}`);

  // --- klines ------------------------------------------------------------------------------
  await step('klines', async () => {
    const { data: klines } = await call('GET /fapi/v1/klines', rest.klineCandlestickData({ symbol, interval: '1m', limit: 10 }));
    check(Array.isArray(klines) && klines.length === 10, 'klines limit=10: 10 bars', klines && klines.length);
    for (const k of klines) {
      check(Array.isArray(k) && k.length === 12, 'klines: each bar is an array of 12 fields', k);
      check(isInteger(k[0]) && isInteger(k[6]) && isInteger(k[8]), 'klines: open time, close time and trade count are integers', k);
      for (const i of [1, 2, 3, 4, 5, 7, 9, 10]) check(isDecimalString(k[i]), `klines: field ${i} is a decimal string`, k);
      check(toNumber(k[6]) === toNumber(k[0]) + 59999, 'klines 1m: close time = open time + 59999', k);
      check(Number(k[2]) >= Math.max(Number(k[1]), Number(k[4])) && Number(k[3]) <= Math.min(Number(k[1]), Number(k[4])), 'klines: low <= open,close <= high', k);
    }
    for (let i = 1; i < klines.length; i += 1) {
      check(toNumber(klines[i][0]) - toNumber(klines[i - 1][0]) === 60000, 'klines 1m: ascending, one minute apart', [klines[i - 1][0], klines[i][0]]);
    }
    log('klines', `10 × 1m, last open ${klines[9][0]} close ${klines[9][4]}`);
  });

  // --- 24h ticker --------------------------------------------------------------------------
  await step('24h ticker', async () => {
    const { data: t } = await call('GET /fapi/v1/ticker/24hr', rest.ticker24hrPriceChangeStatistics({ symbol }));
    check(!Array.isArray(t) && t.symbol === symbol, 'ticker/24hr with symbol: one object for that symbol', t);
    for (const field of ['priceChange', 'priceChangePercent', 'weightedAvgPrice', 'lastPrice', 'lastQty', 'openPrice', 'highPrice', 'lowPrice', 'volume', 'quoteVolume']) {
      check(isDecimalString(t[field]), `ticker/24hr: ${field} is a decimal string`, t);
    }
    for (const field of ['openTime', 'closeTime', 'count']) check(isInteger(t[field]), `ticker/24hr: ${field} is an integer`, t);
    check(Number(t.lastPrice) > 0, 'ticker/24hr: lastPrice > 0', t.lastPrice);
    log('24h ticker', `last=${t.lastPrice} change=${t.priceChangePercent}% volume=${t.volume}`);
  });

  // --- mark price / premium index ----------------------------------------------------------
  await step('mark price / premium index', async () => {
    const { data: m } = await call('GET /fapi/v1/premiumIndex', rest.markPrice({ symbol }));
    check(!Array.isArray(m) && m.symbol === symbol, 'premiumIndex with symbol: one object', m);
    for (const field of ['markPrice', 'indexPrice', 'estimatedSettlePrice', 'lastFundingRate', 'interestRate']) check(isDecimalString(m[field]), `premiumIndex: ${field} is a decimal string`, m);
    for (const field of ['nextFundingTime', 'time']) check(isInteger(m[field]), `premiumIndex: ${field} is an integer`, m);
    check(Number(m.markPrice) > 0, 'premiumIndex: markPrice > 0', m.markPrice);
    check(toNumber(m.nextFundingTime) > toNumber(m.time), 'premiumIndex: nextFundingTime after time', m);
    log('mark price', `mark=${m.markPrice} index=${m.indexPrice} funding=${m.lastFundingRate} next=${m.nextFundingTime}`);
  });

  // --- leverage and margin type ------------------------------------------------------------
  await step('leverage and margin type', async () => {
    const { data: lev } = await call('POST /fapi/v1/leverage', rest.changeInitialLeverage({ symbol, leverage: 5 }));
    check(toNumber(lev.leverage) === 5 && lev.symbol === symbol && isDecimalString(lev.maxNotionalValue),
      'leverage: {leverage: 5, maxNotionalValue: "<decimal>", symbol}', lev);
    log('set leverage', `5x, maxNotionalValue=${lev.maxNotionalValue}`);

    const first = await rest.changeMarginType({ symbol, marginType: 'ISOLATED' }).then(
      async (r) => ({ ok: await r.data() }), (e) => ({ error: e }));
    if (first.ok) {
      check(toNumber(first.ok.code) === 200 && first.ok.msg === 'success', 'marginType ISOLATED: {"code":200,"msg":"success"}', first.ok);
      log('set margin type', 'ISOLATED: {"code":200,"msg":"success"}');
    } else {
      // A fresh Binance account trades every symbol in cross margin: the first switch succeeds.
      check(false, 'marginType ISOLATED (first call on a fresh account, cross margin by default): {"code":200,"msg":"success"}',
        `${first.error.name} ${first.error.code} ${first.error.message}`);
    }
    const again = await expectError('marginType ISOLATED again', -4046, [BadRequestError], rest.changeMarginType({ symbol, marginType: 'ISOLATED' }));
    check(again.message === 'No need to change margin type.', 'marginType again: msg "No need to change margin type."', again.message);
    log('margin type again', `-4046 "${again.message}" raised as ${again.name}`);
  });
  await step('symbol configuration', async () => {
    const { data: config } = await call('GET /fapi/v1/symbolConfig', rest.symbolConfiguration({ symbol }));
    const mine = Array.isArray(config) ? config.find((c) => c.symbol === symbol) : undefined;
    check(mine && mine.marginType === 'ISOLATED' && toNumber(mine.leverage) === 5, 'symbolConfig: marginType ISOLATED, leverage 5', config);
    log('symbol config', `marginType=${mine.marginType} leverage=${mine.leverage}`);
  });

  // --- account -----------------------------------------------------------------------------
  await step('account', async () => {
    const { data: account } = await call('GET /fapi/v3/account', rest.accountInformationV3());
    const usdt = (account.assets || []).find((a) => a.asset === 'USDT');
    check(usdt && isDecimalString(usdt.availableBalance), 'account v3: a USDT asset with availableBalance', account);
    const needed = (Number(trade.entryQty) * trade.mark) / 5;
    check(Number(account.availableBalance) > needed * 1.5, `account v3: availableBalance covers the entry margin (${needed.toFixed(2)})`, account.availableBalance);
    log('account', `availableBalance=${account.availableBalance} walletBalance=${account.totalWalletBalance}`);
  });

  // --- user data stream and market streams over WebSocket ----------------------------------
  const { data: lk } = await call('POST /fapi/v1/listenKey', rest.startUserDataStream());
  check(typeof lk.listenKey === 'string' && lk.listenKey.length > 0, 'listenKey: {"listenKey": "<key>"}', lk);
  const listenKey = lk.listenKey;
  await step('listenKey keepalive', async () => {
    const { data: kept } = await call('PUT /fapi/v1/listenKey', rest.keepaliveUserDataStream());
    check(kept.listenKey === undefined || kept.listenKey === listenKey, 'listenKey keepalive: the same key (or {})', kept);
  });
  const streams = await client.websocketStreams.connect();
  const events = [];
  const user = streams.userData(listenKey);
  user.on('message', (event) => events.push(event));
  log('user data stream', `listenKey ${listenKey.slice(0, 12)}… subscribed on /private/stream`);

  await step('market streams', async () => {
    const bars = [];
    const marksSeen = [];
    const kline = streams.klineCandlestickStreams({ symbol, interval: '1m' });
    kline.on('message', (m) => bars.push(m));
    const markStream = streams.markPriceStream({ symbol, updateSpeed: '1s' });
    markStream.on('message', (m) => marksSeen.push(m));
    const bar = await waitFor(`a ${symbol.toLowerCase()}@kline_1m message`, () => bars[0], { timeoutMs: 15000 });
    check(bar.e === 'kline' && bar.s === symbol && bar.k && bar.k.i === '1m' && typeof bar.k.x === 'boolean' && isDecimalString(bar.k.c),
      'kline stream: {e:"kline", s, k:{i:"1m", x:<bool>, c:"<decimal>", …}}', bar);
    const mark = await waitFor(`a ${symbol.toLowerCase()}@markPrice@1s message`, () => marksSeen[0], { timeoutMs: 15000 });
    check(mark.e === 'markPriceUpdate' && mark.s === symbol && isDecimalString(mark.p) && isDecimalString(mark.r) && isInteger(mark.T),
      'markPrice stream: {e:"markPriceUpdate", s, p, r, T, …}', mark);
    log('market streams', `kline_1m t=${bar.k.t} c=${bar.k.c} x=${bar.k.x}; markPrice p=${mark.p}`);
    kline.unsubscribe();
    markStream.unsubscribe();
  });

  const orderEvent = (clientId, status) => events.find((e) => e.e === 'ORDER_TRADE_UPDATE' && e.o && e.o.c === clientId && e.o.X === status);
  const algoEvent = (clientAlgoId, status) => events.find((e) => e.e === 'ALGO_UPDATE' && e.o && e.o.caid === clientAlgoId && e.o.X === status);

  // --- MARKET entry, filled as seen on the user data stream --------------------------------
  const entryId = `wtp-c-${runId}-in`;
  const qty = trade.entryQty;
  await step('MARKET entry, filled as seen on the user data stream', async () => {
    const { data: placed, rateLimits } = await call('POST /fapi/v1/order MARKET',
      rest.newOrder({ symbol, side: 'BUY', type: 'MARKET', quantity: Number(qty), newClientOrderId: entryId }));
    check(isInteger(placed.orderId) && placed.clientOrderId === entryId && placed.symbol === symbol && placed.side === 'BUY'
      && placed.type === 'MARKET' && placed.positionSide === 'BOTH' && Number(placed.origQty) === Number(qty),
    'new order MARKET: orderId, our clientOrderId, symbol, side, type, positionSide BOTH, origQty', placed);
    check(['NEW', 'FILLED', 'PARTIALLY_FILLED'].includes(placed.status), 'new order MARKET: status NEW/FILLED', placed.status);
    check(rateLimits.some((r) => r.rateLimitType === 'ORDERS'), 'new order: the answer carries X-MBX-ORDER-COUNT-* headers', rateLimits);
    log('market entry', `BUY ${qty} ${symbol} orderId=${placed.orderId} clientOrderId=${entryId} status=${placed.status}`);

    const filled = await waitFor(`ORDER_TRADE_UPDATE X=FILLED for ${entryId}`, () => orderEvent(entryId, 'FILLED'), { timeoutMs: 20000 });
    const o = filled.o;
    check(toNumber(o.i) === toNumber(placed.orderId) && o.s === symbol && o.S === 'BUY' && o.o === 'MARKET' && o.x === 'TRADE',
      'ORDER_TRADE_UPDATE fill: i=orderId, s, S=BUY, o=MARKET, x=TRADE', o);
    check(Number(o.z) === Number(qty) && Number(o.ap) > 0 && Number(o.L) > 0 && o.ps === 'BOTH' && o.R === false,
      'ORDER_TRADE_UPDATE fill: z=qty, ap>0, L>0, ps=BOTH, R=false', o);
    check(isInteger(filled.E) && isInteger(filled.T), 'ORDER_TRADE_UPDATE: E and T are integers', filled);
    const { data: q } = await call('GET /fapi/v1/order', rest.queryOrder({ symbol, origClientOrderId: entryId }));
    check(q.status === 'FILLED' && Number(q.executedQty) === Number(qty) && Number(q.avgPrice) > 0 && toNumber(q.orderId) === toNumber(placed.orderId),
      'query order: FILLED, executedQty=qty, avgPrice>0', q);
    const account = await waitFor('ACCOUNT_UPDATE with the new position', () => events.find((e) => e.e === 'ACCOUNT_UPDATE'
      && (e.a.P || []).some((p) => p.s === symbol && Number(p.pa) === Number(qty))), { timeoutMs: 5000 });
    const p = account.a.P.find((x) => x.s === symbol);
    check(p.mt === 'isolated' && p.ps === 'BOTH' && Number(p.ep) > 0, 'ACCOUNT_UPDATE position: mt=isolated, ps=BOTH, ep>0', p);
    check(account.a.m === 'ORDER', 'ACCOUNT_UPDATE after a fill: reason a.m = "ORDER"', account.a.m);
    log('entry filled', `avg ${o.ap} (ORDER_TRADE_UPDATE X=FILLED, GET order FILLED, ACCOUNT_UPDATE pa=${p.pa} mt=${p.mt})`);
  });

  // --- protective STOP_MARKET and TAKE_PROFIT_MARKET through the algo endpoint -------------
  const { stopLoss, takeProfit } = protectivePrices(trade);
  const slId = `wtp-c-${runId}-sl`;
  const tpId = `wtp-c-${runId}-tp`;
  const placedAlgo = {};
  for (const [id, type, trigger] of [[slId, 'STOP_MARKET', stopLoss], [tpId, 'TAKE_PROFIT_MARKET', takeProfit]]) {
    const { data: a } = await call(`POST /fapi/v1/algoOrder ${type}`, rest.newAlgoOrder({
      algoType: 'CONDITIONAL', symbol, side: 'SELL', type, triggerPrice: Number(trigger), closePosition: 'true',
      workingType: 'MARK_PRICE', clientAlgoId: id,
    }));
    check(isInteger(a.algoId) && a.clientAlgoId === id && a.algoType === 'CONDITIONAL' && a.orderType === type && a.symbol === symbol
      && a.side === 'SELL' && a.algoStatus === 'NEW' && a.closePosition === true && Number(a.triggerPrice) === Number(trigger)
      && a.workingType === 'MARK_PRICE' && a.positionSide === 'BOTH',
    `new algo order ${type}: algoId, clientAlgoId, algoType CONDITIONAL, orderType, algoStatus NEW, closePosition true, triggerPrice, workingType`, a);
    placedAlgo[id] = a;
    log(`algo ${type}`, `trigger ${trigger} closePosition algoId=${a.algoId} clientAlgoId=${id}`);
  }
  await waitFor('ALGO_UPDATE X=NEW for both protective orders', () => algoEvent(slId, 'NEW') && algoEvent(tpId, 'NEW'), { timeoutMs: 5000 });
  await step('ALGO_UPDATE NEW', async () => {
    const e = algoEvent(slId, 'NEW').o;
    check(toNumber(e.aid) === toNumber(placedAlgo[slId].algoId) && e.at === 'CONDITIONAL' && e.o === 'STOP_MARKET' && e.s === symbol
      && e.S === 'SELL' && e.cp === true && Number(e.tp) === Number(stopLoss), 'ALGO_UPDATE NEW: aid, at, o, s, S, cp, tp', e);
    log('algo updates', 'ALGO_UPDATE X=NEW for the stop and the take-profit');
  });
  await step('query algo order', async () => {
    const { data: a } = await call('GET /fapi/v1/algoOrder', rest.queryAlgoOrder({ algoId: placedAlgo[slId].algoId }));
    check(toNumber(a.algoId) === toNumber(placedAlgo[slId].algoId) && a.algoStatus === 'NEW' && a.orderType === 'STOP_MARKET' && a.clientAlgoId === slId,
      'query algo order: the stop, algoStatus NEW', a);
    log('query algo order', `stop algoStatus=${a.algoStatus} triggerPrice=${a.triggerPrice}`);
  });

  // --- positions ---------------------------------------------------------------------------
  await step('positions', async () => {
    const { data: v3 } = await call('GET /fapi/v3/positionRisk', rest.positionInformationV3({ symbol }));
    const p = Array.isArray(v3) && v3.find((x) => x.symbol === symbol && x.positionSide === 'BOTH');
    check(p && Number(p.positionAmt) === Number(qty) && Number(p.entryPrice) > 0 && Number(p.markPrice) > 0 && isDecimalString(p.unRealizedProfit)
      && Number(p.isolatedMargin) > 0 && Number(p.isolatedWallet) > 0 && p.marginAsset === 'USDT' && isDecimalString(p.liquidationPrice),
    'positionRisk v3: BOTH, positionAmt=qty, entryPrice, markPrice, unRealizedProfit, isolatedMargin>0, isolatedWallet>0, marginAsset', v3);
    const { data: v2 } = await call('GET /fapi/v2/positionRisk', rest.positionInformationV2({ symbol }));
    const p2 = Array.isArray(v2) && v2.find((x) => x.symbol === symbol && x.positionSide === 'BOTH');
    check(p2 && p2.marginType === 'isolated' && toNumber(p2.leverage) === 5 && Number(p2.positionAmt) === Number(qty) && typeof p2.isAutoAddMargin === 'string',
      'positionRisk v2: marginType "isolated", leverage "5", positionAmt, isAutoAddMargin string', v2);
    check(Number(p.maintMargin) > 0 && toNumber(p.updateTime) > 0, 'positionRisk v3: an open position has maintMargin > 0 and its updateTime', p);
    check(Number(p.liquidationPrice) > 0 && Number(p.liquidationPrice) < Number(p.entryPrice), 'positionRisk v3: an isolated 5x long has a liquidationPrice below its entry', p);
    log('positions', `${p.positionAmt} @ ${p.entryPrice} mark ${p.markPrice} upnl ${p.unRealizedProfit} isolatedMargin ${p.isolatedMargin} liq ${p.liquidationPrice}`);
  });

  // --- open orders and open algo orders ----------------------------------------------------
  await step('open orders and open algo orders', async () => {
    const { data: open } = await call('GET /fapi/v1/openOrders', rest.currentAllOpenOrders({ symbol }));
    check(Array.isArray(open) && open.length === 0, 'openOrders: no regular open order (algo orders are listed apart)', open);
    const { data: algo } = await call('GET /fapi/v1/openAlgoOrders', rest.currentAllAlgoOpenOrders({ symbol }));
    check(Array.isArray(algo), 'openAlgoOrders: an array', algo);
    const ids = algo.map((a) => a.clientAlgoId).sort();
    check(ids.length === 2 && ids[0] === slId && ids[1] === tpId, 'openAlgoOrders: exactly our stop and take-profit', ids);
    check(algo.every((a) => a.algoStatus === 'NEW' && a.algoType === 'CONDITIONAL' && a.symbol === symbol), 'openAlgoOrders: NEW CONDITIONAL', algo);
    log('open orders', `0 regular, ${algo.length} algo (${algo.map((a) => a.orderType).join(', ')})`);
  });

  // --- cancel the take-profit --------------------------------------------------------------
  await step('cancel the take-profit', async () => {
    const { data: c } = await call('DELETE /fapi/v1/algoOrder', rest.cancelAlgoOrder({ algoId: placedAlgo[tpId].algoId }));
    check(toNumber(c.algoId) === toNumber(placedAlgo[tpId].algoId) && c.clientAlgoId === tpId && String(c.code) === '200' && c.msg === 'success',
      'cancel algo order: {algoId, clientAlgoId, code: "200", msg: "success"}', c);
    await waitFor('ALGO_UPDATE X=CANCELED for the take-profit', () => algoEvent(tpId, 'CANCELED'), { timeoutMs: 5000 });
    const { data: q } = await call('GET /fapi/v1/algoOrder', rest.queryAlgoOrder({ clientAlgoId: tpId }));
    check(q.algoStatus === 'CANCELED', 'query algo order after cancel: algoStatus CANCELED', q);
    const { data: algo } = await call('GET /fapi/v1/openAlgoOrders', rest.currentAllAlgoOpenOrders({ symbol }));
    check(algo.length === 1 && algo[0].clientAlgoId === slId, 'openAlgoOrders after cancel: only the stop', algo);
    log('cancel take-profit', `algoId=${c.algoId} CANCELED (ALGO_UPDATE, GET algoOrder), the stop stays open`);
  });

  // --- the errors a Binance client must be ready for ---------------------------------------
  await step('error -4120', async () => {
    // The connector's NewOrderTypeEnum still lists STOP_MARKET; since 2025-12-09 /fapi/v1/order refuses it.
    const e = await expectError('STOP_MARKET on POST /fapi/v1/order', -4120, [BadRequestError],
      rest.newOrder({ symbol, side: 'SELL', type: 'STOP_MARKET', quantity: Number(qty), newClientOrderId: `wtp-c-${runId}-4120` }));
    log('error -4120', `"${e.message}" (${e.name})`);
  });
  await step('error -1022', async () => {
    const wrong = new DerivativesTradingUsdsFutures({ configurationRestAPI: restConfig(venue.apiSecret.split('').reverse().join('')) });
    const e = await expectError('a request signed with the wrong secret', -1022, [BadRequestError, UnauthorizedError],
      wrong.restAPI.accountInformationV3());
    check(e.message === 'Signature for this request is not valid.', '-1022 msg "Signature for this request is not valid."', e.message);
    log('error -1022', `"${e.message}" (${e.name})`);
  });
  await step('error -4164', async () => {
    check(tiny, 'exchangeInfo/premiumIndex: some symbol whose smallest MARKET quantity is worth less than its MIN_NOTIONAL (needed for -4164)', 'none');
    const e = await expectError(`MARKET ${tiny.tinyQty} ${tiny.symbol} (≈${tiny.tinyNotional.toFixed(4)} < ${tiny.minNotional})`, -4164, [BadRequestError],
      rest.newOrder({ symbol: tiny.symbol, side: 'BUY', type: 'MARKET', quantity: Number(tiny.tinyQty), newClientOrderId: `wtp-c-${runId}-4164` }));
    check(/notional/i.test(e.message), '-4164 msg names the notional', e.message);
    log('error -4164', `"${e.message}" (${e.name})`);
  });

  // --- close reduce-only, check flat, clear the stop ---------------------------------------
  await step('close reduce-only, check flat, clear the stop', async () => {
    const closeId = `wtp-c-${runId}-out`;
    const { data: placed } = await call('POST /fapi/v1/order MARKET reduceOnly',
      rest.newOrder({ symbol, side: 'SELL', type: 'MARKET', quantity: Number(qty), reduceOnly: 'true', newClientOrderId: closeId }));
    check(placed.clientOrderId === closeId && placed.reduceOnly === true, 'close order: our clientOrderId, reduceOnly true', placed);
    const filled = await waitFor(`ORDER_TRADE_UPDATE X=FILLED for ${closeId}`, () => orderEvent(closeId, 'FILLED'), { timeoutMs: 20000 });
    check(Number(filled.o.z) === Number(qty) && filled.o.R === true && isDecimalString(filled.o.rp), 'close fill: z=qty, R=true, rp realized profit', filled.o);
    const { data: v3 } = await call('GET /fapi/v3/positionRisk', rest.positionInformationV3({ symbol }));
    check(Array.isArray(v3) && v3.every((p) => Number(p.positionAmt) === 0), 'positionRisk v3 after the close: flat', v3);
    log('close', `SELL ${qty} reduceOnly filled at ${filled.o.ap}, realized ${filled.o.rp}; flat`);

    const { data: all } = await call('DELETE /fapi/v1/algoOpenOrders', rest.cancelAllAlgoOpenOrders({ symbol }));
    check(toNumber(all.code) === 200, 'cancel all algo open orders: code 200', all);
    const { data: algo } = await call('GET /fapi/v1/openAlgoOrders', rest.currentAllAlgoOpenOrders({ symbol }));
    check(Array.isArray(algo) && algo.length === 0, 'openAlgoOrders at the end: none', algo);
    log('clean up', 'the orphaned stop cancelled, no open algo order left');
  });

  user.unsubscribe();
  await streams.disconnect();
  await call('DELETE /fapi/v1/listenKey', rest.closeUserDataStream());
  await sleep(100);
});
