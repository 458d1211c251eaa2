// Moving instructions as whole lines, keeping the comments that belong to them,
// and deciding which instructions can move above a COPY without changing what
// they read.

import type { DockerfileModel, Instruction } from '../../parse/dockerfile';
import { splitCommands } from '../../parse/shell';
import { perText } from '../../parse/textMemo';
import { comparePositions, type Range } from '../../parse/text';
import type { ContextFile, ContextView } from '../../context/view';
import { memoized } from '../../cache/memo';
import type { FileEdit } from '../rule';

/** First line of the comment block directly above an instruction (its own line when none). */
export function leadingCommentStart(model: DockerfileModel, ins: Instruction): number {
  const prevEnd = ins.index > 0 ? model.instructions[ins.index - 1].range.end.line : -1;
  let line = ins.range.start.line;
  while (line - 1 > prevEnd && /^\s*#/.test(model.lines.lines[line - 1]) && !isDirectiveLine(model, line - 1)) line--;
  return line;
}

function isDirectiveLine(model: DockerfileModel, line: number): boolean {
  return (
    model.instructions.length > 0 &&
    line < model.instructions[0].range.start.line &&
    /^#\s*(syntax|escape|check)\s*=/i.test(model.lines.lines[line])
  );
}

/** The instruction with its leading comments, as whole lines. */
export function wholeLines(model: DockerfileModel, ins: Instruction): { range: Range; text: string } {
  const start = leadingCommentStart(model, ins);
  const end = ins.range.end.line;
  const text = model.lines.lines.slice(start, end + 1).join(model.lines.eol);
  return { range: { start: { line: start, character: 0 }, end: model.lines.nextLineStart(end) }, text };
}

const INERT = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'USER', 'SHELL', 'STOPSIGNAL', 'HEALTHCHECK', 'MAINTAINER']);
const SOURCE_EXT =
  /\.(sh|bash|js|mjs|cjs|ts|py|rb|go|rs|java|php|json|ya?ml|toml|lock|txt|cfg|ini|conf|env|xml|gradle|csproj)$/i;

// Commands that run the project's own code or scripts: they read the source.
const PROJECT_RUNNERS = new Set([
  'make',
  'npx',
  'node',
  'python',
  'python3',
  'ruby',
  'php',
  'java',
  'bash',
  'sh',
  'deno',
  'rake',
  'gradle',
  'mvn',
  'dotnet',
  'go',
  'cargo',
  'tsc',
  'mix',
]);
const TOOL_MODULES = new Set(['venv', 'pip', 'ensurepip', 'virtualenv', 'pipx']);
const SCRIPT_SUBCOMMANDS = new Set(['run', 'run-script', 'exec', 'build', 'test', 'start', 'dlx', 'x']);
// flags of the JS package managers that take the next word as their value (`yarn --cwd assets build`)
const JS_VALUE_FLAGS = new Set(['--cwd', '--prefix', '-C', '--dir', '--filter', '-F', '-w', '--workspace']);

const PACKAGE_SUBCOMMANDS = new Set(['add', 'remove', 'install', 'up', 'upgrade', 'why', 'info']);

/** `yarn workspace @x/app run build`, `yarn workspace @x/app build`, `yarn workspaces foreach … run build`: a script of a workspace. */
function runsWorkspaceScript(argv: string[]): boolean {
  const positionals = argv.slice(1).filter((w) => !w.startsWith('-'));
  if (positionals[0] === 'workspace') return positionals.length > 2 && !PACKAGE_SUBCOMMANDS.has(positionals[2]);
  if (positionals[0] === 'workspaces') return positionals.slice(1).some((w) => SCRIPT_SUBCOMMANDS.has(w));
  return false;
}

function firstPositional(argv: string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (!argv[i].startsWith('-')) return argv[i];
    if (JS_VALUE_FLAGS.has(argv[i])) i++;
  }
  return undefined;
}

/** Whether shell text mentions a path that a COPY from the context could have brought in, or runs the project's code. */
export function referencesContext(script: string, context?: ContextView): boolean {
  const topLevel = context ? topLevelNames(context.allFiles) : undefined;
  for (const cmd of commandsOf(script)) {
    const tool = cmd.argv[0] ?? '';
    // `python3 -m venv /opt/venv` runs a tool, not the project
    if (/^python[\d.]*$/.test(tool) && cmd.argv[1] === '-m' && TOOL_MODULES.has(cmd.argv[2] ?? '')) continue;
    // `mix local.hex --force` installs a tool, not the project
    if (tool === 'mix' && /^local\./.test(cmd.argv[1] ?? '')) continue;
    if (PROJECT_RUNNERS.has(tool) && !(tool === 'sh' || tool === 'bash')) return true;
    if ((tool === 'sh' || tool === 'bash') && cmd.argv.slice(1).some((w) => !w.startsWith('-'))) return true;
    if (
      ['npm', 'yarn', 'pnpm', 'bun'].includes(tool) &&
      (SCRIPT_SUBCOMMANDS.has(firstPositional(cmd.argv) ?? '') || runsWorkspaceScript(cmd.argv))
    )
      return true;
    for (const word of cmd.argv) {
      if (word.startsWith('-') || word.startsWith('@') || word.includes('://') || word.startsWith('$')) continue;
      if (word.startsWith('./') || word.startsWith('../')) return true;
      if (!word.startsWith('/') && /^[\w.-]+\/[\w./-]*$/.test(word)) return true;
      if (!word.startsWith('/') && SOURCE_EXT.test(word)) return true;
      if (topLevel?.has(word.replace(/^\.\//, '').split('/')[0]) && word !== '.' && !/^[a-z][\w-]*$/.test(word))
        return true;
    }
  }
  return false;
}

/** Can move above a COPY from the context without changing what it reads or where files land. */
export function isMovableAboveCopy(ins: Instruction, context?: ContextView): boolean {
  if (INERT.has(ins.keyword)) return true;
  if (ins.keyword === 'RUN' && ins.run) {
    if (ins.run.mounts.some((m) => m.type === 'bind' && m.options.from === undefined)) return true;
    return !referencesContext(ins.run.script, context);
  }
  return false;
}

/**
 * The top-level `&&` segments of a RUN's shell text, as written, or undefined
 * when the script uses other operators (then it moves whole or not at all).
 */
export function andSegments(
  model: DockerfileModel,
  run: Instruction,
): { flagsText: string; segments: string[] } | undefined {
  if (
    !run.run ||
    run.run.execForm ||
    !run.args.length ||
    /<</.test(run.args[0].value) ||
    model.directives.escape !== '\\'
  )
    return undefined;
  const start = run.args[0].range.start;
  const raw = model.lines.slice({ start, end: run.range.end });
  // Docker drops comment lines inside continuations before the shell sees them.
  const text = raw
    .split(/\r\n|\r|\n/)
    .filter((l, i) => i === 0 || !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  if (text.includes('\n')) return undefined;
  const flagsText = run.flags.map((f) => model.lines.slice(f.range)).join(' ');
  const segments: string[] = [];
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') {
        current += ch + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === quote) quote = undefined;
      current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    if (text.startsWith('&&', i)) {
      segments.push(current);
      current = '';
      i++;
      continue;
    }
    if (';|&()`'.includes(ch)) return undefined;
    current += ch;
  }
  if (quote) return undefined;
  segments.push(current);
  return { flagsText, segments: segments.map(cleanSegment).filter(Boolean) };
}

function cleanSegment(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export interface BlockItem {
  ins: Instruction;
  /** text to insert instead of the instruction's own lines */
  moveText?: string;
  /** text left in place of the instruction (a split RUN); undefined removes it */
  remainder?: string;
}

/** Edits that insert `prefix` lines and the block's instructions above `target`, removing them from below. */
export function moveAboveEdits(
  model: DockerfileModel,
  path: string,
  target: Instruction,
  prefix: string[],
  block: BlockItem[],
): FileEdit[] {
  const eol = model.lines.eol;
  const insertLine = leadingCommentStart(model, target);
  const moved = block.map((b) => b.moveText ?? wholeLines(model, b.ins).text);
  const inserted = [...prefix, ...moved].join(eol) + eol;
  const edits: FileEdit[] = [
    {
      path,
      range: { start: { line: insertLine, character: 0 }, end: { line: insertLine, character: 0 } },
      newText: inserted,
    },
  ];
  // whole lines go, as one removal where they touch: the removal that ends the file takes the
  // line break before it, which must not overlap the removal of the line above
  const removals: Range[] = [];
  for (const b of block) {
    if (b.remainder !== undefined) {
      edits.push({ path, range: b.ins.range, newText: b.remainder });
      continue;
    }
    const { range } = wholeLines(model, b.ins);
    const last = removals[removals.length - 1];
    if (last && comparePositions(range.start, last.end) <= 0) last.end = range.end;
    else removals.push({ ...range });
  }
  for (const range of removals) {
    const endsFile = range.end.line === model.lines.lines.length - 1 && range.end.character > 0;
    if (endsFile && range.start.line > 0) {
      const prevEnd = model.lines.lineEnd(range.start.line - 1);
      edits.push({ path, range: { start: prevEnd, end: range.end }, newText: '' });
    } else edits.push({ path, range, newText: '' });
  }
  return edits;
}

/** The context's top-level names, once per file list (asked per RUN, per rule, per keystroke). */
function topLevelNames(files: readonly ContextFile[]): ReadonlySet<string> {
  return memoized(files, 'top-level names', () => new Set(files.map((f) => f.path.split('/')[0])));
}

/** A script's commands, split once per script text (the same RUNs are asked about by several rules). */
const commandsOf = perText(splitCommands);
