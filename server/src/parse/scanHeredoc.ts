// Where an ADD/COPY/RUN with heredocs ends, as dockerfile-ast's
// Parser.processHeredocs finds it: each `<<NAME` argument's body runs to a line
// that is NAME (after tabs too, when any of them is `<<-`). The one-pass
// reading leaves such instructions to dockerfile-ast; it only needs to know
// where they end. An ONBUILD that may hold one is not read in one pass at all.

import { flagCount } from './flags';
import { roundTrip, scanArguments } from './scan';

const HEREDOC_LIKE = /<<|<\\/;

export interface HeredocEnd {
  end: number;
  /** the instruction has heredocs */
  heredoc: boolean;
}

/** The end of the instruction whose arguments end at `argsEnd` (a line break); undefined: not read in one pass. */
export function heredocEnd(text: string, word: string, wordEnd: number, argsEnd: number): HeredocEnd | undefined {
  const keyword = word.toUpperCase();
  const none = { end: argsEnd, heredoc: false };
  if (keyword === 'ONBUILD') return HEREDOC_LIKE.test(text.slice(wordEnd, argsEnd)) ? undefined : none;
  if (keyword !== 'ADD' && keyword !== 'COPY' && keyword !== 'RUN') return none;
  // a value starting with `<<` is written so in the text, or joined through an escape
  if (!HEREDOC_LIKE.test(text.slice(wordEnd, argsEnd))) return none;
  const raw = scanArguments(text, roundTrip(text, wordEnd), roundTrip(text, argsEnd));
  const names: string[] = [];
  let tabbed = false;
  for (const a of raw.slice(flagCount(keyword, raw))) {
    if (!a.value.startsWith('<<') || a.value.length <= 2) continue;
    if (a.value.startsWith('<<-')) tabbed = true;
    const name = heredocName(a.value);
    if (name !== null) names.push(name);
  }
  if (!names.length) return none;
  let end = argsEnd;
  for (const name of names) end = bodyEnd(text, name, end, tabbed);
  return { end, heredoc: true };
}

/** Util.parseHeredocName */
function heredocName(word: string): string | null {
  let value = word.substring(2);
  if (value.charAt(0) === '-') value = value.substring(1);
  for (const q of ['"', "'"]) {
    if (value.charAt(0) !== q) continue;
    if (value.charAt(value.length - 1) !== q) return null;
    value = value.substring(1, value.length - 1);
  }
  return value.charAt(0) === '<' ? null : value;
}

/** Parser.parseHeredoc: the line break after the line that is `name`, or the end of the text. */
function bodyEnd(text: string, name: string, offset: number, tabbed: boolean): number {
  let startWord = -1;
  let lineStart = true;
  for (let i = offset; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || (c === '\t' && !tabbed)) lineStart = false;
    else if (c === '\t') {
    } else if (c === '\r' || c === '\n') {
      if (startWord !== -1 && name === text.substring(startWord, i)) return i;
      startWord = -1;
      lineStart = true;
    } else if (lineStart) {
      startWord = i;
      lineStart = false;
    }
  }
  return text.length;
}
