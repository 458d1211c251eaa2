// Top self-time functions of a V8 .cpuprofile: node bench/profile-top.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, n = '30'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const self = new Map();
const dt = prof.timeDeltas;
let total = 0;
prof.samples.forEach((id, i) => {
  const node = byId.get(id);
  const f = node.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  total += dt[i] ?? 0;
});
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
for (const [k, v] of rows)
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);

// inclusive time of the functions named in PROFILE_INCLUSIVE (comma-separated), outermost frame only
const wanted = (process.env.PROFILE_INCLUSIVE ?? '').split(',').filter(Boolean);
if (wanted.length) {
  const parent = new Map();
  for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const incl = new Map(wanted.map((w) => [w, 0]));
  prof.samples.forEach((id, i) => {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      if (incl.has(name) && !seen.has(name)) {
        seen.add(name);
        incl.set(name, incl.get(name) + (dt[i] ?? 0));
      }
    }
  });
  for (const [k, v] of incl) console.log(`inclusive ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
