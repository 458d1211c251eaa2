// The simple globs of COPY sources, manifest names and ignore-file names
// (`*`, `?`, no `**`), as anchored RegExps. A run of stars is one star, so the
// expression cannot backtrack polynomially in the run's length.

import { perText } from './textMemo';

/**
 * The glob as an anchored RegExp, compiled once per glob text: the rules ask for the same few
 * (`package*.json`, `*.csproj`) on every keystroke. The RegExp has no flags, so sharing it is safe.
 */
export const simpleGlobToRegExp: (glob: string) => RegExp = perText(
  (glob) =>
    new RegExp(
      '^' +
        glob
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*+/g, '[^/]*')
          .replace(/\?/g, '[^/]') +
        '$',
    ),
);
