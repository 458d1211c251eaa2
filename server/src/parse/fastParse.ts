// The instructions of a Dockerfile read in one pass (parse/scan.ts), shaped
// into the model exactly as parse/dockerfile.ts shapes dockerfile-ast's
// objects. An instruction this reading does not cover exactly (exec-form
// COPY/ADD/RUN, an ARG/ENV with quotes, escapes or continuation lines) is
// handed to `fallback`, which reads it with dockerfile-ast; a text with
// heredocs or another escape character is not read here at all (undefined).

import type { Flag, Instruction, Word } from './model';
import {
  type RawArgument,
  type ScannedInstruction,
  positionAt,
  roundTrip,
  scanArguments,
  scanInstructions,
} from './scan';
import { copyInfo, runInfo } from './shape';
import type { LineIndex, Range } from './text';

/** Texts this reading leaves to dockerfile-ast: heredocs (also one written `<\<`). */
const HEREDOC_LIKE = /<<|<\\/;

/** Instructions whose dockerfile-ast class reads flags, and where it stops looking for them. */
const FLAG_STOP: Record<string, (value: string) => boolean> = {
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

export type Fallback = (scanned: ScannedInstruction, index: number, range: Range) => Instruction;

/**
 * The model's instructions from `offset` (after the parser directives), or
 * undefined when the text is one this reading leaves to dockerfile-ast.
 */
export function fastInstructions(
  text: string,
  lines: LineIndex,
  offset: number,
  fallback: Fallback,
): Instruction[] | undefined {
  if (HEREDOC_LIKE.test(text)) return undefined;
  return scanInstructions(text, offset).map((s, index) => {
    const start = positionAt(lines, text, s.start);
    const range = { start, end: positionAt(lines, text, s.end) };
    return shapeInstruction(text, lines, s, index, range) ?? fallback(s, index, range);
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
  const raw = scanArguments(text, roundTrip(text, s.wordEnd), roundTrip(text, s.end));
  const stop = FLAG_STOP[keyword];
  const flags = stop ? readFlags(text, lines, raw, stop) : [];
  const rest = flags.length ? raw.slice(flags.length) : raw;
  const isCopy = keyword === 'COPY' || keyword === 'ADD';
  if ((isCopy || keyword === 'RUN') && rest.length && mayBeJson(text.charCodeAt(rest[0].start))) return undefined;
  const ins: Instruction = {
    index,
    keyword,
    range,
    keywordRange: { start: range.start, end: positionAt(lines, text, s.wordEnd) },
    flags,
    args: rest.map((a) => word(text, lines, a)),
    text: lines.slice(range),
  };
  if (isCopy) ins.copy = copyInfo(keyword === 'ADD', ins.args, flags, undefined, false);
  else if (keyword === 'RUN') ins.run = runInfo(ins.args, flags, undefined, []);
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

/** dockerfile-ast reads JSON strings when the arguments start with `[` (or `]`, or an escape): left to it. */
const mayBeJson = (c: number) => c === 91 /* [ */ || c === 93 /* ] */ || c === 92; /* \ */

/** ModifiableInstruction.getFlags: leading `--` words until `stop`. */
function readFlags(text: string, lines: LineIndex, raw: RawArgument[], stop: (v: string) => boolean): Flag[] {
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

/**
 * PropertyInstruction.getProperties for a one-line ARG/ENV without quotes or
 * escapes (its words are then the raw arguments); undefined otherwise.
 */
function simpleVars(ins: Instruction): Instruction['vars'] | undefined {
  if (ins.range.start.line !== ins.range.end.line || /["'\\]/.test(ins.text)) return undefined;
  const args = ins.args;
  if (args.length === 0) return [];
  if (args.length >= 2 && !args[0].value.includes('=')) {
    const last = args[args.length - 1];
    const valueRange = { start: args[1].range.start, end: last.range.end };
    const value = args.length === 2 ? args[1].value : sliceLine(ins, valueRange);
    return [{ name: args[0].value, value, range: { start: args[0].range.start, end: valueRange.end } }];
  }
  return args.map((a) => {
    const eq = a.value.indexOf('=');
    return eq === -1
      ? { name: a.value, value: null, range: a.range }
      : { name: a.value.slice(0, eq), value: a.value.slice(eq + 1), range: a.range };
  });
}

/** The instruction's text between two positions on its one line. */
function sliceLine(ins: Instruction, r: Range): string {
  const from = ins.range.start.character;
  return ins.text.slice(r.start.character - from, r.end.character - from);
}
