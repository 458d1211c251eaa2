// Where one text differs from another when an edit stayed inside one line
// (a keystroke): the basis of parseDockerfile's reuse of the previous model.
// Pure string work; the conditions that make the reuse exact are checked by
// the caller against the old model.

export interface LineEdit {
  /** the edited line (0-based), the same in both texts */
  line: number;
  /** first changed character of that line */
  column: number;
  /** the line's text before and after the edit (no line ending) */
  before: string;
  after: string;
}

const isBreak = (c: number) => c === 10 || c === 13;

/**
 * The one line an edit changed, when the texts differ only inside one line
 * (no line ending removed or inserted); undefined otherwise.
 */
export function singleLineEdit(oldText: string, newText: string): LineEdit | undefined {
  if (oldText === newText) return undefined;
  const min = Math.min(oldText.length, newText.length);
  let p = 0;
  while (p < min && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
  let s = 0;
  while (s < min - p && oldText.charCodeAt(oldText.length - 1 - s) === newText.charCodeAt(newText.length - 1 - s)) s++;
  for (let i = p; i < oldText.length - s; i++) if (isBreak(oldText.charCodeAt(i))) return undefined;
  for (let i = p; i < newText.length - s; i++) if (isBreak(newText.charCodeAt(i))) return undefined;
  let start = p;
  while (start > 0 && !isBreak(newText.charCodeAt(start - 1))) start--;
  const lineEnd = (text: string, from: number) => {
    let e = from;
    while (e < text.length && !isBreak(text.charCodeAt(e))) e++;
    return e;
  };
  let line = 0;
  for (let i = 0; i < start; i++) {
    const c = newText.charCodeAt(i);
    if (c === 10 || (c === 13 && newText.charCodeAt(i + 1) !== 10)) line++;
  }
  return {
    line,
    column: p - start,
    before: oldText.slice(start, lineEnd(oldText, p)),
    after: newText.slice(start, lineEnd(newText, p)),
  };
}
