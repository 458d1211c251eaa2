#!/usr/bin/env bash
# CI hook: prepares the machine for `npm run test:e2e` (Debian chromium,
# libkrb5-dev, code-server 4.100.3 under the e2e cache) and reports how long
# that took. Safe to run on every CI job: a warm cache makes it a no-op.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$(date +%s)
bash "$repo/scripts/e2e/setup.sh"
echo "e2e setup took $(( $(date +%s) - start ))s"
