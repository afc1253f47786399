// Shared helpers of the third-party client runs: the venue's address, the test keys, one-line
// step logging, assertions that stop the run on the first failure, and decimal arithmetic on
// exchange filters. Nothing here knows about the venue's implementation: the expectations in
// the run scripts come from Binance's documentation and the clients' own sources.

// Binance's official HMAC test vector (spec/signing.md): any fixed key pair works, the venue
// takes its pair from the same environment variables.
export const DEFAULT_API_KEY = 'dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83';
export const DEFAULT_API_SECRET = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9';

export class CheckFailure extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckFailure';
  }
}

// The venue's base URL: argv[2], else VENUE_URL. Returns the REST and WebSocket bases.
export function venueFromArgs(scriptName) {
  const raw = process.argv[2] || process.env.VENUE_URL;
  if (!raw) {
    console.error(`usage: node ${scriptName} http://127.0.0.1:PORT   (or VENUE_URL=...)`);
    process.exit(2);
  }
  const rest = raw.replace(/\/+$/, '');
  if (!/^http:\/\/[^/]+$/.test(rest)) {
    console.error(`${scriptName}: the venue URL must be http://host:port, got ${raw}`);
    process.exit(2);
  }
  return {
    rest,
    ws: rest.replace(/^http:/, 'ws:'),
    apiKey: process.env.BINANCE_API_KEY || DEFAULT_API_KEY,
    apiSecret: process.env.BINANCE_API_SECRET || DEFAULT_API_SECRET,
  };
}

// One line per step: "[client] step-name: detail".
export function makeLogger(client) {
  const started = Date.now();
  return (step, detail = '') => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    console.log(`[${client} +${seconds}s] ${step}${detail ? ': ' + detail : ''}`);
  };
}

// THIRDPARTY_KEEP_GOING=1 (for investigating a venue): a failed check is reported and the run
// goes on as far as it can; it still exits 1. By default the first failure stops the run.
const keepGoing = process.env.THIRDPARTY_KEEP_GOING === '1';
const failures = [];

export function check(condition, what, got) {
  if (!condition) {
    const shown = got === undefined ? '' : ` — got ${short(got)}`;
    if (!keepGoing) throw new CheckFailure(`${what}${shown}`);
    failures.push(what);
    console.error(`FAIL (going on): ${what}${shown}`);
  }
  return Boolean(condition);
}

export function short(value, max = 600) {
  let text;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > max ? text.slice(0, max) + '…' : text;
}

export const isDecimalString = (v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v);
export const isInteger = (v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
export const toNumber = (v) => (typeof v === 'bigint' ? Number(v) : Number(v));

// Decimal places of a step such as "0.00100000" (trailing zeros do not count).
export function decimalsOf(step) {
  const text = String(step);
  if (!text.includes('.')) return 0;
  return text.replace(/0+$/, '').split('.')[1].length;
}

// Rounds value to a multiple of step (floor, ceil or nearest), as a plain decimal string.
export function roundToStep(value, step, mode = 'nearest') {
  const decimals = decimalsOf(step);
  const scale = 10 ** decimals;
  const units = Math.round(Number(step) * scale);
  const raw = (value * scale) / units;
  const n = mode === 'floor' ? Math.floor(raw + 1e-9) : mode === 'ceil' ? Math.ceil(raw - 1e-9) : Math.round(raw);
  return ((n * units) / scale).toFixed(decimals);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls fn until it returns a truthy value or the time is up (then: a CheckFailure).
export async function waitFor(what, fn, { timeoutMs = 15000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new CheckFailure(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function filterOf(symbolInfo, type) {
  return (symbolInfo.filters || []).find((f) => f.filterType === type);
}

// The exchangeInfo symbols a USDⓈ-M crypto bot trades (changes-2026.md: PERPETUAL, USDT, TRADING).
export function tradableSymbols(exchangeInfo) {
  return (exchangeInfo.symbols || []).filter(
    (s) => s.contractType === 'PERPETUAL' && s.quoteAsset === 'USDT' && s.status === 'TRADING',
  );
}

// Picks (a) a symbol to trade, with an entry quantity worth about twice the minimum notional,
// and (b) a symbol (maybe the same) whose smallest legal MARKET quantity is below the minimum
// notional at the mark price, for the -4164 check. `marks` maps symbol -> mark price.
export function planSymbols(exchangeInfo, marks, preferIndex = 0) {
  const candidates = [];
  for (const s of tradableSymbols(exchangeInfo)) {
    const lot = filterOf(s, 'MARKET_LOT_SIZE') || filterOf(s, 'LOT_SIZE');
    const price = filterOf(s, 'PRICE_FILTER');
    const notional = filterOf(s, 'MIN_NOTIONAL');
    const percent = filterOf(s, 'PERCENT_PRICE');
    const mark = marks.get(s.symbol);
    if (!lot || !price || !notional || !mark || !(mark > 0)) continue;
    if (!(s.orderTypes || []).includes('STOP_MARKET') || !(s.orderTypes || []).includes('TAKE_PROFIT_MARKET')) continue;
    const minNotional = Number(notional.notional);
    const minQty = Math.max(Number(lot.minQty), Number(lot.stepSize));
    const entryQty = roundToStep(Math.max((2 * minNotional) / mark, minQty), lot.stepSize, 'ceil');
    if (Number(lot.maxQty) > 0 && Number(entryQty) > Number(lot.maxQty)) continue;
    candidates.push({
      info: s, symbol: s.symbol, mark, lot, price, percent, minNotional, minQty,
      entryQty, tinyQty: roundToStep(minQty, lot.stepSize, 'ceil'), tinyNotional: minQty * mark,
    });
  }
  if (candidates.length === 0) return {};
  const trade = candidates[Math.min(preferIndex, candidates.length - 1)];
  const tiny = candidates.find((c) => c.tinyNotional < c.minNotional * 0.9);
  return { trade, tiny, count: candidates.length };
}

// Protective trigger prices for a long entered near `mark`: halfway into the PERCENT_PRICE
// band (or ±5 % without one), on the tick grid.
export function protectivePrices(plan) {
  const up = plan.percent ? Number(plan.percent.multiplierUp) : 1.1;
  const down = plan.percent ? Number(plan.percent.multiplierDown) : 0.9;
  const tp = plan.mark * (1 + Math.max((up - 1) / 2, 0.02));
  const sl = plan.mark * (1 - Math.max((1 - down) / 2, 0.02));
  return {
    stopLoss: roundToStep(sl, plan.price.tickSize, 'floor'),
    takeProfit: roundToStep(tp, plan.price.tickSize, 'ceil'),
  };
}

// Runs the script body; reports the first failure and exits non-zero; exits 0 on success.
export async function main(client, body) {
  const log = makeLogger(client);
  const watchdogMs = Number(process.env.THIRDPARTY_TIMEOUT_MS || 180000);
  const watchdog = setTimeout(() => {
    console.error(`[${client}] FAIL: the run did not finish within ${watchdogMs} ms`);
    process.exit(1);
  }, watchdogMs);
  try {
    await body(log);
    clearTimeout(watchdog);
    if (failures.length > 0) {
      console.error(`[${client}] FAIL: ${failures.length} check(s) failed (THIRDPARTY_KEEP_GOING)`);
      process.exit(1);
    }
    log('PASS', 'every step answered as Binance documents');
    process.exit(0);
  } catch (error) {
    clearTimeout(watchdog);
    const kind = error instanceof CheckFailure ? 'FAIL' : `FAIL (${error && error.name})`;
    console.error(`[${client}] ${kind}: ${error && error.message}`);
    if (!(error instanceof CheckFailure) && error && error.stack) console.error(error.stack);
    process.exit(1);
  }
}

// A step of the run. By default a failure stops the run; with THIRDPARTY_KEEP_GOING=1 it is
// reported and the run goes on with the next step.
export async function step(name, fn) {
  try {
    return await fn();
  } catch (error) {
    if (!keepGoing) throw error;
    failures.push(name);
    console.error(`FAIL (going on) in step "${name}": ${error && error.name}: ${error && error.message}`);
    return undefined;
  }
}
