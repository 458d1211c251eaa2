// The Dockerfiles of the 40 real projects (../shared/real-projects) as the
// typing benchmarks use them: each repository materialised once into the temp
// folder as the real-projects suite does, its Dockerfiles as `cachelens check`
// finds them (those it cannot read left out).
import { existsSync } from 'node:fs';
import { Session } from '../server/src/engine/session';
import { targetsFor } from '../server/src/cli/targets';
import { materialise, projects, sharedPresent } from '../test/realprojects/harness';

export interface RealProject {
  /** the repository's folder name in ../shared/real-projects (owner__name) */
  dir: string;
  /** where it is materialised */
  tree: string;
  dockerfiles: string[];
}

/** Every real project with at least one Dockerfile; undefined when ../shared/real-projects is not there. */
export function realProjects(): RealProject[] | undefined {
  if (!sharedPresent()) return undefined;
  return projects()
    .map((p) => {
      const tree = materialise(p);
      const dockerfiles = targetsFor([tree], new Session())
        .map((t) => t.dockerfile)
        .filter((f) => existsSync(f));
      return { dir: p.dir, tree, dockerfiles };
    })
    .filter((p) => p.dockerfiles.length);
}
