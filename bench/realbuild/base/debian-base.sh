# Sourced by setup.sh. Builds localhost/cachelens-debian-base: debootstrap
# minbase bookworm + python3-venv, with
#  - /wheels: a wheelhouse of real libraries (Debian's python3-* packages,
#    repackaged as wheels by pack-wheels.py) and pip set to --no-index
#    --find-links /wheels, standing in for a PyPI mirror;
#  - a local apt repository (file:/srv/apt-mirror) of a few real .debs as the
#    only apt source, so `apt-get update` + `apt-get install` work offline.
DEBIAN_TAG=localhost/cachelens-debian-base
PY_DEBS="python3-flask python3-werkzeug python3-jinja2 python3-markupsafe python3-itsdangerous python3-click
  python3-requests python3-urllib3 python3-idna python3-certifi python3-charset-normalizer python3-chardet"
WHEELS="flask werkzeug jinja2 markupsafe itsdangerous click requests urllib3 idna certifi charset-normalizer chardet"
APT_DEBS="jq libjq1 libonig5 zip unzip"
DEBIAN_HASH=$(hash_of "${BASH_SOURCE[0]}" "$HERE/base/pack-wheels.py")

# download DIR PACKAGE...: the .deb files, from the host's apt sources.
download() {
  local dir=$1
  shift
  (cd "$dir" && apt-get download "$@" >/dev/null 2>&1) ||
    (apt-get -o DPkg::Lock::Timeout=600 update -qq && cd "$dir" && apt-get download "$@" >/dev/null)
}

if image_current "$DEBIAN_TAG" "$DEBIAN_HASH"; then
  log "$DEBIAN_TAG is current"
else
  mirror=$(debian_mirror)
  R=$WORK/rootfs-debian
  rm -rf "$R"
  log "debootstrap bookworm from the host's Debian mirror"
  debootstrap --variant=minbase --include=python3-venv bookworm "$R" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  debs=$WORK/debs
  rm -rf "$debs"
  mkdir -p "$debs/py/root" "$R/srv/apt-mirror"
  log "packing wheels from Debian's python3-* packages"
  download "$debs/py" $PY_DEBS
  for deb in "$debs"/py/*.deb; do dpkg-deb -x "$deb" "$debs/py/root"; done
  python3 "$HERE/base/pack-wheels.py" "$debs/py/root/usr/lib/python3/dist-packages" "$R/wheels" $WHEELS >/dev/null
  log "local apt repository"
  download "$R/srv/apt-mirror" $APT_DEBS
  (cd "$R/srv/apt-mirror" && dpkg-scanpackages --multiversion . 2>/dev/null >Packages)
  rm -rf "$debs"
  echo 'deb [trusted=yes] file:/srv/apt-mirror ./' >"$R/etc/apt/sources.list"
  rm -f "$R"/etc/apt/sources.list.d/*
  rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/archives/*.deb
  mkdir -p "$R/app"
  import_rootfs "$R" "$DEBIAN_TAG" "$DEBIAN_HASH" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PIP_NO_INDEX=1' \
    --change 'ENV PIP_FIND_LINKS=/wheels' \
    --change 'ENV PIP_DISABLE_PIP_VERSION_CHECK=1' \
    --change 'CMD ["bash"]'
  rm -rf "$R"
fi
