// file: URIs <-> paths. Documents with other schemes (untitled:, vscode-vfs:)
// are keyed by their URI string and get no build context.
import { pathToFileURL, fileURLToPath } from 'node:url';

export const URI = {
  fromPath(p: string): string {
    return p.includes(':') && !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p) ? p : pathToFileURL(p).toString();
  },
  toPath(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  },
};
