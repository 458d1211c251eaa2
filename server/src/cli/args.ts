// The command line's words: usage, flags, errors and their exit code, and the
// small helpers every command shares.

import * as path from 'node:path';
import { DOCKERFILE_FILENAMES, DOCKERFILE_PATTERNS, SKIPPED_SCAN_DIRS } from '../engine/names';
import { ruleById } from '../rules/registry';
import type { RuleSetting } from '../engine/lint';
import type { Finding } from '../rules/rule';

export { VERSION } from '../engine/version';
export const LOOKED_FOR = [...DOCKERFILE_FILENAMES, ...DOCKERFILE_PATTERNS].join(', ');

/** bad usage: the message and the usage text, exit 2 */
export class UsageError extends Error {}
/** bad input named in one line (no usage text), exit 2 */
export class InputError extends Error {}
/** a file that cannot be read, exit 2 */
export class IoError extends Error {}

export const USAGE = `Usage:
  cachelens check [--format text|json|sarif|github|gitlab|checkstyle] [--fail-on error|warning|info|hint|never] [--rule ID=SEVERITY] [--sort line|cost] <paths…>
  cachelens fix [--dry-run] [--unsafe] <paths…>
  cachelens build-log [--format text|json] [--dockerfile PATH]… [--provenance FILE] [--save] <LOG|->
  cachelens report --html OUT [--build-log LOG] <paths…>
  cachelens forecast [--format text|json] [--commits N] [--root WORKSPACE] <paths…>
  cachelens explain <RULE-ID>
  cachelens rules
A directory is searched for ${LOOKED_FOR} (skipping templates and source files such as Dockerfile.j2 or dockerfile.go, and ${[...SKIPPED_SCAN_DIRS].join(', ')}); a file named explicitly is always analysed.
Exit codes: 0 no finding at or above --fail-on (default warning), 1 findings, 2 usage or I/O error.`;

export type Flags = Record<string, string[]>;
export type Out = (s: string) => void;

/** What check reports for one file, in every output format. */
export interface FileReport {
  path: string;
  kind: 'dockerfile' | 'dockerignore';
  findings: Finding[];
  header?: string;
  /** the argument it came from: paths are shown relative to it */
  base: string;
}

const VALUE_FLAGS = [
  'format',
  'fail-on',
  'rule',
  'dockerfile',
  'provenance',
  'html',
  'build-log',
  'sort',
  'commits',
  'root',
];

export function parseArgs(argv: string[]): { flags: Flags; positionals: string[] } {
  const flags: Flags = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const takesValue = VALUE_FLAGS.includes(name);
      const value = eq > 0 ? a.slice(eq + 1) : takesValue ? argv[++i] : 'true';
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      (flags[name] ??= []).push(value);
    } else positionals.push(a);
  }
  return { flags, positionals };
}

/** --rule ID=SEVERITY, as rule settings. */
export function ruleSettings(flags: Flags): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const r of flags.rule ?? []) {
    const [id, sev] = r.split('=');
    if (!ruleById(id ?? '') || !['error', 'warning', 'info', 'hint', 'off'].includes(sev ?? ''))
      throw new UsageError(`--rule takes ID=error|warning|info|hint|off, got ${r}`);
    out[id.toUpperCase()] = sev as RuleSetting;
  }
  return out;
}

/** A path as shown: relative to the argument it came from, with forward slashes. */
export function rel(base: string, p: string): string {
  return path.relative(base, p).split(path.sep).join('/') || path.basename(p);
}
