// An ignore file's diagnostics are republished after every analysis of each
// Dockerfile it serves, so a keystroke in a Dockerfile sent the same
// diagnostics for its .dockerignore again (a second message, most of a
// keystroke's writing). This remembers what was last published for a file and
// at which version of it, so an unchanged publish can be left out: the client
// still shows the last one, and the findings kept for it (lsp/fixes.ts) still
// give the right fixes, since the file's version did not change and the key
// holds the fixes. That reads the fixes of ignore-file findings on every
// publish: their rules (CL102…CL108) build them eagerly, cheaply; a rule there
// that made them lazy (rules/util/lazyFixes.ts) would have them built here.

import type { Finding } from '../rules/rule';

export class LastPublished {
  private keys = new Map<string, string>();

  /** Whether these findings at this version differ from the last publish for `file` (and remembers them). */
  changed(file: string, version: number | null, findings: readonly Finding[]): boolean {
    const key = JSON.stringify([
      version,
      findings.map((f) => [f.rule, f.severity, f.message, f.range, f.related, !!f.unnecessary, f.fixes]),
    ]);
    if (this.keys.get(file) === key) return false;
    this.keys.set(file, key);
    return true;
  }

  /** The file's diagnostics were cleared or replaced by another way: its next publish goes out. */
  forget(file: string): void {
    this.keys.delete(file);
  }
}
