// Other CI configurations (GitLab CI, CircleCI, Bitbucket Pipelines, Azure
// Pipelines, Jenkinsfile): their shell lines are read as text, with YAML list
// markers and `run:` / `script:` / `sh '…'` wrappers peeled off, from the
// repository root where these systems check out.

import { display, type BuildEntry, type BuildFileReader } from './types';
import { commandEntries, scanBuildCommands } from './shellBuild';

const CI_FILES =
  /^(\.gitlab-ci\.ya?ml|\.circleci\/config\.ya?ml|bitbucket-pipelines\.ya?ml|azure-pipelines\.ya?ml|Jenkinsfile)$/;
const WRAPPER = /^\s*(?:-\s+)?(?:(?:run|script|command|sh|bash|inlineScript)\s*:?\s*)?(?:\|[-+]?\s*$)?["']?/;

export const ciScriptReader: BuildFileReader = {
  name: 'ci',
  optional: true,
  matches: (_abs, rel) => CI_FILES.test(rel),
  parse: (fs, abs, text) => {
    if (!/\b(docker|podman|buildah)\b/.test(text)) return { entries: [], problems: [] };
    const lines = text.split(/\r?\n/).map((l) => l.replace(WRAPPER, '').replace(/["']\s*\)?\s*$/, ''));
    const entries: BuildEntry[] = [];
    for (const cmd of scanBuildCommands(lines.join('\n'), { make: true }))
      entries.push(...commandEntries(fs, cmd, [fs.root], fs.root, 'ci', display(fs, abs)));
    return { entries, problems: [] };
  },
};
