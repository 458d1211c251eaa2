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
  for (const run of stage.instructions.filter((i) => i.run)) {
    for (const command of run.run!.commands) {
      const ecosystem = ECOSYSTEMS.find((e) => commandMatchesAny(e.builds, command));
      if (ecosystem) return { run, command, ecosystem };
    }
  }
  return undefined;
}

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
