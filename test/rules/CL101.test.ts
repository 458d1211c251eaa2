import { ruleTester } from '../helpers/ruleTester';

const node =
  'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';

ruleTester('CL101', {
  valid: [
    {
      name: 'a copy of one folder that holds nothing volatile: an ignore file would change nothing',
      code: 'FROM grafana/grafana:11.0.0\nADD ./provisioning /etc/grafana/provisioning\n',
      files: { 'provisioning/datasources/a.yml': 'x', 'provisioning/dashboards/b.yml': 'x', Dockerfile: '' },
    },
    {
      name: 'a COPY source the context lacks: the context is uncertain (CL109): CL101 says nothing, writes nothing',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY services/web ./services/web\nCOPY . .\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'index.js': '', '.git/HEAD': '' },
    },
    {
      name: 'an ignore file exists',
      code: node,
      files: { '.dockerignore': '.git\n', 'package.json': '{}', 'src/a.js': '' },
    },
    {
      name: 'a per-Dockerfile ignore file exists',
      code: node,
      files: { 'Dockerfile.dockerignore': '.git\n', 'package.json': '{}' },
    },
    {
      name: 'only named files are copied',
      code: 'FROM node:20\nCOPY package.json index.js ./\nRUN npm ci\n',
      files: { 'package.json': '{}', 'index.js': '', '.git/HEAD': '' },
    },
    {
      name: 'a glob names files, not a folder',
      code: 'FROM golang:1.22\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY *.go ./\n',
      files: { 'go.mod': '', 'go.sum': '', 'main.go': '', '.git/HEAD': '' },
    },
    {
      name: 'copies from another stage only',
      code: 'FROM node:20 AS b\nRUN echo\nFROM nginx\nCOPY --from=b /app /usr/share/nginx/html\n',
      files: { 'x.txt': '' },
    },
  ],
  invalid: [
    {
      name: 'entries chosen from the real files: .git, nested node_modules, outputs, logs, the Dockerfile',
      code: node,
      files: {
        Dockerfile: node,
        'package.json': '{}',
        'package-lock.json': '{}',
        'src/index.js': 'x',
        '.git/HEAD': 'ref',
        '.git/objects/ab': '12345',
        'node_modules/a/index.js': 'x',
        'packages/web/node_modules/b/index.js': 'x',
        'dist/main.js': 'x',
        'npm-debug.log': 'x',
        '.vscode/settings.json': '{}',
      },
      errors: [
        {
          line: 5,
          message:
            /^No ignore file applies: `COPY \. \.` sends the whole context \(11 files\), including `\.git\/` \(2 files, 8 B\), `node_modules\/` and more \(2 files, 2 B\), `dist\/` \(1 file, 1 B\)\. Create `\.dockerignore`\.$/,
        },
      ],
      output: { '.dockerignore': '.git\n**/node_modules\ndist\n**/*.log\n.vscode\nDockerfile\n.env*\n.dockerignore\n' },
    },
    {
      name: 'no install: host node_modules are what the image runs, so they stay; no build: dist stays',
      code: 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/dist/index.js"]\n',
      files: { 'package.json': '{}', 'node_modules/a/i.js': '', 'dist/index.js': '', '.git/HEAD': '' },
      errors: [{ line: 2 }],
      output: { '.dockerignore': '.git\n.env*\n**/*.log\n.dockerignore\n' },
    },
    {
      name: 'secrets: the safe fix leaves .env in, the unsafe one takes it out; templates stay',
      code: 'FROM python:3.12\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n',
      files: {
        'requirements.txt': 'flask',
        'app.py': '',
        '.env': 'SECRET=1',
        '.env.example': 'SECRET=',
        'app/__pycache__/x.pyc': '',
        '.venv/pyvenv.cfg': '',
      },
      errors: [{ line: 5, message: '`.env`' }],
      output: { '.dockerignore': '**/__pycache__\n**/.venv\n**/*.log\n.dockerignore\n' },
      fixes: [
        [
          'Create .dockerignore (**/__pycache__, **/.venv, **/*.log, .dockerignore)',
          'Create .dockerignore (**/__pycache__, **/.venv, **/.env, **/*.log, .dockerignore)',
        ],
      ],
    },
    {
      name: 'an entry that would shut out a named source is left out',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCOPY dist/extra.txt /extra.txt\n',
      files: { 'package.json': '{}', 'dist/extra.txt': '', '.git/HEAD': '' },
      errors: [{ line: 5 }],
      output: { '.dockerignore': '.git\n**/node_modules\n.env*\n**/*.log\n.dockerignore\n' },
    },
    {
      name: 'a folder copy',
      code: 'FROM python:3.12\nCOPY app/ /srv/app/\n',
      files: { 'app/main.py': '', 'app/__pycache__/main.cpython-312.pyc': '' },
      errors: [{ line: 2, message: 'sends the 2 files under `app`, including `app/__pycache__/`' }],
      output: { '.dockerignore': '**/__pycache__\n.env*\n**/*.log\n.dockerignore\n' },
    },
    {
      // a fresh clone has no target/ or .env yet; the developer's checkout will: the new file guards them
      name: "the ecosystem's local-only paths are listed though a fresh clone lacks them",
      code: 'FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n',
      files: { 'Cargo.toml': '', 'Cargo.lock': '', 'src/main.rs': '' },
      errors: [{ line: 3 }],
      output: { '.dockerignore': 'target\n.env*\n**/*.log\n.dockerignore\n' },
    },
    {
      name: '.NET bin/obj, but not a bin/ the Dockerfile copies nor one the checkout holds',
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /out\nCOPY tools/bin/run.sh /usr/local/bin/\n',
      files: { 'App.csproj': '', 'Program.cs': '', 'tools/bin/run.sh': '' },
      errors: [{ line: 3 }],
      output: { '.dockerignore': '**/obj\n.env*\n**/*.log\n.dockerignore\n' },
    },
  ],
});
