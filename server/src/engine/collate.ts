// The order of String.prototype.localeCompare for the strings the findings are
// sorted by (paths, rule ids), without waking ICU where that order is known: the
// collator localeCompare creates costs about 10 ms of the server's start to its
// first diagnostics. Anything not covered below still goes to localeCompare.

/** default collation locales whose order of printable ASCII is the root order (and POSIX/C, which ICU reads as en-US) */
const ROOT_ORDER_LOCALE = /^(?:$|C$|C\.|POSIX$|en(?:[_.@-]|$))/;

function rootOrderLocale(env: NodeJS.ProcessEnv): boolean {
  return ROOT_ORDER_LOCALE.test(env.LC_ALL || env.LC_COLLATE || env.LANG || '');
}

let knownOrder: boolean | undefined;

/** localeCompare(a, b) for the process's default locale, by hand where it is known (see rootOrderedPair). */
export function collate(a: string, b: string): number {
  if (a === b) return 0;
  knownOrder ??= rootOrderLocale(process.env);
  return (knownOrder && rootOrderedPair(a, b)) || a.localeCompare(b);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
/** space and ! " # $ % & ' ( ) * + , - . / — each sorts before every digit and letter */
const isLowPunctuation = (c: number) => c >= 32 && c <= 47;

/**
 * The sign of the root collation order of two different strings where it follows from their
 * first difference alone, else 0 (unknown). Up to that point the strings are the same, so
 * their primary weights agree; at it, punctuation against a digit or letter, or two
 * characters that are different digits/letters even ignoring case, differ at the primary
 * level, which decides before any later case difference. A string that is a prefix of the
 * other (followed by a printable ASCII character) sorts first.
 */
export function rootOrderedPair(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) {
    // the longer one goes on with a printable ASCII character: one more primary weight
    const next = (a.length > n ? a : b).charCodeAt(n);
    if (next < 32 || next > 126) return 0;
    return a.length < b.length ? -1 : 1;
  }
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  const alnum = (c: number) => isDigit(c) || isUpper(c) || isLower(c);
  if (isLowPunctuation(x) && alnum(y)) return -1;
  if (alnum(x) && isLowPunctuation(y)) return 1;
  if (!alnum(x) || !alnum(y)) return 0;
  // digits before letters; letters by their lower case
  const weight = (c: number) => (isDigit(c) ? c : isUpper(c) ? c + 32 + 1000 : c + 1000);
  const wx = weight(x);
  const wy = weight(y);
  return wx === wy ? 0 : wx < wy ? -1 : 1;
}
