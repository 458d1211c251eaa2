import { defineRule, type Fix, type RuleContext } from './rule';
import type { Instruction } from '../parse/dockerfile';
import { cacheMountTargets, cleanupsIn, type Cleanup } from '../cache/mounts';
import { cleanupRemovalEdits } from './util/cleanupEdits';

export default defineRule({
  id: 'CL202',
  name: 'cache-cleanup-with-mount',
  title: 'Cache mount emptied or bypassed by the same RUN',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds a `RUN` that mounts a package cache with `--mount=type=cache` and then deletes or disables it: `--no-cache-dir`, `npm cache clean`, `apt-get clean`, `rm -rf /var/lib/apt/lists/*`.',
    why: 'A cache mount is never part of the image, so cleaning it saves no space; it only throws away the downloads the next build would have reused. The mount then costs time instead of saving it.',
    example: [
      '# syntax=docker/dockerfile:1',
      'FROM python:3.12-slim',
      'COPY requirements.txt .',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt',
    ].join('\n'),
    useInstead: [
      '# syntax=docker/dockerfile:1',
      'FROM python:3.12-slim',
      'COPY requirements.txt .',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
    ].join('\n'),
    references: ['https://docs.docker.com/build/cache/optimize/#use-cache-mounts'],
  },
  check(ctx) {
    for (const run of ctx.dockerfile.instructions.filter((i) => i.run)) {
      const targets = cacheMountTargets(run);
      if (!targets.length) continue;
      const cleanups = run.run!.commands.flatMap((c) => cleanupsIn(c, targets));
      if (!cleanups.length) continue;
      const first = cleanups[0];
      const what = first.flags.length
        ? `\`${first.flags.join(' ')}\``
        : first.env.length
          ? `\`${first.env[0]}\``
          : `\`${first.command.argv.join(' ')}\``;
      ctx.report({
        message: `${what} throws away what the cache mount on \`${first.target}\` keeps for the next build; the mount is never in the image, so cleaning it saves no space. Remove ${cleanups.length > 1 ? `it and ${cleanups.length - 1} more cleanup${cleanups.length > 2 ? 's' : ''}` : 'it'}.`,
        range: run.range,
        fixes: () => removeFix(ctx, run, cleanups),
      });
    }
  },
});

function removeFix(ctx: RuleContext, run: Instruction, cleanups: Cleanup[]): Fix[] {
  const edits = cleanupRemovalEdits(ctx.dockerfile, ctx.path, run, cleanups);
  if (!edits) return [];
  return [{ title: 'Remove the cache cleanup', safe: true, isPreferred: true, edits }];
}
