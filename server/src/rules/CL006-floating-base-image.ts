import { defineRule } from './rule';
import { type DockerfileModel, findStage } from '../parse/dockerfile';
import { parseImageRef } from '../cache/images';

export default defineRule({
  id: 'CL006',
  name: 'floating-base-image',
  title: 'Base image without a pinned tag',
  defaultSeverity: 'hint',
  docs: {
    what: 'Finds a `FROM` whose image has no tag, or the `latest` tag, and no digest.',
    why: 'Every layer of the stage is built on top of the base. A floating tag moves with each upstream release, so the same Dockerfile builds on different bases from one machine or day to the next, and a cache miss can silently change everything above it.',
    example: ['FROM python', 'RUN pip install flask'].join('\n'),
    useInstead: ['FROM python:3.12-slim', 'RUN pip install flask'].join('\n'),
    references: ['https://docs.docker.com/build/building/best-practices/#from'],
  },
  check(ctx) {
    const model = ctx.dockerfile;
    for (const stage of model.stages) {
      if (stage.parent || !stage.imageRange) continue;
      const image = resolveImage(model, stage.image);
      if (!image || image.toLowerCase() === 'scratch' || findStage(model.stages.slice(0, stage.index), image)) continue;
      const ref = parseImageRef(image);
      if (ref.digest || (ref.tag && ref.tag !== 'latest')) continue;
      const steps = stage.instructions.length;
      const built = steps
        ? `the ${steps === 1 ? 'step' : `${steps} steps`} built on it`
        : 'what other stages copy from it';
      const how = ref.tag
        ? `\`${image}\` follows`
        : `\`${image}\` has no tag, so it means \`${image}:latest\` and follows`;
      const via = image !== stage.image ? ` (the default of \`${stage.image}\`)` : '';
      ctx.report({
        message: `${how} every upstream release${via}: ${built} can change without any edit here. Pin a version tag or a digest.`,
        range: stage.imageRange,
      });
    }
  },
});

/** The image with global ARG defaults substituted; undefined when a variable has no default. */
function resolveImage(model: DockerfileModel, image: string): string | undefined {
  if (!image.includes('$')) return image;
  const defaults = new Map<string, string>();
  for (const arg of model.globalArgs)
    for (const v of arg.vars ?? []) if (v.value !== null) defaults.set(v.name, v.value.replace(/^["']|["']$/g, ''));
  let unknown = false;
  const resolved = image.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a: string | undefined, b: string | undefined) => {
      const value = defaults.get((a ?? b)!);
      if (value === undefined) unknown = true;
      return value ?? '';
    },
  );
  return unknown || resolved.includes('$') ? undefined : resolved;
}
