// The edits that take a cache cleanup (`rm -rf /root/.cache/pip`,
// `--no-cache-dir`, `PIP_NO_CACHE_DIR=1`) out of a RUN that mounts that cache.

import type { DockerfileModel, Instruction } from '../../parse/dockerfile';
import type { Cleanup } from '../../cache/mounts';
import type { FileEdit } from '../rule';
import { removeCommandEdit, removeEnvPrefixEdit, replaceCommandEdit } from './edits';

/** The edits that take every cleanup out of a RUN; undefined when one cannot be taken out as written. */
export function cleanupRemovalEdits(
  model: DockerfileModel,
  path: string,
  run: Instruction,
  cleanups: Cleanup[],
): FileEdit[] | undefined {
  const edits: FileEdit[] = [];
  // one command may carry both a flag and an env prefix: its edits must not overlap
  for (const c of cleanups) {
    if (c.aboveMount) return undefined;
    if (!c.flags.length && !c.env.length) {
      const e = removeCommandEdit(model, path, run, c.command.argv);
      if (!e) return undefined;
      edits.push(e);
      continue;
    }
    if (c.flags.length) {
      const e = replaceCommandEdit(
        model,
        path,
        run,
        c.command.argv,
        c.command.argv.filter((w) => !c.flags.includes(w)),
      );
      if (!e) return undefined;
      edits.push(e);
    }
    for (const name of c.env) {
      const e = removeEnvPrefixEdit(model, path, run, name, c.command.env[name], c.command.argv[0]);
      if (!e) return undefined;
      edits.push(e);
    }
  }
  return edits;
}
