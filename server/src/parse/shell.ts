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
    if (ch === "'") {
      const end = s.indexOf("'", i + 1);
      word += end < 0 ? s.slice(i + 1) : s.slice(i + 1, end);
      inWord = true;
      i = end < 0 ? s.length : end + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        word += s[j];
        j++;
      }
      inWord = true;
      i = j + 1;
      continue;
    }
    if (ch === '\\' && i + 1 < s.length) {
      word += s[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (ch === '#' && !inWord) {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      flushWord();
      i++;
      continue;
    }
    const op = OP_START.includes(ch) ? OPERATORS.find((o) => s.startsWith(o, i)) : undefined;
    if (op) {
      flushCommand();
      i += op.length;
      continue;
    }
    let j = i + 1;
    while (j < s.length && !SPECIAL.test(s[j])) j++;
    word += s.slice(i, j);
    inWord = true;
    i = j;
  }
  flushCommand();
  return commands;
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
