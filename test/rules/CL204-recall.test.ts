// CL204 recall (issue 10 item 8): `useradd … && chown -R` in one RUN, and files brought by COPY --from.
import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL204', {
  valid: [
    {
      name: 'a build in the same RUN writes files the COPY did not bring',
      code: 'FROM node:20\nCOPY . /app\nRUN npm run build && chown -R node:node /app\n',
    },
    {
      name: "COPY --from of a folder into a bin folder under another name: a chmod of it is not the COPY's files",
      code: 'FROM alpine\nCOPY --from=build /out/tools /usr/local/bin/tools-dir\nRUN chmod 755 /usr/local/bin/tools-dir\n',
    },
    {
      name: 'mkdir under the destination needs the recursive change for the new folders (corpus: doccano)',
      code: 'FROM python:3.12\nCOPY --chown=app:app backend/ /backend/\nRUN mkdir -p /backend/static && chown -R app:app /backend\n',
    },
  ],
  invalid: [
    {
      name: 'useradd and chown -R in one RUN: reported, no fix (the user must exist before the COPY)',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\nRUN useradd -m app && chown -R app:app /app\nUSER app\n',
      errors: [
        { line: 4, message: /Create the user before the COPY, then use `COPY --chown=app:app` and drop the chown/ },
      ],
      output: null,
    },
    {
      name: 'a binary from another stage made executable in a second layer',
      code: 'FROM alpine\nCOPY --from=build /src/bin/server /usr/local/bin/server\nRUN chmod 755 /usr/local/bin/server\n',
      errors: [{ line: 3, message: /COPY --chmod=755/ }],
      output:
        '# syntax=docker/dockerfile:1\nFROM alpine\nCOPY --from=build --chmod=755 /src/bin/server /usr/local/bin/server\n',
    },
    {
      name: 'a script from another stage (it has an extension)',
      code: 'FROM alpine\nCOPY --from=build /src/entrypoint.sh /entrypoint.sh\nRUN chmod 755 /entrypoint.sh\n',
      errors: [{ line: 3 }],
    },
  ],
});
