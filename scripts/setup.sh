#!/usr/bin/env bash
# Install what govbrief needs on a fresh Debian 12 machine: the Debian packages for
# CJK fonts and PDF (when missing) and the Python packages into .venv, from the lock
# file. Quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 fonts-arphic-gkai00mp)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "setup: Python 3.11 or newer is needed (found $("$python" --version))" >&2; exit 1; }
  "$python" -m venv .venv
fi
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q --disable-pip-version-check uv 2>/dev/null

stamp=".venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv" >&2
  .venv/bin/uv pip sync -q --python .venv/bin/python requirements.lock
  # compat mode puts the repository on sys.path, so flows/ and tasks/ import as top-level packages
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps -C editable_mode=compat -e .
  rm -f .venv/.installed-* && touch "$stamp"
fi
