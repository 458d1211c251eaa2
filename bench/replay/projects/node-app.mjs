// A small Node web app and 23 commits of its life: source edits, a new file,
// a rename, a binary asset, lockfile bumps, docs-only and CI-only commits, a
// .dockerignore added and then edited, Dockerfile edits (config-only, an ENV
// change, a RUN flag) and a build argument that the CI config changes.
// Each commit lists only the files it writes (null deletes); `buildArgs` is
// what CI passes to `docker build` (the harness adds GIT_SHA=<commit> on every build).
//
// The lockfiles name only packages the node base image has in its offline npm
// cache (bench/realbuild/base/node-base.sh caches the realbuild projects' lockfiles).

const PKG = {
  ms: {
    '2.0.0': 'sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==',
    '2.1.3': 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
  },
  cookie: {
    '0.7.1': 'sha512-6DnInpx7SJ2AK3+CTUE/ZM0vWTUboZCegxhC2xiIydHR9jNuTAASBrfEpHhiGOZw/nX51bHt6YQl8jsGo4y/0w==',
    '0.7.2': 'sha512-yki5XnKuf750l50uGTllt6kKILY4nQ1eNIQatoXEByZ5dWgnKqbnqmTrBE5B4N7lrMJKQ2ytWMiTO2o0v6Ew/w==',
  },
};

function manifests(deps) {
  const pkg = {
    name: 'replay-node-app',
    version: '1.0.0',
    private: true,
    scripts: { build: 'node scripts/build.js', start: 'node dist/server.js' },
    dependencies: deps,
  };
  const packages = { '': { name: pkg.name, version: pkg.version, dependencies: deps } };
  for (const [name, version] of Object.entries(deps))
    packages[`node_modules/${name}`] = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
      integrity: PKG[name][version],
      license: 'MIT',
    };
  const lock = { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
  };
}

const dockerfile = ({
  expose = 3000,
  env = 'ENV NODE_ENV=production',
  build = 'RUN npm run build',
  extra = '',
  label = 'LABEL maintainer=team@example.com',
} = {}) =>
  `FROM localhost/cachelens-node-base
${label}
WORKDIR /app
${env}
COPY . .
RUN npm ci
ARG LOG_LEVEL=info
${build}
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA
${extra}EXPOSE ${expose}
CMD ["node", "dist/server.js"]
`;

const server = (greeting, fmt = './format') => `const http = require('http');
const { format } = require('${fmt}');
const port = Number(process.env.PORT || 3000);
http
  .createServer((req, res) => res.end(format('${greeting}', req.url)))
  .listen(port, () => console.log('listening on', port));
`;

const format = (unit) => `const ms = require('ms');
exports.format = (greeting, url) => \`\${greeting} \${url} (uptime \${ms(Math.round(process.uptime() * 1000))}${unit})\\n\`;
`;

const buildScript = `// Copies src/ to dist/ with a banner: the app's "build".
const fs = require('fs');
const path = require('path');
fs.mkdirSync('dist', { recursive: true });
for (const f of fs.readdirSync('src')) {
  const text = fs.readFileSync(path.join('src', f), 'utf8');
  fs.writeFileSync(path.join('dist', f), '// built\\n' + text);
}
console.log('built', fs.readdirSync('dist').length, 'files');
`;

const ci = (node) => `name: ci
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker build --build-arg GIT_SHA=\${{ github.sha }} $(sed 's/^/--build-arg /' ci/build-args.env) .
      - run: echo node ${node}
`;

// 8 bytes of PNG signature and some bytes that are not text
const png = (seed) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, seed, 0xff, 0xfe, 0]);

export default {
  name: 'node-app',
  description: 'Node (npm) web app, single stage, `COPY . .` before `npm ci`',
  commits: [
    {
      message: 'initial: http server, build script, README, CI',
      files: {
        Dockerfile: dockerfile(),
        ...manifests({ ms: '2.0.0' }),
        'src/server.js': server('hello'),
        'src/format.js': format(''),
        'scripts/build.js': buildScript,
        'README.md': '# replay-node-app\n\nA tiny server.\n',
        'docs/usage.md': '# Usage\n\nnpm start\n',
        '.github/workflows/ci.yml': ci(20),
        'ci/build-args.env': 'LOG_LEVEL=info\n',
      },
    },
    { kind: 'source', message: 'source edit', files: { 'src/format.js': format(' ms') } },
    { kind: 'docs', message: 'docs only', files: { 'docs/usage.md': '# Usage\n\nnpm start, then open :3000\n' } },
    {
      kind: 'dockerignore',
      message: 'add a .dockerignore',
      files: { '.dockerignore': '.git\nnode_modules\ndist\ndocs\n*.md\nDockerfile\n.dockerignore\n' },
    },
    { kind: 'source', message: 'source edit', files: { 'src/server.js': server('hello there') } },
    { kind: 'docs', message: 'README only', files: { 'README.md': '# replay-node-app\n\nA tiny HTTP server.\n' } },
    { kind: 'ci', message: 'CI only', files: { '.github/workflows/ci.yml': ci(22) } },
    {
      kind: 'dockerignore',
      message: '.dockerignore edit: keep CI files out',
      files: { '.dockerignore': '.git\nnode_modules\ndist\ndocs\n*.md\nDockerfile\n.dockerignore\n.github\nci\n' },
    },
    { kind: 'ci', message: 'CI only, now ignored', files: { '.github/workflows/ci.yml': ci(24) } },
    { kind: 'lockfile', message: 'bump ms 2.0.0 → 2.1.3', files: manifests({ ms: '2.1.3' }) },
    {
      kind: 'source',
      message: 'new source file',
      files: { 'src/routes.js': "exports.routes = ['/', '/health'];\n" },
    },
    {
      kind: 'dockerfile',
      message: 'Dockerfile edit, config only: LABEL, EXPOSE, HEALTHCHECK',
      files: {
        Dockerfile: dockerfile({
          expose: 8080,
          label: 'LABEL maintainer=web-team@example.com',
          extra: 'HEALTHCHECK CMD wget -qO- localhost:8080 || exit 1\n',
        }),
      },
    },
    { kind: 'docs', message: 'docs only', files: { 'docs/usage.md': '# Usage\n\nnpm start; PORT=8080\n' } },
    {
      kind: 'dockerfile',
      message: 'Dockerfile edit: an ENV line before COPY . .',
      files: {
        Dockerfile: dockerfile({
          expose: 8080,
          label: 'LABEL maintainer=web-team@example.com',
          env: 'ENV NODE_ENV=production NPM_CONFIG_LOGLEVEL=warn',
          extra: 'HEALTHCHECK CMD wget -qO- localhost:8080 || exit 1\n',
        }),
      },
    },
    {
      kind: 'build-arg',
      message: 'CI passes LOG_LEVEL=debug',
      files: { 'ci/build-args.env': 'LOG_LEVEL=debug\n' },
      // what a build misses when its arguments change is outside the repository's history
      known: {
        'RUN npm run build':
          'a build argument that only the CI passes (`--build-arg LOG_LEVEL=debug` from ci/build-args.env, a file the build context ignores) reaches this RUN; the forecast reads the Dockerfile and the context, not how CI calls `docker build`, so it assumes the same arguments on every build except the volatile names (GIT_SHA, BUILD_DATE, …).',
      },
    },
    {
      kind: 'rename',
      message: 'rename src/format.js → src/fmt.js',
      rename: ['src/format.js', 'src/fmt.js'],
      files: { 'src/server.js': server('hello there', './fmt') },
    },
    { kind: 'lockfile', message: 'add cookie 0.7.1', files: manifests({ ms: '2.1.3', cookie: '0.7.1' }) },
    {
      kind: 'source',
      message: 'source edit',
      files: { 'src/routes.js': "exports.routes = ['/', '/health', '/v1'];\n" },
    },
    { kind: 'binary', message: 'add a binary asset', files: { 'src/logo.png': png(1) } },
    {
      kind: 'dockerfile',
      message: 'Dockerfile edit: a flag on the build RUN',
      files: {
        Dockerfile: dockerfile({
          expose: 8080,
          label: 'LABEL maintainer=web-team@example.com',
          env: 'ENV NODE_ENV=production NPM_CONFIG_LOGLEVEL=warn',
          build: 'RUN npm run build --silent',
          extra: 'HEALTHCHECK CMD wget -qO- localhost:8080 || exit 1\n',
        }),
      },
    },
    { kind: 'lockfile', message: 'bump cookie 0.7.1 → 0.7.2', files: manifests({ ms: '2.1.3', cookie: '0.7.2' }) },
    { kind: 'binary', message: 'binary asset edit', files: { 'src/logo.png': png(2) } },
    {
      kind: 'docs',
      message: 'README only',
      files: { 'README.md': '# replay-node-app\n\nA tiny HTTP server; see docs/.\n' },
    },
    { kind: 'source', message: 'source edit', files: { 'src/server.js': server('hi', './fmt') } },
  ],
};
