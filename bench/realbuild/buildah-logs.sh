#!/usr/bin/env bash
# Real buildah (`buildah bud --layers`, Debian's buildah, vfs storage, chroot
# isolation, no network) logs of the multi-stage sample for build-log's tests:
# cold, warm, source edit, lockfile edit, build-arg change. Needs root and
# `apt-get install buildah`; the base image comes from the real-build harness's
# saved image (bench/realbuild/setup.sh). Writes test/fixtures/build-logs/buildah/.
# JOBS=N builds with `--jobs N` (stages in parallel, their lines interleaved)
# into test/fixtures/build-logs/buildah-jobs/ instead.
set -euo pipefail
JOBS=${JOBS:-}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
W=$REPO/bench/.work/buildah${JOBS:+-jobs}
OUT=$REPO/test/fixtures/build-logs/buildah${JOBS:+-jobs}
B=(buildah --root "$W/root" --runroot "$W/run" --storage-driver vfs)
mkdir -p "$W" "$OUT"
if ! "${B[@]}" inspect localhost/cachelens-node-base >/dev/null 2>&1; then
  tar=$(ls /var/cache/cachelens-realbuild/cachelens-node-base-*.tar | head -1)
  "${B[@]}" pull -q "docker-archive:$tar" >/dev/null
fi
# start from no cached layers
"${B[@]}" rmi -a -f >/dev/null 2>&1 || true
"${B[@]}" pull -q "docker-archive:$(ls /var/cache/cachelens-realbuild/cachelens-node-base-*.tar | head -1)" >/dev/null
rm -rf "$W/ms" && cp -a "$REPO/test/fixtures/build-logs/projects/multi-stage" "$W/ms"
cp "$W/ms/Dockerfile" "$OUT/Dockerfile"
build() { "${B[@]}" bud --layers ${JOBS:+--jobs "$JOBS"} --isolation chroot --pull-never -t cachelens-logs-ms --build-arg "GREETING=$1" "$W/ms" >"$OUT/$2" 2>&1; echo "buildah/$2: $(wc -l <"$OUT/$2") lines"; }
build one cold.log
build one warm.log
printf '\n// edited for the source-edit build\n' >>"$W/ms/index.js"
build one source-edit.log
printf '\n' >>"$W/ms/package-lock.json"
build one lockfile-edit.log
build two build-arg.log
