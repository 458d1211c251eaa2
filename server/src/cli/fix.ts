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
  // what earlier Dockerfiles' fixes made of a file (an ignore file several Dockerfiles share) is laid over the
  // disk as an open document, so later fixes start from it: a dry run writes nothing, and the workspace may
  // still remember the old text of a file just written
  const original = new Map<string, { name: string; before: string }>();
  const latest = new Map<string, string>();
  for (const t of targetsFor(args, session)) {
    const text = latest.get(t.dockerfile) ?? readText(t.dockerfile);
    const { result, changes } = session.fixAll(t.dockerfile, text, { rules, unsafe }, t.workspace);
    for (const { path: file, before, after } of changes) {
      if (before === after && !result.created.has(file)) continue;
      changed++;
      const name = rel(t.base, file);
      latest.set(file, after);
      session.openDocument(file, after, 0);
      if (dryRun) {
        if (!original.has(file)) original.set(file, { name, before });
      } else {
        fs.writeFileSync(file, after);
        const fixesHere = result.applied.filter((a) => a.changed.includes(file));
        out(`fixed ${name}: ${[...new Set(fixesHere.map((a) => `${a.rule} ${a.title}`))].join('; ')}`);
      }
    }
  }
  // each file once, from what is on disk to what all fixes together make of it
  for (const [file, { name, before }] of original)
    out(createTwoFilesPatch(`a/${name}`, `b/${name}`, before, latest.get(file)!).replace(/^=+\n/, ''));
  if (!changed) out('nothing to fix');
  return 0;
}
