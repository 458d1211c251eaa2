// Every rule has docs in the fixed sections; its bad example fires it and its
// good example does not; docs/rules.md is the rendering of those docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/rules/registry';
import { lint } from '../../server/src/engine/lint';
import { renderRulesMarkdown } from '../../server/src/engine/docs';
import { memoryContext } from '../helpers/context';

for (const rule of RULES) {
  test(`${rule.id} docs: sections present, example fires, use-instead does not`, () => {
    for (const k of ['what', 'why', 'example', 'useInstead'] as const)
      assert.ok(rule.docs[k].trim().length > 10, `${rule.id} docs.${k} is empty`);
    // rules about the ignore file bring their own files (docs.exampleFiles), over this default context
    const context = (files?: Record<string, string>) =>
      rule.needsContext
        ? memoryContext('/ws', { 'package.json': '{}', 'package-lock.json': '{}', 'src/index.js': '', ...files })
        : undefined;
    const fires = (text: string, files?: Record<string, string>) =>
      lint({ path: '/ws/Dockerfile', text, context: context(files) }).findings.some((f) => f.rule === rule.id);
    assert.ok(
      fires(rule.docs.example, rule.docs.exampleFiles),
      `${rule.id}: the docs example does not trigger the rule`,
    );
    assert.ok(
      !fires(rule.docs.useInstead, rule.docs.useInsteadFiles ?? rule.docs.exampleFiles),
      `${rule.id}: the docs "use instead" example triggers the rule`,
    );
  });
}

test('ids are unique and well-formed', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^CL\d{3}$/);
});

test('docs/rules.md is up to date (regenerate with npm run docs)', () => {
  const onDisk = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
  assert.equal(onDisk.trim(), renderRulesMarkdown().trim());
});
