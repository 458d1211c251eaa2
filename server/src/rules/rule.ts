// What a rule is: a value with its id, docs and pure check()/fix functions.
// See STYLE.md "A rule is a value".

import type { DockerfileModel } from '../parse/dockerfile';
import type { Range } from '../parse/text';
import type { ContextView } from '../context/view';
import type { CacheAnalysis } from '../cache/analysis';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface FileEdit {
  /** absolute path (or document key) of the file the edit applies to */
  path: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: FileEdit[];
  /** creates `path` (empty) before applying the edits */
  createFile?: string;
  /** safe fixes keep what is built and run in fix-all; others only as quick fixes */
  safe: boolean;
  isPreferred?: boolean;
}

export interface RelatedInfo {
  path: string;
  range: Range;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** the file the finding sits in: the Dockerfile or its ignore file */
  path: string;
  range: Range;
  related: RelatedInfo[];
  fixes: Fix[];
  unnecessary?: boolean;
  /** what the rule needs to merge this finding with others (Rule.merge); never shown */
  data?: unknown;
}

/**
 * `severity`: a rule may lower its default for one finding (a configured severity still wins).
 * `fixes`: the fixes, or a function that computes them when they are first read (the server
 * reads them only for code actions); it must not decide whether, where or what is reported.
 */
export type Report = Omit<Finding, 'rule' | 'severity' | 'related' | 'fixes' | 'path'> &
  Partial<Pick<Finding, 'related' | 'path' | 'severity'>> & { fixes?: Fix[] | (() => Fix[]) };

export interface RuleContext {
  /** absolute path (or document key) of the Dockerfile */
  path: string;
  dockerfile: DockerfileModel;
  /** the build context this analysis runs against; undefined when none could be read */
  context?: ContextView;
  cache: CacheAnalysis;
  report(finding: Report): void;
}

export interface RuleDocs {
  /** What it does / Why is this bad? / Example / Use instead, as in ruff */
  what: string;
  why: string;
  example: string;
  useInstead: string;
  /**
   * the build context the examples run against, when the default one
   * (package.json, package-lock.json, src/index.js) cannot show the rule:
   * an ignore file, a nested folder; merged over the default
   */
  exampleFiles?: Record<string, string>;
  /** the context for `useInstead`, when it differs from exampleFiles (a fixed ignore file) */
  useInsteadFiles?: Record<string, string>;
  references?: string[];
}

export interface Rule {
  id: string;
  name: string;
  title: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
  /** needs a readable build context to say anything */
  needsContext?: boolean;
  check(ctx: RuleContext): void;
  /**
   * One finding for several that analyses of different Dockerfiles placed at
   * the same spot of a file they share (an ignore file serving them all):
   * without it, each is shown as it is.
   */
  merge?(findings: Finding[]): Finding;
}

export function defineRule(rule: Rule): Rule {
  if (!/^CL\d{3}$/.test(rule.id)) throw new Error(`bad rule id ${rule.id}`);
  return rule;
}
