import { defineRule, type Fix, type FileEdit, type RuleContext } from './rule';
import { ownershipMovedAbove } from './util/ownership';
import { buildkitSyntax, insertBeforeArgsEdit, isPlainWord } from './util/edits';
import { type DockerfileModel, type Instruction, ancestry, findStage, precedingInChain } from '../parse/dockerfile';
import { type InstallStep, commandMatchesAny, isManifestPath, matchesCommand } from '../ecosystems/match';
import { SAFE_PREPARATIONS, nameIsOneOf } from '../ecosystems/table';
import { resolvePath, type CacheAnalysis } from '../cache/analysis';
import { filesAt, type ContextView } from '../context/view';
import { simpleGlobToRegExp } from '../parse/glob';
import {
  sourcePath,
  isLocalCopy,
  broadSourceFor,
  destDir,
  describeCopy,
  isManifestOnlyCopy,
  isWithin,
} from '../cache/copies';
import {
  installDir,
  installCdPath,
  readsSource,
  manifestText,
  fetchesNothingIn,
  hasManifestAtOrAbove,
} from '../cache/installs';
import { shortText, commandText, rerunsInstall } from '../cache/text';
import { joinDest, manifestsFor } from '../cache/manifests';
import { memberManifests } from '../cache/members';
import { andSegments, isMovableAboveCopy, moveAboveEdits, type BlockItem, referencesContext } from './util/reorder';
import { findInstalls } from '../ecosystems/match';
import { splitCommands } from '../parse/shell';
import { lifecycleReads } from '../ecosystems/lifecycle';
import { mountsKeepWork, pathDependency } from './util/installInputs';

interface Site {
  run: Instruction;
  install: InstallStep;
  /** the context directory that holds this install's manifests */
  contextDir: string;
}

export default defineRule({
  id: 'CL001',
  name: 'source-copied-before-install',
  title: 'Source copied before dependency install',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds a `COPY`/`ADD` that brings in application source (`.`, `*`, a whole sub-project) before the step that installs dependencies from it.',
    why: 'A step is reused from the cache only if every step before it was. A source copy changes on every edit, so the install after it — usually the slowest step — runs again on every build, even when no dependency changed.',
    example: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'CMD ["node", "server.js"]'].join('\n'),
    useInstead: [
      'FROM node:20',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN npm ci',
      'COPY . .',
      'CMD ["node", "server.js"]',
    ].join('\n'),
    references: ['https://docs.docker.com/build/cache/optimize/#order-your-layers'],
  },
  check(ctx) {
    for (const [copy, sites] of sitesByCopy(ctx)) reportSourceCopy(ctx, copy, sites);
  },
});

/** The install steps each source copy comes before (the first such copy of each install). */
function sitesByCopy(ctx: RuleContext): Map<Instruction, Site[]> {
  const { cache, context, dockerfile: model } = ctx;
  const byCopy = new Map<Instruction, Site[]>();
  for (const { ins: run, install } of cache.installSites()) {
    const offline = install.pattern.fetchesNothingWith;
    if (offline && (install.expanded ?? install.command).argv.some((w) => offline.flags.includes(w))) continue;
    const dir = installDir(cache, run, install);
    const chain = precedingInChain(run);
    // a compile that fetches implicitly (go build, mvn package) re-downloads after any source copy
    // a copy of exactly the files the install names (`-r requirem`) is its manifest copy, whatever the names look like
    const ownManifests = (c: Instruction) =>
      c.copy!.sources.every((s) => install.manifests.includes(sourcePath(s.value)));
    // the install's own config folders (`*/.bundle`, `.yarn/`) are not source, whatever the COPY's shape
    const broad = (c: Instruction) => broadSourceFor(cache, c, dir, context, (s) => isInstallInput(s, install));
    // an install of the project itself reads whatever lands in its directory (`COPY src ./src` before `uv sync`)
    const selfInstall = !!install.pattern.needsSource && readsSource(cache, run, install, context);
    const landsInProject = (c: Instruction) => isWithin(destDir(cache, c), dir) || isWithin(dir, destDir(cache, c));
    const bringsSource = (c: Instruction) =>
      !ownManifests(c) &&
      !pathDependency(c, install, manifestText(cache, run, install, context), context) &&
      (!!broad(c) ||
        (selfInstall && !isManifestOnlyCopy(c) && landsInProject(c)) ||
        !!sourceFileWithManifests(cache, c, run, install, dir, context));
    const at = chain.findIndex((c) => isLocalCopy(c) && !c.copy!.excludes.length && bringsSource(c));
    if (at < 0) continue;
    const copy = chain[at];
    if (preparedBefore(model, chain.slice(0, at), install, readsSource(cache, run, install, context))) continue;
    const contextDir = broad(copy)?.contextDir;
    if (
      context &&
      contextDir !== undefined &&
      fetchesNothingIn(install, contextDir, sourcePath(broad(copy)!.source), context)
    )
      continue;
    if (
      context &&
      install.pattern.fetchesNothingWithoutManifest &&
      !hasManifestAtOrAbove(run, install, contextDir ?? '', context)
    )
      continue;
    const sites = byCopy.get(copy) ?? [];
    sites.push({
      run,
      install,
      contextDir: contextDir ?? sourceFileWithManifests(cache, copy, run, install, dir, context)?.contextDir ?? '',
    });
    byCopy.set(copy, sites);
  }
  return byCopy;
}

/** Reports a source copy that comes before installs, with the fix that splits it. */
function reportSourceCopy(ctx: RuleContext, copy: Instruction, sites: Site[]): void {
  const context = ctx.context;
  const first = sites[0];
  const desc = describeCopy(copy, context);
  // a copy that brings nothing (every file ignored) re-runs nothing; in an uncertain context (CL109) it is judged by its words
  if (desc.files && !desc.files.length && !context?.uncertain) return;
  // its own sources are missing from the context (CL109): what it brings is unknown, so nothing is claimed about it
  if (context?.uncertain?.missing.some((m) => m.line === copy.range.start.line)) return;
  const inherited = copy.stage !== first.run.stage;
  const steps = ctx.cache.info(first.run).invalidates;
  const where = inherited
    ? ` in stage \`${copy.stage?.name ?? copy.stage?.index}\`, which \`${first.run.stage?.name ?? 'a later stage'}\` builds on,`
    : '';
  const blocked = sites.map((s) => prefetchBlocker(ctx, s)).find(Boolean);
  const cached = sites.every((s) => mountsKeepWork(ctx.cache, s));
  ctx.report({
    // the slow part (downloads and compiled dependencies) is cached anyway: a re-run costs the project's own build
    severity: cached ? 'info' : undefined,
    message:
      `\`${shortText(copy)}\`${where} copies ${desc.words} before \`${commandText(first.install)}\` (line ${first.run.range.start.line + 1}): ` +
      `editing any of them ${rerunsInstall(steps)}.` +
      (cached
        ? ' Its cache mounts keep the downloads and compiled dependencies, so a re-run mostly costs the build.'
        : '') +
      (blocked?.reason
        ? ` The manifests alone cannot fetch the dependencies (${blocked.reason}): ${blocked.advice}.`
        : ''),
    range: copy.range,
    related: sites.map((s) => ({
      path: ctx.path,
      range: s.run.range,
      message: `\`${commandText(s.install)}\` re-runs whenever \`${shortText(copy)}\` changes`,
    })),
    // computed when read: the split decides nothing of the finding
    fixes: inherited ? [] : () => splitFix(ctx, copy, sites),
  });
}

/**
 * An earlier fetch (pnpm fetch, an earlier install of the same ecosystem) already made the install cheap;
 * or, for an install of the project itself (`pip install .`, `go build`), a `COPY --from` brings what
 * another stage installed from the manifests, so the install after the source copy only builds the project.
 */
function preparedBefore(
  model: DockerfileModel,
  earlier: Instruction[],
  install: InstallStep,
  needsSource: boolean,
): boolean {
  if (
    earlier.some((i) =>
      i.run?.commands.some(
        (c) =>
          commandMatchesAny(SAFE_PREPARATIONS, c) || install.ecosystem.installs.some((p) => commandMatchesAny([p], c)),
      ),
    )
  )
    return true;
  if (!needsSource) return false;
  // any install of the ecosystem there: one of the project itself run where only the manifests were copied
  // (`COPY poetry.lock pyproject.toml ./` + `poetry install`) filled the environment with the dependencies too
  const manifestInstalls = install.ecosystem.installs;
  return earlier.some((i) => {
    const from = i.copy?.from !== undefined ? findStage(model.stages, i.copy.from) : undefined;
    if (!from || from === i.stage) return false;
    return [from, ...ancestry(from)].some((s) =>
      s.instructions.some((r) => r.run?.commands.some((c) => manifestInstalls.some((p) => matchesCommand(p, c)))),
    );
  });
}

/** Whether a COPY source names one of the files or folders the install reads (manifests, lockfiles, config: `*.gemspec`, `.bundle/`). */
function isInstallInput(source: string, install: InstallStep): boolean {
  const name = sourcePath(source).split('/').pop() ?? '';
  if (!name) return false;
  const entries = [...install.manifests, ...install.optional, ...(install.ecosystem.installReads ?? [])].map((e) =>
    e.replace(/\/+$/, ''),
  );
  return (
    entries.some((e) => e === name || (/[*?]/.test(e) && !/[*?[]/.test(name) && simpleGlobToRegExp(e).test(name))) ||
    (!/[*?[]/.test(name) && nameIsOneOf(name, entries))
  );
}

/**
 * A program source file of the install's ecosystem (`app.py`, `index.js`) that a COPY carrying the
 * install's manifests lays straight into the install's directory, and that neither the RUN nor the
 * manifests name: `COPY app.py requirements.txt ./` re-runs the install on every edit of app.py.
 */
function sourceFileWithManifests(
  cache: CacheAnalysis,
  copy: Instruction,
  run: Instruction,
  install: InstallStep,
  dir: string,
  context?: ContextView,
): { source: string; contextDir: string } | undefined {
  const extensions = install.ecosystem.sourceExtensions;
  const info = copy.copy;
  if (!extensions?.length || !info || info.sources.length < 2) return undefined;
  if (!info.sources.some((s) => isManifestPath(s.value) || isInstallInput(s.value, install))) return undefined;
  const dest = destDir(cache, copy);
  for (const s of info.sources) {
    const path = sourcePath(s.value);
    const name = path.split('/').pop() ?? '';
    // globs and folders are broad copies, seen elsewhere
    if (
      !name ||
      /[*?[]/.test(path) ||
      !extensions.some((e) => name.endsWith(e)) ||
      isManifestPath(path) ||
      isInstallInput(s.value, install) ||
      isToolConfig(name)
    )
      continue;
    const srcDir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const landsIn = info.parents && srcDir ? resolvePath(dest, srcDir) : dest;
    if (landsIn !== dir) continue;
    if (run.run!.script.includes(name)) continue;
    const join = (m: string) => [srcDir, m].filter(Boolean).join('/');
    if (context && install.manifests.some((m) => context.readText(join(m))?.includes(name))) continue;
    return { source: s.value, contextDir: srcDir };
  }
  return undefined;
}

/** Tool configuration written in code, not the program: `babel.config.js`, `vite.config.ts`, `gunicorn.conf.py`, `.eslintrc.js`. */
function isToolConfig(name: string): boolean {
  return name.startsWith('.') || /\.(config|conf)\.[^.]+$/i.test(name);
}

function splitFix(ctx: RuleContext, copy: Instruction, sites: Site[]): Fix[] {
  const { dockerfile: model, context } = ctx;
  // a source the context does not have: the context is wrong (or the build fails there); the manifests cannot be known
  if (context?.uncertain) return [];
  const { block, moved, prefetched } = splitPlan(ctx, copy, sites);
  if (!moved.length && !prefetched.length) return [];

  const carried = carryOwnership(ctx, copy, block);
  if (!carried) return [];
  const { edits: carryEdits, flags } = carried;
  const lines = manifestCopyLines(ctx, copy, [...moved, ...prefetched], flags);
  // a manifest whose path a COPY line cannot spell as a plain word (`-r " s`): no split that could drop it
  if (!lines) return [];
  // lifecycle scripts the moved installs run read more than the manifests: copy what they name, or the split is not safe
  const scripts = lifecycleInputs(ctx, moved, flags, lines);
  lines.push(...scripts.lines.filter((l) => !lines.includes(l)));
  let needsStubs = false;
  for (const site of prefetched) {
    const stubs = addPrefetch(ctx, copy, site, flags, lines);
    if (stubs === undefined) return [];
    if (stubs) needsStubs = true;
  }
  const title = moved.length ? 'Split dependency manifest copy' : `Download dependencies before \`${shortText(copy)}\``;
  // stand-in files written by a RUN are not a COPY-only change: offered, but not as safe
  const safe = scripts.safe && !needsStubs;
  return [
    {
      title: needsStubs ? `${title} (with temporary target stubs)` : title,
      safe,
      isPreferred: safe,
      edits: [...carryEdits, ...moveAboveEdits(model, ctx.path, copy, lines, block)],
    },
  ];
}

/**
 * What the split does with the steps between the copy and the installs: the block that moves above
 * the copy (installs and inert steps), the installs it moves, and those that get a prefetch instead.
 */
function splitPlan(
  ctx: RuleContext,
  copy: Instruction,
  sites: Site[],
): { block: BlockItem[]; moved: Site[]; prefetched: Site[] } {
  const { cache, context } = ctx;
  const stage = copy.stage!;
  const after = stage.instructions.filter((i) => i.index > copy.index);
  const runs = new Set(sites.map((s) => s.run));
  const lastRun = Math.max(...sites.map((s) => s.run.index));
  const block: BlockItem[] = [];
  const moved: Site[] = [];
  const prefetched: Site[] = [];
  // a WORKDIR between the copy and a prefetched install: the prefetch changes into the install's directory itself
  let pastWorkdir = false;
  // a USER, ENV or SHELL between them: a prefetch above would run as another user or with other settings
  let pastEnv = false;
  for (const ins of after) {
    if (ins.index > lastRun) break;
    const mine = sites.filter((s) => s.run === ins);
    if (runs.has(ins) && mine.every((s) => readsSource(cache, s.run, s.install, context))) {
      if (!pastEnv)
        prefetched.push(...mine.filter((s) => prefetchCommand(ctx, s) !== undefined && !prefetchBlocker(ctx, s)));
      break;
    }
    if (runs.has(ins)) {
      // `cargo fetch` needs stand-ins for the targets, which moving the RUN alone does not give it
      if (pastWorkdir || mine.some((s) => s.install.pattern.members === 'cargo')) break;
      const item = movableInstallRun(ctx, ins);
      if (!item) break;
      block.push(item);
      moved.push(...mine);
      continue;
    }
    if (ins.keyword === 'WORKDIR' && !block.length) {
      pastWorkdir = true;
      continue;
    }
    if (!isMovableAboveCopy(ins, context)) break;
    if (
      ['USER', 'SHELL'].includes(ins.keyword) ||
      (ins.keyword === 'ENV' && (ins.vars ?? []).some((v) => mayChangeFetch(v.name, sites)))
    )
      pastEnv = true;
    if (pastWorkdir) continue;
    block.push({ ins });
  }
  // keep the block ending at an install: inert steps after the last moved install stay put
  while (block.length && !runs.has(block[block.length - 1].ins)) block.pop();
  return { block, moved, prefetched };
}

/**
 * The owner and mode flags the manifest copies need (a chown/chmod -R that moves above the broad copy
 * no longer reaches its files: both copies set them themselves), with the edits that put them on the
 * broad copy; undefined when the split cannot keep them.
 */
function carryOwnership(
  ctx: RuleContext,
  copy: Instruction,
  block: BlockItem[],
): { edits: FileEdit[]; flags: string } | undefined {
  const model = ctx.dockerfile;
  const carried = ownershipMovedAbove(ctx, copy, block);
  if (carried.impossible) return undefined;
  const carryEdits: FileEdit[] = [];
  if (carried.flags) {
    if (copy.copy!.link && /--chown=(?!\d+(:\d+)? )/.test(carried.flags)) return undefined;
    if (carried.flags.includes('--chmod')) {
      const syntax = buildkitSyntax(model, ctx.path, 3);
      if (!syntax.ok) return undefined;
      carryEdits.push(...syntax.edits);
    }
    carryEdits.push(insertBeforeArgsEdit(ctx.path, copy, carried.flags)!);
  }
  const flags =
    copy.flags
      .filter((f) => ['chown', 'chmod', 'link'].includes(f.name))
      .map((f) => model.lines.slice(f.range) + ' ')
      .join('') + carried.flags;
  return { edits: carryEdits, flags };
}

/** The COPY lines that bring each install's manifests (those no earlier manifest copy brings); undefined when a path is no plain word. */
function manifestCopyLines(ctx: RuleContext, copy: Instruction, sites: Site[], flags: string): string[] | undefined {
  const { context } = ctx;
  const earlierManifests = new Set(
    precedingInChain(copy)
      .filter(isManifestOnlyCopy)
      .flatMap((c) => c.copy!.sources.map((s) => s.value.replace(/^\.\//, ''))),
  );
  const lines: string[] = [];
  for (const site of sites) {
    for (const group of manifestsFor(site.install, site.contextDir, prefetchDest(ctx, copy, site), context)) {
      const sources = group.sources.filter((s) => !earlierManifests.has(s));
      if (!sources.length) continue;
      // a path with an empty segment was joined from a source that is no folder (fuzz seed 100 #82146,
      // `backend/poetry.loc--from=k//requirements#`): no split that grows it on every pass
      if (![...sources, group.dest].every(isPlainWord) || sources.some((src) => src.includes('//'))) return undefined;
      const line = `COPY ${flags}${sources.join(' ')} ${group.dest}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  return lines;
}

/**
 * Adds the lines of one prefetch to `lines`: the member manifests it reads, then the RUN that fetches
 * (with target stubs where Cargo needs them). Returns whether it needs stubs; undefined when a member's
 * path cannot be written as a plain word of a COPY line.
 */
function addPrefetch(
  ctx: RuleContext,
  copy: Instruction,
  site: Site,
  flags: string,
  out: string[],
): boolean | undefined {
  const { dockerfile: model, cache, context } = ctx;
  const installAt = installDir(cache, site.run, site.install);
  const cds =
    cache.info(copy).workdir !== cache.info(site.run).workdir
      ? `cd ${installAt} && `
      : installCdPath(site.install)
          .map((d) => `cd ${d} && `)
          .join('');
  const mounts = site.run.flags
    .filter((f) => f.name === 'mount' && /type=cache/.test(f.value ?? ''))
    .map((f) => model.lines.slice(f.range) + ' ')
    .join('');
  const members =
    site.install.pattern.members && context
      ? memberManifests(site.install.pattern.members, site.contextDir, context)
      : undefined;
  const dest = prefetchDest(ctx, copy, site);
  const rel = (p: string) => (site.contextDir ? p.slice(site.contextDir.length + 1) : p);
  for (const path of members?.paths ?? []) {
    const r = rel(path);
    const isDir = r.endsWith('/');
    const parent = isDir ? r.replace(/\/+$/, '') : r.includes('/') ? r.slice(0, r.lastIndexOf('/')) : '';
    if (!isPlainWord(path) || !isPlainWord(joinDest(dest, parent))) return undefined;
    const line = `COPY ${flags}${path} ${joinDest(dest, parent)}`;
    if (!out.includes(line)) out.push(line);
  }
  // Cargo reads a manifest only when its targets exist: empty stand-ins for the fetch, removed in the same step
  const stubs = (members?.stubs ?? []).map(rel);
  // folders the manifest copy creates (a member's own folder) need no mkdir
  const copied = new Set(
    (members?.paths ?? []).map((p) => rel(p)).map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')),
  );
  const stubDirs = [
    ...new Set(
      stubs.map((s) => (s.includes('/') ? s.slice(0, s.lastIndexOf('/')) : '')).filter((d) => d && !copied.has(d)),
    ),
  ];
  const before = stubs.length
    ? `${stubDirs.length ? `mkdir -p ${stubDirs.join(' ')} && ` : ''}touch ${stubs.join(' ')} && `
    : '';
  const after = stubs.length ? ` && rm ${stubs.join(' ')}` : '';
  out.push(`RUN ${mounts}${cds}${before}${prefetchCommand(ctx, site)}${after}`);
  return stubs.length > 0;
}

/** A RUN with an install that can move above the source copy: whole, or its install part split off at `&&`. */
function movableInstallRun(ctx: RuleContext, run: Instruction): BlockItem | undefined {
  const { dockerfile: model, context } = ctx;
  const commands = run.run!.commands;
  const nonInstall = commands.filter((c) => !findInstalls([c]).length && c.argv[0] !== 'cd');
  if (!nonInstall.some((c) => referencesContext(c.argv.join(' '), context))) return { ins: run };
  const split = andSegments(model, run);
  if (!split) return undefined;
  const isInstall = (seg: string) => findInstalls(splitCommands(seg)).length > 0;
  const last = split.segments.map(isInstall).lastIndexOf(true);
  if (last < 0) return undefined;
  const head = split.segments.slice(0, last + 1);
  const tail = split.segments.slice(last + 1);
  if (head.some((seg) => !isInstall(seg) && referencesContext(seg, context))) return undefined;
  const cds = head.filter((seg) => /^cd\s/.test(seg));
  const prefix = `RUN ${split.flagsText ? split.flagsText + ' ' : ''}`;
  return { ins: run, moveText: prefix + head.join(' && '), remainder: prefix + [...cds, ...tail].join(' && ') };
}

/**
 * The fetch-only command a fix runs before the source copy: the ecosystem's (`go mod download`), or the
 * install itself with the flags that leave the project out (`uv sync --locked --no-install-project`) —
 * only when the install is the first command of its RUN (a tool installed just before it would be
 * missing), its words need no quoting, and its manifest does not pull other sources in (path dependencies).
 */
function prefetchCommand(ctx: RuleContext, site: Site): string | undefined {
  const { pattern, command } = site.install;
  // Cargo needs stand-ins for the targets, known only from the context's files
  if (pattern.members === 'cargo' && !ctx.context) return undefined;
  if (pattern.prefetch) {
    // `$0` is the program as the RUN writes it (`./gradlew`, `./mvnw`)
    const tool = command.argv[0];
    if (pattern.prefetch.includes('$0') && !/^[A-Za-z0-9_./-]+$/.test(tool ?? '')) return undefined;
    return pattern.prefetch.replace('$0', tool);
  }
  if (!pattern.prefetchFlags?.length) return undefined;
  const written = command;
  const others = site.run.run!.commands.filter((c) => c.argv[0] !== 'cd');
  if (others[0] !== written) return undefined;
  if (pattern.prefetchUnlessManifest) {
    const text = manifestText(ctx.cache, site.run, site.install, ctx.context);
    if (text === undefined ? !!ctx.context : new RegExp(pattern.prefetchUnlessManifest, 'm').test(text))
      return undefined;
  }
  const plain = /^[A-Za-z0-9_@%+=:,./-]+$|^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;
  const env = Object.entries(written.env).map(([k, v]) => `${k}=${v}`);
  const words = [...env, ...written.argv];
  if (!words.every((w) => plain.test(w) || /^[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_@%+:,./-]*$/.test(w))) return undefined;
  const add = pattern.prefetchFlags.filter((f) => !written.argv.includes(f));
  // flags go before a `--` that ends them
  const end = words.indexOf('--');
  const out = end < 0 ? [...words, ...add] : [...words.slice(0, end), ...add, ...words.slice(end)];
  return out.join(' ');
}

/**
 * For installs that run npm-style lifecycle scripts (root or workspace `postinstall`, `prepare`, Prisma
 * generate): COPY lines for the files the scripts name, placed beside their package.json as the manifest
 * copy places it; `safe` is false when a script runs something whose inputs cannot be named.
 */
function lifecycleInputs(
  ctx: RuleContext,
  sites: Site[],
  flags: string,
  manifestLines: string[],
): { lines: string[]; safe: boolean } {
  const { context } = ctx;
  const out: string[] = [];
  let safe = true;
  if (!context) return { lines: out, safe };
  const exists = (p: string) =>
    filesAt(context.files, p).some((f) => f.path === p) || context.files.some((f) => f.path.startsWith(p + '/'));
  for (const site of sites) {
    if (site.install.ecosystem.family !== 'node') continue;
    const dir = installDir(ctx.cache, site.run, site.install);
    const workdir = ctx.cache.info(site.run).workdir;
    const relativeDest = isWithin(dir, workdir);
    const base = relativeDest
      ? dir === workdir
        ? '.'
        : './' + dir.slice(workdir === '/' ? 1 : workdir.length + 1)
      : dir;
    for (const group of manifestsFor(site.install, site.contextDir, base, context)) {
      for (const source of group.sources.filter((s) => s === 'package.json' || s.endsWith('/package.json'))) {
        let pkg: { scripts?: Record<string, unknown>; prisma?: { schema?: unknown } } | undefined;
        try {
          pkg = JSON.parse(context.readText(source) ?? 'null') ?? undefined;
        } catch {
          pkg = undefined;
        }
        if (!pkg?.scripts || typeof pkg.scripts !== 'object') continue;
        const pkgDir = source.includes('/') ? source.slice(0, source.lastIndexOf('/')) : '';
        const join = (p: string) => [pkgDir, p].filter(Boolean).join('/');
        const schema = typeof pkg.prisma?.schema === 'string' ? pkg.prisma.schema.replace(/^\.\//, '') : undefined;
        const reads = lifecycleReads(
          pkg.scripts,
          (p) => exists(join(p)),
          (tool) => (tool === 'prisma' && schema ? [schema] : []),
        );
        if (reads.unknown.length) safe = false;
        for (const p of reads.paths) {
          const path = join(p);
          // already part of the manifest copy (prisma/ as an install input)
          if (manifestLines.some((l) => l.split(' ').includes(path) || l.split(' ').includes(path + '/'))) continue;
          const isDir = context.files.some((f) => f.path.startsWith(path + '/'));
          const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
          const dest = isDir ? joinDest(group.dest, p) : joinDest(group.dest, parent);
          const line = `COPY ${flags}${isDir ? path + '/' : path} ${dest}`;
          // a path the line cannot spell as a word: the script's input is not copied, the split is not safe
          if (!isPlainWord(path) || !isPlainWord(dest)) safe = false;
          else if (!out.includes(line)) out.push(line);
        }
      }
    }
  }
  return { lines: out, safe };
}

/** Why the manifests alone cannot be fetched for this install (a path dependency, a multi-module build), with what to do instead. */
function prefetchBlocker(ctx: RuleContext, site: Site): { reason: string; advice: string } | undefined {
  const { pattern } = site.install;
  if (
    !pattern.members ||
    !ctx.context ||
    !readsSource(ctx.cache, site.run, site.install, ctx.context) ||
    /[*?[]/.test(site.contextDir)
  )
    return undefined;
  const blocker = memberManifests(pattern.members, site.contextDir, ctx.context).blocker;
  return blocker !== undefined
    ? { reason: blocker, advice: pattern.prefetchAdvice ?? 'a cache mount keeps the downloads instead' }
    : undefined;
}

/** Where the split's manifest copy lands for this site, written as the split writes it (`./`, `./sub/`, or absolute). */
function prefetchDest(ctx: RuleContext, copy: Instruction, site: Site): string {
  const dir = installDir(ctx.cache, site.run, site.install);
  const workdir = ctx.cache.info(copy).workdir;
  const relativeDest = !copy.copy!.dest?.value.startsWith('/') && isWithin(dir, workdir);
  return relativeDest ? (dir === workdir ? '.' : './' + dir.slice(workdir === '/' ? 1 : workdir.length + 1)) : dir;
}

/** An ENV setting that may change what or where a fetch downloads (the manager's own settings, proxies, registries, credentials, homes). */
function mayChangeFetch(name: string, sites: Site[]): boolean {
  if (sites.some((s) => s.install.ecosystem.cacheSettings?.env.includes(name))) return true;
  return /PROXY|REGISTRY|INDEX|TOKEN|AUTH|HOME|PATH|^(GO|CARGO|RUSTUP|GRADLE|MAVEN|MVN|JAVA|SBT|UV|POETRY|PDM|PIP|PYTHON|NPM|YARN|PNPM|BUN|NODE|NUGET|DOTNET|BUNDLE|GEM|COMPOSER|MIX|HEX)_?/i.test(
    name,
  );
}
