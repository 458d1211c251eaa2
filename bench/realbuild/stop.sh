#!/usr/bin/env bash
# Stops the dockerd that setup.sh started (by its pid file), keeping its data
# so the next setup.sh is quick. With --purge, also deletes the work dir.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${CACHELENS_REALBUILD_WORK:-$(cd "$HERE/.." && pwd)/.work/realbuild}
pidfile=$WORK/docker/dockerd.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then echo "dockerd $pid did not stop" >&2; exit 1; fi
  echo "stopped dockerd $pid"
fi
if [ "${1:-}" = "--purge" ]; then
  # overlay mounts left by a killed daemon would make rm fail
  grep -o " $WORK/docker/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORK"
  echo "removed $WORK"
fi
