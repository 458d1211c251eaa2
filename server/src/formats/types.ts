// What a report format is given: the checked files with their findings, and a
// way to read a file's text (for fingerprints). Formats are pure: findings in, text out.

import type { Finding } from '../rules/rule';

export interface ReportFile {
  /** the path as the other formats print it: relative to the checked argument */
  path: string;
  /** the folder that path is relative to */
  base: string;
  kind: 'dockerfile' | 'dockerignore';
  findings: Finding[];
}

export interface FormatContext {
  /** the folder annotation paths are relative to (the current directory: the repository root in CI) */
  cwd: string;
  /** a file's text, or undefined when it cannot be read */
  readText(absPath: string): string | undefined;
}

/** Renders a whole report; the result is written to stdout as is, followed by a newline. */
export type Formatter = (files: ReportFile[], ctx: FormatContext) => string;
