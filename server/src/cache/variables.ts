// Variables as the rules see them in the text of a step.

/** `$NAME` or `${NAME…}` in some text. */
export function mentionsVariable(text: string, name: string): boolean {
  // without a regular expression per call: rules ask this for every ARG against every later step
  for (let at = text.indexOf('$'); at >= 0; at = text.indexOf('$', at + 1)) {
    const start = text[at + 1] === '{' ? at + 2 : at + 1;
    if (text.startsWith(name, start) && !/[A-Za-z0-9_]/.test(text[start + name.length] ?? '')) return true;
  }
  return false;
}
