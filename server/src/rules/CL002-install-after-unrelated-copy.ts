import { posix } from 'node:path';
import { defineRule, type RuleContext, type Fix, type FileEdit } from './rule';
import { ownershipMovedAbove } from './util/ownership';
import { buildkitSyntax, insertBeforeArgsEdit } from './util/edits';
import { filesMatchingSource } from '../context/view';
import { type Instruction, positionInStage, precedingInChain } from '../parse/dockerfile';
import type { InstallStep } from '../ecosystems/match';
import { isLocalCopy, broadSourceFor, isManifestOnlyCopy, sourcePath, describeCopy } from '../cache/copies';
import { installDir, readsSource, manifestText } from '../cache/installs';
import { memoized, memoizedForGeneration, memoizedOnTexts } from '../cache/memo';
import { perText } from '../parse/textMemo';
import { shortText, commandText, rerunsInstall } from '../cache/text';
import type { ContextView } from '../context/view';
import { nameIsOneOf } from '../ecosystems/table';
import { isMovableAboveCopy, moveAboveEdits, type BlockItem, referencesContext } from './util/reorder';
import { findInstalls } from '../ecosystems/match';
import { LIFECYCLE_SCRIPTS } from '../ecosystems/lifecycle';

export default defineRule({
  id: 'CL002',
  name: 'install-after-unrelated-copy',
  title: 'Dependency install after an unrelated COPY',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds a dependency install that comes after a `COPY` of files the install does not read (a README, `config/`, `scripts/`, source folders).',
    why: 'Those files change for reasons of their own. Each change misses the cache at the copy, and every step after it — the install included — runs again.',
    example: [
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'COPY requirements.txt .',
      'COPY config/ ./config/',
      'RUN pip install -r requirements.txt',
    ].join('\n'),
    useInstead: [
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
      'COPY config/ ./config/',
    ].join('\n'),
    references: ['https://docs.docker.com/build/cache/optimize/#order-your-layers'],
  },
  check(ctx) {
    const { cache, context } = ctx;
    const byCopy = new Map<Instruction, { run: Instruction; install: InstallStep }[]>();
    for (const { ins: run, install } of cache.installSites()) {
      // an install that reads the project's source (`uv sync`, a gemspec bundle) has no unrelated copy
      if (readsSource(cache, run, install, context)) continue;
      const dir = installDir(cache, run, install);
      const stage = run.stage!;
      const before = stage.instructions.slice(0, positionInStage(stage, run));
      // the broad copy case belongs to CL001
      if (before.some((c) => isLocalCopy(c) && !!broadSourceFor(cache, c, dir, context))) continue;
      for (const copy of before) {
        if (
          !isLocalCopy(copy) ||
          isManifestOnlyCopy(copy) ||
          !isUnrelated(copy, run, install, context, manifestText(cache, run, install, context))
        )
          continue;
        if (reinstallAfterBuild(ctx, copy, run, install) || readInBetween(ctx, copy, run)) continue;
        const list = byCopy.get(copy) ?? [];
        list.push({ run, install });
        byCopy.set(copy, list);
      }
    }
    const reported = [...byCopy].filter(([copy]) => {
      const desc = describeCopy(copy, context);
      // a copy that brings nothing (every file ignored) re-runs nothing; in an uncertain context (CL109) it is judged by its words
      if (desc.files && !desc.files.length && !context?.uncertain) return false;
      // its own sources are missing from the context (CL109): what it brings is unknown, so nothing is claimed about it
      return !context?.uncertain?.missing.some((m) => m.line === copy.range.start.line);
    });
    // copies an install may move above: reported for it, holding none of its manifests
    const passable = new Map<Instruction, Set<Instruction>>();
    for (const [copy, sites] of reported)
      if (
        !holdsManifests(
          copy,
          sites.map((s) => s.install),
          ctx,
        )
      )
        passable.set(copy, new Set(sites.map((s) => s.run)));
    for (const [copy, sites] of reported) {
      const first = sites[0];
      const steps = cache.info(first.run).invalidates;
      const desc = describeCopy(copy, context);
      ctx.report({
        message: `\`${shortText(copy)}\` copies ${desc.words} that \`${commandText(first.install)}\` (line ${first.run.range.start.line + 1}) does not read: each change to them ${rerunsInstall(steps)}.`,
        range: copy.range,
        related: sites.map((s) => ({
          path: ctx.path,
          range: s.run.range,
          message: `\`${commandText(s.install)}\` re-runs whenever \`${shortText(copy)}\` changes`,
        })),
        // computed when read: the move decides nothing of the finding
        fixes: passable.has(copy)
          ? () =>
              reorderFix(
                ctx,
                copy,
                sites.map((s) => s.run),
                passable,
              )
          : [],
      });
    }
  },
});

/**
 * The copy brings nothing the install step reads: no manifest, no postinstall input, not named by the RUN.
 * Asked for every copy before every install on every keystroke (110 times on atproto's bsky Dockerfile), so kept
 * while the context's texts stay the same; the key holds all it reads of the copy, the RUN and the install.
 */
function isUnrelated(
  copy: Instruction,
  run: Instruction,
  install: InstallStep,
  context: ContextView | undefined,
  manifest: string | undefined,
): boolean {
  if (!context) return isUnrelatedNow(copy, run, install, context, manifest);
  const key = [
    install.ecosystem.id,
    install.pattern.includeDirectives?.length ? 'includes' : '',
    install.manifests.join('\n'),
    install.optional.join('\n'),
    run.run!.script,
    copy.copy!.dest?.value ?? '',
    ...copy.copy!.sources.map((s) => s.value),
  ].join('\0');
  return memoizedForGeneration(context, 'CL002.unrelated', manifest, key, (c) =>
    isUnrelatedNow(copy, run, install, c, manifest),
  );
}

function isUnrelatedNow(
  copy: Instruction,
  run: Instruction,
  install: InstallStep,
  context: ContextView | undefined,
  manifest: string | undefined,
): boolean {
  const reads = install.ecosystem.installReads ?? [];
  // what the install reads when present: lockfiles, config files and folders (`.yarn/`, mix's `config/`, NuGet.config)
  const inputs = [...install.manifests, ...install.optional].map((e) => e.replace(/\/+$/, ''));
  const isInput = (name: string) => nameIsOneOf(name, inputs);
  // a manifest that includes others (`-r requirements/base.txt`) reads files of the same kind
  if (
    install.pattern.includeDirectives?.length &&
    copy.copy!.sources.some((s) => /\.(txt|in)$|(^|\/)requirements(\/|$)/.test(s.value.replace(/\/+$/, '')))
  )
    return false;
  for (const s of copy.copy!.sources) {
    const p = sourcePath(s.value);
    if (!p) return false;
    const first = p.split('/')[0];
    if (reads.includes(first) || install.manifests.some((m) => m === p || m.startsWith(p + '/'))) return false;
    if (isInput(p.split('/').pop()!) || inputs.some((m) => m.startsWith(p + '/'))) return false;
    // a file inside a folder the install reads (`config/prod.exs` for mix's `config/`)
    if (install.optional.some((o) => o.endsWith('/') && (p + '/').startsWith(o))) return false;
    // a folder holding manifests of the install (workspace members, a Cargo path dependency) is read by it
    // — for Node workspaces only when the install runs the member's lifecycle scripts (they build it); otherwise the
    // member's sources beyond its package.json are not read, and each edit to them re-runs the install (issue 10 item 5)
    if (context && membersRead(install, manifest)) {
      // the same question on every keystroke, over every file under the source: asked once per file list
      const memberManifests = memoized(context.files, `members|${s.value}|${inputs.join('|')}`, () =>
        filesMatchingSource(context.files, s.value).filter((f) => isInput(f.path.split('/').pop()!)),
      );
      // and, for workspaces, once while the members' manifests stay the same
      const read =
        memberManifests.length > 0 &&
        (!install.ecosystem.workspaces ||
          memoizedOnTexts(context.files, context, `lifecycle|${s.value}|${inputs.join('|')}`, (readText) =>
            memberManifests.some((f) => runsLifecycle(readText(f.path))),
          ));
      if (read) return false;
    }
    // a Node install links the `bin` files its packages (workspace members) declare: npm/Yarn/pnpm read and chmod them
    if (
      context &&
      install.ecosystem.family === 'node' &&
      packageBins(context).some(
        (b) => b === p || (posix.dirname(b) === p && context.readText(`${p}/package.json`) === undefined),
      )
    )
      return false;
    // the install's optional inputs (`.yarn/` with the yarnPath release, `.npmrc`, `NuGet.config`) are read when present
    if (install.optional.some((o) => optionalMatches(o.replace(/\/+$/, ''), p))) return false;
    if (run.run!.script.includes(p) || run.run!.script.includes(p.split('/').pop()!)) return false;
    // the manifest names it (a Gemfile's `require_relative 'lib/gemfile_helper'`, a pyproject's readme)
    const base = p
      .split('/')
      .pop()!
      .replace(/\.(rb|py|js)$/, '');
    if (manifest && base.length > 3 && manifest.includes(base)) return false;
  }
  const dest = copy.copy!.dest?.value;
  if (dest && dest !== '.' && dest !== './' && run.run!.script.includes(dest.replace(/\/+$/, ''))) return false;
  return true;
}

/**
 * The copied folder holds a manifest of the install's kind (`packages/api/package.json`,
 * a member's `Cargo.toml`): a workspace member or a path dependency the install
 * resolves. Moving the install above that copy would make it fail or install
 * something else, so no fix moves it.
 */
function holdsManifests(copy: Instruction, installs: InstallStep[], ctx: RuleContext): boolean {
  if (!ctx.context) return false;
  // every manifest kind of the ecosystem: `cargo chef cook` names recipe.json, yet builds the path crates' Cargo.toml
  const names = new Set(
    installs
      .flatMap((i) => [...i.pattern.manifests, ...i.manifests, ...i.ecosystem.installs.flatMap((p) => p.manifests)])
      .map((m) => m.split('/').pop()!)
      .filter((n) => n && !/[*?[]/.test(n) && n !== 'recipe.json'),
  );
  if (!names.size) return false;
  const all = ctx.context.allFiles;
  const namesKey = [...names].sort().join('|');
  // per file list: a monorepo's keystroke asks it of every reported copy, each over all the files it brings
  return copy.copy!.sources.some((s) =>
    memoized(all, `holds|${namesKey}|${s.value}`, () =>
      filesMatchingSource(all, s.value).some((f) => names.has(f.path.slice(f.path.lastIndexOf('/') + 1))),
    ),
  );
}

function optionalMatches(optional: string, path: string): boolean {
  if (optional === path || optional.startsWith(path + '/') || path.startsWith(optional + '/')) return true;
  if (!/[*?]/.test(optional)) return false;
  const re = new RegExp(
    '^' +
      optional
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]') +
      '$',
  );
  return re.test(path.split('/').pop()!);
}

/** The RUN does more than install: a command of it reads the context's files or runs the project's code. */
function runsProjectCodeBesides(run: Instruction, ctx: RuleContext): boolean {
  return run.run!.commands.some(
    (c) => !findInstalls([c]).length && c.argv[0] !== 'cd' && referencesContext(c.argv.join(' '), ctx.context),
  );
}

/**
 * The instructions that move above `copy`: the installs and the inert steps between. Other copies
 * unrelated to every install still below them are passed too (they stay, the installs move above
 * all of them at once) — otherwise fix-all would move the installs one copy per pass and not settle
 * where many such copies stand in a row. With `pass` off, the block ends at the first of them.
 */
function moveBlock(
  ctx: RuleContext,
  copy: Instruction,
  runs: Instruction[],
  passable: ReadonlyMap<Instruction, ReadonlySet<Instruction>>,
  pass: boolean,
): BlockItem[] {
  const lastRun = Math.max(...runs.map((r) => r.index));
  const block: BlockItem[] = [];
  for (const ins of copy.stage!.instructions.filter((i) => i.index > copy.index && i.index <= lastRun)) {
    // an install RUN moves whole: what else it runs (`npm run build`, `make`, a script) must not read the copy
    const ok =
      (runs.includes(ins) && !runsProjectCodeBesides(ins, ctx)) ||
      isManifestOnlyCopy(ins) ||
      isMovableAboveCopy(ins, ctx.context);
    if (ok) block.push({ ins });
    else if (!pass || !runs.every((r) => r.index < ins.index || passable.get(ins)?.has(r))) break;
  }
  while (block.length && !runs.includes(block[block.length - 1].ins)) block.pop();
  // a chown/chmod -R that moves above a passed copy would no longer reach its files: no passing then
  const passed = copy.stage!.instructions.filter(
    (i) => i.index > copy.index && block.length && i.index < block[block.length - 1].ins.index && passable.has(i),
  );
  for (const other of passed) {
    const carried = ownershipMovedAbove(
      ctx,
      other,
      block.filter((b) => b.ins.index > other.index),
    );
    if (carried.flags || carried.impossible) return moveBlock(ctx, copy, runs, passable, false);
  }
  return block;
}

function reorderFix(
  ctx: RuleContext,
  copy: Instruction,
  runs: Instruction[],
  passable: ReadonlyMap<Instruction, ReadonlySet<Instruction>>,
): Fix[] {
  // a source the context does not have: the context is wrong, what the install reads cannot be judged
  if (ctx.context?.uncertain) return [];
  const block = moveBlock(ctx, copy, runs, passable, true);
  if (!block.length) return [];
  // a chown/chmod -R that moves above the copy no longer reaches its files: the copy sets them itself
  const carried = ownershipMovedAbove(ctx, copy, block);
  if (carried.impossible) return [];
  const edits: FileEdit[] = [];
  if (carried.flags) {
    if (copy.copy!.link && /--chown=(?!\d+(:\d+)? )/.test(carried.flags)) return [];
    if (carried.flags.includes('--chmod')) {
      const syntax = buildkitSyntax(ctx.dockerfile, ctx.path, 3);
      if (!syntax.ok) return [];
      edits.push(...syntax.edits);
    }
    edits.push(insertBeforeArgsEdit(ctx.path, copy, carried.flags)!);
  }
  return [
    {
      title: 'Move install before unrelated COPY',
      safe: true,
      isPreferred: true,
      edits: [...edits, ...moveAboveEdits(ctx.dockerfile, ctx.path, copy, [], block)],
    },
  ];
}

/** Whether the install reads manifests in other folders: an npm-style workspace root says so in its manifest; others (pnpm, Cargo, uv) name them in files of their own. */
function membersRead(install: InstallStep, manifest: string | undefined): boolean {
  if (install.ecosystem.workspaces !== 'npm') return true;
  return manifest === undefined || /"workspaces"\s*:/.test(manifest);
}

/** A package.json whose scripts run when it is installed (`postinstall`, `prepare`, …). */
function runsLifecycle(manifest: string | undefined): boolean {
  return !!manifest && runsLifecycleScripts(manifest);
}

/** Parsed once per manifest text: a monorepo's keystroke asks it of every member package.json. */
const runsLifecycleScripts = perText((manifest) => {
  try {
    const scripts = (JSON.parse(manifest) as { scripts?: Record<string, unknown> }).scripts ?? {};
    return LIFECYCLE_SCRIPTS.some((k) => typeof scripts[k] === 'string');
  } catch {
    return false;
  }
});

/**
 * A second install of the same manager after a step that runs the project (a production prune or
 * re-install after the build: `yarn workspaces focus --production`, `npm ci --omit=dev`): it has to
 * come after that step, which reads the copy, so its place is not a choice the copy forces.
 */
function reinstallAfterBuild(ctx: RuleContext, copy: Instruction, run: Instruction, install: InstallStep): boolean {
  const chain = precedingInChain(run);
  const between = chain.filter((i) => i.index > copy.index && i.run);
  if (!between.some((i) => referencesContext(i.run!.script, ctx.context))) return false;
  return chain.some(
    (i) => i !== run && i.run && ctx.cache.info(i).installs.some((x) => x.ecosystem === install.ecosystem),
  );
}

/**
 * A step between the copy and the install reads what it brings (`RUN /scripts/prepare`, an earlier
 * install that needs it): that step re-runs on each change anyway and the install follows it, so the
 * copy is not what places the install.
 */
function readInBetween(ctx: RuleContext, copy: Instruction, run: Instruction): boolean {
  const between = precedingInChain(run).filter((i) => i.index > copy.index && i.run);
  const names = copy.copy!.sources.map((s) => sourcePath(s.value)).filter(Boolean);
  const dest = (copy.copy!.dest?.value ?? '').replace(/\/+$/, '');
  const mentions = (script: string) =>
    (dest.length > 1 && dest !== '.' && script.includes(dest)) ||
    names.some((n) => script.includes(n) || script.includes(n.split('/').pop()!));
  for (const step of between) {
    if (mentions(step.run!.script)) return true;
    const installs = ctx.cache.info(step).installs;
    if (installs.some((x) => !isUnrelated(copy, step, x, ctx.context, manifestText(ctx.cache, step, x, ctx.context))))
      return true;
  }
  return false;
}

/**
 * The context paths of the `bin` files every package.json of the context declares (`"bin": "./bin/cli.js"`).
 * Kept per file list while the manifests' texts stay the same: a monorepo's keystroke does not parse them all again.
 */
function packageBins(context: ContextView): readonly string[] {
  return memoizedOnTexts(context.files, context, 'packageBins', (read) => {
    const out: string[] = [];
    for (const f of context.files) {
      if (!(f.path === 'package.json' || f.path.endsWith('/package.json')) || f.path.includes('node_modules/'))
        continue;
      let bin: unknown;
      try {
        bin = (JSON.parse(read(f.path) ?? '{}') as { bin?: unknown }).bin;
      } catch {
        continue;
      }
      const dir = f.path.slice(0, -'package.json'.length);
      const values = typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values(bin) : [];
      for (const v of values)
        if (typeof v === 'string') out.push(posix.normalize(dir + v.replace(/^\.\//, '')).replace(/\/+$/, ''));
    }
    return out;
  });
}
