import { defineRule, type Fix, type FileEdit, type RuleContext } from './rule';
import { type Instruction, type Stage, precedingInChain, ancestry, findStage } from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';
import type { Range } from '../parse/text';
import type { Ecosystem } from '../ecosystems/table';
import { commandMatchesAny } from '../ecosystems/match';
import { SYSTEM_PACKAGE_MANAGERS, type CacheMount, type SystemPackageManager } from '../ecosystems/system';
import { isRootUser, userAt } from '../cache/stages';
import { baseImage } from '../cache/images';
import {
  cacheMountTargets,
  cleanupsIn,
  declaredVars,
  envSetting,
  hasCacheMount,
  mountFlag,
  pathsOverlap,
  usesFlag,
} from '../cache/mounts';
import { fetchesNothingHere } from '../cache/installs';
import { buildkitSyntax, insertAboveEdit, insertBeforeArgsEdit, positionAt } from './util/edits';
import { cleanupRemovalEdits } from './util/cleanupEdits';

interface Need {
  /** what downloads: `npm ci` */
  command: string;
  manager: string;
  /** the language ecosystem (none for a system package manager) */
  eco?: Ecosystem;
  mounts: CacheMount[];
  /** shell to run once before, so the manager keeps what it downloads */
  keepDownloads?: string;
  /** an earlier RUN's fix adds keepDownloads: the mount is only useful with it */
  keptByEarlier?: boolean;
  /** other RUNs of the stage that need the same mount because they read what the install left in the cache */
  alsoOn: Instruction[];
  /** an existing cache mount of this manager at another directory: its target is corrected instead of a second mount */
  wrongMount?: { target: string; range: Range };
}

/** Yarn 2+ (Berry) keeps its downloads in its global cache, not Yarn 1's. */
const YARN_BERRY_CACHE = '/root/.yarn/berry/cache';

export default defineRule({
  id: 'CL201',
  name: 'missing-cache-mount',
  title: 'Package download without a cache mount',
  defaultSeverity: 'hint',
  docs: {
    what: "Finds a dependency install (or `apt-get install`) that downloads packages without `--mount=type=cache` on the package manager's cache directory.",
    why: 'When the install step re-runs — a new dependency, a changed lockfile, an edit above it — every package is downloaded again. A cache mount keeps the downloads between builds without putting them in the image.',
    example: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'].join('\n'),
    useInstead: [
      '# syntax=docker/dockerfile:1',
      'FROM node:20',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN --mount=type=cache,target=/root/.npm npm ci',
    ].join('\n'),
    references: ['https://docs.docker.com/build/cache/optimize/#use-cache-mounts'],
  },
  check(ctx) {
    const syntax = buildkitSyntax(ctx.dockerfile, ctx.path, 2);
    if (!syntax.ok) return;
    for (const stage of ctx.dockerfile.stages) {
      for (const run of stage.instructions) {
        const needs = needsOf(ctx, run, stage, NONE);
        if (!needs.length) continue;
        const first = needs[0];
        const caches = needs
          .map((n) => `the ${n.manager} cache (${n.mounts.map((m) => `\`${m.target}\``).join(', ')})`)
          .join(' and ');
        ctx.report({
          message: `\`${first.command}\` downloads every package again whenever this step re-runs. Mount ${caches} with \`--mount=type=cache\` to reuse the downloads.`,
          range: run.range,
          // computed when read: the mount, the cleanups it removes and the later installs it reaches
          fixes: () => [withFollowers(ctx, run, stage, needs, mountFix(ctx, run, needs, syntax.edits))],
        });
      }
    }
  },
});

const NONE: ReadonlySet<Instruction> = new Set();

/** What the RUN needs mounted, treating the unmounted installs in `mounted` as mounted already. */
function needsOf(ctx: RuleContext, run: Instruction, stage: Stage, mounted: ReadonlySet<Instruction>): Need[] {
  // the steps before it are a copy of the chain: build it only for a RUN that downloads
  if (!run.run || !mayDownload(ctx, run)) return [];
  const chain = precedingInChain(run);
  if (!isRootUser(userAt(chain)) || isWindowsImage(stage)) return [];
  return [...languageNeeds(ctx, run, chain, mounted), ...systemNeeds(ctx, run, chain)];
}

/**
 * A later install of the same manager gets no mount while this one fills the cache in the image;
 * once this one is mounted, it does — and fix-all would mount one more per pass, never settling
 * where many stand in a row. The later installs that would get a safe mount then get it in this
 * fix, as the passes would have added them.
 */
function withFollowers(ctx: RuleContext, run: Instruction, stage: Stage, needs: Need[], fix: Fix): Fix {
  const mounted = new Set([run]);
  const ecos = new Set(needs.filter((n) => n.eco && !n.wrongMount).map((n) => n.eco!));
  const alsoOn = new Set(needs.flatMap((n) => n.alsoOn));
  if (!ecos.size || !fix.edits.length) return fix;
  const edits = [...fix.edits];
  for (const later of stage.instructions) {
    if (later.index <= run.index || alsoOn.has(later) || !later.run) continue;
    if (!ctx.cache.info(later).installs.some((i) => ecos.has(i.ecosystem))) continue;
    const now = needsOf(ctx, later, stage, mounted);
    const alone = new Set(needsOf(ctx, later, stage, NONE).map((n) => n.manager));
    if (!now.some((n) => n.eco && ecos.has(n.eco) && !alone.has(n.manager))) continue;
    const own = mountFix(ctx, later, now, []);
    // an unsafe mount is not one fix-all adds: the installs after it stay as they are
    if (!own.safe || !own.edits.length) continue;
    edits.push(...own.edits);
    mounted.add(later);
  }
  if (mounted.size === 1) return fix;
  const more = mounted.size - 1;
  return { ...fix, title: `${fix.title} (and ${more} later step${more > 1 ? 's' : ''})`, edits };
}

/** A cheap first look: an install of an ecosystem with a cache, or a system package download. */
function mayDownload(ctx: RuleContext, run: Instruction): boolean {
  if (ctx.cache.info(run).installs.some((i) => i.ecosystem.cacheTarget)) return true;
  const commands = run.run!.commands;
  return SYSTEM_PACKAGE_MANAGERS.some(
    (m) => m.cacheMounts?.length && commands.some((c) => commandMatchesAny(m.downloads, c)),
  );
}

/** Windows containers keep their caches elsewhere; the table's paths are Linux paths. */
function isWindowsImage(stage: Stage): boolean {
  const image = baseImage(stage);
  return !!image && /windows|nanoserver|servercore|ltsc20/i.test(`${image.repository}:${image.tag ?? ''}`);
}

// A stage's RUNs that install something, per analysis: the fix's follower scan asks for each later
// install whether an earlier one fills the cache, and a scan of the whole chain each time made
// a 10,000-instruction stage quadratic.
const installRunsMemo = new WeakMap<object, Map<Stage | undefined, Instruction[]>>();

function installRunsOf(ctx: RuleContext, stage: Stage | undefined): Instruction[] {
  let byStage = installRunsMemo.get(ctx.cache);
  if (!byStage) installRunsMemo.set(ctx.cache, (byStage = new Map()));
  let runs = byStage.get(stage);
  if (!runs) {
    runs = (stage?.instructions ?? []).filter((i) => i.run && ctx.cache.info(i).installs.length > 0);
    byStage.set(stage, runs);
  }
  return runs;
}

function languageNeeds(
  ctx: RuleContext,
  run: Instruction,
  chain: Instruction[],
  mounted: ReadonlySet<Instruction>,
): Need[] {
  const needs: Need[] = [];
  const seen = new Set<Ecosystem>();
  for (const install of ctx.cache.info(run).installs) {
    const eco = install.ecosystem;
    if (seen.has(eco) || !eco.cacheTarget) continue;
    // vendored Go modules, or no go.mod at all: nothing is downloaded, nothing to cache
    if (fetchesNothingHere(ctx.cache, run, install, ctx.context)) continue;
    seen.add(eco);
    const target = cacheTargetFor(ctx, chain, eco);
    if (!target) continue;
    if (hasCacheMount(run, [target])) continue;
    if (!cacheLocationKnown(run, chain, install.command, eco)) continue;
    // an earlier step filled the cache directory in the image (`pnpm fetch`, a first install): a mount here would hide it
    if (
      installRunsOf(ctx, run.stage).some(
        (i) =>
          i.index < run.index &&
          !mounted.has(i) &&
          !hasCacheMount(i, [target]) &&
          ctx.cache.info(i).installs.some((x) => x.ecosystem === eco),
      )
    )
      continue;
    if (
      eco.id === 'pnpm' &&
      chain.some(
        (i) =>
          i.run?.commands.some((c) => c.argv[0] === 'pnpm' && c.argv[1] === 'fetch') && !hasCacheMount(i, [target]),
      )
    )
      continue;
    const alsoOn = eco.cacheHoldsInstall ? laterUsers(ctx, run, eco) : [];
    if (!alsoOn) continue;
    // the RUN already mounts a cache for this manager elsewhere: the user chose it; only a known-wrong directory is corrected
    const existing = wrongMountFor(run, eco);
    if (existing && !isKnownWrong(ctx, eco, existing.target, target)) continue;
    needs.push({
      command: install.command.argv.join(' '),
      eco,
      manager: eco.name,
      mounts: [{ target }],
      alsoOn,
      wrongMount: existing,
    });
  }
  return needs;
}

/**
 * Where the manager keeps its downloads here: the table's directory, or for
 * Yarn 2+ its global cache. Undefined when it cannot be mounted safely (a
 * Berry project cache inside the project, or one the config moves).
 */
function cacheTargetFor(ctx: RuleContext, chain: Instruction[], eco: Ecosystem): string | undefined {
  if (eco.id !== 'yarn') return eco.cacheTarget;
  const rc = ctx.context?.readText('.yarnrc.yml');
  const pkg = ctx.context?.readText('package.json') ?? '';
  const manager = /"packageManager"\s*:\s*"yarn@(\d+)/.exec(pkg);
  const setVersion = chain.some((i) =>
    i.run?.commands.some(
      (c) =>
        ((c.argv[0] === 'yarn' || c.argv[0] === 'corepack') && c.argv.includes('set') && c.argv.includes('version')) ||
        (c.argv[0] === 'corepack' && c.argv[1] === 'prepare' && /yarn@(stable|[2-9])/.test(c.argv[2] ?? '')),
    ),
  );
  // the Dockerfile itself copies Berry's files: the context may be uncertain, the Dockerfile is not
  const copiesBerry = ctx.dockerfile.instructions.some((i) =>
    i.copy?.sources.some((src) => /(^|\/)\.yarnrc\.yml$|(^|\/)\.yarn\/?$/.test(src.value)),
  );
  const berry = rc !== undefined || (manager && Number(manager[1]) >= 2) || setVersion || copiesBerry;
  if (!berry) return eco.cacheTarget;
  // Yarn 4 uses the global cache by default; 2 and 3 keep it in the project (.yarn/cache), which the image may need
  const pathVersion = /yarnPath:\s*\S*yarn-(\d+)/.exec(rc ?? '');
  const major = manager ? Number(manager[1]) : pathVersion ? Number(pathVersion[1]) : undefined;
  if (major === undefined || major < 4) return undefined;
  if (/^\s*(enableGlobalCache\s*:\s*false|cacheFolder\s*:|globalFolder\s*:)/m.test(rc ?? '')) return undefined;
  return YARN_BERRY_CACHE;
}

/**
 * An existing mount directory that is certainly not where this manager
 * version keeps its downloads: Yarn 1's cache under Yarn 4, pnpm 6's
 * `/root/.pnpm-store` under a declared pnpm 7+.
 */
function isKnownWrong(ctx: RuleContext, eco: Ecosystem, existing: string, target: string): boolean {
  const at = existing.replace(/\/+$/, '');
  if (eco.id === 'yarn') return target === YARN_BERRY_CACHE && at === eco.cacheTarget;
  if (eco.id === 'pnpm') {
    const declared = /"packageManager"\s*:\s*"pnpm@(\d+)/.exec(ctx.context?.readText('package.json') ?? '');
    return at === '/root/.pnpm-store' && !!declared && Number(declared[1]) >= 7;
  }
  return false;
}

/** A cache mount this RUN already has for the manager, at a directory that is not its cache (`/root/.pnpm-store` for pnpm 7+). */
function wrongMountFor(run: Instruction, eco: Ecosystem): { target: string; range: Range } | undefined {
  const names = [...new Set(eco.installs.flatMap((p) => p.tools))];
  for (const m of run.run?.mounts ?? []) {
    if (m.type !== 'cache') continue;
    const target = m.options.target ?? m.options.dst ?? m.options.destination;
    if (!target) continue;
    const label = `${target} ${m.options.id ?? ''}`.toLowerCase();
    if (names.some((n) => new RegExp(`(^|[^a-z])${n}([^a-z]|$)`).test(label))) return { target, range: m.range };
  }
  return undefined;
}

/** The cache directory is where the table says: no env or flag moves it, the base image is one the target holds for. */
function cacheLocationKnown(run: Instruction, chain: Instruction[], command: SimpleCommand, eco: Ecosystem): boolean {
  const settings = eco.cacheSettings ?? { env: [], flags: [] };
  const vars = declaredVars(chain);
  if (settings.env.some((e) => vars.has(e) || e in command.env)) return false;
  if (usesFlag(command, settings.flags)) return false;
  if (eco.cacheImages) {
    const image = run.stage ? baseImage(run.stage) : undefined;
    if (!image || !eco.cacheImages.includes(image.name)) return false;
  }
  if (eco.cacheSafeWhenEnv) {
    const ok = Object.entries(eco.cacheSafeWhenEnv).some(([name, value]) => envSetting(chain, command, name) === value);
    if (!ok) return false;
  }
  return true;
}

/**
 * When the cache holds the installed result (Go's module cache), every later
 * step of the stage that runs the tool must see the same mount, and nothing
 * may read the cache from outside the stage. Undefined when that cannot be
 * arranged.
 */
function laterUsers(ctx: RuleContext, run: Instruction, eco: Ecosystem): Instruction[] | undefined {
  const stage = run.stage!;
  if (ctx.dockerfile.stages.some((s) => s.parent === stage)) return undefined;
  const copiedOut = ctx.dockerfile.instructions.some(
    (i) =>
      i.copy?.from !== undefined &&
      findStage(ctx.dockerfile.stages, i.copy.from) === stage &&
      i.copy.sources.some((src) => src.value.startsWith('/') && pathsOverlap(src.value, eco.cacheTarget!)),
  );
  if (copiedOut) return undefined;
  const tools = new Set([...eco.installs, ...eco.builds].flatMap((p) => p.tools));
  const runsTool = (i: Instruction) =>
    (i.run?.commands ?? []).some(
      (c) => tools.has((c.argv[0] ?? '').split('/').pop()!) || commandMatchesAny([...eco.installs, ...eco.builds], c),
    );
  const after = stage.instructions.filter((i) => i.index > run.index);
  if (
    after.some((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && [...tools].some((t) => i.text.includes(t)))
  )
    return undefined;
  return after.filter((i) => runsTool(i) && !hasCacheMount(i, [eco.cacheTarget!]));
}

function systemNeeds(ctx: RuleContext, run: Instruction, chain: Instruction[]): Need[] {
  const needs: Need[] = [];
  for (const manager of SYSTEM_PACKAGE_MANAGERS) {
    if (!manager.cacheMounts?.length) continue;
    const commands = run.run!.commands;
    const at = commands.findIndex((c) => commandMatchesAny(manager.downloads, c));
    if (
      at < 0 ||
      hasCacheMount(
        run,
        manager.cacheMounts.map((m) => m.target),
      )
    )
      continue;
    const command = commands[at];
    // the mounted index hides the one earlier layers wrote: the RUN must refresh it itself, and later steps must not rely on it
    if (!commands.slice(0, at).some((c) => commandMatchesAny(manager.indexUpdate, c))) continue;
    if (laterIndexReaders(ctx, run).some((i) => readsIndexWithoutUpdate(i, manager))) continue;
    const keepText = manager.keepDownloads;
    // one keep-downloads step per image: skip it when an earlier step (or this one) already has it, or an earlier download RUN will get it
    const alreadyKept =
      !keepText || [...chain, run].some((i) => i.run?.script.includes(keepText.split(';')[0].trim().split(' ').pop()!));
    const earlierDownload = chain.some((i) => i.run?.commands.some((c) => commandMatchesAny(manager.downloads, c)));
    needs.push({
      command: command.argv.slice(0, 2).join(' '),
      manager: manager.name,
      mounts: manager.cacheMounts,
      keepDownloads: alreadyKept || earlierDownload ? undefined : keepText,
      keptByEarlier: !alreadyKept && earlierDownload,
      alsoOn: [],
    });
  }
  return needs;
}

/** RUN steps that build on this one: the rest of its stage and every stage built FROM it. */
function laterIndexReaders(ctx: RuleContext, run: Instruction): Instruction[] {
  const stage = run.stage!;
  return ctx.dockerfile.instructions.filter(
    (i) => i.run && i.stage && (i.stage === stage ? i.index > run.index : ancestry(i.stage).includes(stage)),
  );
}

function readsIndexWithoutUpdate(run: Instruction, manager: SystemPackageManager): boolean {
  const commands = run.run!.commands;
  const use = commands.findIndex((c) => commandMatchesAny(manager.usesIndex, c));
  return use >= 0 && !commands.slice(0, use).some((c) => commandMatchesAny(manager.indexUpdate, c));
}

function mountFix(ctx: RuleContext, run: Instruction, needs: Need[], syntaxEdits: FileEdit[]): Fix {
  const model = ctx.dockerfile;
  const edits: FileEdit[] = [...syntaxEdits];
  let safe = true;
  const keep = needs.map((n) => n.keepDownloads).filter((k): k is string => !!k);
  if (keep.length) {
    edits.push(
      insertAboveEdit(
        model,
        ctx.path,
        run,
        keep.map((k) => `RUN ${k}`),
      ),
    );
    // it rewrites the package manager's configuration: in the shipped image that is a change of the image
    if (inFinalImage(ctx, run)) safe = false;
  }
  if (needs.some((n) => n.keptByEarlier) && inFinalImage(ctx, run)) safe = false;
  const added = needs.filter((n) => !n.wrongMount).flatMap((n) => n.mounts);
  if (added.length) edits.push(insertBeforeArgsEdit(ctx.path, run, added.map(mountFlag).join(' ') + ' ')!);
  for (const n of needs) {
    if (!n.wrongMount) continue;
    const at = model.text.indexOf(n.wrongMount.target, model.lines.offsetAt(n.wrongMount.range.start));
    if (at < 0 || at > model.lines.offsetAt(n.wrongMount.range.end))
      return { title: 'Correct the cache mount', safe: false, isPreferred: false, edits: [] };
    edits.push({
      path: ctx.path,
      range: { start: positionAt(model, at), end: positionAt(model, at + n.wrongMount.target.length) },
      newText: n.mounts[0].target,
    });
  }
  const targets = needs.flatMap((n) => n.mounts.map((m) => m.target));
  // what the RUN itself does to the cache would empty the new mount (CL202): it goes in the same fix
  const own = cleanupRemovalEdits(
    model,
    ctx.path,
    run,
    run.run!.commands.flatMap((c) => cleanupsIn(c, [...cacheMountTargets(run), ...targets])),
  );
  if (own) edits.push(...own);
  else safe = false;
  for (const other of new Set(needs.flatMap((n) => n.alsoOn))) {
    const mounts = needs.filter((n) => n.alsoOn.includes(other)).flatMap((n) => n.mounts);
    edits.push(insertBeforeArgsEdit(ctx.path, other, mounts.map(mountFlag).join(' ') + ' ')!);
    const theirs = cleanupRemovalEdits(
      model,
      ctx.path,
      other,
      other.run!.commands.flatMap((c) => cleanupsIn(c, [...cacheMountTargets(other), ...mounts.map((m) => m.target)])),
    );
    if (theirs) edits.push(...theirs);
    else safe = false;
  }
  const corrected = needs.some((n) => n.wrongMount);
  const title =
    corrected && !added.length
      ? `Correct the cache mount for ${needs.map((n) => n.manager).join(' and ')}`
      : `Add cache mount${targets.length > 1 ? 's' : ''} for ${needs.map((n) => n.manager).join(' and ')}`;
  return { title, safe, isPreferred: true, edits: edits.filter(Boolean) };
}

/** The step's stage is the last one (what `docker build` ships without `--target`) or one it is built FROM. */
function inFinalImage(ctx: RuleContext, run: Instruction): boolean {
  const last = ctx.dockerfile.stages[ctx.dockerfile.stages.length - 1];
  return !!last && !!run.stage && (run.stage === last || ancestry(last).includes(run.stage));
}
