// Fuzz inputs: corpus Dockerfiles and ignore files, mutated by a seeded PRNG so
// that input number n of seed s is the same on every machine and every run.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { sharedPath } from '../helpers/shared';

export const CORPUS_DIR = sharedPath('corpus', 'real-dockerfiles');

/** sfc32 seeded through splitmix32: small, fast and well distributed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seeds: number[]) {
    let h = 0x9e3779b9;
    const mix = () => {
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (const s of seeds) h = (Math.imul(h ^ (s >>> 0), 0x01000193) + 0x7f4a7c15) | 0;
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** integer in [0, n) */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 0x100000000) * n);
  }

  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

export interface CorpusEntry {
  name: string;
  text: string;
  /** the ignore file that belongs to this Dockerfile in the corpus, if any */
  ignore?: string;
}

export interface Corpus {
  dockerfiles: CorpusEntry[];
  ignores: string[];
}

export function loadCorpus(dir = CORPUS_DIR): Corpus {
  if (!existsSync(dir)) throw new Error(`corpus not found: ${dir}`);
  const names = readdirSync(dir).sort();
  const read = (n: string) => readFileSync(path.join(dir, n), 'utf8');
  const ignoreNames = names.filter((n) => n.endsWith('.dockerignore'));
  const dockerfiles = names
    .filter((n) => !n.endsWith('.dockerignore') && !n.endsWith('.md') && !n.endsWith('.tsv'))
    .map((n) => {
      const own = ignoreNames.find(
        (i) => i === `${n}.dockerignore` || i === n.replace(/Dockerfile$/, 'Dockerfile.root.dockerignore'),
      );
      return { name: n, text: read(n), ignore: own ? read(own) : undefined };
    });
  return { dockerfiles, ignores: ignoreNames.map(read) };
}

export interface FuzzInput {
  dockerfile: string;
  /** the build context's .dockerignore; undefined = the context has none */
  ignore?: string;
  /** where it came from and what was done to it, for the report */
  origin: string;
}

/** Longest text an input may grow to: the server refuses documents over 1 MiB, so larger ones test nothing it runs. */
export const MAX_INPUT_CHARS = 1024 * 1024;

// ---------------------------------------------------------------- mutators

type Mutator = (text: string, rng: Rng, corpus: Corpus, forIgnore: boolean) => string;

const UNICODE = [
  '\uFEFF',
  '\u200B',
  '\u202E',
  '\u2028',
  '\u2029',
  '\u0301',
  '\u{1F600}',
  '\uD800',
  '\uDC00',
  'ＦＲＯＭ',
  'İ',
  'ß',
  '\u00A0',
  '\t',
  '\v',
  '\f',
  '\u0085',
  'ﬀ',
  '\u3000',
  'é',
  'ǅ',
];
const TOKENS = [
  '${',
  '$(',
  '"',
  "'",
  '[',
  '["',
  ']',
  '--from=',
  '--from=0',
  '--mount=type=cache,target=/root/.npm',
  '--mount=',
  '--mount=type=bind,source=.,target=/src',
  '--link',
  '--chown=1000:1000',
  '--parents',
  '--exclude=*.md',
  ' AS ',
  ' as builder',
  '\\',
  '`',
  '# syntax=docker/dockerfile:1',
  '# escape=`',
  '# cachelens ignore=CL001',
  '# cachelens global ignore=CL999,CL201',
  '&&',
  '||',
  ';',
  '|',
  '<<EOF',
  '<<-"EOT"',
  'FROM scratch',
  'ONBUILD ',
  'COPY . .',
  'RUN npm ci',
  'RUN apt-get update',
  'ARG BUILD_DATE',
  'COPY --from=0 / /',
  'RUN pip install -r requirements.txt',
  'COPY package*.json ./',
  'RUN go build ./...',
  'WORKDIR /app',
  'USER node',
  'ENV A=${B:-c}',
  'ARG X=${X}',
  'CMD ["node"',
  'SHELL ["/bin/sh", "-c"]',
  '\n',
  ' ',
  '=',
  ',',
];
const GLOB_TOKENS = [
  '**',
  '*',
  '?',
  '[',
  ']',
  '[!a-z]',
  '[^',
  '\\',
  '!',
  '/',
  '..',
  '../',
  '**/**/**/**/**/**/**/**/a',
  '*'.repeat(40) + 'b',
  '[[[[',
  '{a,b}',
  '~',
  '#',
  '   ',
  'node_modules',
  '.git',
  '!**/*.go',
  '\\[',
  '[a-',
  '[]',
];
const KEYWORDS = [
  'FROM',
  'RUN',
  'COPY',
  'ADD',
  'ARG',
  'ENV',
  'WORKDIR',
  'CMD',
  'ENTRYPOINT',
  'EXPOSE',
  'USER',
  'LABEL',
  'ONBUILD',
  'HEALTHCHECK',
  'SHELL',
  'STOPSIGNAL',
  'VOLUME',
  'MAINTAINER',
  'from',
  'Run',
  'cOpY',
  'BOGUS',
];

const lines = (t: string) => t.split('\n');
const at = (rng: Rng, t: string) => rng.int(t.length + 1);
const insert = (t: string, i: number, s: string) => t.slice(0, i) + s + t.slice(i);

const byteFlips: Mutator = (t, rng) => {
  const buf = Buffer.from(t, 'utf8');
  if (!buf.length) return String.fromCharCode(rng.int(256));
  const n = 1 + rng.int(8);
  for (let i = 0; i < n; i++) {
    const k = rng.int(buf.length);
    buf[k] = rng.chance(0.5) ? buf[k] ^ (1 << rng.int(8)) : rng.int(256);
  }
  return rng.chance(0.8) ? buf.toString('utf8') : buf.toString('latin1');
};

const charFlips: Mutator = (t, rng) => {
  let out = t;
  const n = 1 + rng.int(8);
  for (let i = 0; i < n; i++) {
    const k = rng.int(out.length);
    out = out.slice(0, k) + String.fromCharCode(rng.int(0x10000)) + out.slice(k + 1);
  }
  return out;
};

const lineShuffle: Mutator = (t, rng) => {
  const ls = lines(t);
  const n = 1 + rng.int(Math.max(1, ls.length / 3));
  for (let i = 0; i < n; i++) {
    const a = rng.int(ls.length);
    const b = rng.int(ls.length);
    [ls[a], ls[b]] = [ls[b], ls[a]];
  }
  return ls.join('\n');
};

const lineDropOrRepeat: Mutator = (t, rng) => {
  const ls = lines(t);
  const a = rng.int(ls.length);
  const len = 1 + rng.int(5);
  if (rng.chance(0.5)) ls.splice(a, len);
  else ls.splice(a, 0, ...ls.slice(a, a + len), ...(rng.chance(0.2) ? Array(50).fill(ls[a] ?? '') : []));
  return ls.join('\n');
};

const truncate: Mutator = (t, rng) => t.slice(0, rng.int(t.length));

const unicode: Mutator = (t, rng) => {
  let out = t;
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++) out = insert(out, at(rng, out), rng.pick(UNICODE));
  return out;
};

const hugeLine: Mutator = (t, rng) => {
  const n = 2000 + rng.int(20000);
  const line = rng.pick([
    () => 'RUN ' + 'echo a && '.repeat(n) + 'true',
    () => 'ARG X=' + 'x'.repeat(n * 5),
    () => 'COPY ' + 'src/ '.repeat(n) + '/app/',
    () => 'RUN ' + '--mount=type=cache,target=/x '.repeat(n / 10) + 'npm ci',
    () => '# ' + 'comment '.repeat(n),
    () => 'ENV ' + 'A=b '.repeat(n),
    () => 'RUN ' + '$('.repeat(n / 4) + ')'.repeat(n / 8),
    () => 'RUN echo "' + '\\"'.repeat(n),
    () => 'LABEL ' + "a='".repeat(n),
    () => 'COPY ["' + 'a", "'.repeat(n) + '/"]',
  ])();
  const ls = lines(t);
  ls.splice(rng.int(ls.length + 1), 0, line);
  return ls.join('\n');
};

const deepContinuation: Mutator = (t, rng) => {
  const k = 200 + rng.int(4000);
  const block = rng.pick([
    () => 'RUN echo \\\n' + ' a \\\n'.repeat(k) + 'done',
    () => 'RUN \\\n'.repeat(1) + '\\\n'.repeat(k),
    () => 'COPY \\\n' + ' src \\\n'.repeat(k) + ' /app',
    () => 'RUN apt-get update && \\\n' + ' # comment \\\n  pkg \\\n'.repeat(k / 2) + ' && true',
    () => 'FROM x \\\n'.repeat(k),
  ])();
  const ls = lines(t);
  // at the end half the time, so the continuation runs into end of file
  ls.splice(rng.chance(0.5) ? ls.length : rng.int(ls.length + 1), 0, block);
  return ls.join('\n');
};

const unterminatedHeredoc: Mutator = (t, rng) => {
  const ls = lines(t);
  const terminator = ls.findIndex((l) => /^\s*(EOF|EOT|END)\s*$/.test(l));
  if (terminator >= 0 && rng.chance(0.5)) {
    ls.splice(terminator, 1);
    return ls.join('\n');
  }
  const opener = rng.pick([
    'RUN <<EOF',
    'COPY <<-"EOT" /dst',
    'RUN <<A <<B cat',
    'RUN cat <<EOF > /x && <<EOF2',
    'COPY <<EOF',
    'RUN <<',
    'RUN <<"',
    "RUN <<'EOF",
    'RUN <<EOF\nEO',
    'ADD <<X /y\nX\nRUN <<X',
  ]);
  ls.splice(rng.int(ls.length + 1), 0, opener);
  return ls.join('\n');
};

const eolMix: Mutator = (t, rng) => {
  const mode = rng.int(4);
  if (mode === 0) return t.replace(/\r?\n/g, '\r\n');
  if (mode === 1) return t.replace(/\r?\n/g, '\r');
  return t.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r', '\n\r', '\r\r\n']));
};

const nulBytes: Mutator = (t, rng) => {
  let out = t;
  const n = 1 + rng.int(5);
  for (let i = 0; i < n; i++) {
    const k = at(rng, out);
    out = rng.chance(0.5) ? insert(out, k, '\0') : out.slice(0, k) + '\0' + out.slice(k + 1);
  }
  return out;
};

const splice: Mutator = (t, rng, corpus, forIgnore) => {
  const donor = forIgnore ? rng.pick(corpus.ignores) : rng.pick(corpus.dockerfiles).text;
  const dl = lines(donor);
  const a = rng.int(dl.length);
  const piece = dl.slice(a, a + 1 + rng.int(10));
  const ls = lines(t);
  ls.splice(rng.int(ls.length + 1), rng.chance(0.3) ? rng.int(5) : 0, ...piece);
  return ls.join('\n');
};

const tokens: Mutator = (t, rng, _c, forIgnore) => {
  let out = t;
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++)
    out = insert(out, at(rng, out), rng.pick(forIgnore && rng.chance(0.7) ? GLOB_TOKENS : TOKENS));
  return out;
};

const keywordSwap: Mutator = (t, rng) => {
  const ls = lines(t);
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const k = rng.int(ls.length);
    ls[k] = (ls[k] ?? '').replace(/^(\s*)[A-Za-z]+/, (_m, ws: string) => ws + rng.pick(KEYWORDS));
  }
  return ls.join('\n');
};

const directives: Mutator = (t, rng) =>
  rng.pick([
    '# escape=`\n',
    '# escape=\\\n',
    '# syntax=docker/dockerfile:1\n# escape=`\n',
    '# escape=\n',
    '#escape=x\n',
    '# syntax=\n',
    '# check=skip=all\n',
  ]) + t;

const degenerate: Mutator = (_t, rng) =>
  rng.pick([
    '',
    ' ',
    '\n',
    '\r\n',
    '\\',
    '#',
    'FROM',
    'FROM\n',
    '\0',
    '\n'.repeat(10000),
    'FROM a\n'.repeat(3000),
    'RUN\n',
    'COPY\n',
    ' \\\n'.repeat(100),
  ]);

/** pathological ignore patterns: long globs against long paths, many negations */
const hostileGlobs: Mutator = (t, rng) => {
  const ls = lines(t);
  const n = 1 + rng.int(20);
  for (let i = 0; i < n; i++)
    ls.push(
      rng.pick([
        () => '*'.repeat(1 + rng.int(200)) + 'x',
        () => '**/'.repeat(1 + rng.int(100)) + '*.js',
        () => '!' + 'a*'.repeat(1 + rng.int(100)),
        () => '[' + 'a-z'.repeat(1 + rng.int(50)),
        () => '?'.repeat(1 + rng.int(300)),
        () => 'src/' + '../'.repeat(1 + rng.int(50)) + 'x',
        () => '\\'.repeat(1 + rng.int(20)),
      ])(),
    );
  return ls.join('\n');
};

export const DOCKERFILE_MUTATORS: [string, Mutator, number][] = [
  ['byteFlips', byteFlips, 3],
  ['charFlips', charFlips, 2],
  ['lineShuffle', lineShuffle, 3],
  ['lineDropOrRepeat', lineDropOrRepeat, 2],
  ['truncate', truncate, 2],
  ['unicode', unicode, 2],
  ['hugeLine', hugeLine, 1],
  ['deepContinuation', deepContinuation, 1],
  ['unterminatedHeredoc', unterminatedHeredoc, 2],
  ['eolMix', eolMix, 2],
  ['nulBytes', nulBytes, 1],
  ['splice', splice, 3],
  ['tokens', tokens, 4],
  ['keywordSwap', keywordSwap, 2],
  ['directives', directives, 1],
  ['degenerate', degenerate, 0.2],
];

export const IGNORE_MUTATORS: [string, Mutator, number][] = [
  ['byteFlips', byteFlips, 2],
  ['lineShuffle', lineShuffle, 2],
  ['truncate', truncate, 1],
  ['unicode', unicode, 1],
  ['eolMix', eolMix, 1],
  ['nulBytes', nulBytes, 1],
  ['splice', splice, 2],
  ['tokens', tokens, 4],
  ['hostileGlobs', hostileGlobs, 1],
];

function pickWeighted<T>(rng: Rng, xs: readonly [string, T, number][]): [string, T] {
  const total = xs.reduce((n, x) => n + x[2], 0);
  let r = (rng.u32() / 0x100000000) * total;
  for (const [name, m, w] of xs) {
    if ((r -= w) < 0) return [name, m];
  }
  return [xs[0][0], xs[0][1]];
}

function mutate(text: string, rng: Rng, corpus: Corpus, forIgnore: boolean): { text: string; steps: string[] } {
  const steps: string[] = [];
  let out = text;
  const n = 1 + (rng.chance(0.5) ? 0 : rng.int(5));
  for (let i = 0; i < n; i++) {
    const [name, m] = pickWeighted(rng, forIgnore ? IGNORE_MUTATORS : DOCKERFILE_MUTATORS);
    out = m(out, rng, corpus, forIgnore);
    if (out.length > MAX_INPUT_CHARS) out = out.slice(0, MAX_INPUT_CHARS);
    steps.push(name);
  }
  return { text: out, steps };
}

/** Input number `n` of run `seed`: the same on every run. */
export function makeInput(corpus: Corpus, seed: number, n: number): FuzzInput {
  const rng = new Rng(seed, n);
  const base = rng.pick(corpus.dockerfiles);
  const { text, steps } = mutate(base.text, rng, corpus, false);
  const ignoreChoice = rng.int(10);
  let ignore: string | undefined;
  let ignoreSteps: string[] = [];
  if (ignoreChoice < 8) {
    const source = ignoreChoice < 6 && base.ignore !== undefined ? base.ignore : rng.pick(corpus.ignores);
    if (rng.chance(0.5)) {
      const m = mutate(source, rng, corpus, true);
      ignore = m.text;
      ignoreSteps = m.steps;
    } else ignore = source;
  }
  const origin =
    `${base.name} [${steps.join(',')}]` +
    (ignore === undefined ? ' no ignore file' : ` ignore [${ignoreSteps.join(',') || 'as is'}]`);
  return { dockerfile: text, ignore, origin };
}

export function inputHash(input: { dockerfile: string; ignore?: string }): string {
  return createHash('sha1')
    .update(input.dockerfile)
    .update('\0\0')
    .update(input.ignore ?? '\0none')
    .digest('hex')
    .slice(0, 16);
}
