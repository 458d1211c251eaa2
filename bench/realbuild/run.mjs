#!/usr/bin/env node
// Real-build proof for cachelens' fixes: for each sample project, build its
// naive Dockerfile with BuildKit, edit one source line, rebuild, and count
// which RUN/COPY/ADD steps came from the cache and how long the rebuild took;
// then apply `cachelens fix` to a copy and do the same; finally compare both
// final images' whole filesystems (`docker export`) file by file: path, type,
// mode, uid:gid and sha256 (or link target), and run the project's smoke
// command (if any) in both images as the image's USER.
//
// Needs the dockerd and base images that setup.sh prepares.
//
// usage: node bench/realbuild/run.mjs [--projects a,b] [--rounds 3]
//          [--fixed-from cli|expected] [--cli dist/cli.js]
//          [--json out.json] [--merge earlier.json] [--markdown bench/results/realbuild.md]
//        node bench/realbuild/run.mjs --render out.json [--markdown file]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const WORK = process.env.CACHELENS_REALBUILD_WORK ?? join(REPO, 'bench/.work/realbuild');
const DOCKER = '/usr/bin/docker'; // Debian's 20.10 CLI, which has BuildKit built in
const DOCKER_HOST = process.env.DOCKER_HOST ?? `unix://${join(WORK, 'docker/docker.sock')}`;
const INSTRUCTIONS_COUNTED = new Set(['RUN', 'COPY', 'ADD']);
// Not part of what a build produces: bytecode caches embed the source file's
// mtime, npm writes a timestamped debug log per run, and Docker writes the
// runtime files below into every container.
const IGNORED_IN_COMPARE = [
  /(^|\/)__pycache__\/[^/]+\.pyc$/,
  /\/_logs(\/|$)/,
  /^\/(\.dockerenv|etc\/hostname|etc\/hosts|etc\/resolv\.conf)$/,
  /^\/(proc|sys|dev)\//,
];
// Files whose content is a record of when the build ran (logs, ldconfig's
// timestamped aux-cache, the V8 code cache Yarn 1 leaves in /tmp): their type, mode and owner are compared, their
// content is not, or two builds of the same Dockerfile would differ.
const CONTENT_NOT_COMPARED = [/^\/var\/log\//, /^\/var\/cache\/ldconfig\/aux-cache$/, /^\/tmp\/v8-compile-cache-\d+\//];
// Package-manager caches: a `RUN --mount=type=cache` keeps them out of the
// image (that is its purpose, and BuildKit leaves the empty mount point behind),
// so differences under these paths are reported apart from the rest.
export const CACHE_PATHS = [
  /^\/root\/\.npm(\/|$)/,
  /^\/root\/\.cache(\/|$)/,
  /^\/root\/\.yarn(\/|$)/,
  /^\/usr\/local\/share\/\.cache(\/|$)/,
  /^\/var\/cache\/apt(\/|$)/,
  /^\/var\/lib\/apt(\/|$)/,
  /^\/home\/[^/]+\/\.(npm|cache)(\/|$)/,
];

// ---------------------------------------------------------------- docker

function docker(args, { input, allowFail = false, env = {}, timeout } = {}) {
  const r = spawnSync(DOCKER, args, {
    input,
    timeout,
    env: { ...process.env, DOCKER_HOST, DOCKER_BUILDKIT: '1', ...env },
    maxBuffer: 1 << 30,
  });
  if (r.error) throw new Error(`cannot run ${DOCKER}: ${r.error.message} (run bench/realbuild/setup.sh)`);
  if (r.status !== 0 && !allowFail) {
    throw new Error(
      `docker ${args.join(' ')} failed (${r.status}):\n${tail(r.stderr.toString() + r.stdout.toString(), 40)}`,
    );
  }
  return r;
}

function tail(text, lines) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function resetBuilder(tags) {
  docker(['rmi', '-f', ...tags], { allowFail: true });
  docker(['builder', 'prune', '-af']);
}

function build(dir, tag, buildArgs) {
  const args = ['build', '--progress', 'plain', '--network', 'none', '-t', tag];
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  args.push(dir);
  const started = process.hrtime.bigint();
  const r = docker(args, { allowFail: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const log = r.stderr.toString() + r.stdout.toString();
  if (r.status !== 0) throw new Error(`build of ${relative(REPO, dir)} failed:\n${tail(log, 40)}`);
  return { seconds, steps: parseProgress(log), log };
}

// `--progress plain` prints `#N [stage i/n] INSTRUCTION ...` once a vertex
// starts and `#N CACHED` when it came from the cache. Vertices named
// `[internal]` (context, metadata) and FROM are not Dockerfile steps we count.
export function parseProgress(log) {
  const byId = new Map();
  for (const line of log.split('\n')) {
    const head = /^#(\d+) \[(?:(\S+) )?(\d+)\/(\d+)\] (\S+)(.*)$/.exec(line);
    if (head) {
      const [, id, stage, index, , keyword, rest] = head;
      if (!byId.has(id))
        byId.set(id, {
          stage: stage ?? '',
          index: Number(index),
          keyword,
          text: (keyword + rest).trim(),
          cached: false,
        });
      continue;
    }
    const cached = /^#(\d+) CACHED$/.exec(line);
    if (cached && byId.has(cached[1])) byId.get(cached[1]).cached = true;
    const done = /^#(\d+) DONE ([\d.]+)s$/.exec(line);
    if (done && byId.has(done[1])) byId.get(done[1]).seconds = Number(done[2]);
  }
  return [...byId.values()].filter((s) => INSTRUCTIONS_COUNTED.has(s.keyword));
}

// ---------------------------------------------------------------- image files

// Reads a tar stream (as `docker cp container:path -` writes it) into a map
// path -> "type mode uid:gid sha256-or-link-target".
export function tarManifest(buf, prefix) {
  const out = new Map();
  let pos = 0;
  let longName = null;
  let longLink = null;
  let pax = {};
  const str = (off, len) => {
    const b = buf.subarray(off, off + len);
    const nul = b.indexOf(0);
    return b.subarray(0, nul === -1 ? len : nul).toString('utf8');
  };
  const num = (off, len) => parseInt(str(off, len).trim() || '0', 8);
  while (pos + 512 <= buf.length) {
    if (buf.subarray(pos, pos + 512).every((b) => b === 0)) break;
    const type = String.fromCharCode(buf[pos + 156]) || '0';
    const size = num(pos + 124, 12);
    const body = buf.subarray(pos + 512, pos + 512 + size);
    const next = pos + 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0+$/, '');
      pos = next;
      continue;
    }
    if (type === 'K') {
      longLink = body.toString('utf8').replace(/\0+$/, '');
      pos = next;
      continue;
    }
    if (type === 'x') {
      pax = parsePax(body);
      pos = next;
      continue;
    }
    if (type === 'g') {
      pos = next;
      continue;
    }
    const ustarPrefix = str(pos + 345, 155);
    let name = pax.path ?? longName ?? (ustarPrefix ? `${ustarPrefix}/${str(pos, 100)}` : str(pos, 100));
    const link = pax.linkpath ?? longLink ?? str(pos + 157, 100);
    name = join(prefix, name.replace(/\/$/, ''));
    const mode = (num(pos + 100, 8) & 0o7777).toString(8).padStart(4, '0');
    const owner = `${pax.uid ?? num(pos + 108, 8)}:${pax.gid ?? num(pos + 116, 8)}`;
    const kind = { 0: 'file', '\0': 'file', 1: 'hardlink', 2: 'symlink', 5: 'dir' }[type] ?? `type-${type}`;
    const what =
      kind === 'file'
        ? CONTENT_NOT_COMPARED.some((re) => re.test(name))
          ? '(content not compared)'
          : createHash('sha256').update(body).digest('hex')
        : kind === 'dir'
          ? ''
          : `-> ${link}`;
    if (!IGNORED_IN_COMPARE.some((re) => re.test(name))) out.set(name, `${kind} ${mode} ${owner} ${what}`.trim());
    longName = longLink = null;
    pax = {};
    pos = next;
  }
  return out;
}

function parsePax(body) {
  const rec = {};
  let i = 0;
  while (i < body.length) {
    const space = body.indexOf(0x20, i);
    if (space === -1) break;
    const len = parseInt(body.subarray(i, space).toString(), 10);
    if (!len) break;
    const kv = body.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = kv.indexOf('=');
    rec[kv.slice(0, eq)] = kv.slice(eq + 1);
    i += len;
  }
  return rec;
}

// The whole filesystem of a container made from the image, as `docker export`
// writes it (tar headers carry mode, uid and gid).
function imageManifest(tag) {
  const name = `cachelens-rb-export-${process.pid}`;
  docker(['rm', '-f', name], { allowFail: true });
  docker(['create', '--name', name, tag]);
  try {
    return tarManifest(docker(['export', name]).stdout, '/');
  } finally {
    docker(['rm', '-f', name], { allowFail: true });
  }
}

const under = (path, roots) => roots.some((r) => path === r || path.startsWith(r.endsWith('/') ? r : r + '/'));
export function pick(manifest, keep) {
  return new Map([...manifest].filter(([k]) => keep(k)));
}

// Compares the final images: the application paths (bench.json `compare`),
// the rest of the filesystem, and the package caches, each file by file.
export function compareImages(before, after, appPaths) {
  const isCache = (k) => CACHE_PATHS.some((re) => re.test(k));
  const isApp = (k) => under(k, appPaths);
  return {
    files: compareManifests(pick(before, isApp), pick(after, isApp)),
    system: compareManifests(
      pick(before, (k) => !isApp(k) && !isCache(k)),
      pick(after, (k) => !isApp(k) && !isCache(k)),
    ),
    caches: compareManifests(pick(before, isCache), pick(after, isCache)),
  };
}

// "uid:gid" -> how many application entries each image has with that owner.
function ownershipSummary(manifests, appPaths) {
  const count = (m) => {
    const by = {};
    for (const [k, v] of m) if (under(k, appPaths)) by[v.split(' ')[2]] = (by[v.split(' ')[2]] ?? 0) + 1;
    return by;
  };
  return { before: count(manifests.before), after: count(manifests.after) };
}

// Which fields differ in the changed entries: type, mode, owner, content.
export function diffKinds(cmp) {
  const kinds = { type: 0, mode: 0, owner: 0, content: 0 };
  for (const c of cmp.changed) {
    const [bt, bm, bo, ...bw] = c.before.split(' ');
    const [at, am, ao, ...aw] = c.after.split(' ');
    if (bt !== at) kinds.type++;
    if (bm !== am) kinds.mode++;
    if (bo !== ao) kinds.owner++;
    if (bw.join(' ') !== aw.join(' ')) kinds.content++;
  }
  return kinds;
}

// Runs the project's smoke command in the image (as its USER, no network).
function smoke(tag, command) {
  const r = docker(['run', '--rm', '--network', 'none', tag, ...command], { allowFail: true, timeout: 60_000 });
  return {
    ok: r.status === 0,
    status: r.status,
    output: tail((r.stdout?.toString() ?? '') + (r.stderr?.toString() ?? ''), 8),
  };
}

export function compareManifests(before, after) {
  const onlyBefore = [...before.keys()].filter((k) => !after.has(k)).sort();
  const onlyAfter = [...after.keys()].filter((k) => !before.has(k)).sort();
  const changed = [...before.keys()]
    .filter((k) => after.has(k) && after.get(k) !== before.get(k))
    .sort()
    .map((k) => ({ path: k, before: before.get(k), after: after.get(k) }));
  return {
    files: before.size,
    onlyBefore,
    onlyAfter,
    changed,
    equal: !onlyBefore.length && !onlyAfter.length && !changed.length,
  };
}

// ---------------------------------------------------------------- projects

function loadProjects(names) {
  const root = join(HERE, 'projects');
  const all = readdirSync(root)
    .filter((n) => existsSync(join(root, n, 'bench.json')))
    .sort();
  const chosen = names
    ? names
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : all;
  return chosen.map((name) => {
    if (!all.includes(name)) throw new Error(`no project ${name} (have: ${all.join(', ')})`);
    const dir = join(root, name);
    return { name, dir, ...JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) };
  });
}

const BENCH_ONLY_FILES = new Set(['bench.json', 'Dockerfile.expected-fix']);

function prepareCopy(project, variant) {
  const dir = join(WORK, 'runs', `${project.name}-${variant}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(project.dir, dir, { recursive: true, filter: (src) => !BENCH_ONLY_FILES.has(relative(project.dir, src)) });
  return dir;
}

// Applies the fix to the copy's Dockerfile; returns what was done.
function applyFix(project, dir, opts) {
  const dockerfile = join(dir, 'Dockerfile');
  const original = readFileSync(dockerfile, 'utf8');
  let command;
  let cliOutput = '';
  if (opts.fixedFrom === 'expected') {
    command = `cp ${relative(REPO, join(project.dir, 'Dockerfile.expected-fix'))} Dockerfile`;
    cpSync(join(project.dir, 'Dockerfile.expected-fix'), dockerfile);
  } else {
    const args = [opts.cli, 'fix', ...(project.unsafe ? ['--unsafe'] : []), dockerfile];
    command = `node ${relative(REPO, opts.cli)} fix ${project.unsafe ? '--unsafe ' : ''}<copy>/Dockerfile`;
    const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
    cliOutput = (r.stdout + r.stderr).trim();
    // `cachelens fix` may exit non-zero when findings without a safe fix remain.
    if (r.error || r.status === null || r.status > 1) throw new Error(`${command} failed (${r.status}): ${cliOutput}`);
  }
  let fixed = readFileSync(dockerfile, 'utf8');
  const notes = [];
  // No registry is reachable, so a `# syntax=` directive (which makes BuildKit
  // pull the named frontend image) cannot be honoured here. Docker 20.10's
  // built-in frontend already understands RUN --mount.
  const syntax = /^#\s*syntax\s*=.*\r?\n/i.exec(fixed);
  if (syntax) {
    fixed = fixed.slice(syntax[0].length);
    notes.push(`removed \`${syntax[0].trim()}\` before building (no registry)`);
    // ... and without that frontend, 20.10's parser rejects `COPY --link`.
    // --link changes how the layer is stacked (and so what misses), not which
    // files the COPY brings, so the measurement drops it and says so.
    const unlinked = fixed.replace(/^(\s*(?:COPY|ADD)\b[^\n]*?) --link(?:=true)?(?=\s)/gim, '$1');
    if (unlinked !== fixed) {
      const n = fixed.split('\n').filter((l, i) => l !== unlinked.split('\n')[i]).length;
      fixed = unlinked;
      notes.push(
        `removed \`--link\` from ${n} COPY/ADD line(s): Docker 20.10's built-in Dockerfile frontend does not know it`,
      );
    }
    writeFileSync(dockerfile, fixed);
  }
  return { command, cliOutput, changed: fixed !== original, fixed, notes };
}

function editLine(file, n) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes('BENCH-EDIT'));
  if (i === -1) throw new Error(`${file} has no BENCH-EDIT line`);
  const edited = lines[i].replace(/(['"])(.*?)\1/, (_m, q, s) => `${q}${s} edit ${n}${q}`);
  if (edited === lines[i]) throw new Error(`${file}: no string literal on the BENCH-EDIT line`);
  lines[i] = edited;
  writeFileSync(file, lines.join('\n'));
}

function installCached(steps, patterns) {
  const install = steps.filter((s) => patterns.some((p) => s.text.includes(p)));
  return {
    found: install.length > 0,
    cached: install.length > 0 && install.every((s) => s.cached),
    steps: install.map((s) => s.text),
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measureVariant(project, variant, dir, round, log) {
  const tag = `cachelens-rb-${project.name}:${variant}`;
  const editFile = join(dir, project.edit);
  const pristine = readFileSync(editFile, 'utf8');
  const args = (b) =>
    Object.fromEntries((project.buildArgs ?? []).map((k) => [k, `${project.name}-round${round}-build${b}`]));
  resetBuilder([`cachelens-rb-${project.name}:before`, `cachelens-rb-${project.name}:after`]);
  writeFileSync(editFile, pristine);
  const cold = build(dir, tag, args(1));
  editLine(editFile, round);
  const warm = build(dir, tag, args(2));
  writeFileSync(editFile, pristine);
  const install = installCached(warm.steps, project.install);
  log(
    `  ${variant} round ${round}: cold ${cold.seconds.toFixed(1)} s, rebuild ${warm.seconds.toFixed(1)} s, ` +
      `cached ${warm.steps.filter((s) => s.cached).length}/${warm.steps.length}, install ${install.cached ? 'CACHED' : 'ran'}`,
  );
  return { tag, cold: cold.seconds, rebuild: warm.seconds, steps: warm.steps, install };
}

function runProject(project, opts, log) {
  log(`${project.name} (${project.ecosystem})`);
  const dirs = { before: prepareCopy(project, 'before'), after: prepareCopy(project, 'after') };
  const fix = applyFix(project, dirs.after, opts);
  if (!fix.changed) log(`  the fix changed nothing in the Dockerfile`);
  const fixReport = {
    command: fix.command,
    changed: fix.changed,
    notes: fix.notes,
    cliOutput: fix.cliOutput,
    dockerfile: fix.fixed,
  };
  const rounds = { before: [], after: [] };
  const manifests = {};
  const smokes = {};
  try {
    for (let r = 1; r <= opts.rounds; r++) {
      for (const variant of ['before', 'after']) {
        const m = measureVariant(project, variant, dirs[variant], r, log);
        rounds[variant].push(m);
        if (r === opts.rounds) {
          manifests[variant] = imageManifest(m.tag);
          if (project.smoke) smokes[variant] = smoke(m.tag, project.smoke);
        }
      }
    }
  } catch (e) {
    e.fix = fixReport;
    throw e;
  } finally {
    resetBuilder([`cachelens-rb-${project.name}:before`, `cachelens-rb-${project.name}:after`]);
  }
  const summary = (rs) => {
    const last = rs[rs.length - 1];
    return {
      installCached: rs.map((m) => m.install.cached),
      installSteps: last.install.steps,
      stepsCached: last.steps.filter((s) => s.cached).length,
      stepsTotal: last.steps.length,
      stepsCachedPerRound: rs.map((m) => m.steps.filter((s) => s.cached).length),
      steps: last.steps.map(
        (s) =>
          `${s.cached ? 'CACHED ' : `${(s.seconds ?? 0).toFixed(1).padStart(5)} s`} ${s.stage ? s.stage + ' ' : ''}${s.text}`,
      ),
      rebuildSeconds: rs.map((m) => m.rebuild),
      coldSeconds: rs.map((m) => m.cold),
      medianRebuild: median(rs.map((m) => m.rebuild)),
      medianCold: median(rs.map((m) => m.cold)),
    };
  };
  const before = summary(rounds.before);
  const after = summary(rounds.after);
  const { files, system, caches } = compareImages(manifests.before, manifests.after, project.compare);
  return {
    name: project.name,
    ecosystem: project.ecosystem,
    pattern: project.pattern,
    unsafe: Boolean(project.unsafe),
    fix: fixReport,
    before,
    after,
    ratio: before.medianRebuild / after.medianRebuild,
    safety: project.safety,
    files,
    system,
    caches,
    ownership: ownershipSummary(manifests, project.compare),
    ...(project.smoke
      ? { smoke: { command: project.smoke.join(' '), before: smokes.before, after: smokes.after } }
      : {}),
  };
}

// ---------------------------------------------------------------- report

function yesNo(list) {
  const all = list.every(Boolean);
  const none = list.every((x) => !x);
  return all ? 'yes' : none ? 'no' : `flaky (${list.filter(Boolean).length}/${list.length})`;
}

function countParts(cmp, { content = true } = {}) {
  const parts = [];
  if (cmp.onlyBefore.length) parts.push(`${cmp.onlyBefore.length} only before`);
  if (cmp.onlyAfter.length) parts.push(`${cmp.onlyAfter.length} only after`);
  const k = diffKinds(cmp);
  if (content && k.content) parts.push(`${k.content} content changed`);
  if (k.type) parts.push(`${k.type} type changed`);
  return parts;
}

function differs(r, text) {
  return r.unsafe ? `differ (unsafe fix): ${text}` : `**DIFFER**: ${text}`;
}

// Paths and contents of the application files.
function filesCell(r) {
  const parts = countParts(r.files);
  return parts.length ? differs(r, parts.join(', ')) : `equal (${r.files.files})`;
}

// Owner (uid:gid) and mode of the application files.
function ownerCell(r) {
  const owners = (by) =>
    Object.entries(by ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([o, n]) => `${o} ×${n}`)
      .join(', ');
  if (!r.ownership) return '';
  const k = diffKinds(r.files);
  if (!k.owner && !k.mode) return `same (${owners(r.ownership.before)})`;
  const parts = [];
  if (k.owner) parts.push(`${k.owner} owner changed`);
  if (k.mode) parts.push(`${k.mode} mode changed`);
  return differs(r, `${parts.join(', ')}: ${owners(r.ownership.before)} → ${owners(r.ownership.after)}`);
}

// Everything outside the application paths and the package caches.
function systemCell(r) {
  if (!r.system) return '';
  const parts = countParts(r.system);
  const k = diffKinds(r.system);
  if (k.owner) parts.push(`${k.owner} owner changed`);
  if (k.mode) parts.push(`${k.mode} mode changed`);
  return parts.length ? differs(r, parts.join(', ')) : `equal (${r.system.files})`;
}

function smokeCell(r) {
  if (!r.smoke) return '–';
  const one = (s) => (s?.ok ? 'ok' : `**failed (${s?.status ?? '?'})**`);
  return `${one(r.smoke.before)} → ${one(r.smoke.after)}`;
}

function diffLines(cmp, limit = 20) {
  const L = [];
  for (const p of cmp.onlyBefore.slice(0, limit)) L.push(`- ${p}`);
  for (const p of cmp.onlyAfter.slice(0, limit)) L.push(`+ ${p}`);
  for (const c of cmp.changed.slice(0, limit)) L.push(`~ ${c.path}: ${c.before} | ${c.after}`);
  const more = cmp.onlyBefore.length + cmp.onlyAfter.length + cmp.changed.length - L.length;
  if (more > 0) L.push(`… and ${more} more`);
  return L;
}

export function renderMarkdown(allResults, meta) {
  let results = allResults;
  const L = [];
  L.push('# Real-build benchmark: do the fixes make rebuilds hit the cache?', '');
  L.push(`Generated by \`${meta.command}\` on ${meta.date}.`, '');
  if (meta.mergedFrom)
    L.push(
      `Results for ${meta.mergedFrom.projects.join(', ')} come from an earlier \`${meta.mergedFrom.command}\`.`,
      '',
    );
  L.push(
    `Machine: ${meta.machine}. Builder: ${meta.builder}. Rounds per variant: ${meta.rounds}; times are medians.`,
    '',
  );
  L.push(
    'Per project and per round: reset the builder (remove the images, `docker builder prune -af`), build, edit one',
    'source line (and give each per-build `ARG` a new value, as a CI passing the commit would), rebuild with',
    '`--progress plain` and count which RUN/COPY/ADD steps were `CACHED`. "before" is the naive Dockerfile,',
    `"after" is the same project after \`${meta.fixCommand}\`. Installs run offline against the base images`,
    'that `bench/realbuild/setup.sh` builds (npm cache, pip wheelhouse, local apt repository).',
    '',
  );
  L.push(
    'The final images are compared file by file over their whole filesystem (`docker export`: path, type,',
    'mode, uid:gid, sha256 or link target): "app files" are the paths in the project\'s `bench.json` `compare`',
    '(paths and contents; their owner and mode in the next column), "rest of image" is everything else except',
    'the package-manager caches that a `RUN --mount=type=cache` keeps out of the image on purpose (listed per',
    'project below). "smoke" runs the app once in each image as the image\'s USER (e.g. it writes its state file).',
    'Projects with a "fix safety" note reproduce a class of fixes that broke real builds (issue 10).',
    '',
  );
  L.push(
    '| project | ecosystem | install cached after edit (before → after) | steps cached on rebuild (before → after) | median rebuild s (before → after) | speed-up | app files | owner & mode (app files) | rest of image | smoke (before → after) |',
  );
  L.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    if (r.error) {
      L.push(`| ${r.name} | ${r.ecosystem} | **build failed** | | | | | | | |`);
      continue;
    }
    L.push(
      `| ${r.name}${r.unsafe ? ' (unsafe fix)' : ''} | ${r.ecosystem} | ${yesNo(r.before.installCached)} → ${yesNo(r.after.installCached)} | ` +
        `${r.before.stepsCached}/${r.before.stepsTotal} → ${r.after.stepsCached}/${r.after.stepsTotal} | ` +
        `${r.before.medianRebuild.toFixed(2)} → ${r.after.medianRebuild.toFixed(2)} | ${r.ratio.toFixed(1)}× | ${filesCell(r)} | ` +
        `${ownerCell(r)} | ${systemCell(r)} | ${smokeCell(r)} |`,
    );
  }
  const failed = results.filter((r) => r.error);
  results = results.filter((r) => !r.error);
  const ratios = results.map((r) => r.ratio);
  const installBefore = results.filter((r) => r.before.installCached.some(Boolean)).length;
  const installAfter = results.filter((r) => r.after.installCached.every(Boolean)).length;
  L.push('');
  L.push(
    `Install step reused after an edit: ${installBefore}/${results.length} projects before the fix, ` +
      `${installAfter}/${results.length} after. Median speed-up of the rebuild: ${median(ratios).toFixed(1)}× ` +
      `(range ${Math.min(...ratios).toFixed(1)}×–${Math.max(...ratios).toFixed(1)}×). ` +
      `Summed median rebuild time: ${results.reduce((a, r) => a + r.before.medianRebuild, 0).toFixed(1)} s before, ` +
      `${results.reduce((a, r) => a + r.after.medianRebuild, 0).toFixed(1)} s after.`,
  );
  const target = installBefore === 0 && installAfter === results.length && !failed.length && median(ratios) >= 3;
  L.push(
    '',
    `Target (install step reused after the fix in every project and in none before; median rebuild ≥ 3× faster): ` +
      `${target ? 'met' : 'not met'}.`,
  );
  const sameImage = (r) => r.unsafe || (r.files.equal && (r.system?.equal ?? true) && (!r.smoke || r.smoke.after?.ok));
  const unsafeNote = results.some((r) => r.unsafe) ? ' (projects marked "unsafe fix" excepted)' : '';
  const broken = [
    ...failed.map((r) => `${r.name} (build failed)`),
    ...results.filter((r) => !sameImage(r)).map((r) => r.name),
  ];
  L.push(
    '',
    `Safe fixes keep the image (same app files with the same owner and mode, the rest of the image equal, the app still runs)${unsafeNote}: ` +
      `${broken.length ? `**not met** — ${broken.join(', ')}` : `met in all ${allResults.length} projects`}.`,
  );
  if (failed.length) L.push('', `Failed: ${failed.map((r) => r.name).join(', ')} (details below).`);
  L.push('');
  L.push('## Per project', '');
  for (const r of failed) {
    const errorLines = r.error.split('\n').filter((l) => l.trim() && !/^#\d+ (sha256:|DONE |transferring )/.test(l));
    L.push(`### ${r.name}: build failed`, '', r.pattern + '.', '');
    if (r.safety) L.push(`Fix safety: ${r.safety}.`, '');
    L.push('```', tail(errorLines.join('\n'), 12), '```', '');
    if (r.fix) L.push('Fixed Dockerfile:', '', '```dockerfile', r.fix.dockerfile.trimEnd(), '```', '');
  }
  for (const r of results) {
    L.push(`### ${r.name}`, '');
    L.push(
      `${r.pattern}. Cold build median ${r.before.medianCold.toFixed(1)} s before, ${r.after.medianCold.toFixed(1)} s after; ` +
        `rebuilds ${r.before.rebuildSeconds.map((s) => s.toFixed(1)).join(', ')} s before, ${r.after.rebuildSeconds.map((s) => s.toFixed(1)).join(', ')} s after.`,
    );
    if (r.safety) L.push('', `Fix safety: ${r.safety}.`);
    for (const n of r.fix.notes) L.push('', `Note: ${n}.`);
    if (!r.fix.changed) L.push('', '**The fix changed nothing.**');
    L.push('', 'Rebuild after the edit, before → after:', '', '```');
    L.push(...r.before.steps, '---', ...r.after.steps, '```', '');
    L.push('Fixed Dockerfile:', '', '```dockerfile', r.fix.dockerfile.trimEnd(), '```', '');
    if (r.smoke) {
      L.push(`Smoke \`${r.smoke.command}\` before → after: ${smokeCell(r)}.`, '');
      for (const [v, sm] of [
        ['before', r.smoke.before],
        ['after', r.smoke.after],
      ]) {
        if (sm && !sm.ok) L.push(`Smoke output ${v}:`, '', '```', sm.output, '```', '');
      }
    }
    if (!r.files.equal)
      L.push(
        'Application file differences (before | after: type mode uid:gid sha256):',
        '',
        '```',
        ...diffLines(r.files),
        '```',
        '',
      );
    if (r.system && !r.system.equal)
      L.push('Differences in the rest of the image (before | after):', '', '```', ...diffLines(r.system), '```', '');
    if (r.caches && !r.caches.equal) {
      L.push(
        `Package caches (left out of the image by cache mounts, not counted as a difference): ` +
          `${r.caches.onlyBefore.length} entries only before, ${r.caches.onlyAfter.length} only after, ${r.caches.changed.length} changed:`,
        '',
        '```',
        ...diffLines(r.caches, 6),
        '```',
        '',
      );
    }
  }
  return L.join('\n') + '\n';
}

function machineNote() {
  const cpu = cpus();
  const v = docker(['version', '--format', '{{.Server.Version}}'], { allowFail: true }).stdout.toString().trim();
  return {
    machine:
      `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}, ` +
      `load average ${loadavg()[0].toFixed(1)} when the run started`,
    builder: `Debian docker.io ${v || '?'} (BuildKit, \`DOCKER_BUILDKIT=1 docker build --progress plain --network none\`)`,
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const { values } = parseArgs({
    options: {
      projects: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'fixed-from': { type: 'string', default: 'cli' },
      cli: { type: 'string', default: join(REPO, 'dist/cli.js') },
      json: { type: 'string' },
      merge: { type: 'string' },
      render: { type: 'string' },
      markdown: { type: 'string' },
    },
  });
  // --render FILE: only turn an earlier --json result into the markdown.
  if (values.render) {
    const { meta, results } = JSON.parse(readFileSync(values.render, 'utf8'));
    const md = renderMarkdown(results, meta);
    if (values.markdown) writeFileSync(values.markdown, md);
    else process.stdout.write(md);
    return;
  }
  const opts = { rounds: Number(values.rounds), fixedFrom: values['fixed-from'], cli: resolve(values.cli) };
  if (!(opts.rounds >= 1)) throw new Error('--rounds must be >= 1');
  if (!['cli', 'expected'].includes(opts.fixedFrom)) throw new Error('--fixed-from is cli or expected');
  if (opts.fixedFrom === 'cli' && !existsSync(opts.cli))
    throw new Error(`${opts.cli} not found: run npm run build (or pass --fixed-from expected)`);
  docker(['version']);
  const projects = loadProjects(values.projects);
  const log = (s) => process.stderr.write(s + '\n');
  const results = [];
  for (const p of projects) {
    try {
      results.push(runProject(p, opts, log));
    } catch (e) {
      // One project's failed build (say, a fix that drops a file the install
      // needs) is a result to report, not a reason to skip the others.
      log(`  FAILED: ${e.message}`);
      results.push({
        name: p.name,
        ecosystem: p.ecosystem,
        pattern: p.pattern,
        unsafe: Boolean(p.unsafe),
        fix: e.fix,
        error: e.message,
      });
    }
  }
  // --merge FILE: keep FILE's results for the projects not run this time
  // (to re-run one project without re-running all of them).
  let earlier = [];
  if (values.merge && existsSync(values.merge)) {
    const prev = JSON.parse(readFileSync(values.merge, 'utf8'));
    earlier = prev.results.filter((r) => !results.some((x) => x.name === r.name));
    if (earlier.length)
      log(`kept ${earlier.length} earlier result(s) from ${values.merge} (${prev.meta.command}, ${prev.meta.date})`);
    if (earlier.length) results.push(...earlier);
    results.sort((a, b) => a.name.localeCompare(b.name));
  }
  const argv = process.argv.slice(2).join(' ');
  const meta = {
    command: `node bench/realbuild/run.mjs${argv ? ' ' + argv : ''}`,
    ...(earlier.length
      ? {
          mergedFrom: {
            projects: earlier.map((r) => r.name),
            command: JSON.parse(readFileSync(values.merge, 'utf8')).meta.command,
          },
        }
      : {}),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    rounds: opts.rounds,
    fixCommand:
      opts.fixedFrom === 'cli' ? 'cachelens fix [--unsafe where marked]' : 'the hand-written Dockerfile.expected-fix',
    ...machineNote(),
  };
  if (values.json) writeFileSync(values.json, JSON.stringify({ meta, results }, null, 2));
  if (values.markdown) writeFileSync(values.markdown, renderMarkdown(results, meta));
  for (const r of results) {
    if (r.error) {
      log(`${r.name}: FAILED`);
      continue;
    }
    log(
      `${r.name}: install cached ${yesNo(r.before.installCached)} -> ${yesNo(r.after.installCached)}, ` +
        `rebuild ${r.before.medianRebuild.toFixed(2)} s -> ${r.after.medianRebuild.toFixed(2)} s (${r.ratio.toFixed(1)}x), ` +
        `app files ${filesCell(r)}, owner/mode ${ownerCell(r)}, rest of image ${systemCell(r)}, smoke ${smokeCell(r)}`,
    );
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}
