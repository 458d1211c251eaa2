// analyzeCache keeps what a step's info is made of on the parts of its
// instruction that a keystroke's re-read keeps (cache/analysis.ts): the info of
// every step after an edit must be the one a fresh parse and analysis give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile, type DockerfileModel } from '../../server/src/parse/dockerfile';
import { analyzeCache } from '../../server/src/cache/analysis';
import { filesIn, randomEdit, rng } from '../helpers/modelShape';

const shared = process.env.CACHELENS_SHARED ?? path.join(__dirname, '..', '..', '..', 'shared');
const corpus = path.join(shared, 'corpus', 'real-dockerfiles');

/** every step's info, comparable across two models of the same text */
function infos(model: DockerfileModel): string {
  const cache = analyzeCache(model);
  return JSON.stringify(
    model.instructions.map((ins) => {
      const info = cache.info(ins);
      return {
        line: ins.range.start.line,
        workdir: info.workdir,
        args: info.argsInScope,
        values: [...info.values],
        invalidates: info.invalidates,
        installs: info.installs.map((i) => ({
          ecosystem: i.ecosystem.id,
          command: i.command.argv,
          expanded: i.expanded?.argv,
          manifests: i.manifests,
          cdPath: i.cdPath,
        })),
      };
    }),
  );
}

/** the analysis of the edited text (its parse reuses the previous model's parts) and of a fresh parse */
function bothAfter(before: string, after: string): [string, string] {
  infos(parseDockerfile(before));
  return [infos(parseDockerfile(after)), infos(parseDockerfile(after, { reuse: false }))];
}

test('an edited ENV value reaches the expanded installs after it', () => {
  const before = 'FROM node:20\nENV FLAGS=--production\nRUN npm ci $FLAGS\nRUN pip install -r req.txt\n';
  const [reused, fresh] = bothAfter(before, before.replace('--production', '--omit=dev'));
  assert.equal(reused, fresh);
  assert.match(reused, /--omit=dev/);
});

test('an edited global ARG default reaches the stage ARG that takes it', () => {
  const before = 'ARG TOOL=npm\nFROM node:20\nARG TOOL\nRUN $TOOL ci\n';
  const [reused, fresh] = bothAfter(before, before.replace('TOOL=npm', 'TOOL=yarn'));
  assert.equal(reused, fresh);
  assert.match(reused, /"yarn"/);
});

test('an edited WORKDIR reaches the steps after it', () => {
  const before = 'FROM node:20\nWORKDIR /app\nWORKDIR sub\nRUN npm ci\n';
  const [reused, fresh] = bothAfter(before, before.replace('/app', '/srv'));
  assert.equal(reused, fresh);
  assert.match(reused, /\/srv\/sub/);
});

test('a RUN edited before an install that looks at earlier RUNs (go build after go mod download)', () => {
  const before = 'FROM golang:1.22\nRUN go mod download\nRUN go build ./...\n';
  const [reused, fresh] = bothAfter(before, before.replace('go mod download', 'go mod tidy'));
  assert.equal(reused, fresh);
});

// (go build looks at the RUNs before it, so its installs are found afresh each time; the values check on the kept
// installs guards a flag-env pattern that does not)
test('an edited GOFLAGS value decides whether go build fetches', () => {
  const before = 'FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nRUN go build ./...\n';
  const [reused, fresh] = bothAfter(before, before.replace('-mod=vendor', '-mod=mod'));
  assert.equal(reused, fresh);
  assert.match(reused, /"go","build"/);
});

test('step infos after random edits equal a fresh analysis, on the corpus', { skip: !existsSync(corpus) }, () => {
  const rand = rng(15);
  const files = filesIn(corpus).filter((f) => !/\.(dockerignore|tsv|md)$/.test(f));
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    infos(parseDockerfile(text));
    for (let k = 0; k < 4; k++) {
      text = randomEdit(text, rand);
      assert.equal(infos(parseDockerfile(text)), infos(parseDockerfile(text, { reuse: false })), `${file} edit ${k}`);
    }
  }
});
