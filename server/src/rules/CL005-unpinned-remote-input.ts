import { defineRule, type RuleContext } from './rule';
import type { Instruction } from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';

// A ref that names one commit: a SHA, or a version tag.
const PINNED_REF = /^([0-9a-f]{7,40}|v?\d+(\.\d+)+([-+.][\w.]+)?|refs\/tags\/.+)$/i;
const GIT_URL = /^(git@|git:\/\/|ssh:\/\/)|\.git(#|$)/;

export default defineRule({
  id: 'CL005',
  name: 'unpinned-remote-input',
  title: 'Remote input without a pin',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds remote inputs whose content can change under the same instruction text: `ADD <url>` without `--checksum`, `git clone` of a branch, `curl … | sh`.',
    why: 'The cache key of a `RUN` is its command text: a cached layer keeps whatever `git clone` or `curl | sh` fetched the first time, while a cache miss elsewhere fetches whatever is there today, so two builds of one commit differ, silently. A remote `ADD` is checked again on every build (BuildKit asks the server with the ETag it saw, and resolves a git ref to its commit), so it follows the server instead: nothing verifies what arrives, and a changed or tampered file changes the image. `--checksum` (or a pinned commit) makes the build fail unless the content is the one you reviewed.',
    example: ['FROM alpine:3.20', 'ADD https://example.com/tool.tar.gz /tmp/'].join('\n'),
    useInstead: [
      '# syntax=docker/dockerfile:1',
      'FROM alpine:3.20',
      'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/',
    ].join('\n'),
    references: ['https://docs.docker.com/reference/dockerfile/#add---checksum'],
  },
  check(ctx) {
    for (const ins of ctx.dockerfile.instructions) {
      if (ins.keyword === 'ADD' && ins.copy) checkAdd(ctx, ins);
      if (ins.run) checkRun(ctx, ins);
    }
  },
});

function checkAdd(ctx: RuleContext, add: Instruction) {
  for (const source of add.copy!.sources) {
    const url = source.value;
    if (GIT_URL.test(url) && /^(https?|git|ssh):\/\/|^git@/.test(url)) {
      const ref = url.split('#')[1]?.split(':')[0];
      if (ref && PINNED_REF.test(ref)) continue;
      ctx.report({
        message: `\`ADD ${url}\` fetches ${ref ? `\`${ref}\`, a ref that moves` : 'the default branch'}: each build checks out the commit it points to then, so builds of one commit of this repository can differ. Pin a commit or tag after \`#\`.`,
        range: add.range,
      });
    } else if (
      /^https?:\/\//.test(url) &&
      add.copy!.from === undefined &&
      !add.flags.some((f) => f.name === 'checksum')
    ) {
      ctx.report({
        message: `\`ADD ${url}\` has no \`--checksum\`: BuildKit checks the URL again on each build and takes whatever it serves then, unverified, so a changed or tampered download changes the image and builds of one commit can differ. Add \`--checksum=sha256:<digest>\`.`,
        range: add.range,
      });
    }
  }
}

function checkRun(ctx: RuleContext, run: Instruction) {
  const script = run.run!.script.replace(/\\\r?\n/g, ' ');
  const piped =
    /\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+)?(-?\w+=\S+\s+)*(ba|z|da|k)?sh\b|\b(ba|z)?sh\s+(-c\s+)?["']?\$\(\s*(curl|wget)\b|\b(ba|z)?sh\s+<\(\s*(curl|wget)\b/.exec(
      script,
    );
  // an installer at a versioned URL (`…/uv/0.4.17/install.sh`) is a pinned release, not a moving script
  if (piped && /\/v?\d+\.\d+\.\d+[/-]/.test(piped[0])) return;
  if (piped) {
    ctx.report({
      message: `\`${piped[0].trim()}\` runs a script fetched at build time: the cached layer keeps what it did the first time, a fresh build runs whatever the URL serves today. Download a pinned version and check its digest.`,
      range: run.range,
    });
    return;
  }
  const commands = run.run!.commands;
  commands.forEach((c, i) => {
    if (c.argv[0] !== 'git' || c.argv[1] !== 'clone') return;
    if (clonePinned(c, commands.slice(i + 1))) return;
    const url = c.argv.slice(2).find((w) => !w.startsWith('-') && /[:/]/.test(w)) ?? 'the repository';
    ctx.report({
      message: `\`git clone ${url}\` checks out a branch that moves: the cached layer keeps an old commit, a fresh build gets a new one. Clone a tag (\`--branch v1.2.3\`) or check out a commit.`,
      range: run.range,
    });
  });
}

/** `--branch <tag>`, or a later `git checkout <sha|tag>` / `git reset --hard <sha>` in the same RUN. */
function clonePinned(clone: SimpleCommand, after: SimpleCommand[]): boolean {
  const argv = clone.argv;
  const branch = argv.findIndex((w) => w === '--branch' || w === '-b');
  const value = branch >= 0 ? argv[branch + 1] : argv.find((w) => w.startsWith('--branch='))?.slice('--branch='.length);
  if (value && PINNED_REF.test(value)) return true;
  return after.some(
    (c) =>
      c.argv[0] === 'git' &&
      ['checkout', 'reset', 'switch'].includes(c.argv[1] ?? '') &&
      c.argv.slice(2).some((w) => !w.startsWith('-') && PINNED_REF.test(w)),
  );
}
