// Each rule file is named `<id>-<name>.ts` after the rule it exports, the
// registry lists every rule file, docs/rules.md heads each rule with its id and
// name, and each rule has tests: a file in test/rules named after its id, or,
// for the tool's own rules (CL9xx), the suppression tests that exercise them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/rules/registry';
import type { Rule } from '../../server/src/rules/rule';

import { REPO } from '../helpers/server';
const RULES_DIR = join(REPO, 'server', 'src', 'rules');
const ruleFiles = readdirSync(RULES_DIR).filter((f) => /^CL\d{3}-.*\.ts$/.test(f));

test('every rule file exports the rule its name says, and the registry lists it', async () => {
  assert.ok(ruleFiles.length > 0, `no rule files in ${RULES_DIR}`);
  for (const file of ruleFiles) {
    const rule = ((await import(join(RULES_DIR, file))) as { default: Rule }).default;
    assert.ok(rule, `${file} has no default export`);
    assert.equal(file, `${rule.id}-${rule.name}.ts`, `${file} exports ${rule.id} ${rule.name}`);
    assert.ok(RULES.includes(rule), `${file}: ${rule.id} is not in rules/registry.ts`);
  }
  assert.equal(RULES.length, ruleFiles.length, 'the registry holds a rule with no file of its own');
});

test('names are kebab-case and unique', () => {
  for (const r of RULES) assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, r.id);
  assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
});

test('docs/rules.md heads each rule with its id and name, in id order', () => {
  const docs = readFileSync(join(REPO, 'docs', 'rules.md'), 'utf8');
  const heads = [...docs.matchAll(/^## (CL\d{3}) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(
    heads,
    RULES.map((r) => `${r.id} ${r.name}`),
  );
});

test('each rule has tests', () => {
  const tests = readdirSync(join(REPO, 'test', 'rules'));
  const suppressions = readFileSync(join(REPO, 'test', 'unit', 'suppressions.test.ts'), 'utf8');
  for (const r of RULES) {
    if (r.id.startsWith('CL9')) assert.ok(suppressions.includes(r.id), `${r.id} is not in suppressions.test.ts`);
    else assert.ok(tests.includes(`${r.id}.test.ts`), `no test/rules/${r.id}.test.ts`);
  }
});
