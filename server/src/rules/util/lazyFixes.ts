// A finding's fixes computed when first read: the server publishes on every
// keystroke but needs the fixes only when the editor asks for code actions.
// `fixes` stays an enumerable property holding an array, so JSON, spread and
// every reader see what an eager finding has.

import type { Fix } from '../rule';

/** Makes `fixes` computed on first read and kept; assigning it replaces the value (nothing is computed then). */
export function defineLazyFixes(target: { fixes: Fix[] }, compute: () => Fix[]): void {
  let value: Fix[] | undefined;
  Object.defineProperty(target, 'fixes', {
    enumerable: true,
    configurable: true,
    get: () => (value ??= compute()),
    set: (v: Fix[]) => {
      value = v;
    },
  });
}

/**
 * Replaces `fixes` by `change(fixes)`: lazy fixes stay lazy (changed when read,
 * not read now); fixes already built are changed at once, which costs less than
 * an accessor when a file has thousands of findings (a fuzzed 66 KB line).
 */
export function mapFixes(target: { fixes: Fix[] }, change: (fixes: Fix[]) => Fix[]): void {
  const get = Object.getOwnPropertyDescriptor(target, 'fixes')?.get;
  if (get) defineLazyFixes(target, () => change(get.call(target)));
  else if (target.fixes.length) target.fixes = change(target.fixes);
}

/** A shallow copy with `patch` applied that does not read lazy fixes (a spread would compute them). */
export function copyWith<T extends object>(source: T, patch: Partial<T>): T {
  if (!hasLazyFixes(source)) return { ...source, ...patch };
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(source)) as T & { fixes: Fix[] };
  const lazy = source as T & { fixes: Fix[] };
  // its own memo, reading through to the source's: assigning the copy's fixes leaves the source's alone
  defineLazyFixes(copy, () => lazy.fixes);
  return Object.assign(copy, patch);
}

/** Whether the object's fixes are computed when read (not built yet, or built by a reader). */
function hasLazyFixes(o: object): boolean {
  return !!Object.getOwnPropertyDescriptor(o, 'fixes')?.get;
}
