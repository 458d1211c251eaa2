// The parts of an instruction's model that both readings (parse/fastParse.ts
// and dockerfile-ast's, in parse/dockerfile.ts) derive the same way from its
// words, flags and JSON strings.

import type { CopyInfo, Flag, RunInfo, Word } from './model';
import { splitCommands } from './shell';

const HEREDOC_MARKER = /^<<-?(["']?)[A-Za-z_][\w.-]*\1$/;
export const isHeredocMarker = (word: string) => word.startsWith('<<') && HEREDOC_MARKER.test(word);

export function flagValue(flags: Flag[], name: string): string | undefined {
  const f = flags.find((x) => x.name === name);
  return f ? (f.value ?? '') : undefined;
}

/** COPY/ADD: `json` is the exec-form strings when the instruction has them. */
export function copyInfo(
  isAdd: boolean,
  args: Word[],
  flags: Flag[],
  json: Word[] | undefined,
  heredoc: boolean,
): CopyInfo {
  const words = json ?? args;
  const sources = words.slice(0, -1).filter((w) => !isHeredocMarker(w.value));
  const flagList = (name: string) => flags.filter((f) => f.name === name).map((f) => f.value ?? '');
  return {
    isAdd,
    sources,
    dest: words.length > 1 ? words[words.length - 1] : undefined,
    from: flagValue(flags, 'from'),
    link: flagValue(flags, 'link') !== undefined && flagValue(flags, 'link') !== 'false',
    parents: flagValue(flags, 'parents') !== undefined && flagValue(flags, 'parents') !== 'false',
    excludes: flagList('exclude'),
    chown: flagValue(flags, 'chown'),
    chmod: flagValue(flags, 'chmod'),
    heredoc: heredoc && sources.length === 0,
  };
}

/** RUN: `bodies` are the heredoc bodies' texts, in order. */
export function runInfo(args: Word[], flags: Flag[], json: Word[] | undefined, bodies: string[]): RunInfo {
  const mounts = flags
    .filter((f) => f.name === 'mount')
    .map((f) => {
      const options: Record<string, string> = {};
      for (const part of (f.value ?? '').split(',')) {
        const eq = part.indexOf('=');
        if (eq < 0) options[part.trim()] = 'true';
        else options[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
      }
      return { type: options.type ?? 'bind', options, range: f.range };
    });
  let script: string;
  if (json) {
    script = json.map((w) => w.value).join(' ');
  } else {
    const head = args
      .filter((a) => !isHeredocMarker(a.value))
      .map((a) => a.value)
      .join(' ');
    script = [head, ...bodies].filter(Boolean).join('\n');
  }
  return {
    script,
    commands: json ? [{ argv: json.map((w) => w.value), env: {} }] : splitCommands(script),
    mounts,
    execForm: !!json,
  };
}
