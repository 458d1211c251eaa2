// `# cachelens ignore=` on the line before an instruction, `# cachelens global ignore=`
// anywhere; unknown ids are CL901, suppressions that hide nothing are CL902.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../server/src/engine/lint';
import { fixAll } from '../../server/src/engine/fix';

const rules = (text: string) =>
  lint({ path: '/ws/Dockerfile', text }).findings.map((f) => `${f.range.start.line + 1} ${f.rule}`);
const NAIVE = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';

test('a suppression on the line before the instruction hides that rule there only', () => {
  assert.ok(rules(NAIVE).includes('3 CL001'));
  const text = 'FROM node:20\nWORKDIR /app\n# cachelens ignore=CL001\nCOPY . .\nRUN npm ci\n';
  assert.ok(!rules(text).some((r) => r.endsWith('CL001')));
  assert.ok(!rules(text).some((r) => r.endsWith('CL902')), 'a used suppression is not reported');
});

test('blank lines and other comments between the suppression and the instruction are skipped', () => {
  const text = 'FROM node:20\nWORKDIR /app\n# cachelens ignore=CL001, CL201\n\n# copy the app\nCOPY . .\nRUN npm ci\n';
  assert.ok(!rules(text).some((r) => r.endsWith('CL001')));
});

test('global suppressions hide the rule in the whole file', () => {
  const text = '# cachelens global ignore=CL001\n' + NAIVE;
  assert.ok(!rules(text).some((r) => r.endsWith('CL001')));
});

test('an unknown id is CL901 and suppresses nothing', () => {
  const found = rules('FROM node:20\nWORKDIR /app\n# cachelens ignore=CL01\nCOPY . .\nRUN npm ci\n');
  assert.ok(found.includes('3 CL901'), found.join(', '));
  assert.ok(found.includes('4 CL001'));
});

test('a suppression that hides nothing is CL902, and its fix removes the line', () => {
  const text = 'FROM node:20\n# cachelens ignore=CL001\nCOPY package.json ./\n';
  assert.ok(rules(text).includes('2 CL902'));
  const fixed = fixAll({ path: '/ws/Dockerfile', text }, { rules: { CL006: 'off', CL201: 'off' } }).files.get(
    '/ws/Dockerfile',
  );
  assert.equal(fixed, 'FROM node:20\nCOPY package.json ./\n');
});

test('turning a rule off does not make its suppressions "unused"', () => {
  const text = 'FROM node:20\nWORKDIR /app\n# cachelens ignore=CL001\nCOPY . .\nRUN npm ci\n';
  const found = lint({ path: '/ws/Dockerfile', text }, { rules: { CL001: 'off' } }).findings.map((f) => f.rule);
  assert.ok(!found.includes('CL902'));
});
