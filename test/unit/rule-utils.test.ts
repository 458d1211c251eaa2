// Helpers the rules share, tested directly where their edge cases are easy to miss.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mentionsVariable } from '../../server/src/cache/variables';
import { userAt } from '../../server/src/cache/stages';
import { formatCount } from '../../server/src/cache/text';
import { parseDockerfile, positionInStage, precedingInChain } from '../../server/src/parse/dockerfile';
import {
  filesAt,
  filesIn,
  filesMatchingSource,
  hasFilesUnder,
  totalBytes,
  type ContextFile,
} from '../../server/src/context/view';

describe('mentionsVariable', () => {
  const cases: [string, string, boolean][] = [
    ['echo $FOO', 'FOO', true],
    ['echo ${FOO}', 'FOO', true],
    ['echo ${FOO:-x}', 'FOO', true],
    ['$FOO', 'FOO', true],
    ['x $BAR $FOO', 'FOO', true],
    ['echo $$FOO', 'FOO', true],
    ['echo $FOOBAR', 'FOO', false],
    ['a ${FOO_1}', 'FOO', false],
    ['echo FOO', 'FOO', false],
    ['echo $', 'FOO', false],
    ['echo ${', 'FOO', false],
    ['${F.O}', 'F.O', true],
  ];
  for (const [text, name, want] of cases)
    it(`${JSON.stringify(text)} ${want ? 'mentions' : 'does not mention'} ${name}`, () =>
      assert.equal(mentionsVariable(text, name), want));
});

describe('formatCount', () => {
  it('groups thousands as the messages print them', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(1204), '1,204');
    assert.equal(formatCount(1234567), '1,234,567');
  });
});

describe('positions in a stage', () => {
  const model = parseDockerfile(
    ['FROM a AS base', 'USER app', 'RUN one', 'FROM base', 'RUN two', 'USER root', 'RUN three'].join('\n'),
  );
  const [base, child] = model.stages;
  it('positionInStage counts the stage instructions before a step', () => {
    assert.deepEqual(
      base.instructions.map((i) => positionInStage(base, i)),
      [0, 1],
    );
    assert.deepEqual(
      child.instructions.map((i) => positionInStage(child, i)),
      [0, 1, 2],
    );
  });
  it('precedingInChain is the parent stage, then this stage up to the step', () => {
    const three = child.instructions[2];
    assert.deepEqual(
      precedingInChain(three).map((i) => i.text),
      ['USER app', 'RUN one', 'RUN two', 'USER root'],
    );
    assert.equal(userAt(precedingInChain(three)), 'root');
    assert.equal(userAt(precedingInChain(child.instructions[0])), 'app');
    assert.equal(userAt(precedingInChain(base.instructions[0])), undefined);
  });
});

describe('file lookups in a context (sorted index for large lists)', () => {
  // names chosen to sort around '/': '-' and '.' come before it, '0' right after
  const names = ['src', 'src-old', 'src.txt', 'src0', 'srcs', 'sr', 'a', 'z'];
  const files: ContextFile[] = [];
  for (let i = 0; files.length < 2000; i++) {
    const top = names[i % names.length];
    files.push({
      path: i % 3 === 0 ? `${top}/f${i}` : i % 3 === 1 ? `${top}/sub${i % 5}/g${i}` : `${top}-${i}`,
      size: i,
    });
  }
  files.push({ path: 'src', size: 1 }, { path: 'src/sub1', size: 2 });
  const linearAt = (list: readonly ContextFile[], p: string) =>
    list.filter((f) => f.path === p || f.path.startsWith(p + '/'));
  const probes = ['src', 'src/sub1', 'src-old', 'src.txt', 'sr', 'srcs', 'src0', 'a', 'missing', 'src/sub9', 'z'];
  for (const small of [false, true]) {
    const list = small ? files.slice(0, 100) : files;
    for (const p of probes) {
      it(`${small ? 'short' : 'long'} list: filesAt(${p}) and hasFilesUnder(${p}) agree with a scan, in list order`, () => {
        assert.deepEqual(filesAt(list, p), linearAt(list, p));
        assert.equal(
          hasFilesUnder(list, p),
          list.some((f) => f.path.startsWith(p + '/')),
        );
      });
    }
  }
  it('filesMatchingSource: the whole context, a path, a glob', () => {
    assert.equal(filesMatchingSource(files, '.').length, files.length);
    assert.deepEqual(filesMatchingSource(files, './src/'), linearAt(files, 'src'));
    assert.ok(filesMatchingSource(files, 'src/sub1/*').every((f) => f.path.startsWith('src/sub1/')));
  });
});

describe('filesIn and totalBytes', () => {
  const files: ContextFile[] = [];
  for (let i = 0; i < 1500; i++)
    files.push({
      path:
        i % 4 === 0 ? `top${i}.txt` : i % 4 === 1 ? `app/f${i}.js` : i % 4 === 2 ? `app/deep/g${i}.js` : `app-x/h${i}`,
      size: i % 7,
    });
  it('filesIn lists direct children only, in list order', () => {
    const scan = (dir: string) =>
      files.filter((f) => f.path.startsWith(dir) && !f.path.slice(dir.length).includes('/'));
    assert.deepEqual(filesIn(files, 'app'), scan('app/'));
    assert.deepEqual(filesIn(files, 'app/'), scan('app/'));
    assert.deepEqual(filesIn(files, ''), scan(''));
    assert.deepEqual(filesIn(files, 'app/deep'), scan('app/deep/'));
    assert.deepEqual(filesIn(files, 'nothing'), []);
  });
  it('totalBytes sums sizes', () => {
    assert.equal(
      totalBytes(files),
      files.reduce((n, f) => n + f.size, 0),
    );
    assert.equal(totalBytes([]), 0);
  });
});
