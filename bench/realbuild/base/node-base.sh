# Sourced by setup.sh. Builds localhost/cachelens-node-base: busybox + the
# host's node binary and the libraries it links + npm + Yarn 1, with
#  - an npm cache holding every package the npm projects' lockfiles name, and
#    npm set to offline, so `npm ci` inside a build installs real packages.
#    It stands in for the registry, so it is not at npm's default /root/.npm,
#    where the `--mount=type=cache` that cachelens' CL201 fix adds would hide it;
#  - a Yarn offline mirror holding every package the yarn.lock files name.
NODE_TAG=localhost/cachelens-node-base
YARN_VERSION=1.22.22
node_locks=$(ls "$HERE"/projects/*/package-lock.json "$HERE"/projects/*/yarn.lock 2>/dev/null || true)
NODE_HASH=$(hash_of "${BASH_SOURCE[0]}" "$(command -v node)" /usr/lib/node_modules/npm/package.json $node_locks)
if image_current "$NODE_TAG" "$NODE_HASH"; then
  log "$NODE_TAG is current"
else
  log "building $NODE_TAG"
  R=$WORK/rootfs-node
  rm -rf "$R"
  mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,usr/lib/node_modules,tmp,root,etc,app}
  chmod 1777 "$R/tmp"
  cp /bin/busybox "$R/bin/busybox"
  for applet in $(/bin/busybox --list-full); do
    [ -e "$R/$applet" ] || ln -s /bin/busybox "$R/$applet"
  done
  node_bin=$(readlink -f "$(command -v node)")
  cp "$node_bin" "$R/usr/bin/node"
  for lib in $(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
    cp -L --parents "$lib" "$R/"
  done
  cp -a /usr/lib/node_modules/npm "$R/usr/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/bin/npx"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$R/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$R/etc/group"
  # Yarn 1 from the npm registry, unpacked as its own tarball ships it.
  tgz=$(cd "$WORK" && npm pack --silent "yarn@$YARN_VERSION")
  mkdir -p "$R/usr/lib/node_modules/yarn"
  tar -xzf "$WORK/$tgz" -C "$R/usr/lib/node_modules/yarn" --strip-components=1
  rm -f "$WORK/$tgz"
  ln -s ../lib/node_modules/yarn/bin/yarn.js "$R/usr/bin/yarn"
  npm_cache=/usr/local/share/npm-offline-cache
  mirror=/usr/local/share/yarn-offline-mirror
  mkdir -p "$R$mirror"
  printf 'yarn-offline-mirror "%s"\n' "$mirror" >"$R/root/.yarnrc"
  # Fill the npm cache and the Yarn mirror from the registry (reachable here,
  # not inside builds).
  for lock in $node_locks; do
    project=$(dirname "$lock")
    tmp=$(mktemp -d)
    cp -a "$project/." "$tmp/"
    case "$lock" in
      *package-lock.json)
        (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --cache "$R$npm_cache" >/dev/null) ;;
      *yarn.lock)
        printf 'yarn-offline-mirror "%s"\n' "$R$mirror" >"$tmp/.yarnrc"
        (cd "$tmp" && node "$R/usr/lib/node_modules/yarn/bin/yarn.js" install --frozen-lockfile --ignore-scripts \
          --non-interactive --no-progress --cache-folder "$tmp/.yarn-cache" >"$WORK/yarn.log" 2>&1) ;;
    esac
    rm -rf "$tmp"
    log "cached the packages of $(basename "$project")/$(basename "$lock")"
  done
  import_rootfs "$R" "$NODE_TAG" "$NODE_HASH" \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change "ENV npm_config_cache=$npm_cache" \
    --change 'ENV npm_config_offline=true' \
    --change 'ENV npm_config_update_notifier=false' \
    --change 'ENV npm_config_fund=false' \
    --change 'ENV npm_config_audit=false' \
    --change 'CMD ["node"]'
  rm -rf "$R"
fi
