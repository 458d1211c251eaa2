// The builder-stage fix appends a runtime stage after the final stage's last instruction.
// After a heredoc left open (`RUN <<X` without its `X`, fuzz input seed 33 #1986) the new
// stage became part of the heredoc's body, the rule fired again and fix-all appended one
// more stage on every pass. No fix is offered there.
import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL301', {
  valid: [],
  invalid: [
    {
      name: 'the minimized fuzz input: the file ends in an open heredoc',
      code: [
        'FROM -- golang',
        'WORKDIR code',
        'RUN go build -o bin/backend',
        'CMD ["/code/bin/backend"]',
        'RUN <<X',
      ].join('\n'),
      errors: [{ line: 3 }],
      fixes: [[]],
      unsafeOutput: [
        'FROM -- golang',
        'WORKDIR code',
        'RUN go build -o bin/backend',
        'CMD ["/code/bin/backend"]',
        'RUN <<X',
      ].join('\n'),
    },
    {
      name: 'a heredoc that is closed: the stage goes after it',
      code: [
        'FROM golang:1.22',
        'WORKDIR /code',
        'RUN go build -o bin/backend',
        'CMD ["/code/bin/backend"]',
        'RUN <<X',
        'echo hi',
        'X',
      ].join('\n'),
      errors: [{ line: 3 }],
      fixes: [['Add builder stage (runtime on `gcr.io/distroless/base-debian12`)']],
    },
  ],
});
