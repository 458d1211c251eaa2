// Memo helpers: what depends only on a context's file list is computed once
// per list (the Workspace hands out the same list until the files change).

import type { ContextFile, ContextView } from '../context/view';

const memo = new WeakMap<readonly ContextFile[], Map<string, unknown>>();

/** answers kept per list; past it the oldest goes (atproto's bsky Dockerfile, 60 COPYs, keeps 110 on one list) */
export const MEMO_KEYS_PER_LIST = 256;

/**
 * Caches what depends only on a context's file list (and the strings in
 * `key`, such as the ignore text): the Workspace hands out the same list
 * until the files change, so a keystroke in the Dockerfile does not redo
 * scans of a 100k-file context.
 */
export function memoized<T>(files: readonly ContextFile[], key: string, compute: () => T): T {
  let byKey = memo.get(files);
  if (!byKey) memo.set(files, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key) as T;
  const value = compute();
  // the oldest answer goes, not all of them: emptying the list made the other answers cycle out on every keystroke
  if (byKey.size >= MEMO_KEYS_PER_LIST) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, value);
  return value;
}

/**
 * Runs a check whose findings depend only on the context and its ignore file
 * (not on the Dockerfile) once per file list and ignore text, and replays
 * its reports (copies, so nobody shares them) on later runs. The reports
 * must hold their fixes as arrays, not functions: structuredClone copies them.
 */
export function reportPerContext<R>(
  ctx: { context?: ContextView; report(r: R): void },
  rule: string,
  extraKey: string,
  check: (report: (r: R) => void) => void,
): void {
  const context = ctx.context;
  if (!context) return;
  const key = `${rule}|${context.dir}|${context.ignore?.path ?? ''}|${context.truncated ?? ''}|${context.uncertain ? 'uncertain' : ''}|${extraKey}|${context.ignore?.text ?? ''}`;
  const reports = memoized(context.allFiles, key, () => {
    const out: R[] = [];
    check((r) => out.push(r));
    return out;
  });
  for (const r of reports) ctx.report(structuredClone(r));
}

/**
 * Caches what depends on a context's file list and on the texts of some of
 * its files (every `package.json`, every `.gitignore`). The texts `compute`
 * reads are kept with its value; a later call reuses the value when every
 * one is the same. It need not read them again while the file system has
 * forgotten nothing (its generation: a file event, or its one-second bound)
 * and no open editor overrides one of them; otherwise it reads them again
 * (the file system remembers its answers, an open editor's text overrides
 * the disk). A keystroke in the Dockerfile then neither reads nor parses a
 * monorepo's 56 manifests.
 */
export function memoizedOnTexts<T>(
  files: readonly ContextFile[],
  context: Pick<ContextView, 'readText' | 'textState'>,
  key: string,
  compute: (read: (relPath: string) => string | undefined) => T,
): T {
  const slot = memoized(files, `texts|${key}`, () => ({}) as TextsSlot<T>);
  const kept = slot.kept;
  // a view reads the same texts all through one analysis: checked once per view
  if (kept && kept.checkedFor === context) return kept.value;
  const state = context.textState?.();
  if (kept && (unchangedSince(kept, state) || [...kept.texts].every(([p, text]) => context.readText(p) === text))) {
    Object.assign(kept, { checkedFor: context, ...readAt(kept.texts, state) });
    return kept.value;
  }
  const texts = new Map<string, string | undefined>();
  const value = compute((relPath) => {
    const text = context.readText(relPath);
    texts.set(relPath, text);
    return text;
  });
  slot.kept = { texts, value, checkedFor: context, ...readAt(texts, state) };
  return value;
}

/** When the texts were read: the file system's generation, and whether an open editor gave one of them. */
function readAt(
  texts: ReadonlyMap<string, unknown>,
  state: ReturnType<NonNullable<ContextView['textState']>>,
): { generation?: number; overlaid: boolean } {
  return { generation: state?.generation, overlaid: !state || [...state.overlaid].some((p) => texts.has(p)) };
}

/**
 * The file system has forgotten nothing since the texts were last read (its generation: file events, its time
 * bound) and no open editor overrides one of them: every text is the same without reading it again.
 */
function unchangedSince(
  kept: NonNullable<TextsSlot<unknown>['kept']>,
  state: ReturnType<NonNullable<ContextView['textState']>>,
): boolean {
  if (!state || kept.overlaid || kept.generation !== state.generation) return false;
  for (const p of state.overlaid) if (kept.texts.has(p)) return false;
  return true;
}

interface TextsSlot<T> {
  kept?: {
    texts: Map<string, string | undefined>;
    value: T;
    checkedFor: object;
    generation?: number;
    /** an open editor's text was one of them: the disk may say otherwise once it closes */
    overlaid: boolean;
  };
}

/** The paths of a file list, as a set (built once per list). */
export function pathSet(files: readonly ContextFile[]): ReadonlySet<string> {
  return memoized(files, 'paths', () => new Set(files.map((f) => f.path)));
}

/** answers kept per file list and generation (a typing burst adds a few per keystroke); past it they all go */
const GENERATION_KEYS = 4096;

/**
 * Caches an answer computed from a context's file lists and texts for as long as the file system's generation
 * stands (textState: until a file event or its one-second bound), the same files of the context are open in
 * editors, and none of the texts it read came from an open editor. `compute` gets a view that notes what it
 * reads; it may read the view's file lists and texts, nothing else of it. `group` (a Map key: a manifest's
 * text) and `key` say everything else the answer depends on. Without a text state it is computed each time.
 */
export function memoizedForGeneration<T>(
  context: ContextView,
  name: string,
  group: unknown,
  key: string,
  compute: (context: ContextView) => T,
): T {
  const state = context.textState?.();
  if (!state) return compute(context);
  const slot = memoized(context.files, `generation|${name}`, () => ({
    generation: state.generation,
    overlaid: state.overlaid,
    size: 0,
    groups: new Map<unknown, Map<string, T>>(),
  }));
  // a file event, the time bound, or an editor opened or closed on a file of the context: all answers go
  if (slot.generation !== state.generation || !sameSet(slot.overlaid, state.overlaid) || slot.size >= GENERATION_KEYS) {
    slot.generation = state.generation;
    slot.size = 0;
    slot.groups.clear();
  }
  // the view's own set from now on: the next question of this analysis compares by identity
  slot.overlaid = state.overlaid;
  let byKey = slot.groups.get(group);
  if (byKey?.has(key)) return byKey.get(key) as T;
  const read = new Set<string>();
  const noting: ContextView = {
    ...context,
    readText: (p) => {
      read.add(p);
      return context.readText(p);
    },
  };
  const value = compute(noting);
  // an open editor's text may change at any keystroke (what memoizedOnTexts inside reads is noted here too:
  // it reads again whatever an editor overrides)
  for (const p of read) if (state.overlaid.has(p)) return value;
  if (!byKey) slot.groups.set(group, (byKey = new Map()));
  byKey.set(key, value);
  slot.size++;
  return value;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
