// Documented estimates of how long a step takes when it misses the cache, for
// the history forecast's "seconds per build" when no imported build measured
// it. Deliberately round numbers for a small-to-medium project on a CI runner
// with a warm registry mirror; every place that shows one says "estimate".

/** A dependency install of each ecosystem (cold, no cache mount), seconds. */
export const INSTALL_SECONDS: Readonly<Record<string, number>> = {
  npm: 30,
  yarn: 30,
  pnpm: 20,
  bun: 8,
  pip: 25,
  poetry: 40,
  uv: 8,
  pipenv: 40,
  go: 20,
  cargo: 90,
  maven: 60,
  gradle: 60,
  bundler: 45,
  composer: 20,
  dotnet: 25,
  mix: 30,
};

/** An install of unknown ecosystem. */
export const DEFAULT_INSTALL_SECONDS = 30;
/** A system package install (apt-get/apk/dnf/zypper install), seconds. */
export const SYSTEM_INSTALL_SECONDS = 20;
/** A build command of any ecosystem (`npm run build`, `go build`, `cargo build --release`, `mvn package`…), seconds. */
export const BUILD_SECONDS: Readonly<Record<string, number>> = {
  cargo: 120,
  maven: 60,
  gradle: 60,
  dotnet: 45,
  go: 30,
};
export const DEFAULT_BUILD_SECONDS = 40;
/** Any other RUN. */
export const OTHER_RUN_SECONDS = 2;
/** COPY/ADD from the context: a fixed cost plus the bytes copied at this rate (context transfer + layer write). */
export const COPY_BASE_SECONDS = 0.3;
export const COPY_BYTES_PER_SECOND = 50 * 1024 * 1024;
/** ADD of a URL (a download). */
export const ADD_URL_SECONDS = 5;
/** WORKDIR, COPY --from and other cheap steps. */
export const CHEAP_STEP_SECONDS = 0.2;
