// The instructions of a Dockerfile read in one pass (parse/scan.ts), shaped
// into the model exactly as parse/dockerfile.ts shapes dockerfile-ast's
// objects. An instruction this reading does not cover exactly (one with
// heredocs; an ARG/ENV with quotes, escapes or continuation lines) is handed
// to `fallback`, which reads it with dockerfile-ast alone; a text with another
// escape character, or an ONBUILD that may hold a heredoc, is not read here at
// all (undefined).

import type { Instruction, Word } from './model';
import {
  type RawArgument,
  type ScannedInstruction,
  positionAt,
  roundTrip,
  scanArguments,
  scanInstructions,
} from './scan';
import { FLAG_STOP, readFlags } from './flags';
import { heredocEnd } from './scanHeredoc';
import { jsonStrings } from './scanJson';
import { copyInfo, runInfo } from './shape';
import type { LineIndex, Range } from './text';

export type Fallback = (scanned: ScannedInstruction, index: number, range: Range) => Instruction;

/**
 * The model's instructions that start in [offset, until) (from after the
 * parser directives, or from a line no instruction reaches into), numbered
 * from `firstIndex`; undefined when the text there is one this reading leaves
 * to dockerfile-ast.
 */
export function fastInstructions(
  text: string,
  lines: LineIndex,
  fallback: Fallback,
  { offset = 0, until = text.length, firstIndex = 0 } = {},
): Instruction[] | undefined {
  const scanned = scanInstructions(
    text,
    (word, wordEnd, argsEnd) => heredocEnd(text, word, wordEnd, argsEnd),
    offset,
    until,
  );
  return scanned?.map((s, i) => {
    const start = positionAt(lines, text, s.start);
    const range = { start, end: positionAt(lines, text, s.end) };
    const shaped = s.heredoc ? undefined : shapeInstruction(text, lines, s, firstIndex + i, range);
    return shaped ?? fallback(s, firstIndex + i, range);
  });
}

function shapeInstruction(
  text: string,
  lines: LineIndex,
  s: ScannedInstruction,
  index: number,
  range: Range,
): Instruction | undefined {
  const keyword = s.word.toUpperCase();
  const insText = lines.slice(range);
  // dockerfile-ast's getHeredocs (which parse/dockerfile.ts asks when the text has `<<`) reads its own way
  if (insText.includes('<<')) return undefined;
  const raw = scanArguments(text, roundTrip(text, s.wordEnd), roundTrip(text, s.end));
  const stop = FLAG_STOP[keyword];
  const flags = stop ? readFlags(text, lines, raw, stop) : [];
  const rest = flags.length ? raw.slice(flags.length) : raw;
  const isCopy = keyword === 'COPY' || keyword === 'ADD';
  const ins: Instruction = {
    index,
    keyword,
    range,
    keywordRange: { start: range.start, end: positionAt(lines, text, s.wordEnd) },
    flags,
    args: rest.map((a) => word(text, lines, a)),
    text: insText,
  };
  if (isCopy) ins.copy = copyInfo(keyword === 'ADD', ins.args, flags, jsonStrings(text, lines, rest), false);
  else if (keyword === 'RUN') ins.run = runInfo(ins.args, flags, jsonStrings(text, lines, rest), []);
  else if (keyword === 'ARG' || keyword === 'ENV') {
    const vars = simpleVars(ins);
    if (!vars) return undefined;
    ins.vars = vars;
  }
  return ins;
}

function word(text: string, lines: LineIndex, a: RawArgument): Word {
  return { value: a.value, range: { start: positionAt(lines, text, a.start), end: positionAt(lines, text, a.end) } };
}

/**
 * PropertyInstruction.getProperties for a one-line ARG/ENV without escapes
 * whose quotes open and close inside a word (its property words are then its
 * raw words); undefined otherwise.
 */
function simpleVars(ins: Instruction): Instruction['vars'] | undefined {
  if (ins.range.start.line !== ins.range.end.line || ins.text.includes('\\')) return undefined;
  const args = ins.args;
  if (/["']/.test(ins.text) && !args.every((a) => quotesStayInWord(a.value))) return undefined;
  if (args.length === 0) return [];
  if (args.length >= 2 && !args[0].value.includes('=')) {
    const last = args[args.length - 1];
    const valueRange = { start: args[1].range.start, end: last.range.end };
    const value = args.length === 2 ? args[1].value : sliceLine(ins, valueRange);
    return [
      {
        name: unquote(args[0].value),
        value: unquote(value),
        range: { start: args[0].range.start, end: valueRange.end },
      },
    ];
  }
  return args.map(property);
}

/** Property(arg): `name=value`, the name as far as a quote-matching `=`; a value only when there is one. */
function property(a: Word): NonNullable<Instruction['vars']>[number] {
  const v = a.value;
  const eq = v.indexOf('=');
  const first = v.charAt(0);
  const quoted = first === '"' || first === "'";
  if (eq === -1 || (quoted && v.charAt(eq - 1) !== first)) return { name: unquote(v), value: null, range: a.range };
  return { name: unquote(v.slice(0, eq)), value: unquote(v.slice(eq + 1)), range: a.range };
}

/** Property.getValue without escapes: a value wholly in matching quotes loses them. */
function unquote(v: string): string {
  const first = v.charAt(0);
  const last = v.charAt(v.length - 1);
  const inSingle = first === "'" && last === "'";
  const inDouble = first === '"' && v.length >= 2 && last === '"';
  return inSingle || inDouble ? v.substring(1, v.length - 1) : v;
}

/** Each quote in the word closes before the word ends (getPropertyArguments would otherwise join words); no `${` beside quotes. */
function quotesStayInWord(v: string): boolean {
  if (v.includes('${') && /["']/.test(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c !== '"' && c !== "'") continue;
    const close = v.indexOf(c, i + 1);
    if (close === -1) return false;
    i = close;
  }
  return true;
}

/** The instruction's text between two positions on its one line. */
function sliceLine(ins: Instruction, r: Range): string {
  const from = ins.range.start.character;
  return ins.text.slice(r.start.character - from, r.end.character - from);
}
