// Line-level edits shared by the rules that insert, drop or rewrite whole
// instructions, and the checks a fix needs before it may use BuildKit syntax.

import type { DockerfileModel, Instruction } from '../../parse/dockerfile';
import type { FileEdit } from '../rule';
import type { Position, Range } from '../../parse/text';
import { leadingCommentStart, wholeLines } from './reorder';

/** Removes an instruction with its leading comments, as whole lines. */
export function removeInstructionEdit(model: DockerfileModel, path: string, ins: Instruction): FileEdit {
  const whole = wholeLines(model, ins);
  const endsFile = whole.range.end.line === ins.range.end.line;
  if (endsFile && whole.range.start.line > 0)
    return {
      path,
      range: { start: model.lines.lineEnd(whole.range.start.line - 1), end: whole.range.end },
      newText: '',
    };
  return { path, range: whole.range, newText: '' };
}

/** Inserts lines above an instruction (above its leading comments). */
export function insertAboveEdit(model: DockerfileModel, path: string, ins: Instruction, lines: string[]): FileEdit {
  const line = leadingCommentStart(model, ins);
  const at = { line, character: 0 };
  return { path, range: { start: at, end: at }, newText: lines.map((l) => l + model.lines.eol).join('') };
}

/** Inserts lines after an instruction's last line. */
export function insertAfterEdit(model: DockerfileModel, path: string, ins: Instruction, lines: string[]): FileEdit {
  const at = model.lines.lineEnd(ins.range.end.line);
  return { path, range: { start: at, end: at }, newText: lines.map((l) => model.lines.eol + l).join('') };
}

/** Inserts text just before the first argument of an instruction (after its flags). */
export function insertBeforeArgsEdit(path: string, ins: Instruction, text: string): FileEdit | undefined {
  const first = ins.args[0];
  if (!first) return undefined;
  return { path, range: { start: first.range.start, end: first.range.start }, newText: text };
}

const DOCKERFILE_FRONTEND = /^(docker\.io\/)?docker\/dockerfile(-upstream)?(:(?<tag>[^@\s]+))?(@sha256:[0-9a-f]+)?$/i;

/**
 * Whether the file may use BuildKit-only syntax (`RUN --mount`, `COPY --link`,
 * `--chmod`), and the edit that opts in when it has no syntax directive. A
 * directive for some other frontend, or for a Dockerfile syntax older than the
 * feature, means the fix stays out.
 */
export function buildkitSyntax(
  model: DockerfileModel,
  path: string,
  minor: number,
): { ok: boolean; edits: FileEdit[] } {
  const syntax = model.directives.syntax;
  if (syntax === undefined) {
    // after a byte-order mark, which must stay first
    const at = { line: 0, character: model.text.startsWith('\uFEFF') ? 1 : 0 };
    return {
      ok: true,
      edits: [{ path, range: { start: at, end: at }, newText: '# syntax=docker/dockerfile:1' + model.lines.eol }],
    };
  }
  const m = DOCKERFILE_FRONTEND.exec(syntax.trim());
  if (!m) return { ok: false, edits: [] };
  const tag = m.groups?.tag ?? 'latest';
  if (tag === 'latest' || /^(labs|master|experimental)$/.test(tag) || /-labs$/.test(tag))
    return { ok: true, edits: [] };
  const v = /^(\d+)(?:\.(\d+))?/.exec(tag);
  if (!v) return { ok: false, edits: [] };
  const major = Number(v[1]);
  const min = v[2] === undefined ? Infinity : Number(v[2]);
  return { ok: major > 1 || (major === 1 && min >= minor), edits: [] };
}

/** The comment lines directly above an instruction, which travel with it when it moves or merges. */
export function leadingComments(model: DockerfileModel, ins: Instruction): string[] {
  return model.lines.lines.slice(leadingCommentStart(model, ins), ins.range.start.line);
}

/** The position of a character offset in the file. */
export function positionAt(model: DockerfileModel, offset: number): Position {
  const before = model.text.slice(0, offset);
  const line = (before.match(/\n/g) ?? []).length;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

const MAX_COMMAND_WORDS = 2000;

/**
 * The matches of a pattern built from a command's words, or none when V8
 * cannot compile it: long enough words make it too large ('Invalid regular
 * expression', fuzz seed 100 #94381: a 64 KB command of few words), many words
 * overflow the stack. Such a command is not rewritten.
 */
function matchAllOrNone(pattern: string, text: string): RegExpMatchArray[] {
  try {
    return [...text.matchAll(new RegExp(pattern, 'g'))];
  } catch {
    return [];
  }
}

/**
 * Where a simple command is written in a RUN (across `\` continuations), when it
 * is written exactly once as plain words: the range of its first `prefix` words
 * (all by default). Undefined otherwise.
 */
export function commandRange(
  model: DockerfileModel,
  run: Instruction,
  argv: string[],
  prefix = argv.length,
): Range | undefined {
  // one regular expression spells the whole command: some thousands of words overflow V8's stack compiling it
  // (a stack overflow); such a command is not rewritten
  if (!run.args.length || !argv.length || argv.length > MAX_COMMAND_WORDS) return undefined;
  const start = model.lines.offsetAt(run.args[0].range.start);
  const text = model.text.slice(start, model.lines.offsetAt(run.range.end));
  const escapeChar = model.directives.escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const gap = `(?:[ \\t]|${escapeChar}\\r?\\n)+`;
  const words = argv.map((w) => w.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
  const head = words.slice(0, prefix).join(gap);
  const tail = words
    .slice(prefix)
    .map((w) => gap + w)
    .join('');
  const hits = matchAllOrNone(`(?<=^|[\\s;&|(])(${head})${tail}(?=${gap.slice(0, -1)}*(?:$|[;&|)\\r\\n]))`, text);
  if (hits.length !== 1) return undefined;
  const at = start + hits[0].index!;
  return { start: positionAt(model, at), end: positionAt(model, at + hits[0][1].length) };
}

/**
 * Removes one simple command from a RUN together with the `&&` or `;` that
 * joins it to its neighbour, keeping the rest as written. Undefined when the
 * command is the only one, is joined by another operator, or cannot be found.
 */
export function removeCommandEdit(
  model: DockerfileModel,
  path: string,
  run: Instruction,
  argv: string[],
): FileEdit | undefined {
  const found = commandRange(model, run, argv);
  if (!found || !run.args.length) return undefined;
  const argsStart = model.lines.offsetAt(run.args[0].range.start);
  const runEnd = model.lines.offsetAt(run.range.end);
  const start = model.lines.offsetAt(found.start);
  const end = model.lines.offsetAt(found.end);
  const escapeChar = model.directives.escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const space = `(?:[ \\t]|${escapeChar}\\r?\\n)*`;
  const before = new RegExp(`${space}(?:&&|;)${space}$`).exec(model.text.slice(argsStart, start));
  if (before && !/[|&]$/.test(model.text.slice(argsStart, start - before[0].length))) {
    return {
      path,
      range: { start: positionAt(model, start - before[0].length), end: positionAt(model, end) },
      newText: '',
    };
  }
  const after = new RegExp(`^${space}(?:&&|;)${space}`).exec(model.text.slice(end, runEnd));
  if (start === argsStart && after && !/^[|&]/.test(model.text.slice(end + after[0].length))) {
    return {
      path,
      range: { start: positionAt(model, start), end: positionAt(model, end + after[0].length) },
      newText: '',
    };
  }
  return removeHeredocLineEdit(model, path, run, found);
}

/**
 * In a heredoc body commands are separated by newlines: a command alone on its
 * line(s), not continued from the line above, goes with its line.
 */
function removeHeredocLineEdit(
  model: DockerfileModel,
  path: string,
  run: Instruction,
  found: Range,
): FileEdit | undefined {
  if (!/<<-?["']?[A-Za-z_]/.test(model.lines.lines[run.args[0].range.start.line])) return undefined;
  if (found.start.line <= run.args[0].range.start.line || found.end.line >= run.range.end.line) return undefined;
  const lines = model.lines.lines;
  if (lines[found.start.line].slice(0, found.start.character).trim() !== '') return undefined;
  if (lines[found.end.line].slice(found.end.character).trim() !== '') return undefined;
  const above = lines[found.start.line - 1].trimEnd();
  if (/(\\|&&|\|\||\|)$/.test(above)) return undefined;
  return {
    path,
    range: { start: { line: found.start.line, character: 0 }, end: { line: found.end.line + 1, character: 0 } },
    newText: '',
  };
}

/** Removes `NAME=value ` written before a command of a RUN (`PIP_NO_CACHE_DIR=1 pip install …`). */
export function removeEnvPrefixEdit(
  model: DockerfileModel,
  path: string,
  run: Instruction,
  name: string,
  _value: string,
  argv0: string | undefined,
): FileEdit | undefined {
  if (!run.args.length || !argv0) return undefined;
  const start = model.lines.offsetAt(run.args[0].range.start);
  const text = model.text.slice(start, model.lines.offsetAt(run.range.end));
  const esc = (w: string) => w.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const value = `(?:"[^"]*"|'[^']*'|[^\\s"';&|]+)`;
  const hits = matchAllOrNone(
    `(?<=^|[\\s;&|(])${esc(name)}=${value}[ \\t]+(?=(?:[A-Za-z_][A-Za-z0-9_]*=${value}[ \\t]+)*${esc(argv0)}(?:\\s|$))`,
    text,
  );
  if (hits.length !== 1) return undefined;
  const at = start + hits[0].index!;
  return { path, range: { start: positionAt(model, at), end: positionAt(model, at + hits[0][0].length) }, newText: '' };
}

/** Rewrites one simple command of a RUN to other words (all plain), keeping the rest as written. */
export function replaceCommandEdit(
  model: DockerfileModel,
  path: string,
  run: Instruction,
  argv: string[],
  words: string[],
): FileEdit | undefined {
  if ([...argv, ...words].some((w) => !/^[\w@./:=+,%~*-]+$/.test(w))) return undefined;
  const range = commandRange(model, run, argv);
  return range && { path, range, newText: words.join(' ') };
}

/**
 * A path a fix may write as one word of a COPY line as it is: no whitespace,
 * quote, escape or variable that the line would split or expand, no leading `-`
 * that would read as a flag.
 */
export function isPlainWord(word: string): boolean {
  return /^[^\s"'`\\$-][^\s"'`\\$]*$/.test(word);
}

/**
 * The instruction opens a heredoc (`RUN <<EOF`) that its own lines never close: its body runs to
 * the end of the file, and lines a fix inserts after it would become part of that body.
 */
export function opensUnclosedHeredoc(model: DockerfileModel, ins: Instruction): boolean {
  const first = model.lines.lines[ins.range.start.line] ?? '';
  if (!first.includes('<<')) return false;
  const rest = model.lines.lines.slice(ins.range.start.line + 1, ins.range.end.line + 1);
  for (const m of first.matchAll(/<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/g)) {
    const strip = (l: string) => (m[1] === '-' ? l.replace(/^\t+/, '') : l).replace(/\r$/, '');
    if (!rest.some((l) => strip(l) === m[3])) return true;
  }
  return false;
}
