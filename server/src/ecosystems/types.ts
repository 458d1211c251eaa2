// Package-manager knowledge as data. Adding an ecosystem is adding a row here;
// the rules read these tables and never name a package manager themselves.

/** Describes a command line by its words. All fields are optional filters. */
export interface CommandPattern {
  /** the program (basename of argv[0]); `python -m pip` is normalised to `pip` */
  tools: string[];
  /** the first positional word after the program, if it must be one of these */
  subcommands?: string[];
  /** a later positional word that must be present (e.g. `dependency:go-offline`) */
  anyArg?: string[];
  /** a second word, besides `anyArg`, that must also be present (`uv pip install .`) */
  alsoAnyArg?: string[];
  /** flags that disqualify the command (a global tool install is not a dependency install) */
  notFlags?: string[];
  /** positional package names after the subcommand mean "install this package", not "install the manifest" */
  noPackageArgs?: boolean;
  /** flags that must be present (pip install -r) */
  requireFlagsAnyOf?: string[];
  /** this tool's flags that take the next word as their value, besides the common ones (`composer -d /app install`) */
  valueFlags?: string[];
}

export interface InstallPattern extends CommandPattern {
  /** the files this install reads; must be in the image before it runs */
  manifests: string[];
  /** read when present (lockfiles, config); a trailing '/' marks a directory */
  optional?: string[];
  /** the command also needs the project's source (installs the project itself): no split fix */
  needsSource?: boolean;
  /** flags whose value names a manifest file (pip -r requirements/prod.txt) */
  manifestFlags?: string[];
  /** lines in a manifest that pull in other files (`-r base.txt` in a requirements file) */
  includeDirectives?: string[];
  /** for installs that need the source: the fetch-only command a fix may add before the source copy (`$0`: the program as written, `./gradlew`) */
  prefetch?: string;
  /** how the project lists its members, whose manifests the prefetch needs too (Gradle settings, Maven modules, Cargo workspace) */
  members?: 'gradle' | 'maven' | 'cargo';
  /** what to do instead when the manifests alone cannot be fetched (said in the message) */
  prefetchAdvice?: string;
  /**
   * for installs of the project itself: flags that, added to the same command, make it install only
   * the dependencies (`uv sync --no-install-project`, `poetry install --no-root`) — the prefetch a fix adds
   */
  prefetchFlags?: string[];
  /**
   * whether the install reads the project's source depends on its manifest: a line matching `unless`
   * (a regular expression, multiline) means it does not (`package-mode = false`); one matching `if`
   * means it does (a Gemfile's `gemspec`)
   */
  sourceByManifest?: { unless?: string; if?: string };
  /** a manifest line matching this (multiline regular expression) means the prefetch also needs other sources: no prefetch fix */
  prefetchUnlessManifest?: string;
  /** the install fetches nothing when the project has no manifest at all (`go build main.go` in GOPATH mode) */
  fetchesNothingWithoutManifest?: boolean;
  /** env settings (in ENV or on the command) whose value holds a flag from `fetchesNothingWith.flags` (`GOFLAGS=-mod=vendor`) */
  flagEnv?: string[];
  /** the command fetches implicitly only when no earlier step in the chain matches one of these */
  unlessPreceededBy?: CommandPattern[];
  /**
   * the command fetches nothing when given one of these flags, or when one of these files sits
   * beside its manifest in the context (go's `vendor/modules.txt`: Go 1.14+ builds from vendor/)
   */
  fetchesNothingWith?: { flags: string[]; besideManifest: string[] };
}

/** What deletes or bypasses a package cache (CL202): whole commands, or flags of the install. */
export interface CacheCleanups {
  commands?: CommandPattern[];
  flags?: string[];
  /** environment variables that turn the cache off when set before the command (`PIP_NO_CACHE_DIR=1 pip install`) */
  env?: string[];
}

/** How CL301's "Add builder stage" builds a runtime stage for what this ecosystem builds. */
export interface RuntimeRecipe {
  /**
   * the runtime base image: the first row whose `match` (a regular expression
   * over the build stage's image reference) fits; `$1`… stand for its groups
   */
  images: { match: string; image: string; needsExecForm?: boolean }[];
  /** flags of the build command that name its output (`go build -o`) */
  outputFlags?: string[];
  /** directories, relative to the build's working directory, where the output lands */
  outputDirs?: string[];
  /** the start command points into a tree (a JS bundle): copy the whole output directory */
  wholeOutputDir?: boolean;
  /** what the runtime needs besides the output, relative to the working directory */
  alsoCopy?: string[];
  /** runs at the end of the build stage so `alsoCopy` holds only runtime dependencies */
  prune?: string;
}

export interface Ecosystem {
  id: string;
  name: string;
  installs: InstallPattern[];
  /**
   * install commands that ignore the lockfile (`lockedWhenEnv`: env settings, in ENV/ARG or on the
   * command, under which the tool uses the lockfile anyway — pnpm and Yarn Berry in CI), with the locked replacement (CL203):
   * `replacement` stands in for the program and its subcommand; the first row
   * whose pattern matches (and whose `ifContextHas` file exists) wins
   */
  unlocked?: {
    pattern: CommandPattern;
    lockfiles: string[];
    replacement: string;
    ifContextHas?: string;
    lockedWhenEnv?: string[];
  }[];
  /** build commands that need the full toolchain (CL301) */
  builds: CommandPattern[];
  /** how to run what the build produced without the toolchain (CL301's fix) */
  runtime?: RuntimeRecipe;
  /** ecosystems of one family share build tools (`tsc` after `yarn install`) */
  family?: string;
  /**
   * what makes an install leave out dev dependencies (CL302): flags (a space
   * joins a flag to its value), env settings, and the flag that brings them back
   */
  productionInstall?: { flags: string[]; env?: Record<string, string>; includeDev?: string };
  /** package cache directory for `--mount=type=cache` (CL201) */
  cacheTarget?: string;
  /** env vars and flags that move the cache, or work offline from what an earlier layer cached (a mount would hide it) */
  cacheSettings?: { env: string[]; flags: string[] };
  /** base image families in which cacheTarget is the real cache directory (undefined: any) */
  cacheImages?: string[];
  /** the cache directory holds what the install produces, read by later steps (go's module cache) */
  cacheHoldsInstall?: boolean;
  /**
   * for installs that also compile the dependencies (cargo, go): where the compiled results are kept
   * (`targets`, absolute or relative to the install's directory, and the env settings that move them);
   * a RUN whose cache mounts hold both these and the downloads re-runs cheaply after a source edit
   */
  compileCache?: { targets: string[]; env: string[] };
  /** what deletes or bypasses the cache (CL202) */
  cacheCleanups?: CacheCleanups;
  /** the mount is safe only when one of these env settings keeps the installed environment out of the cache dir */
  cacheSafeWhenEnv?: Record<string, string>;
  /** files in the context whose copy the install may read besides the manifests (postinstall hooks) */
  installReads?: string[];
  /** how the workspace lists its member packages */
  workspaces?: 'npm' | 'pnpm';
  /** flags whose value is the directory the install runs in (`yarn --cwd assets`, `composer --working-dir=/app`) */
  dirFlags?: string[];
  /**
   * file extensions of the ecosystem's program source: a COPY that brings such a file into the
   * install's directory together with the manifests is a source copy (`COPY app.py requirements.txt ./`)
   */
  sourceExtensions?: string[];
}
