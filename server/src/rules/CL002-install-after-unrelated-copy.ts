import { defineRule, RuleContext, Fix } from './rule';
import { Instruction, positionInStage } from '../parse/dockerfile';
import type { InstallStep } from '../ecosystems/match';
import { isLocalCopy, broadSourceFor, installDir, isManifestOnlyCopy, shortText, commandText, rerunsInstall, sourcePath, describeCopy, readsSource, manifestText } from './util/copies';
import { filesMatchingSource, ContextView } from '../context/view';
import { nameIsOneOf } from '../ecosystems/table';
import { isMovableAboveCopy, moveAboveEdits, BlockItem } from './util/reorder';

export default defineRule({
  id: 'CL002',
  name: 'install-after-unrelated-copy',
  title: 'Dependency install after an unrelated COPY',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds a dependency install that comes after a `COPY` of files the install does not read (a README, `config/`, `scripts/`, source folders).',
    why: 'Those files change for reasons of their own. Each change misses the cache at the copy, and every step after it — the install included — runs again.',
    example: ['FROM python:3.12-slim', 'WORKDIR /app', 'COPY requirements.txt .', 'COPY config/ ./config/', 'RUN pip install -r requirements.txt'].join('\n'),
    useInstead: ['FROM python:3.12-slim', 'WORKDIR /app', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt', 'COPY config/ ./config/'].join('\n'),
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
        if (!isLocalCopy(copy) || isManifestOnlyCopy(copy) || !isUnrelated(copy, run, install, context, manifestText(cache, run, install, context))) continue;
        const list = byCopy.get(copy) ?? [];
        list.push({ run, install });
        byCopy.set(copy, list);
      }
    }
    for (const [copy, sites] of byCopy) {
      const first = sites[0];
      const steps = cache.info(first.run).invalidates;
      const desc = describeCopy(copy, context);
      // a copy that brings nothing (every file ignored) re-runs nothing; in an uncertain context (CL109) it is judged by its words
      if (desc.files && !desc.files.length && !context?.uncertain) continue;
      ctx.report({
        message: `\`${shortText(copy)}\` copies ${desc.words} that \`${commandText(first.install)}\` (line ${first.run.range.start.line + 1}) does not read: each change to them ${rerunsInstall(steps)}.`,
        range: copy.range,
        related: sites.map((s) => ({ path: ctx.path, range: s.run.range, message: `\`${commandText(s.install)}\` re-runs whenever \`${shortText(copy)}\` changes` })),
        fixes: reorderFix(ctx, copy, sites.map((s) => s.run)),
      });
    }
  },
});

/** The copy brings nothing the install step reads: no manifest, no postinstall input, not named by the RUN. */
function isUnrelated(copy: Instruction, run: Instruction, install: InstallStep, context: ContextView | undefined, manifest: string | undefined): boolean {
  const reads = install.ecosystem.installReads ?? [];
  // what the install reads when present: lockfiles, config files and folders (`.yarn/`, mix's `config/`, NuGet.config)
  const inputs = [...install.manifests, ...install.optional].map((e) => e.replace(/\/+$/, ''));
  const isInput = (name: string) => nameIsOneOf(name, inputs);
  // a manifest that includes others (`-r requirements/base.txt`) reads files of the same kind
  if (install.pattern.includeDirectives?.length && copy.copy!.sources.some((s) => /\.(txt|in)$|(^|\/)requirements(\/|$)/.test(s.value.replace(/\/+$/, '')))) return false;
  for (const s of copy.copy!.sources) {
    const p = sourcePath(s.value);
    if (!p) return false;
    const first = p.split('/')[0];
    if (reads.includes(first) || install.manifests.some((m) => m === p || m.startsWith(p + '/'))) return false;
    if (isInput(p.split('/').pop()!) || inputs.some((m) => m.startsWith(p + '/'))) return false;
    // a file inside a folder the install reads (`config/prod.exs` for mix's `config/`)
    if (install.optional.some((o) => o.endsWith('/') && (p + '/').startsWith(o))) return false;
    // a folder holding manifests of the install (workspace members, a Cargo path dependency) is read by it
    if (context && membersRead(install, manifest) && filesMatchingSource(context.files, s.value).some((f) => isInput(f.path.split('/').pop()!))) return false;
    if (run.run!.script.includes(p) || run.run!.script.includes(p.split('/').pop()!)) return false;
  }
  const dest = copy.copy!.dest?.value;
  if (dest && dest !== '.' && dest !== './' && run.run!.script.includes(dest.replace(/\/+$/, ''))) return false;
  return true;
}

function reorderFix(ctx: RuleContext, copy: Instruction, runs: Instruction[]): Fix[] {
  const lastRun = Math.max(...runs.map((r) => r.index));
  const block: BlockItem[] = [];
  for (const ins of copy.stage!.instructions.filter((i) => i.index > copy.index && i.index <= lastRun)) {
    const ok = runs.includes(ins) || isManifestOnlyCopy(ins) || isMovableAboveCopy(ins, ctx.context);
    if (!ok) break;
    block.push({ ins });
  }
  while (block.length && !runs.includes(block[block.length - 1].ins)) block.pop();
  if (!block.length) return [];
  return [{ title: 'Move install before unrelated COPY', safe: true, isPreferred: true, edits: moveAboveEdits(ctx.dockerfile, ctx.path, copy, [], block) }];
}

/** Whether the install reads manifests in other folders: an npm-style workspace root says so in its manifest; others (pnpm, Cargo, uv) name them in files of their own. */
function membersRead(install: InstallStep, manifest: string | undefined): boolean {
  if (install.ecosystem.workspaces !== 'npm') return true;
  return manifest === undefined || /"workspaces"\s*:/.test(manifest);
}
