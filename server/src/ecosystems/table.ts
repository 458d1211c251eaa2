// Package-manager knowledge as data: the registry of every ecosystem family (one file each).
// Adding an ecosystem is adding a row to its family's file; the rules read these tables and never name a package manager themselves.
import type { CommandPattern, Ecosystem } from './types';
import { NODE_ECOSYSTEMS } from './node';
import { PYTHON_ECOSYSTEMS } from './python';
import { GO_ECOSYSTEMS } from './go';
import { RUST_ECOSYSTEMS } from './rust';
import { JVM_ECOSYSTEMS } from './jvm';
import { RUBY_ECOSYSTEMS } from './ruby';
import { PHP_ECOSYSTEMS } from './php';
import { DOTNET_ECOSYSTEMS } from './dotnet';
import { ELIXIR_ECOSYSTEMS } from './elixir';

export type * from './types';

export const ECOSYSTEMS: Ecosystem[] = [
  ...NODE_ECOSYSTEMS,
  ...PYTHON_ECOSYSTEMS,
  ...GO_ECOSYSTEMS,
  ...RUST_ECOSYSTEMS,
  ...JVM_ECOSYSTEMS,
  ...RUBY_ECOSYSTEMS,
  ...PHP_ECOSYSTEMS,
  ...DOTNET_ECOSYSTEMS,
  ...ELIXIR_ECOSYSTEMS,
];

/** Things that avoid the problem on their own: what precedes an install with these is not source. */
export const SAFE_PREPARATIONS: CommandPattern[] = [
  { tools: ['pnpm'], subcommands: ['fetch'] },
  { tools: ['turbo'], subcommands: ['prune'] },
  { tools: ['cargo'], subcommands: ['chef'], anyArg: ['prepare'] },
];

/** Manifest names that tools find in any letter case (NuGet reads `nuget.config`, `NuGet.Config`, …). */
export const ANY_CASE_MANIFESTS: ReadonlySet<string> = new Set(['nuget.config']);

/** Whether a file name is one of these names (`*` globs allowed), in any case for ANY_CASE_MANIFESTS. */
export function nameIsOneOf(name: string, entries: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return entries.some(
    (e) =>
      e === name ||
      (ANY_CASE_MANIFESTS.has(lower) && e.toLowerCase() === lower) ||
      (/[*?]/.test(e) && globRegExp(e).test(name)),
  );
}

const globCache = new Map<string, RegExp>();
function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(
      '^' +
        glob
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]') +
        '$',
    );
    globCache.set(glob, re);
  }
  return re;
}

/** Lockfile and manifest names from every ecosystem: a COPY of only these is a manifest copy. */
export const MANIFEST_NAMES: ReadonlySet<string> = new Set(
  ECOSYSTEMS.flatMap((e) =>
    e.installs.flatMap((i) => [...i.manifests, ...(i.optional ?? [])].filter((n) => !n.endsWith('/'))),
  ).concat(['requirements.txt', 'requirements-dev.txt', 'setup.py', 'setup.cfg', 'Cargo.lock', 'recipe.json']),
);
