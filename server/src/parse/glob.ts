// The simple globs of COPY sources, manifest names and ignore-file names
// (`*`, `?`, no `**`), as anchored RegExps. A run of stars is one star, so the
// expression cannot backtrack polynomially in the run's length.

export function simpleGlobToRegExp(glob: string): RegExp {
  return new RegExp(
    '^' +
      glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*+/g, '[^/]*')
        .replace(/\?/g, '[^/]') +
      '$',
  );
}
