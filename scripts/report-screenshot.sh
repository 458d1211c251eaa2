#!/usr/bin/env bash
# Refreshes images/build-report.png, the README's picture of
# `cachelens report --html`: the multi-stage sample's real BuildKit cold build
# saved, the source edited, then the report of the source-edit build, rendered
# by Debian's headless chromium. Needs `npm run build` and chromium.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cp -a "$root/test/fixtures/build-logs/projects/multi-stage" "$w/ms"
printf '\n.cachelens\n' >>"$w/ms/.dockerignore"
logs="$root/test/fixtures/build-logs/multi-stage"
cd "$w/ms"
node "$root/dist/cli.js" build-log --save "$logs/cold.log" >/dev/null
printf '\n// edited for the source-edit build\n' >>index.js
node "$root/dist/cli.js" report --html "$w/report.html" --build-log "$logs/source-edit.log" Dockerfile
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,900 \
  --screenshot="$root/images/build-report.png" "file://$w/report.html" 2>/dev/null
echo "wrote images/build-report.png"
