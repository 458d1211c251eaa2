#!/usr/bin/env node
// The cache forecast checked against real builds (issue 13, item 5).
//
// For each sample project (projects/*.mjs: a scripted history of commits), in
// a fresh git repository under the work dir and a pruned BuildKit cache:
//   1. commit i is written and committed, then built with real BuildKit
//      (`docker build --progress plain --network none`, the realbuild setup's
//      dockerd), with the build arguments a CI would pass: GIT_SHA=<commit>,
//      BUILD_DATE=<now> on every build, plus those in the commit's
//      ci/build-args.env;
//   2. the build's log goes through the build-log importer
//      (`cachelens build-log --save --format json`): each step's real outcome
//      (cached or executed) and its seconds; the saved build is kept aside;
//   3. `cachelens forecast --format json --commits 1` at that commit forecasts
//      the transition parent → child: which steps miss;
//   4. the two are compared per RUN/COPY/ADD/WORKDIR step.
// At the end the saved builds are put back into the repository's
// .cachelens/builds/ and `cachelens forecast` runs over the whole history,
// with measured seconds, for the report.
//
//   node bench/replay/run.mjs [--project NAME]… [--commits N] [--json FILE] [--markdown FILE]
//
// Needs `npm run build` (dist/cli.js) and `bash bench/realbuild/setup.sh`.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const CLI = process.env.CACHELENS_REPLAY_CLI ?? join(REPO, 'dist/cli.js');
// optional: a second build of the CLI (an older model) forecast at the same commits, for comparison
const BASELINE_CLI = process.env.CACHELENS_REPLAY_BASELINE_CLI;
const REALBUILD_WORK = process.env.CACHELENS_REALBUILD_WORK ?? join(REPO, 'bench/.work/realbuild');
const WORK = process.env.CACHELENS_REPLAY_WORK ?? join(REPO, 'bench/.work/replay');
const DOCKER = '/usr/bin/docker'; // Debian's 20.10 CLI, which has BuildKit built in
const DOCKER_HOST = process.env.DOCKER_HOST ?? `unix://${join(REALBUILD_WORK, 'docker/docker.sock')}`;
const PROJECTS = ['node-app', 'python-app'];
const COUNTED = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'replay',
  GIT_AUTHOR_EMAIL: 'replay@example.com',
  GIT_COMMITTER_NAME: 'replay',
  GIT_COMMITTER_EMAIL: 'replay@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function run(cmd, args, { cwd, env = {}, allowFail = false, timeout } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    maxBuffer: 1 << 28,
    timeout,
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0 && !allowFail)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.status}):\n${(r.stderr + r.stdout).trimEnd().split('\n').slice(-30).join('\n')}`,
    );
  return r;
}

const docker = (args, opts = {}) =>
  run(DOCKER, args, { ...opts, env: { DOCKER_HOST, DOCKER_BUILDKIT: '1', ...(opts.env ?? {}) } });
const git = (repo, ...args) =>
  run('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: repo, env: GIT_ENV }).stdout.trim();
const cliAt = (bin, cwd, ...args) => JSON.parse(run(process.execPath, [bin, ...args], { cwd }).stdout);
const cli = (cwd, ...args) => cliAt(CLI, cwd, ...args);

/** RUN that installs dependencies, RUN (other), COPY from the context, COPY --from a stage, WORKDIR. */
export function stepKind(instruction) {
  const kw = instruction.split(/\s/)[0].toUpperCase();
  if (kw === 'RUN')
    return /\b(npm (ci|install)|yarn install|pip3? install|pipenv install|poetry install)\b/.test(instruction)
      ? 'RUN (install)'
      : 'RUN (other)';
  if (kw === 'COPY' || kw === 'ADD') return /--from[= ]/.test(instruction) ? `${kw} --from` : `${kw} (context)`;
  return kw;
}

function writeFiles(repo, files) {
  for (const [p, content] of Object.entries(files)) {
    const abs = join(repo, p);
    if (content === null) rmSync(abs, { force: true });
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
}

function buildArgsAt(repo, oid, i) {
  const args = { GIT_SHA: oid, BUILD_DATE: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() };
  const file = join(repo, 'ci/build-args.env');
  if (existsSync(file))
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
      if (m) args[m[1]] = m[2];
    }
  return args;
}

async function loadProject(name) {
  return (await import(pathToFileURL(join(HERE, 'projects', `${name}.mjs`)).href)).default;
}

/** Builds every commit of one project in order; returns the per-step comparison. */
export async function replayProject(name, { commits: limit, log = () => {} } = {}) {
  const project = await loadProject(name);
  const commits = project.commits.slice(0, limit === undefined ? undefined : limit + 1);
  const dir = join(WORK, name);
  const repo = join(dir, 'repo');
  const logs = join(dir, 'logs');
  const saved = join(dir, 'builds');
  rmSync(dir, { recursive: true, force: true });
  for (const d of [repo, logs, saved]) mkdirSync(d, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, '.git/info/exclude'), '.cachelens/\n');
  const tag = `localhost/replay-${name}`;
  docker(['rmi', '-f', tag], { allowFail: true });
  docker(['builder', 'prune', '-af']);

  const outcomes = [];
  const builds = [];
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i];
    if (c.rename) git(repo, 'mv', c.rename[0], c.rename[1]);
    writeFiles(repo, c.files ?? {});
    git(repo, 'add', '-A');
    const date = `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`;
    run('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', c.message], {
      cwd: repo,
      env: { ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    const oid = git(repo, 'rev-parse', 'HEAD');
    const buildArgs = buildArgsAt(repo, oid, i);
    const args = ['build', '--progress', 'plain', '--network', 'none', '-t', tag];
    for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
    const started = Date.now();
    const r = docker([...args, repo], { allowFail: true, timeout: 300_000 });
    const logFile = join(logs, `${String(i).padStart(2, '0')}.log`);
    writeFileSync(logFile, r.stderr + r.stdout);
    if (r.status !== 0)
      throw new Error(
        `${name}: the build of commit ${i} (${c.message}) failed:\n${(r.stderr + r.stdout).split('\n').slice(-30).join('\n')}`,
      );
    // the real outcome, through the build-log importer; its saved record is kept out of the context
    const real = cli(repo, 'build-log', '--format', 'json', '--save', '--dockerfile', 'Dockerfile', logFile).builds[0];
    const buildsDir = join(repo, '.cachelens/builds');
    for (const f of readdirSync(buildsDir))
      renameSync(join(buildsDir, f), join(saved, `${String(i).padStart(2, '0')}-${f}`));
    builds.push({ i, seconds: (Date.now() - started) / 1000, steps: real.steps.length });
    log(`${name} ${i}/${commits.length - 1} ${c.message}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (i === 0) continue;
    const forecast = cli(repo, 'forecast', '--format', 'json', '--commits', '1', 'Dockerfile').dockerfiles[0];
    if (forecast?.transitions !== 1) throw new Error(`${name}: no forecast for commit ${i}`);
    const predicted = new Map(forecast.steps.map((s) => [s.range.start.line, s]));
    const baseline = BASELINE_CLI
      ? new Map(
          cliAt(
            BASELINE_CLI,
            repo,
            'forecast',
            '--format',
            'json',
            '--commits',
            '1',
            'Dockerfile',
          ).dockerfiles[0].steps.map((s) => [s.range.start.line, s]),
        )
      : undefined;
    for (const s of real.steps) {
      const keyword = s.instruction.split(/\s/)[0].toUpperCase();
      if (!COUNTED.has(keyword) || (s.status !== 'cached' && s.status !== 'executed')) continue;
      const f = predicted.get(s.range.start.line);
      if (!f) throw new Error(`${name}: commit ${i}: no forecast for line ${s.range.start.line + 1} ${s.instruction}`);
      const why = c.known?.[s.instruction];
      outcomes.push({
        commit: i,
        kind: c.kind,
        message: c.message,
        line: s.range.start.line + 1,
        instruction: s.instruction,
        stepKind: stepKind(s.instruction),
        real: s.status === 'executed' ? 'miss' : 'hit',
        forecast: f.misses > 0 ? 'miss' : 'hit',
        ...(baseline ? { baseline: baseline.get(s.range.start.line)?.misses > 0 ? 'miss' : 'hit' } : {}),
        ...(why ? { known: why } : {}),
      });
    }
  }
  // the forecast over the whole history, with the measured seconds of the saved builds
  mkdirSync(join(repo, '.cachelens/builds'), { recursive: true });
  for (const f of readdirSync(saved)) cpSync(join(saved, f), join(repo, '.cachelens/builds', f.slice(3)));
  const result = { name, description: project.description, transitions: commits.length - 1, outcomes, builds };
  return { ...result, forecast: wholeForecast(result) };
}

/** `cachelens forecast` over the project's whole replayed history, at its last commit. */
function wholeForecast(result) {
  const repo = join(WORK, result.name, 'repo');
  return cli(repo, 'forecast', '--format', 'json', '--commits', String(result.transitions), 'Dockerfile')
    .dockerfiles[0];
}

// ---------------------------------------------------------------- report

export function confusion(outcomes) {
  const rows = new Map();
  for (const o of outcomes) {
    if (!rows.has(o.stepKind)) rows.set(o.stepKind, { hitHit: 0, missMiss: 0, falseMiss: 0, falseHit: 0 });
    const r = rows.get(o.stepKind);
    if (o.real === o.forecast) r[o.real === 'hit' ? 'hitHit' : 'missMiss']++;
    else r[o.forecast === 'miss' ? 'falseMiss' : 'falseHit']++;
  }
  return rows;
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)} %` : '–');

function confusionTable(outcomes) {
  const out = [
    '| step kind | outcomes | real hit, forecast hit | real miss, forecast miss | real hit, forecast miss | real miss, forecast hit | right |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const total = { hitHit: 0, missMiss: 0, falseMiss: 0, falseHit: 0 };
  for (const [kind, r] of [...confusion(outcomes)].sort()) {
    const n = r.hitHit + r.missMiss + r.falseMiss + r.falseHit;
    out.push(
      `| ${kind} | ${n} | ${r.hitHit} | ${r.missMiss} | ${r.falseMiss} | ${r.falseHit} | ${pct(r.hitHit + r.missMiss, n)} |`,
    );
    for (const k of Object.keys(total)) total[k] += r[k];
  }
  const n = total.hitHit + total.missMiss + total.falseMiss + total.falseHit;
  out.push(
    `| **all** | ${n} | ${total.hitHit} | ${total.missMiss} | ${total.falseMiss} | ${total.falseHit} | **${pct(total.hitHit + total.missMiss, n)}** |`,
  );
  return out;
}

function perCommitTable(result) {
  const steps = [...new Set(result.outcomes.map((o) => `${o.line}`))];
  const out = ['| # | commit | kind | steps: real / forecast (H hit, M miss) |', '|---:|---|---|---|'];
  for (let i = 1; i <= result.transitions; i++) {
    const os = result.outcomes.filter((o) => o.commit === i);
    if (!os.length) continue;
    const cells = os.map((o) => {
      const r = o.real === 'hit' ? 'H' : 'M';
      const f = o.forecast === 'hit' ? 'H' : 'M';
      return r === f ? r : `**${r}/${f}**`;
    });
    out.push(`| ${i} | ${os[0].message} | ${os[0].kind} | ${cells.join(' ')} |`);
  }
  void steps;
  return out;
}

/** The expected cost per build from a forecast's steps: Σ miss rate × seconds. */
const expectedOf = (steps, n) => (n ? steps.reduce((a, s) => a + (s.seconds ?? 0) * (s.misses / n), 0) : 0);

function forecastTable(f) {
  const out = ['| line | step | re-ran | seconds |', '|---:|---|---:|---:|'];
  for (const s of f.steps)
    out.push(
      `| ${s.range.start.line + 1} | \`${s.instruction.replace(/\|/g, '\\|')}\` | ${s.misses}/${f.transitions} | ${s.seconds === null ? '–' : `${s.seconds.toFixed(1)} (${s.secondsSource})`} |`,
    );
  out.push(`| | **expected cost per build** | | **${f.expectedSecondsPerBuild.toFixed(1)} s** |`);
  return out;
}

function baselineSummary(all) {
  if (!all.length || all[0].baseline === undefined) return [];
  const withBaseline = all.map((o) => ({ ...o, forecast: o.baseline }));
  const right = withBaseline.filter((o) => o.real === o.forecast).length;
  return [
    `The same builds against the forecast model before config-only instructions (ENV, ARG, LABEL, EXPOSE, …) were taken out of the key chain (\`CACHELENS_REPLAY_BASELINE_CLI\`): ${right} of ${all.length} right (${pct(right, all.length)}).`,
    '',
    ...confusionTable(withBaseline),
    '',
  ];
}

export function markdown(results, command) {
  const all = results.flatMap((r) => r.outcomes);
  const wrong = all.filter((o) => o.real !== o.forecast);
  const lines = [
    '# Cache forecast against real builds (replay)',
    '',
    `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}).`,
    '',
    'Each sample project (`bench/replay/projects/`) is committed one scripted commit at a time into a fresh',
    'git repository and every commit is built in order with real BuildKit (Debian docker.io 20.10,',
    '`docker build --progress plain --network none`, builder cache pruned once per project), with the',
    'build arguments a CI passes (`GIT_SHA` and `BUILD_DATE` new on every build, plus `ci/build-args.env`).',
    "Each build's log goes through `cachelens build-log --save`: the real outcome of each RUN/COPY/ADD/WORKDIR",
    'step (cached or executed). `cachelens forecast --commits 1` at the same commit says which steps the',
    'transition parent → child misses. Commit 0 (the cold build) is not counted.',
    '',
    `**${all.length - wrong.length} of ${all.length} step outcomes forecast right (${pct(all.length - wrong.length, all.length)}).**`,
    '',
    '## Confusion per step kind (both projects)',
    '',
    ...confusionTable(all),
    '',
    ...baselineSummary(all),
    '## Every disagreement',
    '',
  ];
  if (!wrong.length) lines.push('None.');
  for (const o of wrong)
    lines.push(
      `- ${results.find((r) => r.outcomes.includes(o)).name}, commit ${o.commit} (${o.message}), line ${o.line} \`${o.instruction}\`: real ${o.real}, forecast ${o.forecast}. ${o.known ?? '**Not explained.**'}`,
    );
  for (const r of results) {
    lines.push(
      '',
      `## ${r.name}: ${r.description}`,
      '',
      `${r.transitions} transitions; ${r.outcomes.length} step outcomes, ${r.outcomes.filter((o) => o.real === o.forecast).length} right.`,
      '',
      ...confusionTable(r.outcomes),
      '',
      'Per commit, the counted steps in Dockerfile order (bold: real/forecast disagree):',
      '',
      ...perCommitTable(r),
      '',
      `\`cachelens forecast --commits ${r.transitions}\` at the last commit, with the seconds the saved builds measured:`,
      '',
      ...forecastTable(r.forecast),
    );
    for (const fix of r.forecast.fixes.filter((x) => Math.abs(x.secondsSavedPerBuild) >= 0.05))
      lines.push(
        '',
        `After the fix "${fix.rule} ${fix.title}" (the fixed Dockerfile over the same history; the forecast says it saves ${fix.secondsSavedPerBuild.toFixed(1)} s per build against the current Dockerfile held over the same history):`,
        '',
        ...forecastTable({
          ...r.forecast,
          steps: fix.steps,
          expectedSecondsPerBuild: expectedOf(fix.steps, r.forecast.transitions),
        }),
      );
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      project: { type: 'string', multiple: true },
      commits: { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      'report-from': { type: 'string' },
    },
  });
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  if (values['report-from']) {
    // no builds: the saved results, with the whole-history forecast run again (a newer CLI) on the kept repositories
    const { results, command } = JSON.parse(readFileSync(values['report-from'], 'utf8'));
    for (const r of results) {
      r.forecast = wholeForecast(r);
      // explanations as the project scripts give them now
      const { commits } = await loadProject(r.name);
      for (const o of r.outcomes) {
        const why = commits[o.commit]?.known?.[o.instruction];
        if (why) o.known = why;
        else delete o.known;
      }
    }
    if (values.json) writeFileSync(values.json, JSON.stringify({ command, results }, null, 1));
    const cmd =
      command ?? 'node bench/replay/run.mjs --json bench/.work/replay/results.json --markdown bench/results/replay.md';
    if (values.markdown) writeFileSync(values.markdown, markdown(results, cmd));
    return;
  }
  const results = [];
  for (const name of values.project ?? PROJECTS)
    results.push(
      await replayProject(name, {
        commits: values.commits === undefined ? undefined : Number(values.commits),
        log: (s) => process.stderr.write(`${s}\n`),
      }),
    );
  const all = results.flatMap((r) => r.outcomes);
  const right = all.filter((o) => o.real === o.forecast).length;
  console.log(`${right} of ${all.length} step outcomes forecast right (${pct(right, all.length)})`);
  for (const o of all.filter((x) => x.real !== x.forecast))
    console.log(
      `  commit ${o.commit} ${o.message}: ${o.instruction}: real ${o.real}, forecast ${o.forecast}${o.known ? '' : ' (not explained)'}`,
    );
  const command = `node bench/replay/run.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  if (values.json) writeFileSync(values.json, JSON.stringify({ command, results }, null, 1));
  if (values.markdown) writeFileSync(values.markdown, markdown(results, command));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
