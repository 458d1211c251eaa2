// A small Flask app in two stages (a venv built in `deps`, copied into the
// final image) and 22 commits of its life: source edits, requirement bumps,
// docs-only, test-only and CI-only commits, a .dockerignore edit, a rename, a
// binary file, Dockerfile edits (the install's flags through an ARG default,
// an ENV line, a LABEL) and a BUILD_DATE build argument that CI sets anew on
// every build. The wheels come from the Debian base image's wheelhouse
// (bench/realbuild/base/debian-base.sh): flask and requests with their dependencies.

const FLASK = [
  'flask==2.2.2',
  'werkzeug==2.2.2',
  'jinja2==3.1.2',
  'markupsafe==2.1.2',
  'itsdangerous==2.1.2',
  'click==8.1.3',
];
const REQUESTS = [
  'requests==2.28.1',
  'urllib3==1.26.12',
  'idna==3.3',
  'certifi==2022.9.24',
  'charset-normalizer==3.0.1',
];
const requirements = (pins) => `# pinned (pip-compile style)\n${pins.join('\n')}\n`;

const dockerfile = ({ pipFlags = '', env = '', label = '' } = {}) =>
  `FROM localhost/cachelens-debian-base AS deps
WORKDIR /src
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
ARG PIP_FLAGS=${pipFlags}
COPY requirements.txt .
RUN pip install $PIP_FLAGS -r requirements.txt

FROM localhost/cachelens-debian-base
ARG BUILD_DATE
LABEL org.opencontainers.image.created=$BUILD_DATE
${label}COPY --from=deps /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
${env}WORKDIR /app
COPY main.py .
COPY app ./app
CMD ["python", "main.py"]
`;

const main = (port) => `from app.routes import create_app

if __name__ == "__main__":
    create_app().run(host="0.0.0.0", port=${port})
`;
const routes = (greeting, mod = 'util') => `from flask import Flask
from app.${mod} import shout


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return shout("${greeting}")

    return app
`;
const util = (mark) => `def shout(text):
    return text.upper() + "${mark}"
`;

export default {
  name: 'python-app',
  description: 'Python (pip) Flask app, two stages: venv built in `deps`, `COPY --from=deps`',
  commits: [
    {
      message: 'initial: flask app, tests, docs, CI',
      files: {
        Dockerfile: dockerfile(),
        '.dockerignore': '.git\n**/__pycache__\ndocs\ntests\n*.md\n',
        'requirements.txt': requirements(FLASK),
        'main.py': main(8000),
        'app/__init__.py': '',
        'app/routes.py': routes('hello'),
        'app/util.py': util('!'),
        'app/fixtures/sample.json': '{"a": 1}\n',
        'tests/test_routes.py': 'def test_index():\n    assert True\n',
        'README.md': '# replay-python-app\n',
        'docs/api.md': '# API\n\nGET /\n',
        '.github/workflows/ci.yml': 'name: ci\non: [push]\n',
      },
    },
    { kind: 'source', message: 'source edit', files: { 'app/routes.py': routes('hello there') } },
    { kind: 'docs', message: 'docs only', files: { 'docs/api.md': '# API\n\nGET / says hello\n' } },
    { kind: 'ci', message: 'CI only', files: { '.github/workflows/ci.yml': 'name: ci\non: [push, pull_request]\n' } },
    { kind: 'lockfile', message: 'add requests', files: { 'requirements.txt': requirements([...FLASK, ...REQUESTS]) } },
    { kind: 'source', message: 'source edit', files: { 'main.py': main(8080) } },
    { kind: 'tests', message: 'tests only', files: { 'tests/test_routes.py': 'def test_index():\n    assert 1\n' } },
    {
      kind: 'dockerignore',
      message: '.dockerignore edit: leave test fixtures out',
      files: { '.dockerignore': '.git\n**/__pycache__\ndocs\ntests\n*.md\napp/fixtures\n' },
    },
    { kind: 'source', message: 'fixture edit, now ignored', files: { 'app/fixtures/sample.json': '{"a": 2}\n' } },
    {
      kind: 'dockerfile',
      message: 'Dockerfile edit: pip flags through the ARG default',
      files: { Dockerfile: dockerfile({ pipFlags: '--no-compile' }) },
    },
    { kind: 'source', message: 'source edit', files: { 'app/util.py': util('!!') } },
    {
      kind: 'dockerfile',
      message: 'Dockerfile edit: an ENV line in the final stage',
      files: { Dockerfile: dockerfile({ pipFlags: '--no-compile', env: 'ENV PYTHONUNBUFFERED=1\n' }) },
    },
    { kind: 'docs', message: 'README only', files: { 'README.md': '# replay-python-app\n\nFlask.\n' } },
    {
      kind: 'rename',
      message: 'rename app/util.py → app/text.py',
      rename: ['app/util.py', 'app/text.py'],
      files: { 'app/routes.py': routes('hello there', 'text') },
    },
    {
      kind: 'lockfile',
      message: 'add chardet',
      files: { 'requirements.txt': requirements([...FLASK, ...REQUESTS, 'chardet==5.1.0']) },
    },
    {
      kind: 'binary',
      message: 'add a binary file',
      files: { 'app/static/icon.ico': Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 0xff, 0xfe]) },
    },
    {
      kind: 'dockerfile',
      message: 'Dockerfile edit, config only: a LABEL',
      files: {
        Dockerfile: dockerfile({
          pipFlags: '--no-compile',
          env: 'ENV PYTHONUNBUFFERED=1\n',
          label: 'LABEL org.opencontainers.image.source=https://example.com/replay\n',
        }),
      },
    },
    { kind: 'ci', message: 'CI only', files: { '.github/workflows/ci.yml': 'name: ci\non: [push]\n' } },
    { kind: 'source', message: 'source edit', files: { 'app/routes.py': routes('hi', 'text') } },
    { kind: 'tests', message: 'tests only', files: { 'tests/test_text.py': 'def test_shout():\n    assert True\n' } },
    {
      kind: 'lockfile',
      message: 'requirements: comment only',
      // the forecast's documented upper bound for COPY --from
      known: Object.fromEntries(
        ['COPY --from=deps /opt/venv /opt/venv', 'WORKDIR /app', 'COPY main.py .', 'COPY app ./app'].map((step) => [
          step,
          'COPY --from compares the copied files: the requirements edit changed only a comment, so `COPY requirements.txt` and `pip install` re-ran (forecast right) but installed the same files, BuildKit found /opt/venv unchanged and the final stage hit from there on. The forecast cannot know that a re-run step yields the same output, so it counts a COPY --from after a miss in its stage as a miss (an upper bound, documented in the model).',
        ]),
      ),
      files: {
        'requirements.txt': `# pinned (pip-compile style), see docs\n${[...FLASK, ...REQUESTS, 'chardet==5.1.0'].join('\n')}\n`,
      },
    },
    { kind: 'source', message: 'source edit', files: { 'main.py': main(8000) } },
  ],
};
