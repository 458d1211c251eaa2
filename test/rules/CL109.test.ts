import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL109', {
  valid: [
    {
      name: 'every source is in the context',
      code: 'FROM python:3.12\nCOPY requirements.txt .\nCOPY src/ ./src/\n',
      files: { 'requirements.txt': '', 'src/app.py': '' },
    },
    { name: 'the whole context, even an empty one', code: 'FROM alpine\nCOPY . /app\nCOPY ./ /b\n', files: {} },
    {
      name: 'an empty wildcard beside a source that exists (BuildKit allows empty wildcards)',
      code: 'FROM python:3.12\nCOPY pyproject.toml uv.lock* ./\n',
      files: { 'pyproject.toml': '' },
    },
    {
      name: 'a wildcard in a folder that exists, matching nothing, in a step that copies something else',
      code: 'FROM alpine\nCOPY conf/*.yml app.sh /etc/app/\n',
      files: { 'conf/readme': '', 'app.sh': '' },
    },
    {
      name: 'a variable without a known value is skipped',
      code: 'FROM alpine\nARG SRC\nCOPY $SRC /x\nCOPY ${UNDECLARED}/a /y\n',
      files: {},
    },
    {
      name: 'a global ARG not declared again in the stage has no value there',
      code: 'ARG DIR=missing\nFROM alpine\nCOPY ${DIR} /x\n',
      files: {},
    },
    {
      name: 'other stages, URLs, git sources and heredocs are not context sources',
      code: 'FROM alpine AS build\nRUN touch /out\nFROM alpine\nCOPY --from=build /out /out\nADD https://example.com/a.tgz /a\nADD "https://github.com/x/y.git#v1" /src\nADD git@github.com:x/y.git /y\nCOPY <<EOF /etc/x\nhello\nEOF\n',
      files: {},
    },
    {
      name: "a source that exists but is ignored is CL104's",
      code: 'FROM nginx\nCOPY dist/ /html/\n',
      files: { '.dockerignore': 'dist\n', 'dist/index.html': '' },
    },
    {
      name: 'a leading / is the context root, and .. stops there',
      code: 'FROM alpine\nCOPY /app.py ../app.py ./../app.py /x/\n',
      files: { 'app.py': '' },
    },
    {
      name: 'ARG defaults, global ARGs declared again, ENV values and ${X:-default} are expanded',
      code: 'ARG BASE=services\nFROM alpine\nARG BASE\nARG APP=api\nENV CONF=conf\nCOPY ${BASE}/$APP/ /srv/\nCOPY ${CONF}/main.yml ${MISSING:-conf}/main.yml /etc/\n',
      files: { 'services/api/main.go': '', 'conf/main.yml': '' },
    },
    {
      name: 'ENV is inherited by a stage built FROM another',
      code: 'FROM alpine AS base\nENV D=web\nFROM base\nCOPY $D/ /srv/\n',
      files: { 'web/index.html': '' },
    },
    {
      name: 'COPY --parents: the ./ marker is not part of the path',
      code: 'FROM alpine\nCOPY --parents ./pkg/./a/go.mod /src/\n',
      files: { 'pkg/a/go.mod': '' },
    },
    {
      name: 'with escape=` (Windows), a backslash separates folders',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app\\bin\\ C:/app/\n',
      files: { 'app/bin/run.exe': '' },
    },
    { name: 'JSON form', code: 'FROM alpine\nCOPY ["app.py", "/x/"]\n', files: { 'app.py': '' } },
  ],
  invalid: [
    {
      name: 'a missing file: names it, the context folder, how it was chosen and how to map it',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n',
      files: { 'app.py': '' },
      errors: [
        {
          line: 3,
          message:
            '`requirements.txt` matches nothing in the build context `./` (test context): the build fails there (unless a step before `docker build` makes them), or the context is another folder. Map the Dockerfile to its context in `.cachelens.json` ({"contexts":[{"dockerfile":…,"context":…}]}) or the `cachelens.contexts` setting. Until then no file counts are given and no ignore file is written for it.',
        },
      ],
      output: null,
    },
    {
      name: 'several missing sources over several steps: one finding, on the first, naming them all',
      code: 'FROM node:20\nCOPY package.json yarn.lock ./\nRUN yarn install\nCOPY apps/web ./apps/web\nCOPY src/ ./src/\n',
      files: { 'package.json': '{}', 'src/index.js': '' },
      errors: [{ line: 2, message: /^`yarn\.lock`, `apps\/web` \(line 4\) match nothing in the build context `\.\/`/ }],
    },
    {
      name: 'a wildcard whose folder is absent fails in BuildKit (lstat: no such file or directory)',
      code: 'FROM alpine\nCOPY app.sh config/*.yml /etc/app/\n',
      files: { 'app.sh': '' },
      errors: [{ line: 2, message: /^`config\/\*\.yml` matches nothing/ }],
    },
    {
      name: 'a step whose only sources are wildcards that match nothing copies nothing',
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY *.csproj ./\nRUN dotnet restore\n',
      files: { 'README.md': '' },
      errors: [{ line: 2, message: /^`\*\.csproj` matches nothing/ }],
    },
    {
      name: 'variables are expanded: the message shows what the source stands for',
      code: 'FROM alpine\nARG APP=api\nCOPY ${APP}/ /srv/\n',
      files: { 'web/index.html': '' },
      errors: [{ line: 3, message: /^`\$\{APP\}\/` \(= `api`\) matches nothing/ }],
    },
    {
      name: 'a leading / is the context root',
      code: 'FROM alpine\nCOPY /etc/app.conf /etc/\n',
      files: { 'app.conf': '' },
      errors: [{ line: 2, message: /^`\/etc\/app\.conf` matches nothing in the build context `\.\/`/ }],
    },
  ],
});
