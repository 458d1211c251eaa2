import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL005', {
  valid: [
    {
      name: 'an installer at a versioned URL is a pinned release',
      code: 'FROM debian:12\nRUN curl -LsSf https://astral.sh/uv/0.4.17/install.sh | sh\n',
    },
    'FROM alpine\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.tgz /tmp/',
    'FROM alpine\nADD https://github.com/moby/buildkit.git#v0.14.1 /src',
    'FROM alpine\nRUN git clone --depth 1 --branch v1.2.3 https://github.com/a/b.git',
    'FROM alpine\nRUN git clone https://github.com/a/b.git && cd b && git checkout 3f2a9c1d',
    'FROM alpine\nRUN curl -fsSL -o /tmp/x.sh https://example.com/x.sh && sha256sum -c x.sha256',
    'FROM alpine\nADD app.tar.gz /app/',
  ],
  invalid: [
    {
      code: ['FROM alpine:3.20', 'ADD https://example.com/tool.tar.gz /tmp/'].join('\n'),
      errors: [{ line: 2, message: 'has no `--checksum`' }],
      output: null,
    },
    {
      code: ['FROM alpine', 'ADD https://github.com/a/b.git#main /src'].join('\n'),
      errors: [{ line: 2, message: '`main`, a ref that moves' }],
      output: null,
    },
    {
      name: 'curl piped to a shell, across a continuation',
      code: [
        'FROM debian:12',
        'RUN curl -fsSL https://deb.nodesource.com/setup_20.x \\',
        '  | bash - && apt-get install -y nodejs',
      ].join('\n'),
      errors: [{ line: 2, message: 'runs a script fetched at build time' }],
    },
    {
      code: ['FROM debian:12', 'RUN sh -c "$(wget -qO- https://example.com/install.sh)"'].join('\n'),
      errors: [{ line: 2 }],
    },
    {
      code: ['FROM alpine', 'RUN git clone --depth 1 https://github.com/a/b.git /src'].join('\n'),
      errors: [{ line: 2, message: '`git clone https://github.com/a/b.git` checks out a branch that moves' }],
    },
  ],
});
