import { defineRule, type Fix, type RuleContext } from './rule';
import { type Instruction, precedingInChain } from '../parse/dockerfile';
import type { InstallStep } from '../ecosystems/match';
import { matchesCommand } from '../ecosystems/match';
import type { Ecosystem } from '../ecosystems/table';
import { filesMatchingSource } from '../context/view';
import type { ContextView } from '../context/view';
import { commandText } from '../cache/text';
import { isLocalCopy } from '../cache/copies';
import { commandRange } from './util/edits';

type Unlocked = NonNullable<Ecosystem['unlocked']>[number];

export default defineRule({
  id: 'CL203',
  name: 'non-reproducible-install',
  title: 'Install ignores the lockfile',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds an install that resolves dependency versions afresh (`npm install`, `yarn` without `--frozen-lockfile`, `pnpm install` without `--frozen-lockfile`, `uv sync` without `--locked`, `pipenv install`) although the build context has a lockfile.',
    why: "The step's cache key is its command text, not what it resolves: a cached layer keeps yesterday's versions while a cache miss on another machine installs today's. Builds of the same commit differ, and a cache miss can change your dependencies.",
    example: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm install'].join('\n'),
    useInstead: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'].join('\n'),
    references: ['https://docs.npmjs.com/cli/commands/npm-ci'],
  },
  check(ctx) {
    const context = ctx.context;
    if (!context) return;
    for (const { ins: run, install } of ctx.cache.installSites()) {
      const row = unlockedRow(install, context);
      if (!row) continue;
      // `ENV CI=true`: pnpm and Yarn Berry keep to the lockfile in CI
      const values = ctx.cache.info(run).values;
      if (
        row.lockedWhenEnv?.some((n) => {
          const v = install.command.env[n] ?? values.get(n);
          return v !== undefined && v !== 'false' && v !== '0';
        })
      )
        continue;
      const lockfile = context.files.find((f) => row.lockfiles.includes(f.path.split('/').pop()!));
      if (!lockfile) continue;
      const lockName = lockfile.path.split('/').pop()!;
      const copied = reachesImage(run, lockfile.path, context);
      ctx.report({
        message: copied
          ? `\`${commandText(install)}\` does not enforce \`${lockName}\`: when the manifest and the lockfile disagree it resolves versions afresh instead of failing, so the cached layer and a fresh build can install different versions. Use \`${row.replacement}\`.`
          : `\`${commandText(install)}\` may resolve versions afresh although the context has \`${lockName}\`: copy it in before this step and use \`${row.replacement}\`.`,
        range: run.range,
        fixes: copied ? () => lockedFix(ctx, run, install, row) : [],
      });
    }
  },
});

function unlockedRow(install: InstallStep, context: ContextView): Unlocked | undefined {
  const has = (name: string) => context.files.some((f) => f.path === name || f.path.endsWith('/' + name));
  return (install.ecosystem.unlocked ?? []).find(
    (row) =>
      matchesCommand(row.pattern, install.expanded ?? install.command) && (!row.ifContextHas || has(row.ifContextHas)),
  );
}

/** A COPY (or bind mount) before the install brings the lockfile into the image. */
function reachesImage(run: Instruction, lockPath: string, context: ContextView): boolean {
  const fromCopy = precedingInChain(run).some(
    (c) =>
      isLocalCopy(c) &&
      c.copy!.sources.some((s) => filesMatchingSource(context.files, s.value).some((f) => f.path === lockPath)),
  );
  const fromMount = run.run!.mounts.some(
    (m) =>
      m.type === 'bind' &&
      m.options.from === undefined &&
      filesMatchingSource(context.files, m.options.source ?? m.options.src ?? '.').some((f) => f.path === lockPath),
  );
  return fromCopy || fromMount;
}

function lockedFix(ctx: RuleContext, run: Instruction, install: InstallStep, row: Unlocked): Fix[] {
  const argv = install.command.argv;
  if (row.pattern.subcommands && !row.pattern.subcommands.includes(argv[1] ?? '')) return [];
  const range = commandRange(ctx.dockerfile, run, argv, row.pattern.subcommands ? 2 : 1);
  if (!range) return [];
  // a lockfile out of step with its manifest makes the locked command fail the build: a quick fix, not fix-all's
  return [
    {
      title: `Use \`${row.replacement}\``,
      safe: false,
      isPreferred: true,
      edits: [{ path: ctx.path, range, newText: row.replacement }],
    },
  ];
}
