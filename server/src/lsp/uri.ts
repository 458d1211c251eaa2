// file: URIs <-> paths. Documents with other schemes (untitled:, vscode-vfs:)
// are keyed by their URI string and get no build context. Each publish turns
// the same few paths into URIs and back (the document, its related
// information, its ignore file): the answers are kept, a bounded few.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { perText } from '../parse/textMemo';

export const URI = {
  fromPath: perText(
    (p: string): string =>
      p.includes(':') && !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p) ? p : pathToFileURL(p).toString(),
    256,
  ),
  toPath: perText((uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }, 256),
};
