// <root>/.cachelens.json: what the editor settings hold, in one file the CLI,
// the language server and CI all read:
//   { "rules": { "CL006": "off" },
//     "contexts": [ { "dockerfile": "docker/api.Dockerfile", "context": ".", "ignoreFile": ".dockerignore" } ],
//     "exclude": [ "test/fixtures/**" ] }
// JSON with comments and trailing commas. Unknown keys and wrong types are
// problems with a clear message; what is valid still applies. The schema
// editors complete it with is schemas/cachelens.schema.json.

import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { WorkspaceFs } from './fs';
import { IgnoreMatcher, parseIgnoreFile } from './ignore';

export const PROJECT_CONFIG_FILE = '.cachelens.json';
const MAX_BYTES = 1024 * 1024;
const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
export type ConfigSeverity = (typeof SEVERITIES)[number];
const KEYS = ['$schema', 'rules', 'contexts', 'exclude'];

export interface ProjectConfig {
  /** rule id (upper case) → severity */
  rules: Record<string, ConfigSeverity>;
  /** explicit build contexts, paths relative to the root */
  contexts: { dockerfile: string; context: string; ignoreFile?: string }[];
  /** patterns (.dockerignore syntax, relative to the root) of files not to check */
  exclude: string[];
}

export interface ProjectConfigResult {
  /** absolute path of the file; undefined when there is none */
  file?: string;
  config: ProjectConfig;
  /** one line each, prefixed with the file name */
  problems: string[];
}

const EMPTY: ProjectConfig = { rules: {}, contexts: [], exclude: [] };

export function readProjectConfig(fs: WorkspaceFs): ProjectConfigResult {
  const abs = path.join(fs.root, PROJECT_CONFIG_FILE);
  if (!fs.stat(abs)) return { config: EMPTY, problems: [] };
  const text = fs.readFile(abs, MAX_BYTES);
  if (text === undefined)
    return {
      file: abs,
      config: EMPTY,
      problems: [`${PROJECT_CONFIG_FILE} could not be read (binary, unreadable or over 1 MiB)`],
    };
  return { file: abs, ...parseProjectConfig(text) };
}

export function parseProjectConfig(text: string): { config: ProjectConfig; problems: string[] } {
  const F = PROJECT_CONFIG_FILE;
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true });
  const problems = errors.slice(0, 5).map((e) => `${F}: ${syntaxMessage(e.error)} at line ${lineOf(text, e.offset)}`);
  const config: ProjectConfig = { rules: {}, contexts: [], exclude: [] };
  if (json === undefined)
    return { config, problems: problems.length ? problems : [`${F}: empty; write {} or remove it`] };
  if (!isObject(json))
    return { config, problems: [...problems, `${F}: should be an object with "rules", "contexts" and "exclude"`] };
  for (const key of Object.keys(json))
    if (!KEYS.includes(key))
      problems.push(
        `${F}: unknown key "${key}" (known: ${KEYS.slice(1)
          .map((k) => `"${k}"`)
          .join(', ')})`,
      );

  const rules = json.rules;
  if (rules !== undefined && !isObject(rules)) problems.push(`${F}: "rules" should be an object of rule id → severity`);
  for (const [id, sev] of Object.entries(isObject(rules) ? rules : {})) {
    if (!/^CL\d{3}$/i.test(id)) problems.push(`${F}: "rules" has "${id}", which is not a rule id like CL001`);
    else if (typeof sev !== 'string' || !(SEVERITIES as readonly string[]).includes(sev))
      problems.push(`${F}: "rules"."${id}" should be one of ${SEVERITIES.join(', ')}`);
    else config.rules[id.toUpperCase()] = sev as ConfigSeverity;
  }

  const list = json.contexts;
  if (list !== undefined && !Array.isArray(list))
    problems.push(`${F}: "contexts" should be a list of { "dockerfile", "context", "ignoreFile"? }`);
  for (const m of Array.isArray(list) ? list : []) {
    if (
      isObject(m) &&
      typeof m.dockerfile === 'string' &&
      typeof m.context === 'string' &&
      (m.ignoreFile === undefined || typeof m.ignoreFile === 'string')
    ) {
      config.contexts.push({
        dockerfile: m.dockerfile,
        context: m.context,
        ignoreFile: m.ignoreFile as string | undefined,
      });
      for (const k of Object.keys(m))
        if (!['dockerfile', 'context', 'ignoreFile'].includes(k))
          problems.push(
            `${F}: unknown key "${k}" in a "contexts" entry (known: "dockerfile", "context", "ignoreFile")`,
          );
    } else problems.push(`${F}: each entry of "contexts" needs string "dockerfile" and "context"`);
  }

  const exclude = json.exclude;
  if (exclude !== undefined && !(Array.isArray(exclude) && exclude.every((e) => typeof e === 'string')))
    problems.push(`${F}: "exclude" should be a list of path patterns`);
  else if (exclude) config.exclude = exclude as string[];
  return { config, problems };
}

/** Whether a file (absolute) is excluded by the config's patterns, matched as .dockerignore lines against its path from the root. */
export function isExcluded(root: string, config: ProjectConfig, absPath: string): boolean {
  if (!config.exclude.length) return false;
  const rel = path.relative(root, absPath).split(path.sep).join('/');
  if (!rel || rel.startsWith('..')) return false;
  let m = excluders.get(config);
  if (!m) excluders.set(config, (m = new IgnoreMatcher(parseIgnoreFile(config.exclude.join('\n')).patterns)));
  return m.excludes(rel);
}

const excluders = new WeakMap<ProjectConfig, IgnoreMatcher>();

function syntaxMessage(code: number): string {
  return `syntax error (${printParseErrorCode(code)})`;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
