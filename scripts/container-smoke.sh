#!/usr/bin/env bash
# The container channel, offline: packs this checkout the way npm publishes it
# (`npm pack`: prepack builds the bundles), builds an image around that tarball
# with `--network none` FROM the real-build harness's local node base (no
# registry needed: bench/realbuild/setup.sh), and runs `check` on the examples
# in it, also with `--network none`. The image installs the tarball with
# `npm install -g --offline` (the package has no runtime dependencies), then
# has the same entrypoint as the repository's Dockerfile.
#
# (The repository's Dockerfile builds the bundles from source; its build stage
# runs `npm ci`, which needs the registry, so CI checks that file statically:
# test/unit/container.test.ts runs `cachelens check` on it.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
eval "$(bash "$root/bench/realbuild/setup.sh" | tail -1)"
DOCKER=/usr/bin/docker
tag=cachelens:smoke
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
(cd "$root" && npm pack --silent --pack-destination "$ctx" >/dev/null)
mv "$ctx"/cachelens-*.tgz "$ctx/cachelens.tgz"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
ARG NODE_IMAGE=localhost/cachelens-node-base
FROM ${NODE_IMAGE}
COPY cachelens.tgz /tmp/
RUN npm install -g --offline --no-audit --no-fund /tmp/cachelens.tgz && rm /tmp/cachelens.tgz
WORKDIR /src
ENTRYPOINT ["cachelens"]
CMD ["check", "."]
DOCKERFILE
DOCKER_BUILDKIT=1 "$DOCKER" build --progress plain --network none -t "$tag" "$ctx"
rc=0
out=$("$DOCKER" run --rm --network none -v "$root/examples:/src:ro" "$tag" check /src) || rc=$?
echo "$out"
if [ "$rc" -ne 1 ] || ! grep -q 'node-app/Dockerfile:3:1 warning CL001' <<<"$out"; then
  echo "container-smoke: expected CL001 on the examples with exit 1 (got $rc)" >&2
  exit 1
fi
# the repository's own Dockerfile is clean, checked from inside the image
"$DOCKER" run --rm --network none -v "$root:/src:ro" "$tag" check --fail-on hint Dockerfile
echo "container-smoke: ok (image from the npm pack tarball, built and run with --network none)"
