#!/usr/bin/env bash
# Builds the cachelens image from this checkout and runs it on the examples, the
# way the README says. Uses the real-build harness's private dockerd and local
# node base (bench/realbuild/setup.sh: no registry needed for FROM); the build's
# npm ci reaches the npm registry through the host network.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
eval "$(bash "$root/bench/realbuild/setup.sh" | tail -1)"
DOCKER=/usr/bin/docker
tag=cachelens:ci
# No registry serves the dockerfile frontend here, and Docker 20.10's built-in one rejects --link: build a
# copy without the `# syntax=` line and without --link (as bench/realbuild does); the image is the same.
df=$(mktemp)
trap 'rm -f "$df"' EXIT
sed -e '/^#[[:space:]]*syntax[[:space:]]*=/d' -e 's/--link //g' "$root/Dockerfile" >"$df"
DOCKER_BUILDKIT=1 "$DOCKER" build --network host --build-arg NODE_IMAGE=localhost/cachelens-node-base -f "$df" -t "$tag" "$root"
rc=0
out=$("$DOCKER" run --rm --network none -v "$root/examples:/src:ro" "$tag" check /src) || rc=$?
echo "$out"
if [ "$rc" -ne 1 ] || ! grep -q 'node-app/Dockerfile:3:1 warning CL001' <<<"$out"; then
  echo "container-smoke: expected CL001 on the examples with exit 1 (got $rc)" >&2
  exit 1
fi
"$DOCKER" run --rm --network none -v "$root:/src:ro" "$tag" check --fail-on hint Dockerfile
echo "container-smoke: ok (the image checks the examples, and its own Dockerfile is clean)"
