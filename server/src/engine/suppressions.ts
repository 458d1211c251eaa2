// `# cachelens ignore=CL001,CL201` on the line before an instruction (or an
// ignore-file pattern), `# cachelens global ignore=CL006` anywhere in the file.

import { LineIndex, type Range } from '../parse/text';

export interface Suppression {
  ids: string[];
  global: boolean;
  /** the line whose findings it hides (the next line that is not blank or a comment) */
  appliesToLine: number;
  range: Range;
  /** the whole comment line, for removal */
  lineRange: Range;
}

const PATTERN = /^\s*#\s*cachelens\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_, ]+)/i;

export function readSuppressions(text: string, lines?: LineIndex): Suppression[] {
  // most files have none: skip splitting the text into lines
  if (!/cachelens/i.test(text)) return [];
  const index = lines ?? new LineIndex(text);
  const out: Suppression[] = [];
  index.lines.forEach((line, n) => {
    const m = PATTERN.exec(line);
    if (!m) return;
    const ids = m[2]
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((s) => s.toUpperCase());
    let next = n + 1;
    while (next < index.lines.length && /^\s*(#.*)?$/.test(index.lines[next])) next++;
    out.push({
      ids,
      global: !!m[1],
      appliesToLine: next,
      range: {
        start: { line: n, character: line.length - line.trimStart().length },
        end: { line: n, character: line.length },
      },
      lineRange: { start: { line: n, character: 0 }, end: index.nextLineStart(n) },
    });
  });
  return out;
}
