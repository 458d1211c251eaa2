#!/usr/bin/env bash
# Prepares real BuildKit builds for the real-build benchmark on a machine that
# reaches only Debian's mirror and the npm registry:
#   1. installs Debian's docker.io (dockerd + BuildKit-capable 20.10 CLI),
#   2. starts a private dockerd on a unix socket under the work dir,
#   3. builds the local base images the sample projects build FROM (no
#      registry is reachable), with their package sources baked in so every
#      install inside a build works offline.
# Idempotent: each step is skipped when its result is already there (base
# images carry a label with the hash of their inputs).
#
# Env: CACHELENS_REALBUILD_WORK         work dir (default <repo>/bench/.work/realbuild)
#      CACHELENS_REALBUILD_IMAGE_CACHE  saved base images (default /var/cache/cachelens-realbuild; off)
# Prints `export DOCKER_HOST=...` as its last line.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${CACHELENS_REALBUILD_WORK:-$(cd "$HERE/.." && pwd)/.work/realbuild}
DOCKER_DIR=$WORK/docker
SOCK=$DOCKER_DIR/docker.sock
export DOCKER_HOST=unix://$SOCK
DOCKER=/usr/bin/docker   # Debian's 20.10 CLI: it has the BuildKit builder built in
START=$(date +%s)

log() { echo "[setup +$(($(date +%s) - START))s] $*" >&2; }
mkdir -p "$WORK"

# ---------------------------------------------------------------- packages
need=()
[ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] || need+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v dpkg-scanpackages >/dev/null || need+=(dpkg-dev)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >"$WORK/apt.log" 2>&1 ||
    { tail -20 "$WORK/apt.log" >&2; exit 1; }
fi

# ---------------------------------------------------------------- dockerd
if ! "$DOCKER" version >/dev/null 2>&1; then
  log "starting dockerd on $SOCK"
  mkdir -p "$DOCKER_DIR"
  rm -f "$SOCK"
  setsid dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --data-root "$DOCKER_DIR/root" --exec-root "$DOCKER_DIR/exec" \
    --pidfile "$DOCKER_DIR/dockerd.pid" -H "unix://$SOCK" \
    >"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 60); do "$DOCKER" version >/dev/null 2>&1 && break; sleep 0.5; done
  "$DOCKER" version >/dev/null || { tail -20 "$DOCKER_DIR/dockerd.log" >&2; exit 1; }
fi

# ---------------------------------------------------------------- helpers
# Built base images are also saved under IMAGE_CACHE, keyed by their inputs'
# hash, so a new work dir on the same machine (a fresh clone in CI) loads them
# in seconds instead of running debootstrap again. Without the file, or with
# CACHELENS_REALBUILD_IMAGE_CACHE=off, everything is built from scratch.
IMAGE_CACHE=${CACHELENS_REALBUILD_IMAGE_CACHE:-/var/cache/cachelens-realbuild}
cached_image_file() { echo "$IMAGE_CACHE/${1##*/}-$2.tar"; }
# image_current TAG HASH: the image exists (or was loaded from IMAGE_CACHE)
# and was built from these inputs.
image_current() {
  local label
  label=$("$DOCKER" image inspect -f '{{ index .Config.Labels "cachelens.inputs" }}' "$1" 2>/dev/null || true)
  [ "$label" = "$2" ] && return 0
  local file
  file=$(cached_image_file "$1" "$2")
  if [ "$IMAGE_CACHE" != off ] && [ -f "$file" ] && "$DOCKER" load -q -i "$file" >/dev/null 2>&1; then
    log "loaded $1 from $file"
    label=$("$DOCKER" image inspect -f '{{ index .Config.Labels "cachelens.inputs" }}' "$1" 2>/dev/null || true)
    [ "$label" = "$2" ] && return 0
  fi
  return 1
}
# import_rootfs DIR TAG HASH [--change ...]: tar the rootfs into an image.
import_rootfs() {
  local dir=$1 tag=$2 hash=$3
  shift 3
  tar -C "$dir" --exclude=./proc/* --exclude=./sys/* --numeric-owner -cf - . |
    "$DOCKER" import --change "LABEL cachelens.inputs=$hash" "$@" - "$tag" >/dev/null
  log "built $tag"
  if [ "$IMAGE_CACHE" != off ] && mkdir -p "$IMAGE_CACHE" 2>/dev/null; then
    local file
    file=$(cached_image_file "$tag" "$hash")
    rm -f "$IMAGE_CACHE/${tag##*/}"-*.tar
    "$DOCKER" save -o "$file.tmp" "$tag" && mv "$file.tmp" "$file" && log "saved $tag to $file"
  fi
}
# The Debian mirror this host already uses (deb822 or one-line format).
debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
  echo "${uri:?no Debian mirror found in /etc/apt}"
}
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# ---------------------------------------------------------------- base images
# shellcheck source=base/node-base.sh
. "$HERE/base/node-base.sh"
# shellcheck source=base/debian-base.sh
. "$HERE/base/debian-base.sh"

log "ready in $(($(date +%s) - START)) s"
echo "export DOCKER_HOST=$DOCKER_HOST"
