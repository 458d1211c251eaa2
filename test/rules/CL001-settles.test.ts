// A manifest path a COPY line cannot spell as a plain word (fuzz input seed 12
// #14421: `pip install -r " s`) got a split whose COPY dropped or mangled it, and
// fix-all split again on every pass. No split is offered for it. Likewise a
// manifest named by a folder path (seed 100 #82146: `pip install -r /` after
// `COPY b /tmp` read as `b//`, one more copy per pass): a folder is no manifest.
import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL001', {
  valid: [],
  invalid: [
    {
      name: 'the minimized fuzz input: an unterminated quote in the manifest name',
      code: ['FROM', 'WORKDIR opt/CTFd', 'COPY . /opt/CTFd', 'RUN pip install -r " s'].join('\n'),
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'a quoted manifest name with a space',
      code: ['FROM python:3.12', 'WORKDIR /app', 'COPY . .', 'RUN pip install -r "my reqs.txt"'].join('\n'),
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'the minimized fuzz input: a folder named as the requirements file',
      code: ['FROM', 'WORKDIR tmp', 'COPY b /tmp', 'RUN pip install -r /'].join('\n'),
      errors: [{ line: 3 }],
      // no manifest file to copy first: the install moves above the copy, once
      output: ['FROM', 'WORKDIR tmp', 'RUN pip install -r /', 'COPY b /tmp'].join('\n'),
    },
  ],
});
