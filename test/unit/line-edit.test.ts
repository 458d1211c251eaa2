// singleLineEdit compares the common ends of two texts a block at a time: the
// edit it finds must be the one a character-by-character comparison finds,
// wherever it falls against the blocks, with any line endings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commonPrefix, singleLineEdit } from '../../server/src/parse/lineEdit';
import { LineIndex } from '../../server/src/parse/text';
import { rng } from '../helpers/modelShape';

const editOf = (before: string, after: string) => singleLineEdit(before, after, new LineIndex(after));

function slowPrefix(a: string, b: string): number {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  return p;
}

test('the common prefix and the edited line, for edits at every distance from the block edges', () => {
  const rand = rng(5);
  const eols = ['\n', '\r\n', '\r'];
  for (let n = 0; n < 400; n++) {
    const eol = eols[n % 3];
    const lines = Array.from(
      { length: 2 + Math.floor(rand() * 60) },
      (_, i) => `RUN step ${i} ${'x'.repeat(Math.floor(rand() * 30))}`,
    );
    const before = lines.join(eol);
    const at = Math.floor(rand() * lines.length);
    const col = Math.floor(rand() * (lines[at].length + 1));
    lines[at] = lines[at].slice(0, col) + (rand() < 0.5 ? 'y' : '') + lines[at].slice(col + 1);
    const after = lines.join(eol);
    assert.equal(commonPrefix(before, after), slowPrefix(before, after));
    const edit = editOf(before, after);
    if (before === after) {
      assert.equal(edit, undefined);
      continue;
    }
    assert.equal(edit?.line, at, `${JSON.stringify(eol)} line ${at}`);
    // the incremental parse takes the edit's line as the line of the first changed character
    assert.equal(edit?.line, new LineIndex(after).lineOf(commonPrefix(before, after)));
    assert.equal(edit?.after, lines[at]);
  }
});

test('a character changed at each offset of a text three blocks long', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const lines = Array.from({ length: 40 }, (_, i) => `RUN step ${i} ${'x'.repeat(i % 7)}`);
    const before = lines.join(eol);
    for (let o = 0; o < before.length; o++) {
      if (before[o] === '\n' || before[o] === '\r') continue;
      const after = `${before.slice(0, o)}#${before.slice(o + 1)}`;
      assert.equal(commonPrefix(before, after), slowPrefix(before, after));
      const edit = editOf(before, after);
      if (before === after) continue;
      const line = before.slice(0, o).split(eol).length - 1;
      assert.equal(edit?.line, line);
      assert.equal(edit?.column, o - before.slice(0, o).lastIndexOf(eol[eol.length - 1]) - 1);
      assert.equal(edit?.after, after.split(eol)[line]);
      assert.equal(editOf(before, `${before.slice(0, o)}\n${before.slice(o + 1)}`), undefined, `break at ${o}`);
    }
  }
});

test('an edit that adds or removes a line ending is not a single-line edit', () => {
  const long = 'RUN a\n'.repeat(100);
  assert.equal(editOf(`${long}RUN b\n${long}`, `${long}RUN\nb\n${long}`), undefined);
  assert.equal(editOf(`${long}RUN b\n${long}`, `${long}RUN b${long}`), undefined);
  assert.deepEqual(editOf(`${long}RUN b\n${long}`, `${long}RUN bc\n${long}`), {
    line: 100,
    column: 5,
    before: 'RUN b',
    after: 'RUN bc',
  });
});
