#!/bin/sh
# Installs Debian's neovim (0.7.2 on Debian 12) for the Neovim e2e test, if missing.
# Idempotent: prints the version and exits 0 when nvim is already on PATH.
set -eu
if command -v nvim >/dev/null 2>&1; then
  nvim --version | head -n 1
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "nvim-setup: nvim is not installed and apt-get is not available; install Neovim >= 0.7 yourself" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "nvim-setup: need root (or sudo) to apt-get install neovim" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends neovim
nvim --version | head -n 1
