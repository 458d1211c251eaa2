// In process: each rule's CPU per analysed text, and the whole analysis's, as
// the server's session runs it (open, 5 one-character edits at the end of the
// middle RUN/COPY line) on the given Dockerfiles with their workspace, after 20
// warm-up repetitions (REPS in the environment, default 200; V8 optimizes by then).
// GAP=35 in the environment: the thread sleeps that many ms before each text, as
// between two keystrokes (what a rule costs once the caches have cooled down).
// --alloc: also samples every allocation (collected ones too) and prints the
// total and the functions that allocate most: what the garbage collector pays for.
//   node --import tsx bench/rule-times.ts WORKSPACE FILE... [--alloc]
import { readFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector';
import * as path from 'node:path';
import { Session } from '../server/src/engine/session';
import { RULES } from '../server/src/rules/registry';
import type { RuleContext } from '../server/src/rules/rule';
import { pause, typingSpot } from './util';

const args = process.argv.slice(2).filter((a) => a !== '--alloc');
const alloc = process.argv.includes('--alloc');
const root = path.resolve(args[0]);
const files = args.slice(1).map((f) => path.resolve(f));
const reps = Number(process.env.REPS ?? 200);
const gap = Number(process.env.GAP ?? 0);
const times = new Map<string, number>();
for (const rule of RULES) {
  const check = rule.check.bind(rule);
  rule.check = (ctx: RuleContext) => {
    const t = process.hrtime.bigint();
    try {
      check(ctx);
    } finally {
      times.set(rule.id, (times.get(rule.id) ?? 0) + Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
}
const session = new Session();
session.addWorkspace(root);
let total = 0;
let n = 0;

function run(): void {
  for (let rep = 0; rep < reps; rep++) {
    if (rep === Math.min(20, reps - 1)) {
      times.clear();
      total = 0;
      n = 0;
    }
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const { line } = typingSpot(text);
      const lines = text.split('\n');
      for (let i = 0; i < 6; i++) {
        if (i) lines[line] += 'x';
        session.openDocument(f, lines.join('\n'), i + 1);
        if (gap) pause(gap);
        const t = process.hrtime.bigint();
        session.analyzeDocument(f, {});
        total += Number(process.hrtime.bigint() - t) / 1e6;
        n++;
      }
      session.closeDocument(f, 'dockerfile');
    }
  }
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

async function main(): Promise<void> {
  if (!alloc) return run();
  const inspector = new Inspector();
  inspector.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => inspector.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  run();
  const { profile } = await post<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
  const bySite = new Map<string, number>();
  let bytes = 0;
  const walk = (node: ProfileNode) => {
    const f = node.callFrame;
    const site = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    bytes += node.selfSize;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  console.log(`allocated (sampled, all runs): ${(bytes / 1e6).toFixed(0)} MB`);
  for (const [site, b] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`  ${(b / 1e6).toFixed(1).padStart(7)} MB ${site}`);
}

void main().then(report);

function report(): void {
  const sum = [...times.values()].reduce((a, b) => a + b, 0);
  console.log(
    `analysis ${(total / n).toFixed(3)} ms per text, of which the rules ${(sum / n).toFixed(3)} (${n} texts)`,
  );
  for (const [id, t] of [...times].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${id} ${(t / n).toFixed(4)}`);
}
