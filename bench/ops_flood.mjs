// Floods one URL for `seconds` with `concurrency` loops; prints what it did.
//   node bench/ops_flood.mjs http://127.0.0.1:PORT/metrics 20 8      keep-alive GETs, requests/s
//   node bench/ops_flood.mjs ws://127.0.0.1:PORT/api/stream 20 8     dashboard WebSocket clients: each
//     connects, sends WINISWIN_HTTP_TOKEN first when set, takes PUSHES pushes (default 3), closes
//     and connects again — the server's per-connection work (handshake, first bundle) at its most
const [url, seconds, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const until = Date.now() + seconds * 1000;

async function flood_http() {
  let requests = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      const response = await fetch(url);
      await response.text();
      ++requests;
    }
  }));
  return { requests, per_second: Math.round(requests / seconds) };
}

async function flood_websocket() {
  // The `ws` client from tests/thirdparty (Node 18 has no WebSocket of its own).
  const { default: WebSocket } = await import(new URL('../tests/thirdparty/node_modules/ws/index.js', import.meta.url));
  const wanted = Number(process.env.PUSHES || 3);
  let connections = 0, pushes = 0, failures = 0;
  const session = () => new Promise((done) => {
    const socket = new WebSocket(url);
    let received = 0;
    socket.on('open', () => { if (process.env.WINISWIN_HTTP_TOKEN) socket.send(process.env.WINISWIN_HTTP_TOKEN); });
    socket.on('message', () => { ++pushes; if (++received >= wanted || Date.now() >= until) socket.close(); });
    socket.on('error', () => { ++failures; });
    socket.on('close', () => { ++connections; done(); });
  });
  await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < until) await session(); }));
  return { connections, pushes, failures, connections_per_second: Math.round(connections / seconds) };
}

const result = url.startsWith('ws') ? await flood_websocket() : await flood_http();
console.log(JSON.stringify({ url, ...result }));
