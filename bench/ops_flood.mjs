// Floods one URL with `concurrency` keep-alive GET loops for `seconds`; prints requests/s.
//   node bench/ops_flood.mjs http://127.0.0.1:PORT/metrics 20 8
const [url, seconds, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const until = Date.now() + seconds * 1000;
let requests = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (Date.now() < until) {
    const response = await fetch(url);
    await response.text();
    ++requests;
  }
}));
console.log(JSON.stringify({ url, requests, per_second: Math.round(requests / seconds) }));
