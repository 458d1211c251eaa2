// The one-pass reading (parse/scan.ts, parse/fastParse.ts) must give exactly
// the model dockerfile-ast's reading gives: compared on every corpus
// Dockerfile, BuildKit's parser test files, the fuzzer's mutated inputs and
// random edits full of escapes, quotes, comments and line breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fastParses, parseDockerfile } from '../../server/src/parse/dockerfile';
import { filesIn, randomEdit, rng, shape } from '../helpers/modelShape';
import { sharedPath, sharedSkip } from '../helpers/shared';
import { loadCorpus, makeInput } from '../fuzz/generate';
import { lint } from '../../server/src/engine/lint';

const corpusDir = sharedPath('corpus', 'real-dockerfiles');
const parserDir = sharedPath('conformance', 'parser');

function same(text: string, what: string): boolean {
  const before = fastParses();
  const fast = shape(parseDockerfile(text, { reuse: false }));
  const ast = shape(parseDockerfile(text, { reuse: false, fast: false }));
  if (fast !== ast) assert.deepEqual(firstDifference(fast, ast), {}, what);
  return fastParses() > before;
}

/** The first instruction (or other part) where two shapes differ, small enough to read in a failure. */
function firstDifference(a: string, b: string): object {
  const x = JSON.parse(a);
  const y = JSON.parse(b);
  const n = Math.max(x.instructions.length, y.instructions.length);
  for (let i = 0; i < n; i++)
    if (JSON.stringify(x.instructions[i]) !== JSON.stringify(y.instructions[i]))
      return { fast: x.instructions[i], ast: y.instructions[i] };
  return { fast: { ...x, text: undefined, lines: undefined }, ast: { ...y, text: undefined, lines: undefined } };
}

const dockerfiles = (dir: string) => filesIn(dir).filter((f) => !/\.(dockerignore|tsv|md|json)$/.test(f));

test('the one-pass reading equals dockerfile-ast on every corpus Dockerfile, also with CRLF and under random edits', {
  skip: sharedSkip('corpus/real-dockerfiles'),
}, () => {
  const files = dockerfiles(corpusDir);
  assert.ok(files.length >= 100);
  const rand = rng(7);
  let fast = 0;
  let compared = 0;
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    if (same(text, file)) fast++;
    same(text.replace(/\r?\n/g, '\r\n'), `${file} (CRLF)`);
    for (let k = 0; k < 25; k++) {
      text = randomEdit(text, rand);
      same(text, `${file} after edit ${k}`);
      compared++;
    }
  }
  // the point of it: most real Dockerfiles are read in one pass, not left to dockerfile-ast
  assert.ok(fast > files.length * 0.85, `only ${fast} of ${files.length} corpus files read in one pass`);
  assert.ok(compared > 4000);
});

test('lint gives the same findings and fixes from either reading, on every corpus Dockerfile', {
  skip: sharedSkip('corpus/real-dockerfiles'),
}, () => {
  let findings = 0;
  for (const file of dockerfiles(corpusDir)) {
    const text = readFileSync(file, 'utf8');
    const run = (fast: boolean) => {
      const result = lint({ path: '/corpus/Dockerfile', text, model: parseDockerfile(text, { reuse: false, fast }) });
      return JSON.stringify({ findings: result.findings, errors: result.errors });
    };
    const fast = run(true);
    assert.equal(fast, run(false), file);
    findings += JSON.parse(fast).findings.length;
  }
  assert.ok(findings > 500, `${findings} findings`);
});

test("the one-pass reading equals dockerfile-ast on BuildKit's parser files, under random edits", {
  skip: sharedSkip('conformance/parser'),
}, () => {
  const files = filesIn(parserDir).filter((f) => /Dockerfile/.test(f));
  assert.ok(files.length >= 30, `${files.length} files`);
  const rand = rng(41);
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    same(text, file);
    for (let k = 0; k < 80; k++) {
      text = randomEdit(text, rand);
      same(text, `${file} after edit ${k}`);
    }
  }
});

test("the one-pass reading equals dockerfile-ast on the fuzzer's inputs", {
  skip: sharedSkip('corpus/real-dockerfiles'),
}, () => {
  const corpus = loadCorpus();
  for (let n = 0; n < 1500; n++) {
    const input = makeInput(corpus, 20261206, n);
    same(input.dockerfile, `fuzz input 20261206/${n}: ${input.origin}`);
  }
});

test('escapes, quotes, flags, comments in continuations and odd keywords read as dockerfile-ast reads them', () => {
  const cases = [
    'FROM --platform=$BUILDPLATFORM node:20 AS build\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
    'FROM x\nRUN a \\\n  # comment\n  b \\\n\n  c\n',
    'FROM x\r\nRUN a \\\r\n  b\r\nCOPY --chown=1:1 --from=build /a /b\r\n',
    'FROM x\nRUN echo "a  b" \'c d\' \\$HOME \\x\\ y\n',
    'FROM x\nRU\\\nN ls\nR\\UN ls\nrun ls\n',
    'FROM x\nRUN a\\ \nRUN b \\  \n  c\\\t\nRUN d\n',
    'FROM x\nCOPY ["a b", "c"]\nRUN ["sh", "-c", "ls"]\nCOPY ]["a","b"]\nADD \\["a"] b\n',
    'FROM x\nENV A=1 B=2\nENV C 3 4  5\nARG D\nARG E=\nENV F="x y" G=\'z\'\nENV H=a\\\n  I=b\nARG J=$K\n',
    'FROM x\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE\n',
    'FROM x\nCOPY a--b --link c /d\nRUN x--y --z\nCOPY --= --from= a b\n',
    '\uFEFF# syntax=docker/dockerfile:1\n# check=skip=all\nFROM x\n',
    '# syntax=a # escape=\\\nRUN skipped\nFROM x\n',
    '#escape=`\nFROM x\nRUN a `\n  b\n',
    '\uFEFFFROM x\n',
    'FROM x\nRUN a\rRUN b\r\n\rRUN c\\\r  d\n',
    'FROM x\nONBUILD RUN ls\nONBUILD COPY . .\nUNKNOWN a b\nEXPOSE 80/tcp\n',
    'FROM x\nRUN\nCOPY\nENV\nFROM\n',
    'FROM x\nRUN a \\',
    'FROM x\nRUN a \\ ',
    'FROM x\nRUN \\\n',
  ];
  for (const text of cases) same(text, JSON.stringify(text));
});

test('heredocs are read by dockerfile-ast alone; another escape character or an ONBUILD heredoc leaves the whole text to it', () => {
  const alone = [
    'FROM x\nRUN <<EOF\nls\nEOF\nRUN pwd\n',
    'FROM x\nRUN <\\<EOF\nls\nEOF\n',
    'FROM x\nCOPY <<-"A" <<B /dst/\n\ta\n\tA\nb\nB\nRUN x\n',
    'FROM x\nRUN --mount=type=cache,target=/c <<EOF cat\nls\nEOF\n',
    'FROM x\nRUN cat <<< "x" && echo <<\nRUN y\n',
    'FROM x\nRUN <<EOF\nno end\n',
  ];
  for (const text of alone) {
    const before = fastParses();
    same(text, JSON.stringify(text));
    assert.equal(fastParses(), before + 1, JSON.stringify(text));
  }
  for (const text of ['# escape=`\nFROM x\n', 'FROM x\nONBUILD RUN <<EOF\nls\nEOF\n']) {
    const before = fastParses();
    same(text, JSON.stringify(text));
    assert.equal(fastParses(), before, JSON.stringify(text));
  }
});

// texts made of the pieces the two readings treat specially, by kind: the ad hoc runs behind the
// commit messages' "random texts" (several 100,000s) were these generators; here 4,000 of each
const ATOMS: Record<string, string[]> = {
  escapes: [
    '\\',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '\r',
    '#',
    '"',
    "'",
    '=',
    '-',
    '--',
    '[',
    ']',
    ',',
    'a',
    'x=y',
    '$',
    'FROM ',
    'RUN ',
    'COPY ',
    'ENV ',
    'ARG ',
    'HEALTHCHECK ',
    'CMD ',
    'ONBUILD ',
    '--from=a ',
    '\uFEFF',
    'AS ',
    'NONE',
  ],
  json: [
    'RUN ',
    'COPY ',
    'ADD ',
    '[',
    ']',
    '"',
    ',',
    ' ',
    '\\',
    '\n',
    '\t',
    'a',
    '\\"',
    '--x ',
    '\r\n',
    '\\\n',
    '["a", "b"]',
    '\\ \n',
    '#',
    '\r',
  ],
  heredocs: [
    'RUN ',
    'COPY ',
    'ADD ',
    'ONBUILD ',
    '<<',
    '<<-',
    'EOF',
    '"EOF"',
    "'E'",
    '<',
    '-',
    '\\',
    '\n',
    '\t',
    ' ',
    'a',
    '--x ',
    '\r\n',
    '\\\n',
    '#',
    'FROM x\n',
    '<<EOF\nls\nEOF\n',
  ],
  vars: [
    'ENV ',
    'ARG ',
    '"',
    "'",
    '=',
    ' ',
    '\t',
    'a',
    'b',
    '${',
    '}',
    '\n',
    '\r\n',
    '#',
    'x=y',
    '"a b"',
    "'c'",
    '$',
    ':-',
    'A=',
    '""',
  ],
  directives: [
    '#',
    ' ',
    '\t',
    '=',
    'syntax',
    'escape',
    'check',
    '\\',
    '`',
    '\n',
    '\r\n',
    '\r',
    'a',
    'ESCAPE',
    'FROM x\n',
    'RUN a `\n b\n',
    '\uFEFF',
  ],
};

test('the one-pass reading equals dockerfile-ast on random texts of escapes, JSON, heredocs, ARG/ENV and directives', () => {
  for (const [kind, atoms] of Object.entries(ATOMS)) {
    const rand = rng(kind.length * 7919);
    for (let n = 0; n < 4000; n++) {
      let text = '';
      const len = 1 + Math.floor(rand() * 25);
      for (let k = 0; k < len; k++) text += atoms[Math.floor(rand() * atoms.length)];
      let ast: string | undefined;
      try {
        ast = shape(parseDockerfile(text, { reuse: false, fast: false }));
      } catch {
        // dockerfile-ast itself fails on some texts: the one-pass reading must fail there too
        assert.throws(() => parseDockerfile(text, { reuse: false }), `${kind} ${JSON.stringify(text)}`);
        continue;
      }
      const fast = shape(parseDockerfile(text, { reuse: false }));
      if (fast !== ast) assert.deepEqual(firstDifference(fast, ast), {}, `${kind} ${JSON.stringify(text)}`);
    }
  }
});
