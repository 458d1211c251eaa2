import { defineRule, Fix, RuleContext } from './rule';
import type { Instruction } from '../parse/dockerfile';
import { mentionsVariable } from './util/edits';
import { moveAboveEdits, referencesContext } from './util/reorder';
import { shortText } from './util/copies';
import { findInstalls } from '../ecosystems/match';
import type { SimpleCommand } from '../parse/shell';
import { isVolatileArgName } from '../ecosystems/volatile';

export default defineRule({
  id: 'CL003',
  name: 'volatile-arg-early',
  title: 'Volatile ARG declared before unrelated RUN steps',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds an `ARG` whose value changes from build to build (a commit SHA, a build date, a version, a value fed to a `LABEL`) declared before `RUN` steps that do not use it.',
    why: 'Every `RUN` after an `ARG` has the ARG\'s value in its cache key, whether it reads it or not. When the value changes, the `RUN` steps between the declaration and its first use all miss the cache for nothing.',
    example: ['FROM node:20', 'ARG GIT_SHA', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .', 'LABEL org.opencontainers.image.revision=$GIT_SHA'].join('\n'),
    useInstead: ['FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .', 'ARG GIT_SHA', 'LABEL org.opencontainers.image.revision=$GIT_SHA'].join('\n'),
    references: ['https://docs.docker.com/build/cache/invalidation/#build-arguments'],
  },
  check(ctx) {
    for (const stage of ctx.dockerfile.stages) {
      const labels = stage.instructions.filter((i) => i.keyword === 'LABEL');
      for (const arg of stage.instructions.filter((i) => i.keyword === 'ARG')) {
        for (const v of arg.vars ?? []) {
          const volatile = isVolatileArgName(v.name) || labels.some((l) => l.index > arg.index && mentionsVariable(l.text, v.name));
          if (!volatile) continue;
          const after = stage.instructions.filter((i) => i.index > arg.index);
          // a later ARG of the same name starts a new scope; an unreferenced ARG may be a deliberate cache bust
          const redeclared = after.findIndex((i) => i.keyword === 'ARG' && i.vars?.some((x) => x.name === v.name));
          const scope = redeclared < 0 ? after : after.slice(0, redeclared);
          const firstUse = scope.find((i) => mentionsVariable(i.text, v.name));
          if (!firstUse) continue;
          const crossed = scope.filter((i) => i.index < firstUse.index && i.keyword === 'RUN');
          if (!crossed.length) continue;
          const line = firstUse.range.start.line + 1;
          const n = crossed.length;
          ctx.report({
            message: `\`${v.name}\` changes from build to build, and the ${n === 1 ? 'RUN step' : `${n} RUN steps`} between here and its first use (line ${line}) miss${n === 1 ? 'es' : ''} the cache whenever it does. Declare it just before line ${line}.`,
            range: arg.range,
            related: [{ path: ctx.path, range: firstUse.range, message: `first use of \`${v.name}\`: \`${shortText(firstUse)}\`` }],
            fixes: moveFix(ctx, arg, firstUse, crossed),
          });
        }
      }
    }
  },
});

function moveFix(ctx: RuleContext, arg: Instruction, firstUse: Instruction, crossed: Instruction[]): Fix[] {
  // moving a multi-name ARG would move its other names too
  if (arg.args.length !== 1) return [];
  // a script the RUN runs may read the value from its environment: moving it past such a step changes the build
  const runsProjectCode = crossed.some((r) => (r.run?.commands ?? []).some((c) => !isPlainInstall(c) && referencesContext(c.argv.join(' '), ctx.context)));
  return [{ title: 'Move ARG to its first use', safe: !runsProjectCode, isPreferred: !runsProjectCode, edits: moveAboveEdits(ctx.dockerfile, ctx.path, firstUse, [], [{ ins: arg }]) }];
}

function isPlainInstall(command: SimpleCommand): boolean {
  const found = findInstalls([command]);
  return found.length > 0 && found.every((f) => !f.pattern.needsSource);
}
