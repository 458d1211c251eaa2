import { defineRule, Fix, FileEdit, RuleContext } from './rule';
import { ownershipMovedAbove } from './util/ownership';
import { buildkitSyntax, insertBeforeArgsEdit } from './util/edits';
import { DockerfileModel, Instruction, ancestry, findStage, precedingInChain } from '../parse/dockerfile';
import { InstallStep, commandMatchesAny, isManifestPath, matchesCommand } from '../ecosystems/match';
import { SAFE_PREPARATIONS } from '../ecosystems/table';
import { resolvePath, CacheAnalysis } from '../cache/analysis';
import { filesAt, ContextView } from '../context/view';
import { simpleGlobToRegExp } from '../parse/glob';
import { sourcePath, isLocalCopy, broadSourceFor, installDir, installCdPath, destDir, describeCopy, shortText, commandText, rerunsInstall, manifestsFor, isManifestOnlyCopy, isWithin, contextMissesSources } from './util/copies';
import { andSegments, isMovableAboveCopy, moveAboveEdits, BlockItem, referencesContext } from './util/reorder';
import { findInstalls } from '../ecosystems/match';
import { splitCommands } from '../parse/shell';

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
    useInstead: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .', 'CMD ["node", "server.js"]'].join('\n'),
    references: ['https://docs.docker.com/build/cache/optimize/#order-your-layers'],
  },
  check(ctx) {
    const { cache, context, dockerfile: model } = ctx;
    const byCopy = new Map<Instruction, Site[]>();
    for (const { ins: run, install } of cache.installSites()) {
      const offline = install.pattern.fetchesNothingWith;
      if (offline && install.command.argv.some((w) => offline.flags.includes(w))) continue;
      const dir = installDir(cache, run, install);
      const chain = precedingInChain(run);
      // a compile that fetches implicitly (go build, mvn package) re-downloads after any source copy
      // a copy of exactly the files the install names (`-r requirem`) is its manifest copy, whatever the names look like
      const ownManifests = (c: Instruction) => c.copy!.sources.every((s) => install.manifests.includes(sourcePath(s.value)));
      // the install's own config folders (`*/.bundle`, `.yarn/`) are not source, whatever the COPY's shape
      const broad = (c: Instruction) => broadSourceFor(cache, c, dir, context, (s) => isInstallInput(s, install));
      const bringsSource = (c: Instruction) =>
        !ownManifests(c) && (!!broad(c) || (!!install.pattern.needsSource && !isManifestOnlyCopy(c)) || !!sourceFileWithManifests(cache, c, run, install, dir, context));
      const at = chain.findIndex((c) => isLocalCopy(c) && !c.copy!.excludes.length && bringsSource(c));
      if (at < 0) continue;
      const copy = chain[at];
      if (preparedBefore(model, chain.slice(0, at), install)) continue;
      const contextDir = broad(copy)?.contextDir;
      if (context && contextDir !== undefined && fetchesNothingIn(install, contextDir, sourcePath(broad(copy)!.source), context)) continue;
      const sites = byCopy.get(copy) ?? [];
      sites.push({ run, install, contextDir: contextDir ?? sourceFileWithManifests(cache, copy, run, install, dir, context)?.contextDir ?? '' });
      byCopy.set(copy, sites);
    }
    for (const [copy, sites] of byCopy) {
      const first = sites[0];
      const desc = describeCopy(copy, context);
      const inherited = copy.stage !== first.run.stage;
      const steps = ctx.cache.info(first.run).invalidates;
      const where = inherited ? ` in stage \`${copy.stage?.name ?? copy.stage?.index}\`, which \`${first.run.stage?.name ?? 'a later stage'}\` builds on,` : '';
      ctx.report({
        message:
          `\`${shortText(copy)}\`${where} copies ${desc.words} before \`${commandText(first.install)}\` (line ${first.run.range.start.line + 1}): ` +
          `editing any of them ${rerunsInstall(steps)}.`,
        range: copy.range,
        related: sites.map((s) => ({ path: ctx.path, range: s.run.range, message: `\`${commandText(s.install)}\` re-runs whenever \`${shortText(copy)}\` changes` })),
        fixes: inherited ? [] : splitFix(ctx, copy, sites),
      });
    }
  },
});

/**
 * An earlier fetch (pnpm fetch, an earlier install of the same ecosystem) already made the install cheap;
 * or, for an install of the project itself (`pip install .`, `go build`), a `COPY --from` brings what
 * another stage installed from the manifests, so the install after the source copy only builds the project.
 */
function preparedBefore(model: DockerfileModel, earlier: Instruction[], install: InstallStep): boolean {
  if (earlier.some((i) => i.run?.commands.some((c) => commandMatchesAny(SAFE_PREPARATIONS, c) || install.ecosystem.installs.some((p) => commandMatchesAny([p], c))))) return true;
  if (!install.pattern.needsSource) return false;
  const manifestInstalls = install.ecosystem.installs.filter((p) => !p.needsSource);
  return earlier.some((i) => {
    const from = i.copy?.from !== undefined ? findStage(model.stages, i.copy.from) : undefined;
    if (!from || from === i.stage) return false;
    return [from, ...ancestry(from)].some((s) => s.instructions.some((r) => r.run?.commands.some((c) => manifestInstalls.some((p) => matchesCommand(p, c)))));
  });
}

/** Whether a COPY source names one of the files or folders the install reads (manifests, lockfiles, config: `*.gemspec`, `.bundle/`). */
function isInstallInput(source: string, install: InstallStep): boolean {
  const name = sourcePath(source).split('/').pop() ?? '';
  if (!name) return false;
  const entries = [...install.manifests, ...install.optional, ...(install.ecosystem.installReads ?? [])].map((e) => e.replace(/\/+$/, ''));
  return entries.some((e) => e === name || (/[*?]/.test(e) && !/[*?[]/.test(name) && simpleGlobToRegExp(e).test(name)));
}

/**
 * A program source file of the install's ecosystem (`app.py`, `index.js`) that a COPY carrying the
 * install's manifests lays straight into the install's directory, and that neither the RUN nor the
 * manifests name: `COPY app.py requirements.txt ./` re-runs the install on every edit of app.py.
 */
function sourceFileWithManifests(cache: CacheAnalysis, copy: Instruction, run: Instruction, install: InstallStep, dir: string, context?: ContextView): { source: string; contextDir: string } | undefined {
  const extensions = install.ecosystem.sourceExtensions;
  const info = copy.copy;
  if (!extensions?.length || !info || info.sources.length < 2) return undefined;
  if (!info.sources.some((s) => isManifestPath(s.value) || isInstallInput(s.value, install))) return undefined;
  const dest = destDir(cache, copy);
  for (const s of info.sources) {
    const path = sourcePath(s.value);
    const name = path.split('/').pop() ?? '';
    // globs and folders are broad copies, seen elsewhere
    if (!name || /[*?[]/.test(path) || !extensions.some((e) => name.endsWith(e)) || isManifestPath(path) || isInstallInput(s.value, install) || isToolConfig(name)) continue;
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

/**
 * The install fetches nothing in this tree: the nearest folder at or above its directory (within
 * what the COPY brings) that holds its manifest also holds a file like go's `vendor/modules.txt`.
 */
function fetchesNothingIn(install: InstallStep, contextDir: string, base: string, context: ContextView): boolean {
  const beside = install.pattern.fetchesNothingWith?.besideManifest;
  if (!beside?.length || /[*?[]/.test(contextDir) || !install.manifests.length) return false;
  const has = (p: string) => filesAt(context.files, p).some((f) => f.path === p);
  const join = (a: string, b: string) => [a, b].filter(Boolean).join('/');
  for (let d = contextDir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (install.manifests.some((m) => has(join(d, m)))) return beside.some((b) => has(join(d, b)));
    if (d === '' || d === base) return false;
  }
}

function splitFix(ctx: RuleContext, copy: Instruction, sites: Site[]): Fix[] {
  const { dockerfile: model, cache, context } = ctx;
  // a source the context does not have: the context is wrong (or the build fails there); the manifests cannot be known
  if (contextMissesSources(model, context)) return [];
  const stage = copy.stage!;
  const after = stage.instructions.filter((i) => i.index > copy.index);
  const runs = new Set(sites.map((s) => s.run));
  const lastRun = Math.max(...sites.map((s) => s.run.index));
  const block: BlockItem[] = [];
  const moved: Site[] = [];
  const prefetched: Site[] = [];
  for (const ins of after) {
    if (ins.index > lastRun) break;
    const mine = sites.filter((s) => s.run === ins);
    if (runs.has(ins) && mine.every((s) => s.install.pattern.needsSource)) {
      prefetched.push(...mine.filter((s) => s.install.pattern.prefetch));
      break;
    }
    if (runs.has(ins)) {
      const item = movableInstallRun(ctx, ins);
      if (!item) break;
      block.push(item);
      moved.push(...mine);
      continue;
    }
    if (!isMovableAboveCopy(ins, context)) break;
    block.push({ ins });
  }
  // keep the block ending at an install: inert steps after the last moved install stay put
  while (block.length && !runs.has(block[block.length - 1].ins)) block.pop();
  if (!moved.length && !prefetched.length) return [];

  const earlierManifests = new Set(
    precedingInChain(copy)
      .filter(isManifestOnlyCopy)
      .flatMap((c) => c.copy!.sources.map((s) => s.value.replace(/^\.\//, ''))),
  );
  // a chown/chmod -R that moves above the broad copy no longer reaches its files: both copies set them themselves
  const carried = ownershipMovedAbove(ctx, copy, block);
  if (carried.impossible) return [];
  const carryEdits: FileEdit[] = [];
  if (carried.flags) {
    if (copy.copy!.link && /--chown=(?!\d+(:\d+)? )/.test(carried.flags)) return [];
    if (carried.flags.includes('--chmod')) {
      const syntax = buildkitSyntax(model, ctx.path, 3);
      if (!syntax.ok) return [];
      carryEdits.push(...syntax.edits);
    }
    carryEdits.push(insertBeforeArgsEdit(ctx.path, copy, carried.flags)!);
  }
  const flags = copy.flags.filter((f) => ['chown', 'chmod', 'link'].includes(f.name)).map((f) => model.lines.slice(f.range) + ' ').join('') + carried.flags;
  const lines: string[] = [];
  for (const site of [...moved, ...prefetched]) {
    const dir = installDir(cache, site.run, site.install);
    const workdir = cache.info(copy).workdir;
    const relativeDest = !copy.copy!.dest?.value.startsWith('/') && isWithin(dir, workdir);
    const dest = relativeDest ? (dir === workdir ? '.' : './' + dir.slice(workdir === '/' ? 1 : workdir.length + 1)) : dir;
    for (const group of manifestsFor(site.install, site.contextDir, dest, context)) {
      const sources = group.sources.filter((s) => !earlierManifests.has(s));
      if (!sources.length) continue;
      const line = `COPY ${flags}${sources.join(' ')} ${group.dest}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  for (const site of prefetched) {
    const cds = installCdPath(site.install).map((d) => `cd ${d} && `).join('');
    const mounts = site.run.flags.filter((f) => f.name === 'mount' && /type=cache/.test(f.value ?? '')).map((f) => model.lines.slice(f.range) + ' ').join('');
    lines.push(`RUN ${mounts}${cds}${site.install.pattern.prefetch}`);
  }
  const title = moved.length ? 'Split dependency manifest copy' : `Download dependencies before \`${shortText(copy)}\``;
  return [{ title, safe: true, isPreferred: true, edits: [...carryEdits, ...moveAboveEdits(model, ctx.path, copy, lines, block)] }];
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
