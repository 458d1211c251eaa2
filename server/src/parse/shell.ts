// A small, bounded shell word splitter: enough to find the simple commands in a
// RUN line (`a && b; c | d`) with their argv, unquoted. It never evaluates
// anything; unknown syntax degrades to plain words.

export interface SimpleCommand {
  /** words after leading VAR=value assignments and wrappers like sudo/env */
  argv: string[];
  /** leading VAR=value assignments */
  env: Record<string, string>;
  /** filled in by ecosystems/match.ts on first use: argv without `python -m`/`corepack`, and the program's name */
  normalized?: { argv: string[]; tool: string; key?: string };
  /** for a command with ARG/ENV values put in (cache/analysis.ts): the command as the Dockerfile writes it */
  written?: SimpleCommand;
}

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')', '\n'];
const OP_START = '&|;()\n';
const SPECIAL = /[\s'"\\#&|;()]/;
const WRAPPERS = new Set(['sudo', 'env', 'exec', 'time', 'nice', 'nohup', 'command', 'xargs']);
const KEYWORDS = new Set(['{', '}', '!', 'if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done']);

/** Splits a shell script into simple commands. */
export function splitCommands(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const flushWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const flushCommand = () => {
    flushWord();
    if (words.length) commands.push(toCommand(words));
    words = [];
  };
  const s = script.replace(/\\\r?\n/g, ' ');
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '#' && !inWord) {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      flushWord();
      i++;
    } else {
      const op = OP_START.includes(ch) ? OPERATORS.find((o) => s.startsWith(o, i)) : undefined;
      if (op) {
        flushCommand();
        i += op.length;
        continue;
      }
      const [part, next] = wordPart(s, i);
      word += part;
      inWord = true;
      i = next;
    }
  }
  flushCommand();
  return commands;
}

/** One piece of a word starting at `i`, unquoted, and the index after it. */
function wordPart(s: string, i: number): [string, number] {
  const ch = s[i];
  if (ch === "'") {
    const end = s.indexOf("'", i + 1);
    return end < 0 ? [s.slice(i + 1), s.length] : [s.slice(i + 1, end), end + 1];
  }
  if (ch === '"') return doubleQuoted(s, i);
  if (ch === '\\' && i + 1 < s.length) return [s[i + 1], i + 2];
  // a command substitution (`$(poetry config cache-dir)`, `$((1 + 2))`) is one word, not commands of this line
  if (ch === '$' && s[i + 1] === '(') {
    const end = substitutionEnd(s, i + 1);
    return [s.slice(i, end), end];
  }
  let j = i + 1;
  while (j < s.length && !SPECIAL.test(s[j]) && !(s[j] === '$' && s[j + 1] === '(')) j++;
  return [s.slice(i, j), j];
}

/** The text of the double-quoted string opening at `i`, backslash escapes taken, and the index after it. */
function doubleQuoted(s: string, i: number): [string, number] {
  let out = '';
  let j = i + 1;
  while (j < s.length && s[j] !== '"') {
    if (s[j] === '\\' && j + 1 < s.length) j++;
    out += s[j];
    j++;
  }
  return [out, j + 1];
}

/** The index just after the `)` that closes the `(` at `open` (quotes respected); the end of the text when unclosed. */
function substitutionEnd(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === "'" || c === '"') {
      const close = s.indexOf(c, j + 1);
      if (close < 0) return s.length;
      j = close;
    } else if (c === '\\') j++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return s.length;
}

function toCommand(words: string[]): SimpleCommand {
  const env: Record<string, string> = {};
  let k = 0;
  for (;;) {
    while (k < words.length && KEYWORDS.has(words[k])) k++;
    while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k])) {
      const eq = words[k].indexOf('=');
      env[words[k].slice(0, eq)] = words[k].slice(eq + 1);
      k++;
    }
    if (k < words.length && WRAPPERS.has(words[k])) {
      k++;
      while (k < words.length && words[k].startsWith('-')) k++;
      continue;
    }
    break;
  }
  return { argv: words.slice(k), env };
}
