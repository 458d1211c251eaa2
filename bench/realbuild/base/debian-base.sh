# Sourced by setup.sh. Builds localhost/cachelens-debian-base: debootstrap
# minbase bookworm + python3-venv, with
#  - /wheels: a wheelhouse of real libraries (Debian's copies, repackaged by
#    pack-wheels.py) and pip set to --no-index --find-links /wheels;
#  - a local apt repository (file:/srv/apt-mirror) of a few real .debs as the
#    only apt source, so `apt-get update` + `apt-get install` work offline.
DEBIAN_TAG=localhost/cachelens-debian-base
WHEELS="flask werkzeug jinja2 markupsafe itsdangerous click requests urllib3 idna certifi charset-normalizer chardet"
DEBS="jq libjq1 libonig5 zip unzip"
DEBIAN_HASH=$(hash_of "${BASH_SOURCE[0]}" "$HERE/base/pack-wheels.py")
if image_current "$DEBIAN_TAG" "$DEBIAN_HASH"; then
  log "$DEBIAN_TAG is current"
else
  mirror=$(debian_mirror)
  R=$WORK/rootfs-debian
  rm -rf "$R"
  log "debootstrap bookworm from the host's Debian mirror"
  debootstrap --variant=minbase --include=python3-venv,python3-flask,python3-requests \
    bookworm "$R" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  log "packing wheels"
  python3 "$HERE/base/pack-wheels.py" "$R/usr/lib/python3/dist-packages" "$R/wheels" $WHEELS >/dev/null
  log "local apt repository"
  mkdir -p "$R/srv/apt-mirror"
  (cd "$R/srv/apt-mirror" && apt-get download $DEBS >/dev/null 2>&1 ||
    (apt-get -o DPkg::Lock::Timeout=600 update -qq && apt-get download $DEBS >/dev/null))
  (cd "$R/srv/apt-mirror" && dpkg-scanpackages --multiversion . 2>/dev/null >Packages)
  echo 'deb [trusted=yes] file:/srv/apt-mirror ./' >"$R/etc/apt/sources.list"
  rm -f "$R"/etc/apt/sources.list.d/*
  rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/archives/*.deb
  # The venvs the projects create do not see the system site-packages, so the
  # Debian copies left in the image do not leak into a project's install.
  mkdir -p "$R/app"
  import_rootfs "$R" "$DEBIAN_TAG" "$DEBIAN_HASH" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PIP_NO_INDEX=1' \
    --change 'ENV PIP_FIND_LINKS=/wheels' \
    --change 'ENV PIP_DISABLE_PIP_VERSION_CHECK=1' \
    --change 'CMD ["bash"]'
  rm -rf "$R"
fi
