// Builds in a stage: which command builds, with which ecosystem, and where its
// output lands (from the ecosystem table's runtime recipes).

import type { Instruction, Stage } from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';
import { commandMatchesAny } from '../ecosystems/match';
import { ECOSYSTEMS, type Ecosystem, type RuntimeRecipe } from '../ecosystems/table';
import { resolvePath } from './analysis';

export interface BuildSite {
  run: Instruction;
  command: SimpleCommand;
  ecosystem: Ecosystem;
}

/** The first build command of a stage. */
export function findBuild(stage: Stage): BuildSite | undefined {
  let site = buildSites.get(stage);
  if (site === undefined) buildSites.set(stage, (site = firstBuild(stage) ?? null));
  return site ?? undefined;
}

/** per stage: several rules ask for a stage's build, some once per COPY --from */
const buildSites = new WeakMap<Stage, BuildSite | null>();

function firstBuild(stage: Stage): BuildSite | undefined {
  for (const run of stage.instructions) {
    for (const command of run.run?.commands ?? []) {
      const ecosystem = buildEcosystemsOf(command)[0];
      if (ecosystem) return { run, command, ecosystem };
    }
  }
  return undefined;
}

/**
 * The ecosystems whose build patterns the command matches, in table order;
 * kept on the command's identity, which a keystroke's re-read keeps for the
 * instructions it did not touch.
 */
export function buildEcosystemsOf(command: SimpleCommand): readonly Ecosystem[] {
  let found = buildsByCommand.get(command);
  if (!found) buildsByCommand.set(command, (found = ECOSYSTEMS.filter((e) => commandMatchesAny(e.builds, command))));
  return found;
}

const buildsByCommand = new WeakMap<SimpleCommand, readonly Ecosystem[]>();

/** Absolute paths the build writes its output to: its `-o` value, or the recipe's output directories. */
export function outputsOf(recipe: RuntimeRecipe, command: SimpleCommand, buildDir: string): string[] | undefined {
  if (recipe.outputFlags) {
    const argv = command.argv;
    const values = argv.flatMap((w, i) =>
      recipe.outputFlags!.flatMap((f) =>
        w === f && argv[i + 1] ? [argv[i + 1]] : w.startsWith(f + '=') ? [w.slice(f.length + 1)] : [],
      ),
    );
    if (values.length !== 1 || values[0].includes('$')) return undefined;
    return [resolvePath(buildDir, values[0])];
  }
  return (recipe.outputDirs ?? []).map((d) => resolvePath(buildDir, d));
}
