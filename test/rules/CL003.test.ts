import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL003', {
  valid: [
    // used right away
    'FROM alpine\nARG VERSION\nRUN echo $VERSION > /v\nRUN apk add curl',
    // not volatile by name, not fed to a LABEL
    'FROM node:20\nARG NODE_ENV=production\nRUN npm ci\nENV NODE_ENV=$NODE_ENV',
    // never referenced: may be a deliberate cache bust
    'FROM alpine\nARG CACHEBUST=1\nRUN apk add git\nRUN git clone https://example.com/x.git',
    // the global ARG used in FROM is not a stage ARG
    'ARG VERSION=3.19\nFROM alpine:${VERSION}\nRUN apk add curl',
    // no RUN between declaration and use
    'FROM alpine\nRUN apk add curl\nARG GIT_SHA\nLABEL rev=$GIT_SHA',
  ],
  invalid: [
    {
      name: 'python -m venv runs a tool, not the project: the move stays safe (found by the real-build benchmark)',
      code: [
        'FROM python:3.12',
        'ARG BUILD_DATE',
        'RUN python3 -m venv /opt/venv',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'LABEL org.opencontainers.image.created=$BUILD_DATE',
      ].join('\n'),
      errors: [{ line: 2 }],
      output: [
        'FROM python:3.12',
        'RUN python3 -m venv /opt/venv',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'ARG BUILD_DATE',
        'LABEL org.opencontainers.image.created=$BUILD_DATE',
      ].join('\n'),
    },
    {
      name: 'label arg at the top of the stage',
      code: [
        'FROM node:20',
        'ARG GIT_SHA',
        'WORKDIR /app',
        'COPY package.json package-lock.json ./',
        'RUN npm ci',
        'COPY . .',
        'LABEL org.opencontainers.image.revision=$GIT_SHA',
      ].join('\n'),
      errors: [{ line: 2, message: 'the RUN step between here and its first use (line 7)' }],
      output: [
        'FROM node:20',
        'WORKDIR /app',
        'COPY package.json package-lock.json ./',
        'RUN npm ci',
        'COPY . .',
        'ARG GIT_SHA',
        'LABEL org.opencontainers.image.revision=$GIT_SHA',
      ].join('\n'),
    },
    {
      name: 'any name fed to a LABEL, comment moves along, ${} form',
      code: [
        'FROM debian:12',
        '# when the image was built',
        'ARG CREATED',
        'RUN apt-get update && apt-get install -y curl',
        'RUN curl --version',
        '# metadata',
        'LABEL created="${CREATED}"',
      ].join('\n'),
      errors: [{ line: 3, message: '2 RUN steps' }],
      output: [
        'FROM debian:12',
        'RUN apt-get update && apt-get install -y curl',
        'RUN curl --version',
        '# when the image was built',
        'ARG CREATED',
        '# metadata',
        'LABEL created="${CREATED}"',
      ].join('\n'),
    },
    {
      name: 'moving past a step that runs project code is only a quick fix',
      code: ['FROM node:20', 'ARG VERSION', 'COPY . .', 'RUN npm run build', 'ENV APP_VERSION=$VERSION'].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'multi-name ARG: reported, not moved',
      code: ['FROM alpine', 'ARG PORT=80 BUILD_DATE', 'RUN apk add curl', 'LABEL created=$BUILD_DATE'].join('\n'),
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'two stages, each its own ARG',
      code: [
        'FROM golang:1.22 AS build',
        'ARG COMMIT',
        'RUN go mod download',
        'RUN go build -ldflags "-X main.commit=${COMMIT}" -o /app .',
        'FROM alpine',
        'ARG COMMIT',
        'RUN apk add ca-certificates',
        'LABEL commit=$COMMIT',
      ].join('\n'),
      errors: [{ line: 2 }, { line: 6 }],
      output: [
        'FROM golang:1.22 AS build',
        'RUN go mod download',
        'ARG COMMIT',
        'RUN go build -ldflags "-X main.commit=${COMMIT}" -o /app .',
        'FROM alpine',
        'RUN apk add ca-certificates',
        'ARG COMMIT',
        'LABEL commit=$COMMIT',
      ].join('\n'),
    },
  ],
});
