// A manifest path a COPY line cannot spell as a plain word (fuzz input seed 12
// #14421: `pip install -r " s`) got a split whose COPY dropped or mangled it, and
// fix-all split again on every pass. No split is offered for it.
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
  ],
});
