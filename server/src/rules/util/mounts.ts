// RUN mounts and the settings that decide where a package manager's cache is.

import type { Instruction } from '../../parse/dockerfile';
import type { SimpleCommand } from '../../parse/shell';
import type { CacheMount } from '../../ecosystems/system';

function normalize(p: string): string {
  return p.replace(/\/+$/, '') || '/';
}

/** One directory is the other or lies inside it. */
export function pathsOverlap(a: string, b: string): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x === y || x.startsWith(y + '/') || y.startsWith(x + '/') || x === '/' || y === '/';
}

/** The RUN mounts a cache on one of these directories (or a directory above or below one). */
export function hasCacheMount(run: Instruction, targets: string[]): boolean {
  return cacheMountTargets(run).some((t) => targets.some((x) => pathsOverlap(t, x)));
}

/** The cache mounts of a RUN, with their target directories. */
export function cacheMountTargets(run: Instruction): string[] {
  return (run.run?.mounts ?? []).filter((m) => m.type === 'cache').map((m) => normalize(m.options.target ?? m.options.dst ?? m.options.destination ?? ''));
}

export function mountFlag(m: CacheMount): string {
  return `--mount=type=cache,target=${m.target}${m.sharing ? `,sharing=${m.sharing}` : ''}`;
}

/** ENV and ARG names declared in the instructions. */
export function declaredVars(chain: readonly Instruction[]): Set<string> {
  return new Set(chain.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG').flatMap((i) => (i.vars ?? []).map((v) => v.name)));
}

/** The value an env setting has for a command: its own prefix, else the last ENV in the chain. */
export function envSetting(chain: readonly Instruction[], command: SimpleCommand, name: string): string | undefined {
  if (name in command.env) return command.env[name];
  let value: string | undefined;
  for (const ins of chain) if (ins.keyword === 'ENV') for (const v of ins.vars ?? []) if (v.name === name) value = (v.value ?? '').replace(/^["']|["']$/g, '');
  return value;
}

/** The command uses one of these flags (`--cache-dir x`, `--cache-dir=x`, `-Dmaven.repo.local=x`). */
export function usesFlag(command: SimpleCommand, flags: string[]): boolean {
  return command.argv.some((w) => flags.some((f) => w === f || w.startsWith(f + '=')));
}
