#!/usr/bin/env bash
# Installs what the code-server end-to-end run needs, once, and caches it:
#   - Debian chromium (the browser playwright-core drives) and libkrb5-dev
#     (code-server's `kerberos` module compiles against the gssapi headers);
#   - code-server 4.100.3 (the newest whose engines accept Node 20), installed
#     locally under the cache dir — with `-g` its postinstall reinstalls itself
#     over itself;
#   - playwright-core, when the repo's node_modules does not already have it.
# Needs only the npm registry and Debian's mirrors. code-server's tree pulls
# @vscode/ripgrep, whose postinstall downloads `rg` from GitHub; we seed that
# downloader's cache with the `rg` binary from the npm package
# @vscode/ripgrep-linux-x64 so no GitHub access is needed.
#
# Idempotent: a second run only checks. Cache dir: $CACHELENS_E2E_CACHE or
# <repo>/.e2e-cache (git-ignored). Prints the paths it provides as KEY=value
# lines at the end (run.mjs finds them itself; the lines are for humans).
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep version in code-server 4.100.3's tree and the ripgrep
# release its postinstall asks for (see its lib/postinstall.js).
RIPGREP_NPM_VERSION=1.15.11
RIPGREP_RELEASE=v13.0.0-10
RIPGREP_BINARY_PACKAGE=@vscode/ripgrep-linux-x64@1.18.0
PLAYWRIGHT_CORE_VERSION=1.65.1

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cache="${CACHELENS_E2E_CACHE:-$repo/.e2e-cache}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
started=$(date +%s)
log() { printf '[e2e-setup %3ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

# --- Debian packages -------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e setup: need root to apt-get install ${missing[*]}" >&2
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "chromium and libkrb5-dev already installed"
fi

# --- code-server -----------------------------------------------------------
cs_dir="$cache/code-server-$CODE_SERVER_VERSION"
cs_bin="$cs_dir/node_modules/.bin/code-server"
if [ -f "$cs_dir/.installed" ] && [ -x "$cs_bin" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $cs_dir"
else
  log "installing code-server $CODE_SERVER_VERSION into $cs_dir"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  # A private TMPDIR makes the ripgrep downloader's cache path predictable.
  cs_tmp="$cache/tmp"
  rg_cache="$cs_tmp/vscode-ripgrep-cache-$RIPGREP_NPM_VERSION"
  rg_asset="$rg_cache/ripgrep-$RIPGREP_RELEASE-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -s "$rg_asset" ]; then
    log "seeding the ripgrep download cache from $RIPGREP_BINARY_PACKAGE"
    work="$(mktemp -d)"
    (cd "$work" && npm pack --silent "$RIPGREP_BINARY_PACKAGE" >/dev/null && tar xzf ./*.tgz)
    mkdir -p "$rg_cache"
    # The downloader runs `tar xvf asset -C bin/` and expects `rg` at the top.
    tar czf "$rg_asset" -C "$work/package/bin" rg
    rm -rf "$work"
  fi
  printf '{ "name": "cachelens-e2e-code-server", "private": true }\n' >"$cs_dir/package.json"
  # As root, node-pty's postinstall runs `npx node-gyp`: unsafe-perm lets the
  # lifecycle scripts run as root and `yes` answers npx's install prompt.
  (cd "$cs_dir" && TMPDIR="$cs_tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" \
    >"$cache/code-server-install.log" 2>&1) || {
      echo "e2e setup: code-server install failed; last lines of $cache/code-server-install.log:" >&2
      tail -40 "$cache/code-server-install.log" >&2
      exit 1
    }
  "$cs_bin" --version >/dev/null
  touch "$cs_dir/.installed"
  log "code-server installed: $("$cs_bin" --version | head -1)"
fi

# --- playwright-core -------------------------------------------------------
if (cd "$repo" && node -e "require.resolve('playwright-core')" >/dev/null 2>&1); then
  log "playwright-core found in the repo's node_modules"
else
  pw_dir="$cache/playwright-core"
  if [ ! -f "$pw_dir/node_modules/playwright-core/package.json" ]; then
    log "installing playwright-core $PLAYWRIGHT_CORE_VERSION into $pw_dir"
    mkdir -p "$pw_dir"
    printf '{ "name": "cachelens-e2e-playwright", "private": true }\n' >"$pw_dir/package.json"
    (cd "$pw_dir" && npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_CORE_VERSION")
  fi
fi

log "done"
echo "CODE_SERVER=$cs_bin"
echo "CHROMIUM=$(command -v chromium)"
