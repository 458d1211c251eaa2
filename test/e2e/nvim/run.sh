#!/bin/sh
# Runs one Neovim scenario by hand and prints the JSON result, for debugging
# what test/e2e/nvim/nvim.test.ts judges.
#   test/e2e/nvim/run.sh [quickfix|fixall|command] [example folder]
# Leaves the temp folder (workspace, XDG dirs, result.json) for inspection.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
scenario=${1:-quickfix}
example=${2:-$repo/examples/node-app}
command -v nvim >/dev/null 2>&1 || { echo "nvim not found: run test/e2e/harness/nvim-setup.sh" >&2; exit 1; }
[ -f "$repo/dist/server.js" ] || node "$repo/scripts/build.mjs"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cachelens-nvim-XXXXXX")
cp -r "$example" "$tmp/ws"
for d in config data cache state; do mkdir -p "$tmp/xdg/$d"; done
status=0
XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data XDG_CACHE_HOME=$tmp/xdg/cache XDG_STATE_HOME=$tmp/xdg/state \
CACHELENS_SERVER=$repo/bin/cachelens-language-server CACHELENS_ROOT=$tmp/ws CACHELENS_SCENARIO=$scenario CACHELENS_RESULT=$tmp/result.json \
  timeout 60 nvim --headless --noplugin -n -u "$here/e2e.lua" "$tmp/ws/Dockerfile" || status=$?
echo
if [ -f "$tmp/result.json" ]; then node -e 'console.log(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")), null, 2))' "$tmp/result.json"; fi
echo "nvim exit $status; files in $tmp" >&2
exit "$status"
