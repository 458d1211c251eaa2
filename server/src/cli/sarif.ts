// `cachelens check --format sarif`: SARIF 2.1.0 with the rules, their docs and
// each finding's fixes as artifact changes.

import { renderRuleDocs, ruleDocsUrl } from '../engine/docs';
import { RULES } from '../rules/registry';
import type { Finding, Severity } from '../rules/rule';
import { VERSION, rel, type FileReport } from './args';

const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

export function sarif(files: FileReport[]) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cachelens',
            version: VERSION,
            informationUri: 'https://github.com/cachelens/cachelens',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs.what },
              helpUri: ruleDocsUrl(r),
              help: { text: r.docs.why, markdown: renderRuleDocs(r) },
              defaultConfiguration: { level: level(r.defaultSeverity) },
            })),
          },
        },
        results: files.flatMap((f) => f.findings.map((x) => result(f, x))),
      },
    ],
  };
}

function result(f: FileReport, x: Finding) {
  return {
    ruleId: x.rule,
    ruleIndex: RULES.findIndex((r) => r.id === x.rule),
    level: level(x.severity),
    message: { text: x.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.path, uriBaseId: '%SRCROOT%' },
          region: region(x.range),
        },
      },
    ],
    relatedLocations: x.related.map((r, i) => ({
      id: i + 1,
      message: { text: r.message },
      physicalLocation: {
        artifactLocation: { uri: rel(f.base, r.path), uriBaseId: '%SRCROOT%' },
        region: region(r.range),
      },
    })),
    fixes: x.fixes.map((fix) => ({
      description: { text: fix.title },
      artifactChanges: groupBy(fix.edits, (e) => e.path).map(([p, edits]) => ({
        artifactLocation: { uri: rel(f.base, p), uriBaseId: '%SRCROOT%' },
        replacements: edits.map((e) => ({
          deletedRegion: region(e.range),
          insertedContent: { text: e.newText },
        })),
      })),
    })),
  };
}

function region(r: Finding['range']) {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m];
}
