// The fuzzer: `node --import tsx test/fuzz/fuzz.ts [--seconds 60] [--seed 1] [--start 0] [--count N]
//   [--budget-ms 500] [--hang-ms 20000] [--no-save] [--report bench/results/fuzz.md] [--json out.json]
//   [--max-fixes N] [--hover-samples N]` (the last two make the oracle cheaper for long runs:
//   N single fixes per analysis and N hover positions past the corners, sampled from the input's hash)
// Inputs are a pure function of (seed, index): N processes with disjoint ranges (`--start k*M --count M`)
// run disjoint inputs, and test/fuzz/merge.ts adds up their --json summaries.
// A child process runs inputs (seed, n), n = start, start+1, …; this process
// watches it: an input that runs past --hang-ms is a hang (the child is killed
// and restarted after it), a child that dies is a crash. Failing inputs are
// minimized and saved to test/fixtures/fuzz-regressions/, once per distinct
// failure signature; test/fuzz/regressions.test.ts replays them. Exit code 1
// when a failure was found that no saved regression already covers.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadCorpus, makeInput, inputHash, type Corpus } from './generate';
import { checkInput, signature, type Failure } from './oracle';
import { minimize } from './minimize';
import { loadRegressions, saveRegression } from './regressions';

interface Args {
  seconds: number;
  seed: number;
  start: number;
  /** inputs to run from start (with --seconds unset: until they are done) */
  count?: number;
  json?: string;
  budgetMs: number;
  hangMs: number;
  save: boolean;
  report?: string;
  child: boolean;
  /** cheaper oracle for long runs: fixes applied one by one per analysis, hover positions past the corners */
  maxFixes?: number;
  hoverSamples?: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 60, seed: 1, start: 0, budgetMs: 500, hangMs: 20_000, save: true, child: false };
  let secondsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i];
    switch (argv[i]) {
      case '--seconds':
        a.seconds = Number(v());
        secondsGiven = true;
        break;
      case '--count':
        a.count = Number(v());
        break;
      case '--json':
        a.json = v();
        break;
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        process.exit(0);
        break;
      case '--seed':
        a.seed = Number(v());
        break;
      case '--start':
        a.start = Number(v());
        break;
      case '--budget-ms':
        a.budgetMs = Number(v());
        break;
      case '--hang-ms':
        a.hangMs = Number(v());
        break;
      case '--no-save':
        a.save = false;
        break;
      case '--report':
        a.report = v();
        break;
      case '--max-fixes':
        a.maxFixes = Number(v());
        break;
      case '--hover-samples':
        a.hoverSamples = Number(v());
        break;
      case '--child':
        a.child = true;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]} (see --help)`);
    }
  }
  for (const [k, x] of Object.entries(a)) if (typeof x === 'number' && !(x >= 0)) throw new Error(`bad --${k}: ${x}`);
  // a counted run goes until its inputs are done unless a time limit is given too
  if (a.count !== undefined && !secondsGiven) a.seconds = Infinity;
  return a;
}

const HELP = `Usage: node --import tsx test/fuzz/fuzz.ts [options]
  --seconds S        stop after S seconds (default 60; no limit with --count alone)
  --seed N           which input stream (default 1); input (seed, n) is always the same text
  --start N          first input index (default 0)
  --count N          run inputs start … start+N-1, then stop
  --budget-ms MS     CPU ms one call may take before it counts as slow (default 500)
  --hang-ms MS       wall ms an input may take before the child is killed as hung (default 20000)
  --max-fixes N      single fixes checked per analysis, sampled (default: the first 25)
  --hover-samples N  hover positions per analysis past the fixed corners (default: all)
  --no-save          do not minimize and save new failures to test/fixtures/fuzz-regressions/
  --report FILE      write the Markdown summary there too
  --json FILE        write the summary as JSON (add several up with test/fuzz/merge.ts)
Several processes: give each its own range, e.g. for 100,000 inputs on 2 processes
  --seed 1 --start 0 --count 50000 --json a.json   and   --seed 1 --start 50000 --count 50000 --json b.json
then: node --import tsx test/fuzz/merge.ts a.json b.json
`;

// ---------------------------------------------------------------- child

type ToParent =
  | { type: 'begin'; n: number }
  | {
      type: 'done';
      n: number;
      cpuMs: number;
      slowest: { ms: number; where: string };
      lintCalls: number;
      stageMs: Record<string, number>;
      failures: Failure[];
      origin: string;
      bytes: number;
    }
  | { type: 'saved'; n: number; hash: string; signatures: string[] };

function runChild(args: Args): void {
  const corpus = loadCorpus();
  const known = new Set(loadRegressions().flatMap((r) => r.meta.signatures));
  const send = (m: ToParent) => process.send!(m);
  let stop = false;
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') stop = true;
  });
  let n = args.start;
  const end = args.count === undefined ? Infinity : args.start + args.count;
  const step = () => {
    if (stop || n >= end) return process.exit(0);
    send({ type: 'begin', n });
    const input = makeInput(corpus, args.seed, n);
    const r = checkInput(input.dockerfile, input.ignore, {
      budgetMs: args.budgetMs,
      maxFixes: args.maxFixes,
      hoverSamples: args.hoverSamples,
    });
    send({
      type: 'done',
      n,
      cpuMs: r.cpuMs,
      slowest: r.slowest,
      lintCalls: r.lintCalls,
      stageMs: r.stageMs,
      failures: r.failures,
      origin: input.origin,
      bytes: input.dockerfile.length + (input.ignore?.length ?? 0),
    });
    const fresh = r.failures.filter((f) => !known.has(signature(f)));
    if (fresh.length && args.save) {
      // `slow` depends on the machine: keep the input whole rather than shrink it by timing
      const first = fresh.find((f) => f.kind !== 'slow');
      const small = first ? minimize(input.dockerfile, input.ignore, first, args.budgetMs) : undefined;
      const dockerfile = small?.dockerfile ?? input.dockerfile;
      const ignore = small ? small.ignore : input.ignore;
      const replay = small ? checkInput(dockerfile, ignore, { budgetMs: args.budgetMs }).failures : fresh;
      const signatures = [...new Set(replay.map(signature))];
      const hash = inputHash({ dockerfile, ignore });
      saveRegression({
        hash,
        dockerfile,
        ignore,
        meta: {
          seed: args.seed,
          index: n,
          origin: input.origin,
          minimized: !!small,
          failures: dedupe(replay),
          signatures,
        },
      });
      for (const s of signatures) known.add(s);
      for (const f of fresh) known.add(signature(f));
      send({ type: 'saved', n, hash, signatures });
    }
    n++;
    setImmediate(step);
  };
  step();
}

function dedupe(fs: Failure[]): Failure[] {
  const seen = new Set<string>();
  return fs
    .filter((f) => !seen.has(signature(f)) && !!seen.add(signature(f)))
    .map((f) => ({ ...f, message: f.message.slice(0, 2000) }));
}

// ---------------------------------------------------------------- parent

interface Summary {
  inputs: number;
  failingInputs: number;
  failuresBySignature: Map<string, { count: number; example: number; failure: Failure }>;
  hangs: number[];
  crashes: { n: number; code: number | null }[];
  saved: { n: number; hash: string; signatures: string[] }[];
  slowest: { n: number; ms: number; where: string; origin: string; bytes: number };
  cpuMs: number;
  lintCalls: number;
  wallMs: number;
  stageMs: Record<string, number>;
}

/** The --json summary: what test/fuzz/merge.ts adds up across processes. */
export interface JsonSummary {
  seed: number;
  /** the inputs run: start … end-1 */
  start: number;
  end: number;
  inputs: number;
  failingInputs: number;
  failures: { signature: string; count: number; example: number; failure: Failure }[];
  /** signatures no saved regression covered when the run began */
  newSignatures: string[];
  hangs: number[];
  crashes: { n: number; code: number | null }[];
  saved: { n: number; hash: string; signatures: string[] }[];
  slowest: Summary['slowest'];
  cpuMs: number;
  lintCalls: number;
  wallMs: number;
  stageMs: Record<string, number>;
  options: { budgetMs: number; hangMs: number; maxFixes?: number; hoverSamples?: number };
}

function toJson(args: Args, s: Summary, before: Set<string>): JsonSummary {
  const failures = [...s.failuresBySignature].map(([signature, e]) => ({ signature, ...e }));
  return {
    seed: args.seed,
    start: args.start,
    end: args.start + s.inputs,
    inputs: s.inputs,
    failingInputs: s.failingInputs,
    failures,
    newSignatures: failures.map((f) => f.signature).filter((x) => !before.has(x)),
    hangs: s.hangs,
    crashes: s.crashes,
    saved: s.saved,
    slowest: s.slowest,
    cpuMs: s.cpuMs,
    lintCalls: s.lintCalls,
    wallMs: s.wallMs,
    stageMs: s.stageMs,
    options: { budgetMs: args.budgetMs, hangMs: args.hangMs, maxFixes: args.maxFixes, hoverSamples: args.hoverSamples },
  };
}

async function runParent(args: Args): Promise<number> {
  const corpus: Corpus = loadCorpus();
  const before = new Set(loadRegressions().flatMap((r) => r.meta.signatures));
  const known = new Set(before);
  const summary: Summary = {
    inputs: 0,
    failingInputs: 0,
    failuresBySignature: new Map(),
    hangs: [],
    crashes: [],
    saved: [],
    slowest: { n: -1, ms: 0, where: '', origin: '', bytes: 0 },
    cpuMs: 0,
    lintCalls: 0,
    wallMs: 0,
    stageMs: {},
  };
  const started = Date.now();
  const deadline = started + args.seconds * 1000;
  let next = args.start;
  const end = args.start + (args.count ?? Infinity);

  const recordFailure = (n: number, f: Failure) => {
    const s = signature(f);
    const e = summary.failuresBySignature.get(s) ?? { count: 0, example: n, failure: f };
    e.count++;
    summary.failuresBySignature.set(s, e);
  };

  while (Date.now() < deadline && next < end) {
    const outcome = await new Promise<{ resumeAt: number }>((resolve) => {
      const child: ChildProcess = fork(
        __filename,
        [
          '--child',
          '--seed',
          String(args.seed),
          '--start',
          String(next),
          '--budget-ms',
          String(args.budgetMs),
          ...(args.count === undefined ? [] : ['--count', String(end - next)]),
          ...(args.save ? [] : ['--no-save']),
          ...(args.maxFixes === undefined ? [] : ['--max-fixes', String(args.maxFixes)]),
          ...(args.hoverSamples === undefined ? [] : ['--hover-samples', String(args.hoverSamples)]),
        ],
        {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        },
      );
      let current: number | undefined;
      let begun = 0;
      let finished = false;
      const finish = (resumeAt: number) => {
        if (finished) return;
        finished = true;
        clearInterval(watch);
        resolve({ resumeAt });
      };
      const watch = setInterval(() => {
        if (current !== undefined && Date.now() - begun > args.hangMs) {
          const n = current;
          summary.hangs.push(n);
          summary.inputs++;
          summary.failingInputs++;
          const failure: Failure = {
            kind: 'hang',
            where: 'checkInput',
            message: `no answer after ${args.hangMs} ms wall time`,
          };
          recordFailure(n, failure);
          if (args.save && !known.has(signature(failure))) {
            const input = makeInput(corpus, args.seed, n);
            const hash = inputHash(input);
            saveRegression({
              hash,
              dockerfile: input.dockerfile,
              ignore: input.ignore,
              meta: {
                seed: args.seed,
                index: n,
                origin: input.origin,
                minimized: false,
                failures: [failure],
                signatures: [signature(failure)],
              },
            });
            summary.saved.push({ n, hash, signatures: [signature(failure)] });
            known.add(signature(failure));
          }
          child.kill('SIGKILL');
          finish(n + 1);
        } else if (Date.now() >= deadline) {
          if (child.connected) child.send({ type: 'stop' });
        }
      }, 200);
      child.on('message', (m: ToParent) => {
        if (m.type === 'begin') {
          current = m.n;
          begun = Date.now();
        } else if (m.type === 'done') {
          current = undefined;
          summary.inputs++;
          summary.cpuMs += m.cpuMs;
          summary.lintCalls += m.lintCalls;
          for (const [k, ms] of Object.entries(m.stageMs)) summary.stageMs[k] = (summary.stageMs[k] ?? 0) + ms;
          if (m.failures.length) summary.failingInputs++;
          for (const f of m.failures) recordFailure(m.n, f);
          if (m.slowest.ms > summary.slowest.ms)
            summary.slowest = { n: m.n, ms: m.slowest.ms, where: m.slowest.where, origin: m.origin, bytes: m.bytes };
          next = m.n + 1;
          if (Date.now() >= deadline && child.connected) child.send({ type: 'stop' });
        } else if (m.type === 'saved') {
          summary.saved.push({ n: m.n, hash: m.hash, signatures: m.signatures });
          for (const s of m.signatures) known.add(s);
        }
      });
      child.on('exit', (code) => {
        if (finished) return;
        if (current !== undefined) {
          summary.crashes.push({ n: current, code });
          summary.inputs++;
          summary.failingInputs++;
          recordFailure(current, { kind: 'crash', where: 'child process', message: `exit code ${code}` });
          finish(current + 1);
        } else finish(next);
      });
    });
    next = outcome.resumeAt;
  }
  summary.wallMs = Date.now() - started;
  const text = render(args, summary, before);
  process.stdout.write(text);
  if (args.report) writeFileSync(args.report, text);
  if (args.json) writeFileSync(args.json, JSON.stringify(toJson(args, summary, before), null, 1) + '\n');
  const newOnes = [...summary.failuresBySignature.keys()].filter((s) => !before.has(s));
  return newOnes.length || summary.crashes.length ? 1 : 0;
}

/** `lint 21%, hover 1%, …`: where the oracle's CPU went */
function stageShares(stageMs: Record<string, number>, cpuMs: number): string {
  return Object.entries(stageMs)
    .map(([k, ms]) => `${k} ${((ms / Math.max(1e-9, cpuMs)) * 100).toFixed(0)}%`)
    .join(', ');
}

function render(args: Args, s: Summary, before: Set<string>): string {
  const rows = [...s.failuresBySignature].sort((a, b) => b[1].count - a[1].count);
  const out = [
    `# Fuzz run`,
    '',
    `Command: \`node --import tsx test/fuzz/fuzz.ts${Number.isFinite(args.seconds) ? ` --seconds ${args.seconds}` : ''} --seed ${args.seed}${args.start ? ` --start ${args.start}` : ''}${args.count === undefined ? '' : ` --count ${args.count}`} --budget-ms ${args.budgetMs}${args.maxFixes === undefined ? '' : ` --max-fixes ${args.maxFixes}`}${args.hoverSamples === undefined ? '' : ` --hover-samples ${args.hoverSamples}`}\``,
    '',
    `| measure | value |`,
    `|---|---|`,
    `| inputs run (seed ${args.seed}, #${args.start}…#${args.start + s.inputs - 1}) | ${s.inputs} |`,
    `| lint() calls | ${s.lintCalls} |`,
    `| inputs with a failure | ${s.failingInputs} |`,
    `| distinct failure signatures | ${s.failuresBySignature.size} (${rows.filter(([k]) => !before.has(k)).length} not covered by a saved regression before this run) |`,
    `| hangs (> ${args.hangMs} ms wall) / child crashes | ${s.hangs.length} / ${s.crashes.length} |`,
    `| slowest input | #${s.slowest.n}: ${s.slowest.ms.toFixed(1)} ms CPU in one call (${s.slowest.where}); ${s.slowest.bytes} chars; ${s.slowest.origin} |`,
    `| mean CPU per input (all checks: 2 lints, hovers, every fix, fix-all ×4) | ${(s.cpuMs / Math.max(1, s.inputs)).toFixed(1)} ms |`,
    `| share of that CPU by check | ${stageShares(s.stageMs, s.cpuMs)} |`,
    `| inputs per minute of wall time | ${(s.inputs / Math.max(1e-9, s.wallMs / 60_000)).toFixed(0)} |`,
    `| wall time | ${(s.wallMs / 1000).toFixed(1)} s |`,
    '',
  ];
  if (rows.length) {
    out.push(
      '## Failures by signature',
      '',
      '| count | first input | signature | example message |',
      '|---|---|---|---|',
    );
    for (const [sig, e] of rows)
      out.push(
        `| ${e.count} | #${e.example} | \`${sig.replace(/\|/g, '\\|')}\` | ${e.failure.message.split('\n')[0].slice(0, 160).replace(/\|/g, '\\|')} |`,
      );
    out.push('');
  }
  if (s.saved.length) {
    out.push('## Saved regressions', '');
    for (const r of s.saved)
      out.push(
        `- \`test/fixtures/fuzz-regressions/${r.hash}.Dockerfile\` (input #${r.n}): ${r.signatures.map((x) => `\`${x}\``).join(', ')}`,
      );
    out.push('');
  }
  return out.join('\n');
}

const args = parseArgs(process.argv.slice(2));
if (args.child) runChild(args);
else
  runParent(args).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
