// Parses a Prometheus text exposition (format 0.0.4) from stdin with a parser we did not write
// (parse-prometheus-text-format, a port of Prometheus' Python client parser), and checks what
// that parser lets pass but the format requires: names and label names by the grammar, every
// sample value a float as Go reads it, # HELP and # TYPE once per family and before its
// samples, a family's samples together, histogram buckets cumulative and ending at le="+Inf"
// equal to _count. Prints the parser's families as JSON on stdout; on a violation prints
// "FAIL: <line>: <why>" on stderr and exits 1.
//
//   node tests/thirdparty/prometheus_parse.js < metrics.txt
import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const text = readFileSync(0, 'utf8');
const fail = (lineNo, why) => {
  console.error(`FAIL: line ${lineNo}: ${why}`);
  process.exit(1);
};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/;
const LABEL = /\s*([^=\s]+)\s*=\s*"((?:[^"\\]|\\[\\"n])*)"\s*(,|$)/y;

if (!text.endsWith('\n')) fail('end', 'the exposition must end with a line feed');
const families = new Map();  // name → { help, type, done }
let current = null;
const familyOf = (sampleName) => {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = sampleName.endsWith(suffix) ? sampleName.slice(0, -suffix.length) : null;
    if (base && families.get(base)?.type === 'histogram') return base;
  }
  return sampleName;
};
const buckets = new Map();  // histogram → [{le, value}], and its count
const lines = text.slice(0, -1).split('\n');
lines.forEach((line, idx) => {
  const lineNo = idx + 1;
  if (line.startsWith('#')) {
    const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (!match) return;  // a plain comment
    const [, kind, name, rest] = match;
    if (!NAME.test(name)) fail(lineNo, `bad metric name ${name}`);
    const family = families.get(name) ?? { help: null, type: null, sampled: false };
    if (family.sampled) fail(lineNo, `# ${kind} ${name} after its samples`);
    if (kind === 'HELP') {
      if (family.help !== null) fail(lineNo, `second # HELP for ${name}`);
      family.help = rest;
    } else {
      if (family.type !== null) fail(lineNo, `second # TYPE for ${name}`);
      if (!TYPES.has(rest)) fail(lineNo, `unknown type ${rest}`);
      family.type = rest;
    }
    families.set(name, family);
    return;
  }
  if (line.trim() === '') fail(lineNo, 'an empty line');
  const sample = SAMPLE.exec(line);
  if (!sample) fail(lineNo, `not a sample line: ${line}`);
  const [, name, labelText, value] = sample;
  if (!VALUE.test(value)) fail(lineNo, `value ${value} is not a float`);
  const base = familyOf(name);
  const family = families.get(base);
  if (!family || family.help === null || family.type === null) fail(lineNo, `${name} without # HELP and # TYPE before it`);
  if (current !== base && family.sampled) fail(lineNo, `${base}'s samples are not together`);
  current = base;
  family.sampled = true;
  const labels = {};
  if (labelText !== undefined && labelText !== '') {
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const label = LABEL.exec(labelText);
      if (!label) fail(lineNo, `bad labels {${labelText}}`);
      if (!LABEL_NAME.test(label[1])) fail(lineNo, `bad label name ${label[1]}`);
      if (label[1] in labels) fail(lineNo, `label ${label[1]} twice`);
      labels[label[1]] = label[2];
      if (label[3] === '') break;
    }
  }
  if (family.type === 'histogram') {
    const entry = buckets.get(base) ?? { bounds: [], count: null };
    if (name === `${base}_bucket`) {
      if (!('le' in labels)) fail(lineNo, `${name} without le`);
      entry.bounds.push({ le: labels.le === '+Inf' ? Infinity : Number(labels.le), value: Number(value), lineNo });
    } else if (name === `${base}_count`) {
      entry.count = Number(value);
    }
    buckets.set(base, entry);
  }
});
for (const [name, { bounds, count }] of buckets) {
  for (let idx = 1; idx < bounds.length; ++idx) {
    if (!(bounds[idx].le > bounds[idx - 1].le)) fail(bounds[idx].lineNo, `${name}: le not increasing`);
    if (bounds[idx].value < bounds[idx - 1].value) fail(bounds[idx].lineNo, `${name}: buckets not cumulative`);
  }
  const last = bounds[bounds.length - 1];
  if (!last || last.le !== Infinity) fail('end', `${name}: no le="+Inf" bucket`);
  if (last.value !== count) fail(last.lineNo, `${name}: le="+Inf" ${last.value} != _count ${count}`);
}

let parsed;
try {
  parsed = parsePrometheusTextFormat(text);
} catch (error) {
  fail('?', `parse-prometheus-text-format: ${error.message}`);
}
process.stdout.write(JSON.stringify(parsed));
