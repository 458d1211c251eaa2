import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL002', {
  valid: [
    {
      name: 'a step in between runs what the copy brings: that step places the install, no finding',
      code: 'FROM node:20\nWORKDIR /app\nCOPY scripts/ ./scripts/\nRUN ./scripts/setup.sh\nCOPY package.json ./\nRUN npm ci\n',
    },
    {
      name: 'a production re-install after a workspace build that may read the copy: its place is forced, no finding',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\nCOPY CHANGELOG.md ./\nRUN yarn workspace @x/app run build\nRUN yarn workspaces focus @x/app --production\n',
      files: { 'package.json': '{}', 'yarn.lock': '', 'CHANGELOG.md': '' },
    },
    {
      name: 'cargo chef cook builds a vendored path crate: vendor/ is an input',
      code: 'FROM rust:1.80 AS builder\nWORKDIR /app\nCOPY recipe.json recipe.json\nCOPY vendor vendor\nRUN cargo chef cook --release --recipe-path recipe.json\n',
      files: { 'recipe.json': '{}', 'vendor/axoasset/Cargo.toml': '', 'vendor/axoasset/src/lib.rs': '' },
    },
    {
      name: 'a COPY source the context does not have (CL109): no claim about what it brings',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY services/api ./services/api\nRUN npm ci\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'docs/a.md': 'x' },
    },
    // .yarn holds the yarnPath release yarn itself runs from: the install reads it
    {
      name: 'the .yarn folder is an install input',
      code: 'FROM node:20\nWORKDIR /app\nCOPY .yarn ./.yarn\nCOPY yarn.lock package.json .yarnrc.yml ./\nRUN yarn install --immutable\n',
    },
    {
      name: 'install right after its manifest',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY config/ ./config/\n',
    },
    {
      name: 'the copy feeds a postinstall hook (prisma)',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY prisma ./prisma\nRUN npm ci\n',
    },
    {
      name: 'the RUN uses the copied file',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY install-deps.sh /tmp/\nRUN /tmp/install-deps.sh && npm ci\n',
    },
    { name: 'broad copies are CL001', code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n' },
    { name: 'no install', code: 'FROM nginx\nCOPY README.md /usr/share/nginx/html/\nRUN echo ok\n' },
    {
      name: "a manifest copy that also brings a source file is CL001's",
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY app.py requirements.txt ./\nRUN pip install -r requirements.txt\n',
    },
  ],
  invalid: [
    {
      // the build reads src/: moving the RUN above the copy would build without it
      name: 'the install RUN also builds: reported, no move',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY src ./src\nRUN npm ci && npm run build\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'src/index.ts': 'x' },
      errors: [{ line: 4 }],
      output: null,
    },
    {
      name: 'a chown -R moved above the unrelated copy: the copy carries its owner',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY docs ./docs\nRUN chown -R node:node /app && npm ci\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'docs/a.md': 'x' },
      errors: [{ line: 4 }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN chown -R node:node /app && npm ci\nCOPY --chown=node:node docs ./docs\n',
    },
    {
      name: 'README before the install',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nCOPY README.md ./\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
      errors: [
        {
          line: 4,
          message:
            /`COPY README.md \.\/` copies `README.md` that `pip install -r requirements.txt` \(line 5\) does not read: each change to them re-runs the install\.$/,
        },
      ],
      output:
        'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY README.md ./\nCMD ["python", "app.py"]\n',
    },
    {
      name: 'unrelated copy before the manifest copy: both move up',
      code: 'FROM node:20\nWORKDIR /app\n# settings\nCOPY config/ ./config/\nCOPY package.json package-lock.json ./\nRUN npm ci\n',
      files: { 'config/a.json': '{}', 'package.json': '{}', 'package-lock.json': '{}' },
      errors: [{ line: 4, message: '1 file' }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n# settings\nCOPY config/ ./config/\n',
    },
    {
      name: "a copied folder holds a workspace member's package.json: the install reads it, no move",
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nCOPY packages/api ./packages/api\nRUN pnpm install --frozen-lockfile\n',
      files: {
        'package.json': '{}',
        'pnpm-lock.yaml': '',
        'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
        'packages/api/package.json': '{}',
        'packages/api/index.js': '',
      },
      errors: [{ line: 4 }],
      output: null,
    },
  ],
});
