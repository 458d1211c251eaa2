// Build-file readers beyond compose/bake basics: compose of any name with
// include/extends, workflows, Makefiles, scripts, package.json, podman,
// inference from the COPY sources, contexts that cannot be read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { MemoryFs } from '../../server/src/context/fs';
import { BuildFileCache, resolveContexts, inferContext } from '../../server/src/context/resolve';
import { scanBuildCommands, shellWords } from '../../server/src/context/buildfiles/shellBuild';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { localCopySources } from '../../server/src/engine/copySources';

const ROOT = path.resolve('/ws');
const abs = (rel: string) => (rel === '' ? ROOT : path.join(ROOT, ...rel.split('/')));
const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');

interface Case {
  name: string;
  files: Record<string, string>;
  dockerfile: string;
  trusted?: boolean;
  copySources?: string[];
  /** [context (relative), ignore file (relative) or undefined, source, a word the reason contains] */
  expect: [string, string | undefined, string, string][];
  /** substrings some problem must contain */
  problems?: string[];
}

const wf = (steps: string, extra = '') => `on: push\n${extra}jobs:\n  build:\n    runs-on: ubuntu-latest\n${steps}`;

const cases: Case[] = [
  // compose
  {
    name: 'compose: any *compose*.yml name, in a nested .ci folder',
    files: {
      '.ci/deploy/docker-compose.ci.yml':
        'services:\n  app:\n    build:\n      context: ../..\n      dockerfile: docker/app.Dockerfile\n',
      'docker/app.Dockerfile': 'FROM x',
    },
    dockerfile: 'docker/app.Dockerfile',
    expect: [['', undefined, 'compose', '.ci/deploy/docker-compose.ci.yml service app']],
  },
  {
    name: 'compose: include (string, list, object with path), paths from the included file',
    files: {
      'compose.yaml': 'include:\n  - infra/services.yml\n  - path: [other/more.yml]\n',
      'infra/services.yml': 'services:\n  a:\n    build: ../a\n',
      'other/more.yml': 'include: ../infra/nested.yml\nservices:\n  b:\n    build: .\n    ',
      'infra/nested.yml': 'services:\n  c:\n    build:\n      context: ..\n      dockerfile: a/Dockerfile\n',
      'a/Dockerfile': 'FROM x',
      'other/Dockerfile': 'FROM x',
    },
    dockerfile: 'a/Dockerfile',
    expect: [
      ['a', undefined, 'compose', 'infra/services.yml service a'],
      ['', undefined, 'compose', 'infra/nested.yml service c'],
    ],
  },
  {
    name: 'compose: extends another file keeps the base context relative to the base file; own dockerfile wins',
    files: {
      'deploy/compose.yaml':
        'services:\n  web:\n    extends:\n      file: ../base/common.yml\n      service: base\n    build:\n      dockerfile: Dockerfile.web\n  worker:\n    extends: web\n',
      'base/common.yml': 'services:\n  base:\n    build:\n      context: ../app\n',
      'app/Dockerfile.web': 'FROM x',
    },
    dockerfile: 'app/Dockerfile.web',
    expect: [['app', undefined, 'compose', 'service web (build.context (extended) ../app)']],
  },
  {
    name: 'compose: an include outside the workspace is a problem, never read',
    files: {
      'compose.yaml': 'include:\n  - ../outside/compose.yml\nservices:\n  a:\n    build: .\n',
      Dockerfile: 'FROM x',
    },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'compose', 'service a']],
    problems: ['outside the workspace'],
  },
  {
    name: 'compose: a template with {{ }} is a problem, not a crash, and resolution goes on',
    files: {
      'deploy/docker-compose.tmpl.yml': 'services:\n  {{ .Name }}:\n    build: {{ .Dir }}\n',
      Dockerfile: 'FROM x',
    },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
    problems: ['deploy/docker-compose.tmpl.yml: looks like a template'],
  },
  // bake
  {
    name: 'bake: a target without context builds the bake file folder; inherits carries context and dockerfile',
    files: {
      'ci/docker-bake.hcl':
        'target "_common" {\n  dockerfile = "build.Dockerfile"\n}\ntarget "plain" {\n  inherits = ["_common"]\n}\ntarget "up" {\n  inherits = ["_common"]\n  context = ".."\n}\n',
      'ci/build.Dockerfile': 'FROM x',
      'build.Dockerfile': 'FROM x',
    },
    dockerfile: 'ci/build.Dockerfile',
    expect: [['ci', undefined, 'bake', '(context .)']],
  },
  {
    name: 'bake: an inherited dockerfile resolves in the child target context',
    files: {
      'ci/docker-bake.hcl':
        'target "_common" {\n  dockerfile = "build.Dockerfile"\n}\ntarget "up" {\n  inherits = ["_common"]\n  context = ".."\n}\n',
      'build.Dockerfile': 'FROM x',
    },
    dockerfile: 'build.Dockerfile',
    expect: [['', undefined, 'bake', 'target up (context ..)']],
  },
  // workflows
  {
    name: 'workflow: build-push-action context and file (file relative to the checkout)',
    files: {
      '.github/workflows/release.yml': wf(
        '    steps:\n      - uses: actions/checkout@v4\n      - name: Build\n        uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: ${{ github.workspace }}/services/api/Dockerfile\n',
      ),
      'services/api/Dockerfile': 'FROM x',
      '.dockerignore': '',
    },
    dockerfile: 'services/api/Dockerfile',
    expect: [['', '.dockerignore', 'workflow', 'build-push-action context .']],
  },
  {
    name: 'workflow: look-alike action without context is the Git context with the root Dockerfile',
    files: {
      '.github/workflows/ci.yaml': wf(
        '    steps:\n      - uses: depot/build-push-action@v1\n        with:\n          push: true\n',
      ),
      Dockerfile: 'FROM x',
      'sub/Dockerfile': 'FROM x',
    },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'workflow', 'Git context']],
  },
  {
    name: 'workflow: matrix include values and env expand into file',
    files: {
      '.github/workflows/images.yml': wf(
        '    strategy:\n      matrix:\n        include:\n          - variant: { file: docker/alpine.Dockerfile }\n          - variant: { file: docker/debian.Dockerfile }\n    env:\n      DF: ${{ matrix.variant.file }}\n    steps:\n      - uses: useblacksmith/build-push-action@v1\n        with:\n          context: ./\n          file: ${{ env.DF }}\n',
      ),
      'docker/alpine.Dockerfile': 'FROM x',
      'docker/debian.Dockerfile': 'FROM x',
    },
    dockerfile: 'docker/debian.Dockerfile',
    expect: [['', undefined, 'workflow', 'build-push-action context ./']],
  },
  {
    name: 'workflow: string literals of another expression are alternatives, kept only where the file exists',
    files: {
      '.github/workflows/ci.yml': wf(
        "    env:\n      DF: docker/${{ contains(matrix.x, 'nope') && 'single' || 'multi' }}/Dockerfile\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: ${{ env.DF }}\n",
      ),
      'docker/single/Dockerfile': 'FROM x',
      'docker/multi/Dockerfile': 'FROM x',
    },
    dockerfile: 'docker/multi/Dockerfile',
    expect: [['', undefined, 'workflow', 'build-push-action context .']],
  },
  {
    name: 'workflow: docker buildx build in run: with working-directory and a shell variable',
    files: {
      '.github/workflows/ci.yml': wf(
        '    defaults:\n      run:\n        working-directory: app\n    steps:\n      - run: |\n          FILE=deploy/Dockerfile\n          docker buildx build \\\n            --platform linux/amd64 -t x:1 \\\n            -f $FILE .\n',
      ),
      'app/deploy/Dockerfile': 'FROM x',
    },
    dockerfile: 'app/deploy/Dockerfile',
    expect: [['app', undefined, 'workflow', 'job build step 1 line 2']],
  },
  {
    name: 'workflow: a context that is only an expression is unknown; a missing context is a problem and then no context',
    files: {
      '.github/workflows/a.yml': wf(
        '    steps:\n      - uses: docker/build-push-action@v5\n        with:\n          context: ${{ inputs.dir }}\n          file: Dockerfile\n      - uses: docker/build-push-action@v5\n        with:\n          context: ctx\n          file: Dockerfile\n',
      ),
      Dockerfile: 'FROM x',
    },
    dockerfile: 'Dockerfile',
    expect: [],
    problems: ['the context folder ./ctx does not exist'],
  },
  // Makefiles, scripts, package.json
  {
    name: 'Makefile: -f with a variable matches existing files; context after the flags; $(DOCKER) build',
    files: {
      Makefile: 'DOCKER ?= docker\n\nimage:\n\t@$(DOCKER) build -t x --build-arg A=1 -f Dockerfile.$(ARCH) .\n',
      'Dockerfile.amd64': 'FROM x',
      'Dockerfile.arm64': 'FROM x',
      'other/Dockerfile': 'FROM x',
    },
    dockerfile: 'Dockerfile.arm64',
    expect: [['', undefined, 'script', 'Makefile line 4']],
  },
  {
    name: 'Makefile: recipe prefixes written apart (`@ docker build`, `- docker buildx build`), continued lines',
    files: {
      Makefile:
        'rpm:\n\t@ docker build \\\n\t\t-t rpm-builder \\\n\t\t-f packaging/rpm/Dockerfile \\\n\t\t.\ndeb:\n\t- docker buildx build --load -f packaging/deb/Dockerfile .\n',
      'packaging/rpm/Dockerfile': 'FROM x',
      'packaging/deb/Dockerfile': 'FROM x',
    },
    dockerfile: 'packaging/rpm/Dockerfile',
    expect: [['', undefined, 'script', 'Makefile line 2']],
  },
  {
    name: 'Makefile: `- docker buildx build` (errors ignored) names its Dockerfile too',
    files: {
      Makefile: 'deb:\n\t- docker buildx build --load -f packaging/deb/Dockerfile .\n',
      'packaging/deb/Dockerfile': 'FROM x',
    },
    dockerfile: 'packaging/deb/Dockerfile',
    expect: [['', undefined, 'script', 'Makefile line 2']],
  },
  {
    name: 'Makefile in a subfolder: paths from its folder, cd prefix understood',
    files: {
      'tools/build/Makefile': 'all:\n\tcd ../.. && docker build . -f tools/build/Dockerfile\n',
      'tools/build/Dockerfile': 'FROM x',
    },
    dockerfile: 'tools/build/Dockerfile',
    expect: [['', undefined, 'script', 'tools/build/Makefile line 2']],
  },
  {
    name: 'script: read from the repository root when the Dockerfile is not found from the script folder',
    files: {
      'scripts/build.sh': '#!/bin/sh\nset -e\ndocker build \\\n  -f docker/Dockerfile \\\n  -t app .\n',
      'docker/Dockerfile': 'FROM x',
    },
    dockerfile: 'docker/Dockerfile',
    expect: [['', undefined, 'script', 'scripts/build.sh line 3']],
  },
  {
    name: 'script: cd "$(dirname "$0")/.." moves to the folder above the script',
    files: { 'docker/ci/build.sh': 'cd "$(dirname "$0")/.."\ndocker build -t a .\n', 'docker/Dockerfile': 'FROM x' },
    dockerfile: 'docker/Dockerfile',
    expect: [['docker', undefined, 'script', 'docker/ci/build.sh line 2']],
  },
  {
    name: 'script: stdin, URL and variable-only contexts are skipped',
    files: {
      'build.sh':
        'tar c . | docker build -f Dockerfile -\ndocker build -f Dockerfile https://github.com/x/y.git\ndocker build -f Dockerfile "$CTX"\n',
      Dockerfile: 'FROM x',
    },
    dockerfile: 'Dockerfile',
    expect: [['', undefined, 'default', 'folder']],
  },
  {
    name: 'package.json scripts run in the package folder',
    files: {
      'apps/web/package.json': '{"scripts":{"docker":"docker build -f Dockerfile ../.."}}',
      'apps/web/Dockerfile': 'FROM x',
    },
    dockerfile: 'apps/web/Dockerfile',
    expect: [['', undefined, 'script', 'apps/web/package.json script "docker"']],
  },
  {
    name: 'GitLab CI and Jenkinsfile shell lines, from the repository root',
    files: {
      '.gitlab-ci.yml':
        'build:\n  script:\n    - docker login -u x\n    - docker build -f docker/Dockerfile -t $IMG $CI_PROJECT_DIR\n',
      Jenkinsfile: "pipeline { stages { stage('b') { steps { sh 'docker build -f ci/Dockerfile ci' } } } }\n",
      'docker/Dockerfile': 'FROM x',
      'ci/Dockerfile': 'FROM x',
    },
    dockerfile: 'docker/Dockerfile',
    expect: [['', undefined, 'ci', '.gitlab-ci.yml line 4']],
  },
  {
    name: 'Jenkinsfile sh steps',
    files: {
      Jenkinsfile: "pipeline { stages { stage('b') { steps {\n  sh 'docker build -f ci/Dockerfile ci'\n} } } }\n",
      'ci/Dockerfile': 'FROM x',
    },
    dockerfile: 'ci/Dockerfile',
    expect: [['ci', undefined, 'ci', 'Jenkinsfile line 2']],
  },
  // ignore files
  {
    name: 'podman build reads .containerignore before .dockerignore; docker never does',
    files: {
      Makefile: 'a:\n\tpodman build -f app/Containerfile app\nb:\n\tdocker build -f app/Containerfile app/sub\n',
      'app/Containerfile': 'FROM x',
      'app/.containerignore': '',
      'app/.dockerignore': '',
      'app/sub/.containerignore': '',
    },
    dockerfile: 'app/Containerfile',
    expect: [
      ['app', 'app/.containerignore', 'script', 'podman build'],
      ['app/sub', undefined, 'script', 'docker build'],
    ],
  },
  {
    name: 'a Containerfile nothing names uses .containerignore',
    files: { Containerfile: 'FROM x', '.containerignore': '' },
    dockerfile: 'Containerfile',
    expect: [['', '.containerignore', 'default', 'folder']],
  },
  // inference
  {
    name: 'inferred: the COPY sources exist in an ancestor, not beside the Dockerfile',
    files: { 'deploy/docker/Dockerfile': 'FROM x', 'package.json': '{}', 'src/index.js': '', 'deploy/x': '' },
    copySources: ['package.json', 'src/', 'lib/*.js', '.'],
    dockerfile: 'deploy/docker/Dockerfile',
    expect: [['', undefined, 'inferred', 'inferred from the COPY sources']],
  },
  {
    name: 'not inferred when the sources exist beside the Dockerfile, or when a build file names the context',
    files: { 'app/Dockerfile': 'FROM x', 'app/package.json': '{}', 'package.json': '{}' },
    copySources: ['package.json'],
    dockerfile: 'app/Dockerfile',
    expect: [['app', undefined, 'default', 'folder']],
  },
  {
    name: 'untrusted: workflows, scripts and compose includes are not read',
    files: {
      '.github/workflows/a.yml': wf(
        '    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: app/Dockerfile\n',
      ),
      Makefile: 'a:\n\tdocker build -f app/Dockerfile .\n',
      'app/Dockerfile': 'FROM x',
    },
    trusted: false,
    dockerfile: 'app/Dockerfile',
    expect: [['app', undefined, 'default', 'folder']],
  },
];

for (const c of cases) {
  test(`build files: ${c.name}`, () => {
    const fs = new MemoryFs(ROOT, c.files);
    const { contexts, problems } = resolveContexts(abs(c.dockerfile), fs, {
      trusted: c.trusted,
      copySources: c.copySources,
    });
    const got = contexts.map((r) => [rel(r.contextDir), r.ignoreFile && rel(r.ignoreFile), r.source, r.reason]);
    assert.equal(got.length, c.expect.length, `contexts: ${JSON.stringify(got)} problems: ${JSON.stringify(problems)}`);
    c.expect.forEach(([ctx, ignore, source, reasonPart], i) => {
      assert.deepEqual(got[i].slice(0, 3), [ctx, ignore, source], JSON.stringify(got[i]));
      assert.ok(String(got[i][3]).includes(reasonPart), `reason "${got[i][3]}" should include "${reasonPart}"`);
    });
    const messages = problems.map((p) => p.message);
    for (const want of c.problems ?? [])
      assert.ok(
        messages.some((m) => m.includes(want)),
        `problems ${JSON.stringify(messages)} should mention "${want}"`,
      );
    if (!c.problems) assert.deepEqual(messages, []);
  });
}

test('BuildFileCache: a change to an included compose file re-parses the file that includes it; a new Makefile is found', () => {
  const fs = new MemoryFs(ROOT, {
    'compose.yaml': 'include: [parts/svc.yml]\n',
    'parts/svc.yml': 'services:\n  a:\n    build: ../app\n',
    'app/Dockerfile': 'FROM x',
  });
  const cache = new BuildFileCache(fs);
  assert.equal(resolveContexts(abs('app/Dockerfile'), fs, { cache }).contexts[0].source, 'compose');
  fs.write('parts/svc.yml', 'services: {}\n');
  cache.invalidate(abs('parts/svc.yml'));
  assert.equal(resolveContexts(abs('app/Dockerfile'), fs, { cache }).contexts[0].source, 'default');
  fs.write('Makefile', 'i:\n\tdocker build -f app/Dockerfile .\n');
  cache.invalidate(abs('Makefile'));
  const r = resolveContexts(abs('app/Dockerfile'), fs, { cache });
  assert.deepEqual([r.contexts[0].source, r.contexts[0].contextDir], ['script', ROOT]);
});

test('a context named only outside the workspace gives no context, and one inside is kept', () => {
  const fs = new MemoryFs(ROOT, {
    Makefile: 'a:\n\tdocker build -f Dockerfile ..\nb:\n\tdocker build -f Dockerfile .\n',
    Dockerfile: 'FROM x',
  });
  const { contexts, problems } = resolveContexts(abs('Dockerfile'), fs);
  assert.deepEqual(
    contexts.map((c) => c.contextDir),
    [ROOT],
  );
  assert.ok(problems.some((p) => p.message.includes('outside the workspace')));
});

test('scanBuildCommands: continuations, buildx, value flags, a variable-only word is not the context', () => {
  const cmds = scanBuildCommands(
    'docker buildx build --push \\\n  --platform linux/amd64,linux/arm64 \\\n  $(BUILD_FLAGS) --file=x/Dockerfile --tag a:b ctx\ngo build ./...\npodman build -t y .\nbuildah bud -f Containerfile sub\ndocker run --rm x build .\n',
    { make: true },
  );
  assert.deepEqual(
    cmds.map((c) => [c.line, c.file, c.context, c.podman]),
    [
      [1, 'x/Dockerfile', 'ctx', false],
      [5, undefined, '.', true],
      [6, 'Containerfile', 'sub', true],
    ],
  );
  assert.deepEqual(shellWords(`cd "a b" && docker build -f 'c d' . # note`), [
    'cd',
    'a b',
    '&&',
    'docker',
    'build',
    '-f',
    'c d',
    '.',
  ]);
});

test('an unreadable or oversized script is skipped without a problem; an unreadable workflow is reported', () => {
  const big = 'docker build -f Dockerfile sub\n' + '#'.repeat(1024 * 1024);
  const fs = new MemoryFs(ROOT, {
    'build.sh': big,
    'sub/x': '',
    Dockerfile: 'FROM x',
    '.github/workflows/a.yml': 'jobs: {}\n\u0000',
  });
  const { contexts, problems } = resolveContexts(abs('Dockerfile'), fs);
  assert.deepEqual(
    contexts.map((c) => c.source),
    ['default'],
  );
  assert.deepEqual(
    problems.map((p) => p.message),
    ['.github/workflows/a.yml: could not be read (binary, unreadable or over 1 MiB)'],
  );
});

test('scanBuildCommands: bounded on a hostile text', () => {
  const t0 = Date.now();
  scanBuildCommands(
    'docker build -f $(('.repeat(20_000) + '\n' + 'docker build .\n'.repeat(5000) + '\\\n'.repeat(20_000),
  );
  assert.ok(Date.now() - t0 < 3000);
});

test('inferContext: the nearest ancestor holding the most sources; none when the own folder has them all', () => {
  const fs = new MemoryFs(ROOT, { 'a/b/Dockerfile': '', 'a/go.mod': '', 'go.mod': '', 'go.sum': '', 'a/b/x': '' });
  assert.equal(inferContext(fs, abs('a/b/Dockerfile'), ['go.mod', 'go.sum']), ROOT);
  assert.equal(inferContext(fs, abs('a/b/Dockerfile'), ['go.mod']), abs('a'));
  assert.equal(inferContext(fs, abs('a/b/Dockerfile'), ['x']), undefined);
  assert.equal(inferContext(fs, abs('a/b/Dockerfile'), ['missing']), undefined);
  assert.equal(inferContext(fs, abs('a/b/Dockerfile'), ['go.[ms]*']), abs('a'));
});

test('inferContext: a Dockerfile at the workspace root has no folder above to prefer, and nothing is read to find that out', () => {
  const fs = new MemoryFs(ROOT, { Dockerfile: '', 'a/go.mod': '' });
  const reads: string[] = [];
  const counting = Object.assign(Object.create(fs) as MemoryFs, {
    stat: (p: string) => {
      reads.push(p);
      return fs.stat(p);
    },
    readDir: (p: string) => {
      reads.push(p);
      return fs.readDir(p);
    },
  });
  assert.equal(inferContext(counting, abs('Dockerfile'), ['go.mod', 'a/*']), undefined);
  assert.deepEqual(reads, []);
  // below the root the sources are still looked for
  assert.equal(inferContext(counting, abs('a/Dockerfile'), ['missing']), undefined);
  assert.ok(reads.length > 0);
});

test('localCopySources: ARG defaults and ENV values expanded; stage copies, URLs, heredocs and unknown variables left out', () => {
  const model = parseDockerfile(
    [
      'ARG APP=web',
      'FROM node AS build',
      'ARG APP',
      'ENV SRC=apps/${APP}',
      'COPY ${SRC}/package.json /${LOCK:-pnpm-lock.yaml} ./',
      'COPY $UNKNOWN/x ./',
      'ADD https://example.com/a.tgz /tmp/',
      'COPY --from=build /out /out',
      'COPY <<EOF /etc/x',
      'hi',
      'EOF',
      'COPY --chown=1:1 src/ ./src/',
    ].join('\n'),
  );
  assert.deepEqual(localCopySources(model), ['apps/web/package.json', '/pnpm-lock.yaml', 'src/']);
});

test('localCopySources: a stage sees the ARGs and ENVs of its FROM chain up to each COPY, not those of other stages', () => {
  const model = parseDockerfile(
    [
      'ARG A=1',
      'FROM x AS base',
      'ARG A',
      'ENV P=/a/$A',
      'COPY $P/x ${Q:-d} .',
      'FROM base AS child',
      'COPY $P/early .',
      'ENV A=2',
      'COPY $A $P .',
      'FROM x',
      'COPY $P/other .',
      'FROM child',
      'COPY $A/last .',
    ].join('\n'),
  );
  assert.deepEqual(localCopySources(model), ['/a/1/x', 'd', '/a/1/early', '2', '/a/1', '2/last']);
});
