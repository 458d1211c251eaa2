#!/usr/bin/env bash
# The container channel, offline: builds the repository's own Dockerfile with
# `--network none` FROM the real-build harness's local node base (no registry
# needed: bench/realbuild/setup.sh), and runs `check` on the examples in it, also
# with `--network none`. The Dockerfile's build stage runs `npm ci`, which needs
# the registry, so the bundles come from `npm pack` instead (prepack builds them,
# as npm publishes them): a small image holds them at /build/dist, and the
# Dockerfile's BUNDLES argument points its `bundles` stage at it; BuildKit then
# skips the unused build stage. Everything else is the repository's Dockerfile
# as users build it, but for two edits the offline builder needs: its `# syntax=`
# line is dropped (no registry to fetch that frontend from), and so is `--link`,
# which Debian's dockerd 20.10 built-in frontend predates (it changes how layers
# are cached, not what the image holds).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
eval "$(bash "$root/bench/realbuild/setup.sh" | tail -1)"
DOCKER=/usr/bin/docker
tag=cachelens:smoke
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
(cd "$root" && npm pack --silent --pack-destination "$ctx" >/dev/null)
bundles="package/dist/cli.js package/dist/server.js package/dist/server.bundle.js package/dist/server.bundle.cache"
# shellcheck disable=SC2086
tar -xzf "$ctx"/cachelens-*.tgz -C "$ctx" $bundles
printf 'FROM scratch\nCOPY %s /build/dist/\n' "$bundles" >"$ctx/Bundles.Dockerfile"
DOCKER_BUILDKIT=1 "$DOCKER" build --progress plain --network none -f "$ctx/Bundles.Dockerfile" \
  -t localhost/cachelens-bundles:smoke "$ctx"
sed -e '1{/^# *syntax *=/d}' -e 's/^COPY --link /COPY /' "$root/Dockerfile" >"$ctx/Dockerfile"
DOCKER_BUILDKIT=1 "$DOCKER" build --progress plain --network none -f "$ctx/Dockerfile" \
  --build-arg NODE_IMAGE=localhost/cachelens-node-base \
  --build-arg BUNDLES=localhost/cachelens-bundles:smoke \
  -t "$tag" "$root"
rc=0
out=$("$DOCKER" run --rm --network none -v "$root/examples:/src:ro" "$tag" check /src) || rc=$?
echo "$out"
if [ "$rc" -ne 1 ] || ! grep -q 'node-app/Dockerfile:3:1 warning CL001' <<<"$out"; then
  echo "container-smoke: expected CL001 on the examples with exit 1 (got $rc)" >&2
  exit 1
fi
# the repository's own Dockerfile is clean, checked from inside the image
"$DOCKER" run --rm --network none -v "$root:/src:ro" "$tag" check --fail-on hint Dockerfile
echo "container-smoke: ok (the repository's Dockerfile with the npm pack bundles, built and run with --network none)"
