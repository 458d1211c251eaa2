// What a stage runs and exposes: its start command, the instructions a new
// stage must carry over to behave the same at run time, a free stage name, the
// user its steps run as.

import type { DockerfileModel, Instruction, Stage } from '../parse/dockerfile';

export interface StartCommand {
  ins: Instruction;
  words: string[];
  execForm: boolean;
}

/** The words of a CMD/ENTRYPOINT: JSON (exec form) or whitespace-split shell form. */
export function startWords(ins: Instruction): StartCommand {
  const rest = ins.text
    .slice(ins.keyword.length)
    .replace(/\\\r?\n/g, ' ')
    .trim();
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string'))
        return { ins, words: parsed, execForm: true };
    } catch {
      // not valid JSON: Docker runs it through the shell
    }
  }
  return { ins, words: rest.split(/\s+/).filter(Boolean), execForm: false };
}

/** The ENTRYPOINT and CMD in effect at the end of a stage (its own, not the base image's). */
export function startCommands(stage: Stage): StartCommand[] {
  const last = (kw: string) => [...stage.instructions].reverse().find((i) => i.keyword === kw);
  return [last('ENTRYPOINT'), last('CMD')].filter((i): i is Instruction => !!i).map(startWords);
}

/** A stage name not used yet: the first free one of the candidates, then numbered. */
export function freeStageName(model: DockerfileModel, candidates: string[]): string {
  const taken = new Set(model.stages.map((s) => s.name?.toLowerCase()).filter(Boolean));
  for (const c of candidates) if (!taken.has(c)) return c;
  for (let n = 2; ; n++) if (!taken.has(`${candidates[0]}${n}`)) return `${candidates[0]}${n}`;
}

/** A word of a start command that names a file of the image (not a program on PATH, not a flag). */
export function isPathWord(word: string): boolean {
  if (word.startsWith('-') || word.includes('=') || word.includes('$')) return false;
  return word.includes('/') || /\.[A-Za-z0-9]+$/.test(word);
}

/** The user a RUN runs as: the last USER in its stage chain, undefined when the base image decides. */
export function userAt(chain: readonly Instruction[]): string | undefined {
  for (let i = chain.length - 1; i >= 0; i--) if (chain[i].keyword === 'USER') return chain[i].args[0]?.value;
  return undefined;
}

export function isRootUser(user: string | undefined): boolean {
  return user === undefined || /^(root|0)(:.*)?$/.test(user);
}
