import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL303', {
  valid: [
    // only the artifacts
    'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=build /out/app /app',
    // a deps stage that never saw the sources
    'FROM node:20 AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=deps /app ./\nCOPY . .',
    // an interpreted app runs from its sources: nothing was built to copy instead
    'FROM python:3.12 AS builder\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\nFROM python:3.12-slim\nCOPY --from=builder /app /app',
    // not the final stage
    'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nFROM build AS test\nCOPY --from=build /app /x\nFROM alpine\nRUN true',
  ],
  invalid: [
    {
      code: [
        'FROM node:20 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN npm ci && npm run build',
        'FROM node:20-slim',
        'COPY --from=build /app /app',
        'CMD ["node", "/app/dist/server.js"]',
      ].join('\n'),
      errors: [{ line: 6, message: 'Copy only what runs: `/app/dist`, `/app/package.json`, `/app/node_modules`.' }],
      output: null,
    },
    {
      name: 'the whole stage, by index, from a stage built on one that copied the sources',
      code: [
        'FROM golang:1.22 AS src',
        'WORKDIR /src',
        'COPY . .',
        'FROM src AS build',
        'RUN go build -o /out/app .',
        'FROM alpine',
        'COPY --from=1 / /',
      ].join('\n'),
      errors: [{ line: 7, message: 'brings the whole stage of `build`' }],
      output: null,
    },
  ],
});
