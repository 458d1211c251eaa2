// file: URIs <-> paths. Documents with other schemes (untitled:, vscode-vfs:)
// are keyed by their URI string and get no build context. Each publish turns
// the same few paths into URIs and back (the document, its related
// information, its ignore file): the answers are kept, a bounded few.
import { pathToFileURL, fileURLToPath } from 'node:url';

const KEPT = 256;
const toUri = new Map<string, string>();
const toPath = new Map<string, string | undefined>();

function kept<T>(memo: Map<string, T>, key: string, compute: (key: string) => T): T {
  if (memo.has(key)) return memo.get(key) as T;
  const value = compute(key);
  if (memo.size >= KEPT) memo.clear();
  memo.set(key, value);
  return value;
}

export const URI = {
  fromPath(p: string): string {
    return kept(toUri, p, (x) =>
      x.includes(':') && !x.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(x) ? x : pathToFileURL(x).toString(),
    );
  },
  toPath(uri: string): string | undefined {
    return kept(toPath, uri, (x) => {
      if (!x.startsWith('file:')) return undefined;
      try {
        return fileURLToPath(x);
      } catch {
        return undefined;
      }
    });
  },
};
