// `cachelens fix`: the session's fix-all on each target, written in place or
// shown as a unified diff (--dry-run).

import * as fs from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import type { Session } from '../engine/session';
import { rel, ruleSettings, type Flags, type Out } from './args';
import { readText, targetsFor } from './targets';

export function fix(flags: Flags, args: string[], out: Out, session: Session): number {
  const dryRun = !!flags['dry-run'];
  const unsafe = !!flags.unsafe;
  const rules = ruleSettings(flags);
  let changed = 0;
  for (const t of targetsFor(args, session)) {
    const text = readText(t.dockerfile);
    const { result, changes } = session.fixAll(t.dockerfile, text, { rules, unsafe }, t.workspace);
    for (const { path: file, before, after } of changes) {
      if (before === after && !result.created.has(file)) continue;
      changed++;
      const name = rel(t.base, file);
      if (dryRun) out(createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after).replace(/^=+\n/, ''));
      else {
        fs.writeFileSync(file, after);
        const fixesHere = result.applied.filter((a) => a.changed.includes(file));
        out(`fixed ${name}: ${[...new Set(fixesHere.map((a) => `${a.rule} ${a.title}`))].join('; ')}`);
      }
    }
  }
  if (!changed) out('nothing to fix');
  return 0;
}
