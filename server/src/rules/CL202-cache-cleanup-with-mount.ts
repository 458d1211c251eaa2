import { defineRule, Fix, RuleContext } from './rule';
import type { Instruction } from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';
import { commandMatchesAny } from '../ecosystems/match';
import { ECOSYSTEMS, CacheCleanups, CommandPattern } from '../ecosystems/table';
import { SYSTEM_PACKAGE_MANAGERS } from '../ecosystems/system';
import { removeCommandEdit, replaceCommandEdit } from './util/edits';
import { cacheMountTargets, pathsOverlap } from './util/mounts';

interface Cleanup {
  command: SimpleCommand;
  /** the flag words that disable the cache; empty when the whole command cleans */
  flags: string[];
  target: string;
}

/** Every manager that knows a cache directory, with what cleans it and the tools it runs as. */
const MANAGERS: { targets: string[]; cleanups: CacheCleanups; tools: CommandPattern[] }[] = [
  ...ECOSYSTEMS.filter((e) => e.cacheTarget && e.cacheCleanups).map((e) => ({ targets: [e.cacheTarget!], cleanups: e.cacheCleanups!, tools: e.installs })),
  ...SYSTEM_PACKAGE_MANAGERS.filter((m) => m.cacheMounts && m.cacheCleanups).map((m) => ({ targets: m.cacheMounts!.map((c) => c.target), cleanups: m.cacheCleanups!, tools: m.downloads })),
];

export default defineRule({
  id: 'CL202',
  name: 'cache-cleanup-with-mount',
  title: 'Cache mount emptied or bypassed by the same RUN',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds a `RUN` that mounts a package cache with `--mount=type=cache` and then deletes or disables it: `--no-cache-dir`, `npm cache clean`, `apt-get clean`, `rm -rf /var/lib/apt/lists/*`.',
    why: 'A cache mount is never part of the image, so cleaning it saves no space; it only throws away the downloads the next build would have reused. The mount then costs time instead of saving it.',
    example: ['# syntax=docker/dockerfile:1', 'FROM python:3.12-slim', 'COPY requirements.txt .', 'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt'].join('\n'),
    useInstead: ['# syntax=docker/dockerfile:1', 'FROM python:3.12-slim', 'COPY requirements.txt .', 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt'].join('\n'),
    references: ['https://docs.docker.com/build/cache/optimize/#use-cache-mounts'],
  },
  check(ctx) {
    for (const run of ctx.dockerfile.instructions.filter((i) => i.run)) {
      const targets = cacheMountTargets(run);
      if (!targets.length) continue;
      const cleanups = run.run!.commands.flatMap((c) => cleanupsIn(c, targets));
      if (!cleanups.length) continue;
      const first = cleanups[0];
      const what = first.flags.length ? `\`${first.flags.join(' ')}\`` : `\`${first.command.argv.join(' ')}\``;
      ctx.report({
        message: `${what} throws away what the cache mount on \`${first.target}\` keeps for the next build; the mount is never in the image, so cleaning it saves no space. Remove ${cleanups.length > 1 ? `it and ${cleanups.length - 1} more cleanup${cleanups.length > 2 ? 's' : ''}` : 'it'}.`,
        range: run.range,
        fixes: removeFix(ctx, run, cleanups),
      });
    }
  },
});

function cleanupsIn(command: SimpleCommand, targets: string[]): Cleanup[] {
  const argv = command.argv;
  if (argv[0] === 'rm') {
    const hit = argv.slice(1).filter((w) => !w.startsWith('-')).map(homePath).flatMap((p) => targets.filter((t) => pathsOverlap(p, t)));
    return hit.length ? [{ command, flags: [], target: hit[0] }] : [];
  }
  for (const m of MANAGERS) {
    // a manager's own cleanup empties all its cache directories: only wasted when every one is mounted
    if (!m.targets.every((x) => targets.some((t) => pathsOverlap(t, x)))) continue;
    const target = targets.find((t) => m.targets.some((x) => pathsOverlap(t, x)))!;
    if (commandMatchesAny(m.cleanups.commands ?? [], command)) return [{ command, flags: [], target }];
    const flags = argv.filter((w) => (m.cleanups.flags ?? []).includes(w));
    if (flags.length && commandMatchesAny(m.tools, command)) return [{ command, flags, target }];
  }
  return [];
}

/** `rm` arguments as directories: `~/.cache/pip/*` is the root user's `/root/.cache/pip`. */
function homePath(word: string): string {
  return word.replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, '/root').replace(/\/\*$/, '');
}

function removeFix(ctx: RuleContext, run: Instruction, cleanups: Cleanup[]): Fix[] {
  const edits = cleanups.map((c) =>
    c.flags.length
      ? replaceCommandEdit(ctx.dockerfile, ctx.path, run, c.command.argv, c.command.argv.filter((w) => !c.flags.includes(w)))
      : removeCommandEdit(ctx.dockerfile, ctx.path, run, c.command.argv),
  );
  if (edits.some((e) => !e)) return [];
  return [{ title: 'Remove the cache cleanup', safe: true, isPreferred: true, edits: edits.map((e) => e!) }];
}
