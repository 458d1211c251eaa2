// Top functions of a V8 .cpuprofile by self time, or with --inclusive by the
// time spent in them and what they call: node bench/profile-top.mjs FILE [N] [--inclusive]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const inclusive = args.includes('--inclusive');
const [file, n = '30'] = args.filter((a) => a !== '--inclusive');
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const keyOf = (node) => {
  const f = node.callFrame;
  return `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
};
const time = new Map();
const dt = prof.timeDeltas;
let total = 0;
prof.samples.forEach((id, i) => {
  const d = dt[i] ?? 0;
  total += d;
  if (!inclusive) {
    const key = keyOf(byId.get(id));
    time.set(key, (time.get(key) ?? 0) + d);
    return;
  }
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = keyOf(byId.get(at));
    if (seen.has(key)) continue;
    seen.add(key);
    time.set(key, (time.get(key) ?? 0) + d);
  }
});
const rows = [...time].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
for (const [k, v] of rows)
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
