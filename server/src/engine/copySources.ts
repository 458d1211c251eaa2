// The local COPY/ADD sources of a Dockerfile, as context-relative paths, for
// inferring a build context when no build file names one. ARG defaults and
// ENV values are expanded; a source that still holds an unknown variable, a
// URL or a Git remote, a heredoc or a copy from another stage/image is left out.

import type { DockerfileModel, Instruction, Stage } from '../parse/dockerfile';

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git@/i;
const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function localCopySources(model: DockerfileModel): string[] {
  const globals = new Map<string, string>();
  for (const ins of model.globalArgs)
    for (const v of ins.vars ?? []) if (v.value !== null) globals.set(v.name, v.value);
  // the ARG and ENV values in scope, per stage, as far as the walk has come: a stage starts with what the
  // stage it builds FROM ends with (its whole FROM chain's ARGs and ENVs), and the stages come in file order
  const scopes = new Map<Stage, Map<string, string>>();
  const scopeOf = (stage: Stage | undefined): Map<string, string> => {
    if (!stage) return new Map();
    let scope = scopes.get(stage);
    if (!scope) scopes.set(stage, (scope = new Map(stage.parent ? scopeOf(stage.parent) : undefined)));
    return scope;
  };
  const out: string[] = [];
  for (const ins of model.instructions) {
    if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
      if (ins.stage) setVars(ins, scopeOf(ins.stage), globals);
      continue;
    }
    const copy = ins.copy;
    if (!copy || copy.from !== undefined || copy.heredoc) continue;
    for (const src of copy.sources) {
      if (REMOTE.test(src.value)) continue;
      const value = expand(src.value, scopeOf(ins.stage));
      if (value !== undefined && !REMOTE.test(value)) out.push(value);
    }
  }
  return [...new Set(out)];
}

/** An ARG's or ENV's values put in the scope (a stage ARG without a value takes the global default). */
function setVars(ins: Instruction, scope: Map<string, string>, globals: Map<string, string>): void {
  for (const v of ins.vars ?? []) {
    const value = v.value ?? (ins.keyword === 'ARG' ? globals.get(v.name) : undefined);
    if (value === undefined) scope.delete(v.name);
    else scope.set(v.name, expand(value, scope) ?? value);
  }
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
