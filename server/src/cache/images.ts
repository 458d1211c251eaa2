// Image references as the rules need them: the external base a stage stands
// on, its repository's short name, its tag.

import { ancestry, type Stage } from '../parse/dockerfile';

export interface ImageRef {
  /** registry/repository as written, without tag or digest */
  repository: string;
  /** the last path segment of the repository: `golang` for `docker.io/library/golang` */
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, name: rest.split('/').pop()!.toLowerCase(), tag, digest };
}

/** The stage at the root of a FROM chain: the one whose base is an image, not a stage. */
export function rootStage(stage: Stage): Stage {
  const chain = ancestry(stage);
  return chain.length ? chain[chain.length - 1] : stage;
}

/** The external base image of a stage (through FROM <stage> chains); undefined when it is an unresolved variable. */
export function baseImage(stage: Stage): ImageRef | undefined {
  const image = rootStage(stage).image;
  if (!image || image.includes('$')) return undefined;
  return parseImageRef(image);
}
