import { ruleTester } from '../helpers/ruleTester';

const pkg = (dev: Record<string, string>) => ({
  'package.json': JSON.stringify({ name: 'a', devDependencies: dev }),
  'package-lock.json': '{}',
});

ruleTester('CL302', {
  valid: [
    'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build',
    // the production install comes after the build
    'FROM node:20\nCOPY . .\nRUN npm ci && npm run build && npm prune --omit=dev',
    // a later full install wins
    'FROM node:20\nCOPY . .\nRUN npm ci --omit=dev\nRUN npm ci\nRUN npm run build',
    // no build
    'FROM node:20\nCOPY . .\nRUN npm ci --only=production\nCMD ["node", "server.js"]',
    // the package has no dev dependencies: nothing is left out
    { code: 'FROM node:20\nCOPY . .\nRUN npm ci --omit=dev\nRUN npm run build', files: pkg({}) },
  ],
  invalid: [
    {
      name: 'the seed bug',
      code: [
        'FROM node:20 AS build',
        'WORKDIR /app',
        'COPY package*.json ./',
        'RUN npm ci --only=production',
        'COPY . .',
        'RUN npm run build',
        'FROM node:20-slim',
        'COPY --from=build /app /app',
        'CMD ["node", "/app/dist/server.js"]',
      ].join('\n'),
      files: pkg({ typescript: '^5', '@types/node': '^20' }),
      errors: [
        {
          line: 6,
          message:
            '`npm run build` runs after `npm ci --only=production` (line 4) left out the dev dependencies (typescript, @types/node)',
        },
      ],
      output: [
        'FROM node:20 AS build',
        'WORKDIR /app',
        'COPY package*.json ./',
        'RUN npm ci',
        'COPY . .',
        'RUN npm run build',
        'RUN npm prune --omit=dev',
        'FROM node:20-slim',
        'COPY --from=build /app /app',
        'CMD ["node", "/app/dist/server.js"]',
      ].join('\n'),
    },
    {
      name: 'NODE_ENV=production from ENV: add --include=dev, keep the ENV',
      code: [
        'FROM node:20',
        'ENV NODE_ENV=production',
        'WORKDIR /app',
        'COPY . .',
        'RUN npm ci \\',
        '  && npx tsc -p .',
        'CMD ["node", "dist/index.js"]',
      ].join('\n'),
      errors: [{ line: 5, message: 'with NODE_ENV=production' }],
      output: [
        'FROM node:20',
        'ENV NODE_ENV=production',
        'WORKDIR /app',
        'COPY . .',
        'RUN npm ci --include=dev \\',
        '  && npx tsc -p .',
        'RUN npm prune --omit=dev',
        'CMD ["node", "dist/index.js"]',
      ].join('\n'),
    },
    {
      name: 'pnpm --prod, flag with a separate value for npm left alone',
      code: ['FROM node:20', 'COPY . .', 'RUN pnpm install --prod --frozen-lockfile', 'RUN pnpm run build'].join('\n'),
      errors: [{ line: 4 }],
      output: [
        'FROM node:20',
        'COPY . .',
        'RUN pnpm install --frozen-lockfile',
        'RUN pnpm run build',
        'RUN pnpm prune --prod',
      ].join('\n'),
    },
    {
      name: 'yarn has no prune in the table: reported, no fix',
      code: ['FROM node:20', 'COPY . .', 'RUN yarn install --production', 'RUN yarn build'].join('\n'),
      errors: [{ line: 4 }],
      output: null,
    },
  ],
});
