// winiswin's live dashboard: the status the engine publishes, pushed over the WebSocket
// /api/stream (the bearer token, when the server has one, is its first message), and the
// journal's equity and events fetched from /api/* when a new decision shows. Plain script,
// no build step; charts by the same lightweight-charts the backtest report embeds.
'use strict';

const page = { token: '', equity: new Map(), equityFrom: 0, lastDecision: null, socket: null, charts: null };

function tokenFromLocation() {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('winiswin-token', decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem('winiswin-token') || '';
}

function headers() { return page.token ? { Authorization: 'Bearer ' + page.token } : {}; }

async function api(path, method) {
  const response = await fetch(path, { method: method || 'GET', headers: headers() });
  if (response.status === 401) { askForToken(); throw new Error(path + ': 401'); }
  return response.json();
}

function askForToken() { document.getElementById('token-form').hidden = false; }

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === undefined || text === null ? '' : String(text);
  if (className) td.className = className;
  return td;
}

function fill(tableId, rows, draw) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  for (const row of rows) draw(body.insertRow(), row);
  document.getElementById(tableId).dataset.rows = String(rows.length);
}

const number = (value, digits) => (value === null || value === undefined ? '–' : Number(value).toFixed(digits));
const price = (value) => (value === null || value === undefined ? '–' : String(Number(value.toPrecision(8))));
const percent = (ratio) => number(100 * ratio, 2) + ' %';
const shortTime = (utc) => (utc ? utc.slice(5, 16) : '–');

function drawCards(state, health) {
  document.getElementById('mode').textContent = state.mode;
  document.getElementById('equity').textContent = number(state.equity, 2);
  document.getElementById('drawdown').textContent = percent(state.drawdown);
  document.getElementById('state').textContent = state.trading_state;
  document.getElementById('breaker').textContent = state.breaker;
  document.getElementById('win-rate').textContent = percent(state.win_rate);
  document.getElementById('last-decision').textContent = shortTime(state.last_decision_utc);
  document.getElementById('decisions').textContent = state.counters.decisions;
  document.getElementById('cycle').textContent = number(1000 * state.last_cycle_seconds, 1) + ' ms';
  document.getElementById('paused').hidden = !state.paused;
  const badge = document.getElementById('health');
  badge.textContent = health.status === 'ok' ? 'healthy' : 'failing: ' + health.failing.join(', ');
  badge.className = 'badge' + (health.status === 'ok' ? '' : ' bad');
  document.body.dataset.equity = String(state.equity);
  document.body.dataset.paused = String(state.paused);
}

function closeButton(row, symbol) {
  const button = document.createElement('button');
  button.textContent = 'close';
  button.onclick = () => control('close?symbol=' + encodeURIComponent(symbol));
  row.insertCell().appendChild(button);
}

function drawTables(bundle) {
  fill('positions', bundle.positions, (row, p) => {
    row.dataset.symbol = p.symbol;
    row.dataset.decided = String(p.decided);
    cell(row, p.symbol); cell(row, p.side, p.side); cell(row, p.filled ? 'yes' : 'pending'); cell(row, p.quantity);
    cell(row, price(p.entry_price)); cell(row, price(p.stop)); cell(row, price(p.target)); cell(row, p.rank); cell(row, number(p.confidence, 3));
    closeButton(row, p.symbol);
  });
  document.getElementById('signals-time').textContent = bundle.signals.decision_utc || '';
  fill('signals', bundle.signals.signals, (row, s) => {
    const c = s.components;
    cell(row, s.rank); cell(row, s.symbol); cell(row, s.side, s.side); cell(row, s.real ? 'real' : 'virtual', s.real ? '' : 'virtual');
    cell(row, number(s.score, 3)); cell(row, number(s.confidence, 3)); cell(row, s.ml_probability === null ? '–' : number(s.ml_probability, 3));
    for (const part of [c.trend, c.structure, c.position, c.momentum, c.volatility]) cell(row, number(part, 2));
    cell(row, price(s.entry)); cell(row, price(s.stop)); cell(row, price(s.target));
  });
  fill('virtuals', bundle.virtual, (row, v) => {
    cell(row, v.symbol); cell(row, v.side, v.side); cell(row, v.rank); cell(row, shortTime(v.decided_utc));
    cell(row, price(v.entry)); cell(row, price(v.stop)); cell(row, price(v.target));
  });
  fill('controls', bundle.control.actions.slice().reverse(), (row, a) => {
    cell(row, shortTime(a.applied_utc)); cell(row, a.action + (a.symbol ? ' ' + a.symbol : '')); cell(row, a.who); cell(row, a.ok ? 'ok' : 'refused'); cell(row, a.result);
  });
  document.getElementById('log').textContent = (bundle.log || []).join('\n');
}

function makeCharts() {
  if (!window.LightweightCharts) return null;
  const options = (id) => ({ height: 220, width: document.getElementById(id).clientWidth || 400, timeScale: { timeVisible: true } });
  const equityChart = LightweightCharts.createChart(document.getElementById('equity-chart'), options('equity-chart'));
  const drawdownChart = LightweightCharts.createChart(document.getElementById('drawdown-chart'), options('drawdown-chart'));
  return {
    equity: equityChart.addLineSeries({ color: '#1565c0' }),
    drawdown: drawdownChart.addAreaSeries({ lineColor: '#c62828', topColor: 'rgba(198,40,40,0.05)', bottomColor: 'rgba(198,40,40,0.4)' }),
    fit: () => { equityChart.timeScale().fitContent(); drawdownChart.timeScale().fitContent(); },
  };
}

// The journal's equity marks since the last read, merged by time; drawdown from the running peak.
async function refreshEquity() {
  // from= takes epoch milliseconds (13 digits): the first read takes everything.
  const points = await api(page.equityFrom ? '/api/equity?from=' + page.equityFrom : '/api/equity');
  if (!Array.isArray(points)) throw new Error('/api/equity: ' + JSON.stringify(points));
  for (const point of points) page.equity.set(Math.floor(point.time / 1000), point.equity);
  if (points.length) page.equityFrom = points[points.length - 1].time;
  const times = Array.from(page.equity.keys()).sort((a, b) => a - b);
  let peak = -Infinity;
  const line = [], drawdown = [];
  for (const time of times) {
    const value = page.equity.get(time);
    peak = Math.max(peak, value);
    line.push({ time, value });
    drawdown.push({ time, value: peak > 0 ? -100 * (peak - value) / peak : 0 });
  }
  document.body.dataset.equityPoints = String(line.length);
  if (!page.charts) page.charts = makeCharts();
  if (!page.charts) return;
  page.charts.equity.setData(line);
  page.charts.drawdown.setData(drawdown);
  page.charts.fit();
}

async function refreshEvents() {
  const events = await api('/api/events');
  if (!events.transitions) throw new Error('/api/events: ' + JSON.stringify(events));
  const changes = events.transitions.map((t) => ({ time: t.time, utc: t.time_utc, what: 'state ' + t.from + ' → ' + t.to, reason: t.reason }))
    .concat(events.breaker.map((b) => ({ time: b.time, utc: b.time_utc, what: 'breaker ' + b.from + ' → ' + b.to, reason: b.reason })))
    .sort((a, b) => b.time - a.time);
  fill('transitions', changes, (row, c) => { cell(row, shortTime(c.utc)); cell(row, c.what); cell(row, c.reason); });
  fill('refusals', events.refusals.slice().reverse(), (row, r) => {
    cell(row, shortTime(r.decided_utc)); cell(row, r.symbol); cell(row, '#' + r.rank); cell(row, r.rule); cell(row, r.reason);
  });
}

function onBundle(bundle) {
  drawCards(bundle.state, bundle.health);
  drawTables(bundle);
  document.body.dataset.updates = String(Number(document.body.dataset.updates) + 1);
  document.body.dataset.positions = String(bundle.positions.length);
  const decision = bundle.state.last_decision;
  if (decision !== page.lastDecision || !page.charts) {
    page.lastDecision = decision;
    refreshEquity().catch((error) => console.warn(error));
    refreshEvents().catch((error) => console.warn(error));
  }
}

function setConnected(connected) {
  const badge = document.getElementById('connection');
  badge.textContent = connected ? 'live' : 'offline';
  badge.className = 'badge' + (connected ? '' : ' bad');
  document.body.dataset.connected = String(connected);
}

function connect() {
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/stream');
  page.socket = socket;
  socket.onopen = () => { socket.send(page.token); setConnected(true); };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.error) askForToken(); else onBundle(message);
  };
  socket.onclose = () => { setConnected(false); setTimeout(connect, 2000); };
}

// A control action (the token is needed: 403 without one configured, 401 without the bearer);
// what came of it is shown beside the buttons.
async function control(action) {
  const shown = document.getElementById('control-result');
  try {
    const answer = await api('/api/control/' + action, 'POST');
    shown.textContent = answer.error ? answer.error : answer.action + ': ' + answer.result;
  } catch (error) {
    shown.textContent = String(error);
  }
}

function start() {
  page.token = tokenFromLocation();
  document.getElementById('token-form').onsubmit = (event) => {
    event.preventDefault();
    page.token = document.getElementById('token').value;
    sessionStorage.setItem('winiswin-token', page.token);
    document.getElementById('token-form').hidden = true;
    if (page.socket) page.socket.close();
  };
  document.getElementById('pause').onclick = () => control('pause');
  document.getElementById('resume').onclick = () => control('resume');
  connect();
}

start();
