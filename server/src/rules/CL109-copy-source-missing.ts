import * as path from 'node:path';
import { defineRule } from './rule';

export default defineRule({
  id: 'CL109',
  name: 'copy-source-missing',
  title: 'COPY source is not in the build context',
  defaultSeverity: 'warning',
  needsContext: true,
  docs: {
    what: 'Finds `COPY`/`ADD` sources that match nothing in the build context cachelens resolved for the Dockerfile — after expanding ARG defaults and ENV values, with a leading `/` meaning the context root — and says which folder that context is and how it was chosen. A wildcard that matches nothing is reported only when its folder is absent or the whole step would copy nothing: BuildKit accepts an empty wildcard (`COPY uv.lock* ./`).',
    why: 'Either the build fails there ("not found"), or the context is another folder — one that a CI workflow, a script or a compose file passes to `docker build` and cachelens did not find. Then every other finding about this context is guessed from the wrong files: while a source is missing, cachelens makes no file-count claims for the Dockerfile and no fix writes an ignore file. Map the Dockerfile to its real context in `.cachelens.json` (`{"contexts":[{"dockerfile":"api/Dockerfile","context":"."}]}`) or the `cachelens.contexts` setting.',
    example: [
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
    ].join('\n'),
    useInstead: [
      '# .cachelens.json maps this Dockerfile to the folder that holds requirements.txt',
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
    ].join('\n'),
    exampleFiles: { 'app.py': '' },
    useInsteadFiles: { 'app.py': '', 'requirements.txt': 'flask\n' },
    references: [
      'https://docs.docker.com/build/concepts/context/',
      'https://docs.docker.com/reference/dockerfile/#copy',
    ],
  },
  check(ctx) {
    const context = ctx.context;
    const missing = context?.uncertain?.missing;
    if (!context || !missing?.length) return;
    const first = missing[0];
    const shown = (m: (typeof missing)[number]) =>
      m.path === m.source.replace(/^\.?\/+/, '').replace(/\/+$/, '')
        ? `\`${m.source}\``
        : `\`${m.source}\` (= \`${m.path}\`)`;
    const listed = missing.slice(0, 4).map((m) => `${shown(m)}${m.line !== first.line ? ` (line ${m.line + 1})` : ''}`);
    const names = listed.join(', ') + (missing.length > 4 ? ` and ${missing.length - 4} more` : '');
    const rel = path.relative(path.dirname(ctx.path), context.dir).split(path.sep).join('/');
    const folder = rel === '' ? './' : rel.startsWith('.') ? rel : './' + rel;
    ctx.report({
      range: first.range,
      message:
        `${names} ${missing.length === 1 ? 'matches' : 'match'} nothing in the build context \`${folder}\` (${context.reason}): the build fails there (unless a step before \`docker build\` makes them), or the context is another folder. ` +
        `Map the Dockerfile to its context in \`.cachelens.json\` ({"contexts":[{"dockerfile":…,"context":…}]}) or the \`cachelens.contexts\` setting. Until then no file counts are given and no ignore file is written for it.`,
      related: missing
        .slice(1)
        .map((m) => ({ path: ctx.path, range: m.range, message: `\`${m.source}\` matches nothing in \`${folder}\`` })),
    });
  },
});
