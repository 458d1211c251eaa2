import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { MemoryFs } from '../../server/src/context/fs';
import {
  BuildFileCache,
  interpolateCompose,
  readBakeHcl,
  resolveContexts,
  type ContextMapping,
} from '../../server/src/context/resolve';

const ROOT = path.resolve('/ws');
const abs = (rel: string) => (rel === '' ? ROOT : path.join(ROOT, ...rel.split('/')));

interface Case {
  name: string;
  files: Record<string, string | { size: number }>;
  dockerfile: string;
  mappings?: ContextMapping[];
  trusted?: boolean;
  /** [context (relative), ignore file (relative) or undefined, source, a word the reason contains] */
  expect: [string, string | undefined, string, string][];
  /** Substrings that some problem must contain, in order. */
  problems?: string[];
}

const cases: Case[] = [
  {
    name: 'default: the Dockerfile folder and its .dockerignore',
    files: { 'app/Dockerfile': 'FROM x', 'app/.dockerignore': '.git' },
    dockerfile: 'app/Dockerfile',
    expect: [['app', 'app/.dockerignore', 'default', 'folder']],
  },
  {
    name: 'default without any ignore file',
    files: { Dockerfile: 'FROM x' },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
  },
  {
    name: 'Dockerfile.dockerignore beside the Dockerfile beats the context .dockerignore',
    files: {
      'docker/Dockerfile': 'FROM x',
      'docker/Dockerfile.dockerignore': 'x',
      '.dockerignore': 'y',
      'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n',
    },
    dockerfile: 'docker/Dockerfile',
    expect: [['', 'docker/Dockerfile.dockerignore', 'compose', 'web']],
  },
  {
    name: 'compose: build as a string',
    files: { 'svc/Dockerfile': 'FROM x', 'compose.yaml': 'services:\n  api:\n    build: ./svc\n' },
    dockerfile: 'svc/Dockerfile',
    expect: [['svc', undefined, 'compose', 'compose.yaml service api']],
  },
  {
    name: 'compose: build object, dockerfile relative to the context, compose file in a subfolder',
    files: {
      'deploy/docker-compose.yml':
        'services:\n  web:\n    build:\n      context: ..\n      dockerfile: images/web.Dockerfile\n',
      'images/web.Dockerfile': 'FROM x',
      '.dockerignore': 'node_modules',
    },
    dockerfile: 'images/web.Dockerfile',
    expect: [['', '.dockerignore', 'compose', 'deploy/docker-compose.yml service web (build.context ..)']],
  },
  {
    name: 'compose: anchors and merge keys',
    files: {
      'compose.yml':
        'x-build: &b\n  context: ./app\n  dockerfile: Dockerfile.prod\nservices:\n  one:\n    build: *b\n  two:\n    build:\n      <<: *b\n      dockerfile: Dockerfile.dev\n',
      'app/Dockerfile.prod': 'FROM x',
      'app/Dockerfile.dev': 'FROM x',
    },
    dockerfile: 'app/Dockerfile.dev',
    expect: [['app', undefined, 'compose', 'service two']],
  },
  {
    name: 'compose: one Dockerfile, two contexts (and an identical third deduplicated)',
    files: {
      'compose.yaml':
        'services:\n  a:\n    build: {context: ., dockerfile: Dockerfile}\n  b:\n    build:\n      context: sub\n      dockerfile: ../Dockerfile\n  c:\n    build: .\n',
      Dockerfile: 'FROM x',
      'sub/.dockerignore': '*',
    },
    dockerfile: 'Dockerfile',
    expect: [
      ['', undefined, 'compose', 'service a'],
      ['sub', 'sub/.dockerignore', 'compose', 'service b'],
    ],
  },
  {
    name: 'compose: ${VAR:-default} is used, ${VAR} is a problem',
    files: {
      'compose.yaml': 'services:\n  a:\n    build: ${CTX:-./a}\n  b:\n    build: ${CTX}\n',
      'a/Dockerfile': 'FROM x',
    },
    dockerfile: 'a/Dockerfile',
    expect: [['a', undefined, 'compose', 'service a']],
    problems: ['${CTX} depends on the environment'],
  },
  {
    name: 'compose: broken YAML is a problem and resolution falls back',
    files: { 'compose.yaml': 'services:\n  web:\n    build: [unclosed\n', Dockerfile: 'FROM x' },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
    problems: ['compose.yaml: YAML error'],
  },
  {
    name: 'compose: context outside the workspace is a problem, not walked, and then no context at all',
    files: {
      'compose.yaml': 'services:\n  web:\n    build:\n      context: ../elsewhere\n      dockerfile: /ws/Dockerfile\n',
      Dockerfile: 'FROM x',
    },
    dockerfile: 'Dockerfile',
    expect: [],
    problems: ['outside the workspace'],
  },
  {
    name: 'compose: git URL contexts and dockerfile_inline are not this Dockerfile',
    files: {
      'compose.yaml':
        'services:\n  a:\n    build: https://github.com/x/y.git\n  b:\n    build:\n      context: .\n      dockerfile_inline: FROM x\n',
      Dockerfile: 'FROM x',
    },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
  },
  {
    name: 'bake HCL: targets with variables, inherits, comments',
    files: {
      'docker-bake.hcl': [
        '# build everything',
        'variable "SRC" {',
        '  default = "./src"',
        '}',
        'group "default" { targets = ["api", "worker"] }',
        'target "_base" {',
        '  dockerfile = "docker/app.Dockerfile" // shared',
        '  args = { NODE = "20" }',
        '}',
        'target "api" {',
        '  inherits = ["_base"]',
        '  context = "${SRC}"',
        '  tags = ["x:${TAG}", "y"]',
        '}',
        '/* not this one */',
        'target "worker" {',
        '  context = "."',
        '  dockerfile = <<EOT',
        'FROM alpine',
        'EOT',
        '}',
      ].join('\n'),
      'src/docker/app.Dockerfile': 'FROM x',
    },
    dockerfile: 'src/docker/app.Dockerfile',
    expect: [['src', undefined, 'bake', 'docker-bake.hcl target api (context ./src)']],
    problems: ['target worker: dockerfile is an expression'],
  },
  {
    name: 'bake HCL: a context from an environment variable is a problem',
    files: { 'docker-bake.hcl': 'target "a" {\n  context = "${DIR}"\n}\n', Dockerfile: 'FROM x' },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
    problems: ['uses ${DIR}'],
  },
  {
    name: 'bake HCL: syntax error is a problem',
    files: { 'docker-bake.hcl': 'target "a" {\n  context = "."\n', Dockerfile: 'FROM x' },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
    problems: ['missing }'],
  },
  {
    name: 'bake JSON: default dockerfile in the context',
    files: {
      'ci/docker-bake.json':
        '{"target": {"app": {"context": "../app"}, "other": {"context": "../x", "dockerfile": "D"}}}',
      'app/Dockerfile': 'FROM x',
      'app/.dockerignore': '',
    },
    dockerfile: 'app/Dockerfile',
    expect: [['app', 'app/.dockerignore', 'bake', 'target app']],
  },
  {
    name: 'devcontainer: JSONC with comments, paths relative to .devcontainer',
    files: {
      '.devcontainer/devcontainer.json':
        '{\n  // dev image\n  "name": "dev",\n  "build": {\n    "dockerfile": "Dockerfile", /* beside me */\n    "context": "..",\n  },\n}\n',
      '.devcontainer/Dockerfile': 'FROM x',
    },
    dockerfile: '.devcontainer/Dockerfile',
    expect: [['', undefined, 'devcontainer', '.devcontainer/devcontainer.json (build.context ..)']],
  },
  {
    name: 'fly.toml: dockerfile and ignorefile (ignorefile beats the context .dockerignore)',
    files: {
      'fly.toml': 'app = "x"\n[build]\n  dockerfile = "Dockerfile.fly"\n  ignorefile = ".flyignore"\n',
      'Dockerfile.fly': 'FROM x',
      '.flyignore': 'x',
      '.dockerignore': 'y',
    },
    dockerfile: 'Dockerfile.fly',
    expect: [['', '.flyignore', 'fly', 'fly.toml [build] (ignorefile .flyignore)']],
  },
  {
    name: 'fly.toml: broken TOML is a problem',
    files: { 'fly.toml': '[build\ndockerfile = 1', Dockerfile: 'FROM x' },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
    problems: ['fly.toml: TOML error'],
  },
  {
    name: 'mapping from settings beats compose',
    files: {
      'compose.yaml': 'services:\n  a:\n    build: .\n',
      Dockerfile: 'FROM x',
      'ctx/.dockerignore': '',
      'custom.ignore': '',
    },
    mappings: [{ dockerfile: 'Dockerfile', context: 'ctx', ignoreFile: 'custom.ignore' }],
    dockerfile: 'Dockerfile',
    expect: [['ctx', 'custom.ignore', 'settings', 'cachelens.contexts setting']],
  },
  {
    name: 'mapping from .cachelens.json',
    files: {
      '.cachelens.json': '{ "contexts": [ { "dockerfile": "docker/Dockerfile", "context": "." }, ] }',
      'docker/Dockerfile': 'FROM x',
      '.dockerignore': '',
    },
    dockerfile: 'docker/Dockerfile',
    expect: [['', '.dockerignore', 'settings', '.cachelens.json maps it to .']],
  },
  {
    name: 'untrusted: compose, bake, devcontainer and fly are not read',
    files: {
      'compose.yaml': 'services:\n  a:\n    build:\n      context: ..\n',
      'docker-bake.json': '{"target":{"a":{"context":"sub","dockerfile":"../Dockerfile"}}}',
      'sub/x': '',
      Dockerfile: 'FROM x',
    },
    trusted: false,
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
  },
  {
    name: 'untrusted: mappings still apply',
    files: {
      '.cachelens.json': '{"contexts":[{"dockerfile":"Dockerfile","context":"sub"}]}',
      'sub/x': '',
      Dockerfile: 'FROM x',
    },
    trusted: false,
    dockerfile: 'Dockerfile',
    expect: [['sub', undefined, 'settings', '.cachelens.json']],
  },
  {
    name: 'build files below node_modules or deeper than 4 folders are not discovered',
    files: {
      'node_modules/p/compose.yaml': 'services:\n  a:\n    build: ../../sub\n',
      'a/b/c/d/e/compose.yaml': 'services:\n  a:\n    build: ../../../../../sub\n',
      'sub/Dockerfile': 'FROM x',
    },
    dockerfile: 'sub/Dockerfile',
    expect: [['sub', undefined, 'default', 'folder']],
  },
];

for (const c of cases) {
  test(`resolveContexts: ${c.name}`, () => {
    const fs = new MemoryFs(ROOT, c.files);
    const { contexts, problems } = resolveContexts(abs(c.dockerfile), fs, { mappings: c.mappings, trusted: c.trusted });
    const got = contexts.map((r) => [
      path.relative(ROOT, r.contextDir).split(path.sep).join('/'),
      r.ignoreFile && path.relative(ROOT, r.ignoreFile).split(path.sep).join('/'),
      r.source,
      r.reason,
    ]);
    assert.equal(got.length, c.expect.length, `contexts: ${JSON.stringify(got)}`);
    c.expect.forEach(([ctx, ignore, source, reasonPart], i) => {
      assert.equal(got[i][0], ctx);
      assert.equal(got[i][1], ignore);
      assert.equal(got[i][2], source);
      assert.ok(String(got[i][3]).includes(reasonPart), `reason "${got[i][3]}" should include "${reasonPart}"`);
    });
    for (const r of contexts) assert.equal(r.dockerfile, abs(c.dockerfile));
    const messages = problems.map((p) => p.message);
    for (const want of c.problems ?? [])
      assert.ok(
        messages.some((m) => m.includes(want)),
        `problems ${JSON.stringify(messages)} should mention "${want}"`,
      );
    if (!c.problems) assert.deepEqual(messages, []);
  });
}

test('BuildFileCache: parses once, re-parses after invalidate, rediscovers new files', () => {
  const fs = new MemoryFs(ROOT, { 'app/Dockerfile': 'FROM x', 'compose.yaml': 'services:\n  a:\n    build: ./app\n' });
  const cache = new BuildFileCache(fs);
  const first = resolveContexts(abs('app/Dockerfile'), fs, { cache });
  assert.equal(first.contexts[0].source, 'compose');
  // Without an event the cached parse stands, even though the file changed.
  fs.write('compose.yaml', 'services: {}\n');
  assert.equal(resolveContexts(abs('app/Dockerfile'), fs, { cache }).contexts[0].source, 'compose');
  cache.invalidate(abs('compose.yaml'));
  assert.equal(resolveContexts(abs('app/Dockerfile'), fs, { cache }).contexts[0].source, 'default');
  fs.write('deploy/fly.toml', '[build]\ndockerfile = "../app/Dockerfile"\n');
  cache.invalidate(abs('deploy/fly.toml'));
  const r = resolveContexts(abs('app/Dockerfile'), fs, { cache });
  assert.equal(r.contexts[0].source, 'fly');
  assert.equal(r.contexts[0].contextDir, abs('deploy'));
  fs.remove('deploy');
  cache.invalidate(abs('deploy'));
  assert.equal(resolveContexts(abs('app/Dockerfile'), fs, { cache }).contexts[0].source, 'default');
});

test('a missing ignorefile named by fly.toml is a problem and the default ignore file applies', () => {
  const fs = new MemoryFs(ROOT, {
    'fly.toml': '[build]\nignorefile = "nope"\n',
    Dockerfile: 'FROM x',
    '.dockerignore': '',
  });
  const { contexts, problems } = resolveContexts(abs('Dockerfile'), fs);
  assert.equal(contexts[0].ignoreFile, abs('.dockerignore'));
  assert.ok(problems.some((p) => p.message.includes('nope') && p.message.includes('does not exist')));
});

test('interpolateCompose', () => {
  assert.deepEqual(interpolateCompose('./a'), { value: './a' });
  assert.deepEqual(interpolateCompose('${X:-./b}/c'), { value: './b/c' });
  assert.deepEqual(interpolateCompose('${X-d}'), { value: 'd' });
  assert.deepEqual(interpolateCompose('$$HOME'), { value: '$HOME' });
  assert.deepEqual(interpolateCompose('$HOME/x'), { unknown: '$HOME' });
  assert.deepEqual(interpolateCompose('${X'), { unknown: '${X' });
});

test('readBakeHcl: bounded on hostile input', () => {
  const deep = 'target "a" {\n' + 'x = '.concat('['.repeat(5000), ']'.repeat(5000)) + '\n}\n';
  // Each is linear in its size; the bound is loose because CI shares the machine.
  for (const text of [
    deep,
    '"'.repeat(100_000),
    '{'.repeat(100_000),
    'a = "${'.repeat(20_000),
    '/*',
    '<<EOT\n',
    'a = <<EOT\n'.repeat(20_000),
    'target "a" { context = "." }\n'.repeat(10_000),
  ]) {
    const t0 = Date.now();
    const r = readBakeHcl(text);
    assert.ok(r.targets instanceof Map);
    assert.ok(Date.now() - t0 < 3000, `hostile HCL took too long: ${text.slice(0, 20)}`);
  }
  assert.ok(readBakeHcl(deep).problems.length > 0);
  assert.equal(readBakeHcl('target "a" { context = "." }\n').targets.get('a')?.context, '.');
});

test('compose: a billion-laughs alias bomb is a problem, in bounded time', () => {
  let yaml = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (const n of 'bcdefghij') {
    yaml += `${n}: &${n} [${Array(9)
      .fill('*' + prev)
      .join(',')}]\n`;
    prev = n;
  }
  yaml += 'services:\n  web:\n    build: .\n    x: *j\n';
  const fs = new MemoryFs(ROOT, { 'compose.yaml': yaml, Dockerfile: 'FROM x' });
  const t0 = Date.now();
  const { contexts, problems } = resolveContexts(abs('Dockerfile'), fs);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(contexts[0].source, 'default');
  assert.match(problems[0].message, /alias/);
});
