// The local COPY/ADD sources of a Dockerfile, as context-relative paths, for
// inferring a build context when no build file names one. ARG defaults and
// ENV values are expanded; a source that still holds an unknown variable, a
// URL or a Git remote, a heredoc or a copy from another stage/image is left out.

import { precedingInChain, type DockerfileModel, type Instruction } from '../parse/dockerfile';

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git@/i;
const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function localCopySources(model: DockerfileModel): string[] {
  const globals = new Map<string, string>();
  for (const ins of model.globalArgs)
    for (const v of ins.vars ?? []) if (v.value !== null) globals.set(v.name, v.value);
  const out: string[] = [];
  for (const ins of model.instructions) {
    const copy = ins.copy;
    if (!copy || copy.from !== undefined || copy.heredoc) continue;
    let scope: Map<string, string> | undefined;
    for (const src of copy.sources) {
      if (REMOTE.test(src.value)) continue;
      scope ??= varsBefore(ins, globals);
      const value = expand(src.value, scope);
      if (value !== undefined && !REMOTE.test(value)) out.push(value);
    }
  }
  return [...new Set(out)];
}

/** ARG and ENV values in scope at `ins` (a stage ARG without a value takes the global default). */
function varsBefore(ins: Instruction, globals: Map<string, string>): Map<string, string> {
  const scope = new Map<string, string>();
  for (const prev of precedingInChain(ins)) {
    if (prev.keyword !== 'ARG' && prev.keyword !== 'ENV') continue;
    for (const v of prev.vars ?? []) {
      const value = v.value ?? (prev.keyword === 'ARG' ? globals.get(v.name) : undefined);
      if (value === undefined) scope.delete(v.name);
      else scope.set(v.name, expand(value, scope) ?? value);
    }
  }
  return scope;
}

/** `$VAR` / `${VAR}` / `${VAR:-default}` replaced; undefined when a variable has no known value. */
export function expand(text: string, scope: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = text.replace(VAR, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare!;
    const known = scope.get(name);
    const m = /^\$\{[^:}-]+(:?)-([^}]*)\}$/.exec(whole);
    if (known !== undefined && known !== '') return known;
    if (m) return m[2];
    if (known !== undefined) return known;
    unknown = true;
    return whole;
  });
  return unknown ? undefined : out;
}
