// One scripted trading run of ccxt 4.5.84 (exchange binanceusdm, with ccxt.pro for the
// WebSocket streams) against a Binance-compatible venue.
//
//   node ccxt_run.js http://127.0.0.1:PORT      (or VENUE_URL=...)
//
// Every expectation comes from Binance's USDⓈ-M documentation (shared/spec) and ccxt's own
// source and documentation, never from the venue's code: where the venue answers differently
// from Binance, the run stops with a FAIL line naming the call and the answer.
// Exit 0: every step passed; 1: a step failed; 2: bad usage.
//
// ccxt is imported as ESM: its CommonJS build require()s ESM-only dependencies, which Node 18
// cannot do.

import ccxt from 'ccxt';
import {
  check, short, waitFor, sleep, planSymbols, protectivePrices, venueFromArgs, main, step, CheckFailure,
} from './lib.js';

const venue = venueFromArgs('ccxt_run.js');
const runId = Date.now().toString(36);

// Points every Binance REST and WebSocket URL of a ccxt binance instance at the venue, so that
// no call can leave the machine (an endpoint the venue lacks answers 404 there and shows up).
function pointAtVenue(exchange) {
  const api = exchange.urls.api;
  for (const [key, value] of Object.entries(api)) {
    if (typeof value === 'string') api[key] = value.replace(/^https:\/\/[^/]+/, venue.rest);
  }
  const ws = api.ws;
  for (const [key, value] of Object.entries(ws)) {
    if (typeof value === 'string') ws[key] = value.replace(/^wss:\/\/[^/]+/, venue.ws);
    else for (const [k, v] of Object.entries(value)) value[k] = v.replace(/^wss:\/\/[^/]+/, venue.ws);
  }
  // USDⓈ-M streams: ccxt rewrites ".../ws" into ".../market/ws", ".../public/ws" and
  // ".../private/ws?listenKey=" (binance.getWsUrl), as for wss://fstream.binance.com/ws.
  ws.future = `${venue.ws}/ws`;
  return exchange;
}

async function makeExchange(secret, options = {}) {
  const exchange = pointAtVenue(new ccxt.pro.binanceusdm({
    apiKey: venue.apiKey,
    secret,
    timeout: 10000,
    options: {
      fetchCurrencies: false, // sapi capital/config, a spot-wallet endpoint
      adjustForTimeDifference: false,
      ...options,
    },
  }));
  // ccxt needs a plain-HTTP agent for ws:// URLs (its own error message says so).
  await exchange.loadHttpProxyAgent();
  return exchange;
}

// The Binance {code, msg} inside a ccxt exception ("binanceusdm {"code":-4120,"msg":"…"}").
function binanceError(error) {
  const text = String(error && error.message);
  const start = text.indexOf('{');
  if (start < 0) return {};
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return {};
  }
}

async function expectError(what, code, classes, promise) {
  let result;
  try {
    result = await promise;
  } catch (error) {
    const body = binanceError(error);
    check(body.code === code, `${what}: expected Binance error ${code}`, `${error.constructor.name}: ${error.message}`);
    check(classes.some((c) => error instanceof c), `${what}: expected ccxt to raise ${classes.map((c) => c.name).join(' or ')}`, error.constructor.name);
    return { error, body };
  }
  throw new CheckFailure(`${what}: expected error ${code}, the venue accepted it: ${short(result && result.info ? result.info : result)}`);
}

const num = (v) => (v === undefined || v === null ? NaN : Number(v));

main('ccxt', async (log) => {
  const ex = await makeExchange(venue.apiSecret);

  // --- server time -------------------------------------------------------------------------
  await step('server time', async () => {
    const before = Date.now();
    const serverTime = await ex.fetchTime();
    check(Number.isInteger(serverTime), 'fetchTime: an integer of ms', serverTime);
    const skew = serverTime - before;
    check(Math.abs(skew) < 5000, 'fetchTime: the current time (|skew| < 5 s) as on Binance', `${serverTime} (skew ${skew} ms)`);
    log('server time', `${serverTime} (${ex.iso8601(serverTime)}), skew ${skew} ms`);
  });

  // --- a client that signs with the server's clock ----------------------------------------
  // ccxt's adjustForTimeDifference (as many bots run it) signs with Date.now() corrected by the
  // offset to GET /fapi/v1/time: the venue must accept what its own clock implies.
  await step('time-synced signing', async () => {
    const synced = await makeExchange(venue.apiSecret, { adjustForTimeDifference: true });
    await synced.loadTimeDifference();
    let answer;
    try {
      answer = await synced.fetchBalance();
    } catch (error) {
      answer = `${error.constructor.name}: ${error.message}`;
    }
    check(answer && answer.USDT, `fetchBalance signed with adjustForTimeDifference (offset ${synced.options.timeDifference} ms): accepted`, answer);
    log('time-synced signing', `offset ${synced.options.timeDifference} ms, fetchBalance accepted`);
    await synced.close();
  });

  // --- a request signed a minute ago ------------------------------------------------------
  // Binance: timestamp must satisfy serverTime - timestamp <= recvWindow (default 5000 ms),
  // else -1021 (spec/signing.md "Timing Security").
  await step('error -1021', async () => {
    const late = await makeExchange(venue.apiSecret);
    late.options.timeDifference = 60000; // ccxt's nonce(): Date.now() - timeDifference
    const { error, body } = await expectError('fetchBalance with a timestamp 60 s old (recvWindow 5000)', -1021, [ccxt.InvalidNonce], late.fetchBalance());
    log('error -1021', `"${body.msg}" (${error.constructor.name})`);
    await late.close();
  });

  // --- markets (exchangeInfo) --------------------------------------------------------------
  const markets = await ex.loadMarkets();
  const swaps = Object.values(markets).filter((m) => m.swap && m.linear && m.settle === 'USDT');
  check(swaps.length > 0, 'loadMarkets: linear USDT swaps', Object.keys(markets).slice(0, 5));
  const marks = new Map();
  await step('mark prices', async () => {
    const all = await ex.fetchMarkPrices();
    for (const t of Object.values(all)) if (t.info && t.info.symbol) marks.set(t.info.symbol, num(t.markPrice));
    check(marks.size > 0, 'fetchMarkPrices: mark prices (premiumIndex without symbol)', Object.keys(all).length);
  });
  const { trade, tiny, count } = planSymbols({ symbols: swaps.map((m) => m.info) }, marks, 1);
  check(trade, 'markets: a PERPETUAL USDT swap in TRADING with LOT_SIZE, PRICE_FILTER, MIN_NOTIONAL and STOP_MARKET/TAKE_PROFIT_MARKET order types', swaps[0] && swaps[0].info);
  const market = swaps.find((m) => m.id === trade.symbol);
  const symbol = market.symbol;
  check(market.active === true && market.contract && market.contractSize === 1 && market.quote === 'USDT' && market.settle === 'USDT',
    `market ${symbol}: active linear contract, contractSize 1, quote/settle USDT`, market);
  check(num(market.precision.price) === Number(trade.price.tickSize) && num(market.precision.amount) === Number(trade.lot.stepSize),
    `market ${symbol}: precision from PRICE_FILTER.tickSize and LOT_SIZE.stepSize`, market.precision);
  check(num(market.limits.cost.min) === trade.minNotional, `market ${symbol}: limits.cost.min from MIN_NOTIONAL.notional`, market.limits);
  log('markets', `${Object.keys(markets).length} markets, ${count} tradable; trading ${symbol} tick=${market.precision.price} step=${market.precision.amount} minCost=${market.limits.cost.min} mark=${trade.mark} entry=${trade.entryQty}`);

  // --- klines ------------------------------------------------------------------------------
  await step('klines', async () => {
    const bars = await ex.fetchOHLCV(symbol, '1m', undefined, 10);
    check(Array.isArray(bars) && bars.length === 10, 'fetchOHLCV 1m limit 10: 10 bars', bars.length);
    for (const b of bars) {
      check(b.length === 6 && b.every((v) => typeof v === 'number' && Number.isFinite(v)), 'fetchOHLCV: [t, o, h, l, c, v] numbers', b);
      check(b[2] >= Math.max(b[1], b[4]) && b[3] <= Math.min(b[1], b[4]), 'fetchOHLCV: low <= open,close <= high', b);
    }
    for (let i = 1; i < bars.length; i += 1) check(bars[i][0] - bars[i - 1][0] === 60000, 'fetchOHLCV: ascending, one minute apart', [bars[i - 1][0], bars[i][0]]);
    log('klines', `10 × 1m, last ${ex.iso8601(bars[9][0])} close ${bars[9][4]}`);
  });

  // --- 24h ticker --------------------------------------------------------------------------
  await step('24h ticker', async () => {
    const t = await ex.fetchTicker(symbol);
    check(t.symbol === symbol && t.last > 0 && t.high >= t.low && t.open > 0 && Number.isFinite(t.baseVolume) && Number.isFinite(t.percentage) && Number.isInteger(t.timestamp),
      'fetchTicker: symbol, last, open, high>=low, baseVolume, percentage, timestamp', t);
    log('24h ticker', `last=${t.last} change=${t.percentage}% volume=${t.baseVolume}`);
  });

  // --- mark price / premium index ----------------------------------------------------------
  await step('mark price / premium index', async () => {
    const m = await ex.fetchMarkPrice(symbol);
    check(m.symbol === symbol && m.markPrice > 0 && m.indexPrice > 0, 'fetchMarkPrice: markPrice and indexPrice', m);
    const f = await ex.fetchFundingRate(symbol);
    check(f.symbol === symbol && Number.isFinite(f.fundingRate) && f.markPrice > 0 && Number.isInteger(f.fundingTimestamp) && f.fundingTimestamp > f.timestamp,
      'fetchFundingRate: fundingRate, markPrice, next funding after now', f);
    log('mark price', `mark=${m.markPrice} index=${m.indexPrice} funding=${f.fundingRate} next=${f.fundingDatetime}`);
  });

  // --- leverage and margin mode ------------------------------------------------------------
  await step('leverage and margin mode', async () => {
    const lev = await ex.setLeverage(5, symbol);
    check(Number(lev.leverage) === 5 && lev.symbol === market.id, 'setLeverage: {leverage: 5, symbol, …}', lev);
    log('set leverage', `5x, maxNotionalValue=${lev.maxNotionalValue}`);

    // A fresh Binance account trades every symbol in cross margin: the first switch succeeds.
    let first;
    try {
      first = await ex.setMarginMode('isolated', symbol);
    } catch (error) {
      first = `${error.constructor.name}: ${error.message}`;
    }
    check(Number(first.code) === 200 && first.msg === 'success', 'setMarginMode isolated (first call, fresh account): {"code":200,"msg":"success"}', first);
    log('set margin mode', `isolated: ${short(first)}`);
  });
  await step('margin mode again', async () => {
    // ccxt raises MarginModeAlreadySet only when Binance's msg is exactly "No need to change margin type.".
    const { error } = await expectError('setMarginMode isolated again', -4046, [ccxt.MarginModeAlreadySet], ex.setMarginMode('isolated', symbol));
    ex.options.setMarginMode = { ...ex.options.setMarginMode, throwMarginModeAlreadySet: false };
    const swallowed = await ex.setMarginMode('isolated', symbol);
    check(swallowed.code === -4046, 'setMarginMode with throwMarginModeAlreadySet=false: returns {code: -4046}', swallowed);
    log('margin mode again', `-4046 raised as ${error.constructor.name}; with throwMarginModeAlreadySet=false returned ${short(swallowed)}`);
  });

  // --- balance -----------------------------------------------------------------------------
  await step('balance', async () => {
    const balance = await ex.fetchBalance();
    const need = (Number(trade.entryQty) * trade.mark) / 5;
    check(balance.USDT && balance.USDT.free > need * 1.5, `fetchBalance: free USDT covers the entry margin (${need.toFixed(2)})`, balance.USDT);
    log('balance', `USDT free=${balance.USDT.free} total=${balance.USDT.total}`);
  });

  // --- WebSocket: user data (orders) and market streams ------------------------------------
  const seen = [];
  let watching = true;
  let watchError;
  const watchLoop = (async () => {
    while (watching) {
      try {
        const orders = await ex.watchOrders(symbol);
        seen.push(...orders);
      } catch (error) {
        if (watching) watchError = error;
        return;
      }
    }
  })();
  const privateClient = await waitFor('the user data WebSocket (listenKey) to connect', () => {
    if (watchError) throw new CheckFailure(`watchOrders failed: ${watchError.constructor.name}: ${watchError.message}`);
    return Object.values(ex.clients).find((c) => c.url.includes('listenKey=') && c.isConnected);
  }, { timeoutMs: 10000 });
  check(/\/private\/ws\?listenKey=/.test(privateClient.url), 'user data URL: <ws>/private/ws?listenKey=<key>', privateClient.url);
  log('user data stream', privateClient.url.replace(/listenKey=(.{12}).*/, 'listenKey=$1…'));
  await step('market streams', async () => {
    const candles = await ex.watchOHLCV(symbol, '1m');
    const c = candles[candles.length - 1];
    check(c && c.length === 6 && c.every((v) => Number.isFinite(v)) && c[0] % 60000 === 0, 'watchOHLCV 1m: a [t, o, h, l, c, v] candle', c);
    const mark = await ex.watchMarkPrice(symbol);
    check(mark.symbol === symbol && mark.markPrice > 0, 'watchMarkPrice: a markPrice', mark);
    log('market streams', `kline_1m ${ex.iso8601(c[0])} close ${c[4]}; markPrice ${mark.markPrice}`);
    await ex.unWatchOHLCV(symbol, '1m').catch(() => {});
    await ex.unWatchMarkPrice(symbol).catch(() => {});
  });
  const seenOrder = (clientOrderId, status) => seen.find((o) => o.clientOrderId === clientOrderId && o.status === status);

  // --- MARKET entry ------------------------------------------------------------------------
  const qty = Number(trade.entryQty);
  const entryId = `wtp-x-${runId}-in`;
  let entry = await ex.createOrder(symbol, 'market', 'buy', qty, undefined, { clientOrderId: entryId });
  check(entry.id && entry.clientOrderId === entryId && entry.symbol === symbol && entry.side === 'buy' && entry.type === 'market' && entry.amount === qty,
    'createOrder market buy: id, our clientOrderId, symbol, side, type, amount', entry);
  check(['open', 'closed'].includes(entry.status), 'createOrder market: status open or closed', entry.status);
  log('market entry', `buy ${qty} ${symbol} id=${entry.id} clientOrderId=${entryId} status=${entry.status}`);
  if (entry.status !== 'closed') {
    // ccxt sends newOrderRespType=RESULT, for which Binance answers a MARKET order's final FILLED
    // state; the venue fills at the next 1m bar by design (its CLI contract), so only noted.
    log('NOTE', `MARKET with newOrderRespType=RESULT answered ${entry.info.status}; Binance answers the final FILLED result (the venue fills at the next 1m bar)`);
  }
  await step('MARKET entry', async () => {
    const filled = await waitFor(`watchOrders: ${entryId} closed`, () => seenOrder(entryId, 'closed'), { timeoutMs: 20000 });
    check(filled.id === entry.id && filled.filled === qty && filled.average > 0, 'watchOrders fill: same id, filled=amount, average>0', filled);
    entry = await ex.fetchOrder(entry.id, symbol);
    check(entry.status === 'closed' && entry.filled === qty && entry.average > 0 && entry.clientOrderId === entryId, 'fetchOrder: closed, filled, average', entry);
    log('entry filled', `average ${entry.average} (watchOrders closed, fetchOrder closed)`);
  });

  // --- protective orders (routed by ccxt to /fapi/v1/algoOrder) ----------------------------
  const { stopLoss, takeProfit } = protectivePrices(trade);
  const slId = `wtp-x-${runId}-sl`;
  const tpId = `wtp-x-${runId}-tp`;
  const sl = await ex.createOrder(symbol, 'market', 'sell', qty, undefined,
    { stopLossPrice: Number(stopLoss), closePosition: true, workingType: 'MARK_PRICE', clientOrderId: slId });
  const tp = await ex.createOrder(symbol, 'market', 'sell', qty, undefined,
    { takeProfitPrice: Number(takeProfit), closePosition: true, workingType: 'MARK_PRICE', clientOrderId: tpId });
  for (const [order, id, type, trigger] of [[sl, slId, 'STOP_MARKET', stopLoss], [tp, tpId, 'TAKE_PROFIT_MARKET', takeProfit]]) {
    check(order.id && order.clientOrderId === id && order.status === 'open' && order.triggerPrice === Number(trigger) && order.side === 'sell',
      `createOrder ${type}: id (algoId), clientOrderId (clientAlgoId), status open, triggerPrice, side`, order);
    check(order.info.algoType === 'CONDITIONAL' && order.info.orderType === type && order.info.closePosition === true && order.info.algoStatus === 'NEW',
      `createOrder ${type}: the algo answer {algoType CONDITIONAL, orderType, closePosition true, algoStatus NEW}`, order.info);
    log(`algo ${type}`, `trigger ${trigger} closePosition id=${order.id} clientOrderId=${id}`);
  }
  await waitFor('watchOrders: both protective orders open (ALGO_UPDATE)', () => seenOrder(slId, 'open') && seenOrder(tpId, 'open'), { timeoutMs: 5000 });
  await step('fetch algo order', async () => {
    const q = await ex.fetchOrder(sl.id, symbol, { trigger: true });
    check(q.id === sl.id && q.status === 'open' && q.clientOrderId === slId, 'fetchOrder {trigger: true}: the stop, open', q);
    log('fetch algo order', `stop ${q.status} trigger ${q.triggerPrice}`);
  });

  // --- positions ---------------------------------------------------------------------------
  await step('positions', async () => {
    const positions = await ex.fetchPositions([symbol]);
    const p = positions.find((x) => x.symbol === symbol && x.contracts > 0);
    check(p && p.contracts === qty && p.side === 'long' && p.marginMode === 'isolated' && p.entryPrice > 0 && p.markPrice > 0
      && Number.isFinite(p.unrealizedPnl) && p.initialMargin > 0,
    'fetchPositions: long, contracts=qty, marginMode isolated, entryPrice, markPrice, unrealizedPnl, initialMargin', positions);
    check(p.liquidationPrice > 0 && p.liquidationPrice < p.entryPrice, 'fetchPositions: an isolated 5x long has a liquidationPrice below its entry', p.info);
    log('positions', `${p.side} ${p.contracts} @ ${p.entryPrice} mark ${p.markPrice} upnl ${p.unrealizedPnl} ${p.marginMode} liq ${p.liquidationPrice}`);
  });

  // --- open orders and open algo orders ----------------------------------------------------
  await step('open orders and open algo orders', async () => {
    const open = await ex.fetchOpenOrders(symbol);
    check(open.length === 0, 'fetchOpenOrders: no regular open order', open.map((o) => o.info));
    const algo = await ex.fetchOpenOrders(symbol, undefined, undefined, { trigger: true });
    const ids = algo.map((o) => o.clientOrderId).sort();
    check(ids.length === 2 && ids[0] === slId && ids[1] === tpId, 'fetchOpenOrders {trigger: true}: our stop and take-profit', algo.map((o) => o.info));
    log('open orders', `0 regular, ${algo.length} trigger (${algo.map((o) => o.info.orderType).join(', ')})`);
  });

  // --- cancel the take-profit --------------------------------------------------------------
  await step('cancel the take-profit', async () => {
    const c = await ex.cancelOrder(tp.id, symbol, { trigger: true });
    check(c.id === tp.id && String(c.info.code) === '200' && c.info.msg === 'success', 'cancelOrder {trigger: true}: {algoId, code 200, msg success}', c.info);
    await waitFor('watchOrders: the take-profit canceled (ALGO_UPDATE)', () => seenOrder(tpId, 'canceled'), { timeoutMs: 5000 });
    const q = await ex.fetchOrder(tp.id, symbol, { trigger: true });
    check(q.status === 'canceled', 'fetchOrder {trigger: true} after cancel: canceled', q);
    const algo = await ex.fetchOpenOrders(symbol, undefined, undefined, { trigger: true });
    check(algo.length === 1 && algo[0].clientOrderId === slId, 'fetchOpenOrders {trigger: true} after cancel: the stop only', algo.map((o) => o.info));
    log('cancel take-profit', `id=${tp.id} canceled; the stop stays open`);
  });

  // --- expected errors ---------------------------------------------------------------------
  await step('error -4120', async () => {
    // ccxt itself routes conditionals to the algo endpoint; the implicit API sends the old request.
    const { body } = await expectError('STOP_MARKET on POST /fapi/v1/order', -4120, [ccxt.ExchangeError],
      ex.fapiPrivatePostOrder({ symbol: market.id, side: 'SELL', type: 'STOP_MARKET', quantity: trade.entryQty, stopPrice: stopLoss, newClientOrderId: `wtp-x-${runId}-4120` }));
    log('error -4120', `"${body.msg}"`);
  });
  await step('error -1022', async () => {
    const wrong = await makeExchange(venue.apiSecret.split('').reverse().join(''));
    wrong.markets = ex.markets;
    wrong.markets_by_id = ex.markets_by_id;
    const { error, body } = await expectError('fetchBalance signed with the wrong secret', -1022, [ccxt.AuthenticationError, ccxt.BadRequest], wrong.fetchBalance());
    check(body.msg === 'Signature for this request is not valid.', '-1022 msg "Signature for this request is not valid."', body.msg);
    log('error -1022', `"${body.msg}" (${error.constructor.name})`);
    await wrong.close();
  });
  await step('error -4164', async () => {
    check(tiny, 'markets: some symbol whose smallest MARKET quantity is worth less than its MIN_NOTIONAL (needed for -4164)', 'none');
    const tinyMarket = swaps.find((m) => m.id === tiny.symbol);
    const { error, body } = await expectError(`createOrder market ${tiny.tinyQty} ${tinyMarket.symbol} (≈${tiny.tinyNotional.toFixed(4)} < ${tiny.minNotional})`,
      -4164, [ccxt.ExchangeError], ex.createOrder(tinyMarket.symbol, 'market', 'buy', Number(tiny.tinyQty), undefined, { clientOrderId: `wtp-x-${runId}-4164` }));
    check(/notional/i.test(body.msg), '-4164 msg names the notional', body.msg);
    log('error -4164', `"${body.msg}" (${error.constructor.name})`);
  });

  // --- close reduce-only, flat, clear the stop ---------------------------------------------
  await step('close reduce-only, flat, clear the stop', async () => {
    const closeId = `wtp-x-${runId}-out`;
    const close = await ex.createOrder(symbol, 'market', 'sell', qty, undefined, { reduceOnly: true, clientOrderId: closeId });
    check(close.clientOrderId === closeId && close.reduceOnly === true, 'createOrder reduceOnly: our clientOrderId, reduceOnly true', close);
    const filled = await waitFor(`watchOrders: ${closeId} closed`, () => seenOrder(closeId, 'closed'), { timeoutMs: 20000 });
    check(filled.filled === qty && filled.average > 0, 'close fill: filled=amount, average', filled);
    const positions = await ex.fetchPositions([symbol]);
    check(positions.every((p) => !(p.contracts > 0)), 'fetchPositions after the close: flat', positions);
    log('close', `sell ${qty} reduceOnly filled at ${filled.average}; flat`);

    await ex.cancelAllOrders(symbol, { trigger: true });
    const algo = await ex.fetchOpenOrders(symbol, undefined, undefined, { trigger: true });
    check(algo.length === 0, 'fetchOpenOrders {trigger: true} at the end: none', algo.map((o) => o.info));
    log('clean up', 'cancelAllOrders {trigger: true}: no open algo order left');
  });

  watching = false;
  await ex.close();
  await Promise.race([watchLoop, sleep(1000)]);
});
