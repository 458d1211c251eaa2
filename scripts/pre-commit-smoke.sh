#!/usr/bin/env bash
# The pre-commit hook installed the way users get it: pre-commit try-repo on
# this checkout (npm install with devDependencies, npm pack whose prepack builds
# the bundles, npm install -g). A naive Dockerfile must be refused with CL001.
# test/unit/pre-commit.test.ts covers the commit flow; this covers the install.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q
printf '{"name":"app","dependencies":{}}\n' > package.json
printf 'FROM node:20.11.1\nWORKDIR /app\nCOPY . .\nRUN npm ci\n' > Dockerfile
git add -A
rc=0
PRE_COMMIT_HOME="$work/.pc" pre-commit try-repo "$root" cachelens --files Dockerfile > out.txt 2>&1 || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q 'Dockerfile:3:1 warning CL001' out.txt; then
  cat out.txt
  echo "pre-commit-smoke: expected the hook to fail with CL001 (exit $rc)" >&2
  exit 1
fi
echo "pre-commit-smoke: ok (the hook refused the naive Dockerfile with CL001)"
