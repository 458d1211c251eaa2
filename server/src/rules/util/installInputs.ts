// What CL001 asks about an install besides its manifests: whether its cache mounts already keep the slow
// part, and which copied folders are dependencies it builds (members, path dependencies), not source.
import { posix } from 'node:path';
import { type Instruction, precedingInChain } from '../../parse/dockerfile';
import type { InstallStep } from '../../ecosystems/match';
import type { CacheAnalysis } from '../../cache/analysis';
import type { ContextView } from '../../context/view';
import { cacheMountTargets, envSetting, pathsOverlap } from '../../cache/mounts';
import { installDir } from '../../cache/installs';
import { sourcePath } from '../../cache/copies';

/**
 * The install's RUN mounts caches over both what it downloads and what it compiles (cargo's registry and
 * target folder or sccache store; go's module and build caches), wherever env settings moved them.
 */
export function mountsKeepWork(cache: CacheAnalysis, site: { run: Instruction; install: InstallStep }): boolean {
  const eco = site.install.ecosystem;
  if (!eco.compileCache || !eco.cacheTarget) return false;
  const mounts = cacheMountTargets(site.run);
  if (!mounts.length) return false;
  const chain = precedingInChain(site.run);
  const command = site.install.expanded ?? site.install.command;
  const exported = new Map<string, string>();
  for (const c of site.run.run?.commands ?? [])
    if (c.argv[0] === 'export')
      for (const w of c.argv.slice(1)) {
        const eq = w.indexOf('=');
        if (eq > 0) exported.set(w.slice(0, eq), w.slice(eq + 1).replace(/^["']|["']$/g, ''));
      }
  const dir = installDir(cache, site.run, site.install);
  const where = (names: string[], defaults: string[]) => [
    ...defaults.map((d) => posix.resolve(dir || '/', d)),
    ...names.map((n) => exported.get(n) ?? envSetting(chain, command, n)).filter((v): v is string => !!v),
  ];
  const covered = (paths: string[]) => mounts.some((m) => paths.some((p) => pathsOverlap(m, p)));
  return (
    covered(where(eco.cacheSettings?.env ?? [], [eco.cacheTarget])) &&
    covered(where(eco.compileCache.env, eco.compileCache.targets))
  );
}

/**
 * A copy of folders that each hold a manifest of the install's kind and that the project's manifest names
 * (`members = ["macros"]`, `macros = { path = "./macros" }`): workspace members and path dependencies the
 * install builds as dependencies — install inputs, not the project's source.
 */
export function pathDependency(
  copy: Instruction,
  install: InstallStep,
  manifest: string | undefined,
  context: ContextView | undefined,
): boolean {
  if (!manifest || !context || install.ecosystem.workspaces) return false;
  const kinds = install.manifests.filter((m) => !/[*?[]/.test(m));
  return copy.copy!.sources.every((s) => {
    const dir = sourcePath(s.value).replace(/\/+$/, '');
    const name = dir.split('/').pop() ?? '';
    return (
      !!dir &&
      name.length > 1 &&
      kinds.some((k) => context.readText(`${dir}/${k}`) !== undefined) &&
      new RegExp(`["'/]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["'/]`).test(manifest)
    );
  });
}
