// The local sources of a Dockerfile's COPY/ADD steps as context paths, and
// those that send a whole folder.

import type { DockerfileModel, Instruction, Word } from '../parse/dockerfile';
import type { ContextView, ContextFile } from '../context/view';
import { filesMatchingSource, hasFilesUnder } from '../context/view';
import { goClean } from '../context/ignore';
import { isDirectorySource, isLocalCopy, isWholeContext } from './copies';
import { memoized } from './memo';
import { perText } from '../parse/textMemo';

export interface CopySource {
  ins: Instruction;
  word: Word;
  /** context path, cleaned ('' = the whole context) */
  path: string;
}

/** A source's context path: `./src/` → `src`, `.` → '' (null for variables and URLs). Kept per source text. */
export const contextPathOf = perText((source: string): string | null => {
  if (/\$|^[a-z]+:\/\//i.test(source)) return null;
  const clean = goClean(source.replace(/^\/+/, ''));
  return clean === '.' || clean === '*' ? '' : clean;
});

/** localSources per model: CL101, CL102, CL104 and the volatile-entry helpers (once per entry) ask it */
const sourcesOf = new WeakMap<DockerfileModel, readonly CopySource[]>();

/** Every source of every local COPY/ADD (the same list for the same model: do not change it). */
export function localSources(model: DockerfileModel): readonly CopySource[] {
  let sources = sourcesOf.get(model);
  if (!sources) sourcesOf.set(model, (sources = localSourcesNow(model)));
  return sources;
}

function localSourcesNow(model: DockerfileModel): CopySource[] {
  const out: CopySource[] = [];
  for (const ins of model.instructions) {
    if (!isLocalCopy(ins)) continue;
    for (const word of ins.copy!.sources) {
      const p = contextPathOf(word.value);
      if (p !== null) out.push({ ins, word, path: isWholeContext(word.value) ? '' : p });
    }
  }
  return out;
}

/**
 * Sources that send a whole folder: `.`, `./`, `*`, or a folder of the
 * context (`frontend/`). A glob such as `*.go` names files, not a folder.
 */
export function broadSources(model: DockerfileModel, context?: ContextView): CopySource[] {
  return localSources(model).filter((s) => {
    if (s.path === '') return true;
    if (/[*?[]/.test(s.path)) return false;
    return context ? hasFilesUnder(context.allFiles, s.path) : isDirectorySource(s.word.value);
  });
}

/** Files of a list that a source sends (the whole list for the context root). */
export function filesUnder(files: readonly ContextFile[], source: CopySource): readonly ContextFile[] {
  return source.path === '' ? files : filesMatchingSource(files, source.path);
}

/**
 * The files a set of COPY sources sends, in source order (the whole list when one sends the context root):
 * the same list for the same file list and sources, so what is kept per list (findVolatile) serves it again.
 */
export function filesSentBy(files: readonly ContextFile[], sources: readonly CopySource[]): readonly ContextFile[] {
  if (sources.some((s) => s.path === '')) return files;
  return memoized(files, `sent|${sources.map((s) => s.path).join('\0')}`, () => {
    const union = new Map<string, ContextFile>();
    for (const s of sources) for (const f of filesUnder(files, s)) union.set(f.path, f);
    return [...union.values()];
  });
}
