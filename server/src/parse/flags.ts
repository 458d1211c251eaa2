// Which leading words of an instruction dockerfile-ast reads as flags
// (ModifiableInstruction.getFlags and each class's stopSearchingForFlags).

import type { Flag } from './model';
import { type RawArgument, positionAt, roundTrip } from './scan';
import type { LineIndex } from './text';

/** Instructions whose dockerfile-ast class reads flags, and where it stops looking for them. */
export const FLAG_STOP: Record<string, (value: string) => boolean> = {
  FROM: (v) => !v.includes('--'),
  ADD: (v) => !v.includes('--'),
  COPY: (v) => !v.includes('--'),
  RUN: (v) => !v.includes('--'),
  HEALTHCHECK: (v) => {
    const upper = v.toUpperCase();
    return upper === 'CMD' || upper === 'NONE';
  },
  CMD: () => true,
  ENTRYPOINT: () => true,
  SHELL: () => true,
  VOLUME: () => true,
};

/** ModifiableInstruction.getFlags: leading `--` words until `stop`. */
export function readFlags(text: string, lines: LineIndex, raw: RawArgument[], stop: (v: string) => boolean): Flag[] {
  const flags: Flag[] = [];
  for (const a of raw) {
    const value = a.value;
    if (stop(value)) break;
    if (!value.startsWith('--')) continue;
    const rawValue = text.slice(roundTrip(text, a.start), roundTrip(text, a.end));
    const index = rawValue.indexOf('=');
    const nameIndex = value.indexOf('=');
    const range = { start: positionAt(lines, text, a.start), end: positionAt(lines, text, a.end) };
    if (index === -1) flags.push({ name: value.substring(2).toLowerCase(), value: null, range });
    else if (index === value.length - 1)
      flags.push({ name: value.substring(2, index).toLowerCase(), value: '', range });
    else
      flags.push({
        name: value.substring(2, nameIndex).toLowerCase(),
        value: value.substring(nameIndex + 1),
        range,
      });
  }
  return flags;
}

/** How many leading words are flags (the arguments are the words after them). */
export function flagCount(keyword: string, raw: RawArgument[]): number {
  const stop = FLAG_STOP[keyword];
  if (!stop) return 0;
  let n = 0;
  for (const a of raw) {
    if (stop(a.value)) break;
    if (a.value.startsWith('--')) n++;
  }
  return n;
}
