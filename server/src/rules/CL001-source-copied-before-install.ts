import { defineRule, Fix, RuleContext } from './rule';
import { Instruction, precedingInChain } from '../parse/dockerfile';
import { InstallStep, commandMatchesAny } from '../ecosystems/match';
import { SAFE_PREPARATIONS } from '../ecosystems/table';
import { sourcePath, isLocalCopy, broadSourceFor, installDir, describeCopy, shortText, commandText, rerunsInstall, manifestsFor, isManifestOnlyCopy, isWithin } from './util/copies';
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
    const { cache, context } = ctx;
    const byCopy = new Map<Instruction, Site[]>();
    for (const { ins: run, install } of cache.installSites()) {
      const dir = installDir(cache, run, install);
      const chain = precedingInChain(run);
      // a compile that fetches implicitly (go build, mvn package) re-downloads after any source copy
      // a copy of exactly the files the install names (`-r requirem`) is its manifest copy, whatever the names look like
      const ownManifests = (c: Instruction) => c.copy!.sources.every((s) => install.manifests.includes(sourcePath(s.value)));
      const bringsSource = (c: Instruction) => !ownManifests(c) && (!!broadSourceFor(cache, c, dir, context) || (!!install.pattern.needsSource && !isManifestOnlyCopy(c)));
      const at = chain.findIndex((c) => isLocalCopy(c) && !c.copy!.excludes.length && bringsSource(c));
      if (at < 0) continue;
      const copy = chain[at];
      if (preparedBefore(chain.slice(0, at), install)) continue;
      const sites = byCopy.get(copy) ?? [];
      sites.push({ run, install, contextDir: broadSourceFor(cache, copy, dir, context)?.contextDir ?? '' });
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

/** An earlier fetch (pnpm fetch, an earlier install of the same ecosystem) already made the install cheap. */
function preparedBefore(earlier: Instruction[], install: InstallStep): boolean {
  return earlier.some((i) => i.run?.commands.some((c) => commandMatchesAny(SAFE_PREPARATIONS, c) || install.ecosystem.installs.some((p) => commandMatchesAny([p], c))));
}

function splitFix(ctx: RuleContext, copy: Instruction, sites: Site[]): Fix[] {
  const { dockerfile: model, cache, context } = ctx;
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
  const flags = copy.flags.filter((f) => ['chown', 'chmod', 'link'].includes(f.name)).map((f) => model.lines.slice(f.range) + ' ').join('');
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
    const cds = site.install.cdPath.map((d) => `cd ${d} && `).join('');
    const mounts = site.run.flags.filter((f) => f.name === 'mount' && /type=cache/.test(f.value ?? '')).map((f) => model.lines.slice(f.range) + ' ').join('');
    lines.push(`RUN ${mounts}${cds}${site.install.pattern.prefetch}`);
  }
  const title = moved.length ? 'Split dependency manifest copy' : `Download dependencies before \`${shortText(copy)}\``;
  return [{ title, safe: true, isPreferred: true, edits: moveAboveEdits(model, ctx.path, copy, lines, block) }];
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
