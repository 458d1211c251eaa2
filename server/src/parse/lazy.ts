// Readers that the first Dockerfile seldom needs (YAML for compose files and
// pnpm workspaces, TOML for fly.toml), loaded on first use: the server's start
// to its first diagnostics does not pay for evaluating them. `require` keeps
// them in the one bundle (esbuild wraps each and runs it when first required).
import type * as Yaml from 'yaml';
import type * as Toml from 'smol-toml';

let yaml: typeof Yaml | undefined;
let toml: typeof Toml | undefined;

export const yamlReader = (): typeof Yaml => (yaml ??= require('yaml') as typeof Yaml);
export const tomlReader = (): typeof Toml => (toml ??= require('smol-toml') as typeof Toml);
