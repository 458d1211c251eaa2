// Owner and mode across a reorder: when a fix moves a `RUN chown -R` / `chmod -R`
// above a COPY it used to follow, the copied files would keep root's owner and the
// default mode. The copy must then set them itself (`COPY --chown=… --chmod=…`),
// or the fix is not safe.

import type { Instruction } from '../../parse/dockerfile';
import { splitCommands } from '../../parse/shell';
import { resolvePath } from '../../cache/analysis';
import type { RuleContext } from '../rule';
import type { BlockItem } from './reorder';
import { destDir } from '../../cache/copies';

export interface CarriedOwnership {
  /** `--chown=app:app --chmod=755 ` to put on the copies, '' when nothing moves */
  flags: string;
  /** a change moves above the copy that a COPY flag cannot say (symbolic mode, a variable owner) */
  impossible: boolean;
}

function covers(outer: string, inner: string): boolean {
  const o = outer.replace(/\/+$/, '') || '/';
  return o === '/' || inner === o || inner.startsWith(o + '/');
}

/**
 * The owner and mode that RUN steps of the moved block give to `copy`'s
 * destination, which the block used to run after. Flags the copy already has
 * win: they were applied after the copy in the original order too, but the RUN
 * ran later and is what the files ended with, so a differing flag is reported
 * as impossible.
 */
export function ownershipMovedAbove(ctx: RuleContext, copy: Instruction, block: BlockItem[]): CarriedOwnership {
  const dest = destDir(ctx.cache, copy);
  let owner: string | undefined;
  let mode: string | undefined;
  let impossible = false;
  for (const item of block) {
    if (!item.ins.run) continue;
    const text = item.moveText ?? item.ins.run.script;
    const workdir = ctx.cache.info(item.ins).workdir;
    for (const c of splitCommands(text)) {
      const [tool, ...rest] = c.argv;
      if (tool !== 'chown' && tool !== 'chmod') continue;
      const recursive = rest.some((w) => w === '-R' || w === '--recursive' || /^-[a-zA-Z]*R/.test(w));
      const words = rest.filter((w) => !w.startsWith('-'));
      if (words.length < 2) continue;
      const paths = words.slice(1);
      if (paths.some((p) => p.includes('$') || /[*?[]/.test(p))) {
        impossible = true;
        continue;
      }
      // a change of the destination itself without -R leaves the copied files alone
      const hit = paths.some((p) => {
        const abs = resolvePath(workdir, p);
        return recursive ? covers(abs, dest) : false;
      });
      if (!hit) continue;
      const value = words[0];
      if (tool === 'chown') {
        if (value.includes('$') || !/^[\w.-]+(:[\w.-]+)?$/.test(value)) impossible = true;
        else owner = value;
      } else if (!/^[0-7]{3,4}$/.test(value)) impossible = true;
      else mode = value;
    }
  }
  const has = copy.copy!;
  if (owner !== undefined && has.chown !== undefined && has.chown !== owner) impossible = true;
  if (mode !== undefined && has.chmod !== undefined && has.chmod !== mode) impossible = true;
  const flags = [
    owner !== undefined && has.chown === undefined ? `--chown=${owner} ` : '',
    mode !== undefined && has.chmod === undefined ? `--chmod=${mode} ` : '',
  ].join('');
  return { flags, impossible };
}
