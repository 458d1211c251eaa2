// Builds the Dockerfile model the rules read (types in parse/model.ts).
// Most texts are read in one pass (parse/fastParse.ts, parse/scan.ts), exactly
// as dockerfile-ast reads them; dockerfile-ast reads the parser directives, the
// instructions the one-pass reading leaves to it, and whole texts with
// heredocs or another escape character. A keystroke reuses a recent model.

import {
  DockerfileParser,
  type Argument,
  type Dockerfile as AstDockerfile,
  type Flag as AstFlag,
  type Heredoc,
} from 'dockerfile-ast';
import type { Instruction as AstInstruction } from 'dockerfile-ast';
import { LineIndex, type Position, type Range, comparePositions } from './text';
import { copyInfo, runInfo } from './shape';
import { type Fallback, fastInstructions } from './fastParse';
import { scanDirectives } from './scanDirectives';
import type { Directives, DockerfileModel, Flag, Instruction, Stage, Word } from './model';
import { tooLargeToAnalyse } from './limits';
import { commonPrefix, singleLineEdit, type LineEdit } from './lineEdit';

export type {
  CopyInfo,
  Directives,
  DockerfileModel,
  Flag,
  Instruction,
  Mount,
  RunInfo,
  Stage,
  Word,
} from './model';

export interface ParseOptions {
  /** false: parse the whole text even when a recent model could be reused (tests compare both) */
  reuse?: boolean;
  /** false: read every instruction with dockerfile-ast (tests compare it with the one-pass reading) */
  fast?: boolean;
}

export function parseDockerfile(text: string, options: ParseOptions = {}): DockerfileModel {
  const skipped = tooLargeToAnalyse(text);
  if (skipped)
    return {
      text,
      lines: new LineIndex(text),
      directives: { escape: '\\' },
      instructions: [],
      globalArgs: [],
      stages: [],
      skipped,
    };
  // the same text again (the context resolution of a first open, then its analysis; a save): the same model,
  // which nothing changes once assembled, and whose derived analyses are memoized on it
  const same = options.reuse !== false ? recent.find((m) => m.text === text) : undefined;
  if (same) {
    remember(same);
    return same;
  }
  const lines = new LineIndex(text);
  const model =
    (options.reuse !== false && reuseRecent(text, lines)) ||
    (options.fast === false ? astParse(text, lines) : fullParse(text, lines));
  remember(model);
  return model;
}

let fastReads = 0;

/** How many full parses the one-pass reading did (tests check that it runs). */
export const fastParses = () => fastReads;

function fullParse(text: string, lines: LineIndex): DockerfileModel {
  const fast = fastParse(text, lines);
  if (!fast) return astParse(text, lines);
  fastReads++;
  return fast;
}

/** The whole text read by dockerfile-ast. */
function astParse(text: string, lines: LineIndex): DockerfileModel {
  const ast = DockerfileParser.parse(text);
  const directives = readDirectives(ast);
  const instructions = ast.getInstructions().map((node, i) => toInstruction(node, i, lines));
  return assemble(text, lines, directives, instructions);
}

function readDirectives(ast: AstDockerfile): Directives {
  const directives: Directives = { escape: ast.getEscapeCharacter() };
  for (const d of ast.getDirectives()) {
    const name = d.getName().toLowerCase();
    if (name === 'syntax') directives.syntax = d.getValue();
    else if (name === 'check') directives.check = d.getValue();
  }
  return directives;
}

/**
 * The text read in one pass (parse/fastParse.ts), dockerfile-ast reading only
 * the instructions the fast reading leaves to it; undefined when it leaves the
 * whole text (another escape character).
 */
function fastParse(text: string, lines: LineIndex): DockerfileModel | undefined {
  const scanned = scanDirectives(text);
  // as Dockerfile.getEscapeCharacter: the first escape directive with a valid value
  const escapeDirective = scanned.find(
    (d) => d.name.toLowerCase() === 'escape' && (d.value === '\\' || d.value === '`'),
  );
  if (escapeDirective?.value === '`') return undefined;
  const directives: Directives = { escape: '\\' };
  for (const d of scanned) {
    const name = d.name.toLowerCase();
    if (name === 'syntax') directives.syntax = d.value;
    else if (name === 'check') directives.check = d.value;
  }
  const offset = scanned.length > 0 ? lines.lineStart(scanned.length) : text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const instructions = fastInstructions(text, lines, alone(text, lines), { offset });
  return instructions && assemble(text, lines, directives, instructions);
}

/** Stages and global ARGs from the instructions in file order (sets each instruction's stage). */
function assemble(
  text: string,
  lines: LineIndex,
  directives: Directives,
  instructions: Instruction[],
): DockerfileModel {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  let current: Stage | undefined;

  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const args = ins.args;
      const asIndex = args.findIndex((a) => a.value.toLowerCase() === 'as');
      const name = asIndex >= 0 ? args[asIndex + 1]?.value : undefined;
      const imageWord = args[0];
      current = {
        index: stages.length,
        name,
        from: ins,
        // as getImage()/getImageRange() give it, without their second argument scan
        image: imageWord ? lines.slice(imageWord.range) : '',
        imageRange: imageWord?.range,
        instructions: [],
      };
      current.parent = findStage(stages, current.image);
      stages.push(current);
      ins.stage = current;
      continue;
    }
    if (!current) {
      if (ins.keyword === 'ARG') globalArgs.push(ins);
      continue;
    }
    ins.stage = current;
    current.instructions.push(ins);
  }

  return { text, lines, directives, instructions, globalArgs, stages };
}

// Reuse of a recent model (a keystroke changes one line of one instruction).
// dockerfile-ast's parse and our reading of its instructions are most of the
// CPU of an edit. dockerfile-ast reads the text in order and starts each
// instruction afresh, so the instructions that end before the first changed
// line (and before any heredoc) read the same: they are kept and only the rest
// is parsed, alone, at its own position. When the edit stays inside one line
// and cannot move a boundary (the line keeps its trailing escape or lack of
// one, has no other escape character, does not start a comment, has no `<`,
// the keyword is untouched), the instructions after it are kept too and only
// the edited one is parsed. Only with the default escape character.
// test/unit/incremental-parse.test.ts compares this with the full parse on the
// corpus and BuildKit's parser files under random edits.

const RECENT = 8;
const recent: DockerfileModel[] = [];
let reused = 0;

/** How many parses reused a recent model (tests check that the reuse path runs). */
export const reusedParses = () => reused;

function remember(model: DockerfileModel): void {
  const at = recent.indexOf(model);
  if (at >= 0) recent.splice(at, 1);
  recent.unshift(model);
  if (recent.length > RECENT) recent.pop();
}

function reuseRecent(text: string, lines: LineIndex): DockerfileModel | undefined {
  for (const old of recent) {
    if (old.directives.escape !== '\\' || old.skipped) continue;
    const instructions = reusedInstructions(old, text, lines);
    if (!instructions) continue;
    reused++;
    return assemble(text, lines, { ...old.directives }, instructions);
  }
  return undefined;
}

function reusedInstructions(old: DockerfileModel, text: string, lines: LineIndex): Instruction[] | undefined {
  if (old.text === text) return old.instructions.map(copyInstruction);
  const edit = singleLineEdit(old.text, text, lines);
  const changed = edit && editedInstruction(old, edit);
  if (changed) {
    const read = readLines(text, lines, changed.range.start.line, changed.index, changed.range.end.line);
    if (read?.length !== 1 || read[0].range.end.line !== changed.range.end.line) return undefined;
    return old.instructions.map((ins) => (ins === changed ? read[0] : copyInstruction(ins)));
  }
  // the line of the first changed character (a single-line edit found it already)
  const line = edit ? edit.line : lines.lineOf(commonPrefix(old.text, text));
  let kept = 0;
  while (kept < old.instructions.length) {
    const ins = old.instructions[kept];
    // a heredoc body or a continuation (through comment lines) may reach the edit
    if (ins.range.end.line >= line || ins.text.includes('<<')) break;
    if (TRAILING_ESCAPE.test(old.lines.lines[ins.range.end.line] ?? '')) break;
    kept++;
  }
  if (kept === 0) return undefined;
  const from = old.instructions[kept - 1].range.end.line + 1;
  const before = old.instructions.slice(0, kept).map(copyInstruction);
  const resumed = edit && resumedAfter(old, text, lines, from, kept, edit.line);
  if (resumed) return [...before, ...resumed];
  const rest = readLines(text, lines, from, kept);
  return rest && [...before, ...rest];
}

/**
 * After an edit inside one line that may move a boundary (no line added or
 * removed): the instructions from line `from` read up to the first old
 * instruction that starts after the edited line, then the old ones from there
 * on, renumbered. An instruction that starts after the lines of the one before
 * it ends is read afresh from its first line; from there the text and its
 * positions are the old ones, and so are the instructions. Undefined when a
 * re-read instruction reaches that line (the boundary moved there too), when
 * there is none, or when the one-pass reading leaves the lines to dockerfile-ast.
 */
function resumedAfter(
  old: DockerfileModel,
  text: string,
  lines: LineIndex,
  from: number,
  firstIndex: number,
  editLine: number,
): Instruction[] | undefined {
  // a character typed between a CR and an LF adds a line (one deleted there removes one): the positions moved
  if (lines.lines.length !== old.lines.lines.length) return undefined;
  const next = old.instructions.findIndex((i) => i.range.start.line > editLine);
  if (next < 0) return undefined;
  const resume = old.instructions[next].range.start.line;
  // the one-pass reading only: it reads each instruction to its end, past `until` (a dockerfile-ast read of the
  // lines alone would end one that continues there)
  const read = fastInstructions(text, lines, alone(text, lines), {
    offset: lines.lineStart(from),
    until: lines.lineStart(resume),
    firstIndex,
  });
  if (!read || (read.length && read[read.length - 1].range.end.line >= resume)) return undefined;
  const rest = old.instructions.slice(next).map((ins, k) => {
    const copy = copyInstruction(ins);
    copy.index = firstIndex + read.length + k;
    return copy;
  });
  return [...read, ...rest];
}

/** The fallback of the one-pass reading: dockerfile-ast reads the instruction alone. */
const alone =
  (text: string, lines: LineIndex): Fallback =>
  (s, index, range) =>
    readAlone(text, lines, index, range.start.line, range.end.line, s.word);

/**
 * The instructions that start on lines `from`…`to` (or to the end), numbered
 * from `firstIndex`, read in one pass where it applies, else by dockerfile-ast
 * (as a full parse reads them: no instruction before `from` reaches into it).
 */
function readLines(
  text: string,
  lines: LineIndex,
  from: number,
  firstIndex: number,
  to?: number,
): Instruction[] | undefined {
  const offset = lines.lineStart(from);
  const until = to === undefined ? text.length : lines.offsetAt(lines.nextLineStart(to));
  const fast = fastInstructions(text, lines, alone(text, lines), { offset, until, firstIndex });
  if (fast) return fast;
  const nodes = parseFrom(text, lines, from, to);
  return nodes?.map((node, i) => toInstruction(node, firstIndex + i, lines));
}

const TRAILING_ESCAPE = /\\[ \t]*$/;

/** A line whose edit cannot move an instruction boundary (default escape character). */
function keepsBoundaries(line: string): boolean {
  const first = line.trimStart()[0];
  return (
    first !== undefined && first !== '#' && !line.includes('<') && !line.replace(TRAILING_ESCAPE, '').includes('\\')
  );
}

/** The instruction the edit is in, when the edit cannot move any instruction boundary; undefined otherwise. */
function editedInstruction(old: DockerfileModel, edit: LineEdit): Instruction | undefined {
  if (!keepsBoundaries(edit.before) || !keepsBoundaries(edit.after)) return undefined;
  if (TRAILING_ESCAPE.test(edit.before) !== TRAILING_ESCAPE.test(edit.after)) return undefined;
  const ins = old.instructions.find((i) => i.range.start.line <= edit.line && edit.line <= i.range.end.line);
  if (!ins || ins.text.includes('<<')) return undefined;
  const keyword = ins.keywordRange.end;
  if (edit.line < keyword.line || (edit.line === keyword.line && edit.column <= keyword.character)) return undefined;
  return ins;
}

/**
 * The instruction on lines `from`…`to` read by dockerfile-ast alone: its lines
 * after a one-word line (so that no comment reads as a parser directive), the
 * positions then moved to where they are in the whole text. On the first line
 * no directive can precede it, and a byte-order mark must stay first.
 */
function readAlone(text: string, lines: LineIndex, index: number, from: number, to: number, word: string): Instruction {
  const end = lines.offsetAt(lines.nextLineStart(to));
  const piece = from === 0 ? text.slice(0, end) : `X\n${text.slice(lines.lineStart(from), end)}`;
  const at = from === 0 ? 0 : 1;
  const node = DockerfileParser.parse(piece)
    .getInstructions()
    .find((n) => n.getRange().start.line === at);
  if (!node) throw new Error(`cachelens: no instruction at line ${from + 1} (${word})`);
  return shiftLines(toInstruction(node, index, new LineIndex(piece)), from - at);
}

/** Moves every position in an instruction's model down by `delta` lines (each position object once). */
function shiftLines(ins: Instruction, delta: number): Instruction {
  if (delta === 0) return ins;
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const p = v as Partial<Position>;
    if (typeof p.line === 'number' && typeof p.character === 'number') p.line += delta;
    else for (const x of Object.values(v)) visit(x);
  };
  visit(ins);
  return ins;
}

/**
 * dockerfile-ast's instructions of the text from line `from` (to the end of
 * line `to`, or of the text), at their positions in the whole text. The lines
 * before are a one-word instruction (dropped), so that no comment there reads
 * as a parser directive, then empty lines.
 */
function parseFrom(text: string, lines: LineIndex, from: number, to?: number): AstInstruction[] | undefined {
  if (from < 1) return undefined;
  const start = lines.offsetAt({ line: from, character: 0 });
  const end = to === undefined ? text.length : lines.offsetAt(lines.nextLineStart(to));
  const padded = `X\n${'\n'.repeat(from - 1)}${text.slice(start, end)}`;
  const nodes = DockerfileParser.parse(padded).getInstructions();
  return nodes[0]?.getRange().start.line === 0 ? nodes.slice(1) : undefined;
}

function copyInstruction(ins: Instruction): Instruction {
  const { stage: _stage, ...rest } = ins;
  return rest;
}

/** The stage a `FROM x` or `COPY --from=x` names: by name (case-insensitive) or by index. */
export function findStage(stages: readonly Stage[], ref: string | undefined): Stage | undefined {
  if (ref === undefined) return undefined;
  const lower = ref.toLowerCase();
  const byName = stages.find((s) => s.name?.toLowerCase() === lower);
  if (byName) return byName;
  if (/^\d+$/.test(ref)) return stages[Number(ref)];
  return undefined;
}

/**
 * dockerfile-ast scans an instruction's text again for each getArguments(),
 * getFlags(), getJSONStrings(), getProperties()… call; the scan depends only on
 * the node's own document and range, so while we read the node it is done once
 * (a copy each time: getArguments() shifts the flags off the array it gets).
 * On this node only: the language service shares the package.
 */
function scanArgumentsOnce(node: AstInstruction): void {
  const withRaw = node as unknown as { getRawArguments(): Argument[] };
  const args = withRaw.getRawArguments();
  withRaw.getRawArguments = () => args.slice();
}

function toInstruction(node: AstInstruction, index: number, lines: LineIndex): Instruction {
  scanArgumentsOnce(node);
  const keyword = node.getKeyword().toUpperCase();
  const rangeOf = node.getRange();
  const flags = readFlags(node);
  // getHeredocs() re-scans the text: ask only when the instruction can hold one
  const text = lines.slice(rangeOf);
  const mayHaveHeredoc = 'getHeredocs' in node && text.includes('<<');
  const heredocs = mayHaveHeredoc ? heredocsOf(node) : [];
  const firstBody = heredocs
    .map((h) => h.getContentRange() ?? h.getStartRange())
    .sort((a, b) => comparePositions(a.start, b.start))[0];
  let astArgs: Argument[] = node.getArguments();
  if (firstBody) astArgs = astArgs.filter((a) => comparePositions(a.getRange().start, firstBody.start) < 0);
  const args: Word[] = astArgs.map((a) => ({ value: a.getValue(), range: a.getRange() }));
  const ins: Instruction = {
    index,
    keyword,
    range: rangeOf,
    keywordRange: node.getInstructionRange(),
    flags,
    args,
    text,
  };

  if (keyword === 'COPY' || keyword === 'ADD')
    ins.copy = copyInfo(keyword === 'ADD', args, flags, jsonWords(node), heredocs.length > 0);
  else if (keyword === 'RUN') {
    const bodies = heredocs.map((h) => {
      const r = h.getContentRange();
      return r ? lines.slice(r) : '';
    });
    ins.run = runInfo(args, flags, jsonWords(node), bodies);
  } else if (keyword === 'ARG' || keyword === 'ENV') ins.vars = readVars(node);
  return ins;
}

/**
 * dockerfile-ast's getHeredocs throws on some `<<` its own parser did not read
 * as a heredoc (`N c<<\` then `\#1`: fuzz seed 100 #60655): no heredocs then.
 */
function heredocsOf(node: AstInstruction): Heredoc[] {
  try {
    return (node as unknown as { getHeredocs(): Heredoc[] }).getHeredocs() ?? [];
  } catch {
    return [];
  }
}

function readFlags(node: AstInstruction): Flag[] {
  const withFlags = node as unknown as { getFlags?: () => AstFlag[] };
  if (typeof withFlags.getFlags !== 'function') return [];
  return withFlags
    .getFlags()
    .map((f) => ({ name: f.getName().toLowerCase(), value: f.getValue(), range: f.getRange() }));
}

function jsonWords(node: AstInstruction): Word[] | undefined {
  const withJson = node as unknown as { getJSONStrings?: () => Argument[] };
  if (typeof withJson.getJSONStrings !== 'function') return undefined;
  const strings = withJson.getJSONStrings();
  if (!strings.length) return undefined;
  return strings.map((s) => {
    let value = s.getValue();
    try {
      value = JSON.parse(value);
    } catch {
      value = value.replace(/^"|"$/g, '');
    }
    return { value, range: s.getRange() };
  });
}

function readVars(node: AstInstruction): Instruction['vars'] {
  const withProps = node as unknown as {
    getProperties?: () => { getName(): string; getValue(): string | null; getRange(): Range }[];
  };
  if (typeof withProps.getProperties !== 'function') return [];
  return withProps.getProperties().map((p) => ({ name: p.getName(), value: p.getValue(), range: p.getRange() }));
}

/** Every stage this one depends on through FROM (nearest first). */
export function ancestry(stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<Stage>([stage]);
  for (let s = stage.parent; s && !seen.has(s); s = s.parent) {
    out.push(s);
    seen.add(s);
  }
  return out;
}

const inheritedCache = new WeakMap<Stage, Instruction[]>();

/** Instructions that run before `ins` in the image it builds: the FROM-chain's instructions, then this stage's. */
export function precedingInChain(ins: Instruction): Instruction[] {
  const stage = ins.stage;
  if (!stage) return [];
  let inherited = inheritedCache.get(stage);
  if (!inherited) {
    inherited = ancestry(stage)
      .reverse()
      .flatMap((s) => s.instructions);
    inheritedCache.set(stage, inherited);
  }
  const before = stage.instructions.slice(0, positionInStage(stage, ins));
  return inherited.length ? inherited.concat(before) : before;
}

/** How many of the stage's instructions come before `ins` (the list is in file order: a binary search). */
export function positionInStage(stage: Stage, ins: Instruction): number {
  const list = stage.instructions;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].index < ins.index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
