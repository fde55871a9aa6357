#!/usr/bin/env bash
# scripts/lib/deps.sh — install what the test suites need, only when it is missing.
#
# Sourced by scripts/test. CI runs on a machine that may be brand new (nothing installed by
# hand survives a change of machine), so the project itself must install its test tools.
# Everything here is idempotent and quick when already done: dpkg is asked first, and pip is
# skipped when a stamp file records the exact requirement list already installed.
#
# Usage:  source scripts/lib/deps.sh; ensure_test_deps
set -euo pipefail

# Debian packages: PostgreSQL 15 (throwaway test cluster), Chromium (Playwright drives the
# Debian build because `playwright install` cannot download browsers here), wrk (load tests),
# and the third-party readers of the documents Gotong writes: poppler (PDF text and pages),
# qpdf (PDF structure) and zbar (QR codes).
GOTONG_TEST_APT_PACKAGES=(postgresql chromium wrk poppler-utils qpdf zbar-tools)

# Python tools, pinned so CI does not drift. These are the versions installed and tried on
# the dev machine (Debian 12, Python 3.11); scripts/test relies on schemathesis 4.x flags.
GOTONG_TEST_PIP_REQUIREMENTS=(
  pytest==9.2.0
  playwright==1.65.2
  pytest-playwright==0.10.0
  axe-playwright-python==0.1.8
  schemathesis==4.32.5
  requests==2.34.2
  aiosmtpd==1.4.6
  # scripts/bench-assessment: thousands of learners answering at once, each on a connection.
  uvloop==0.22.1
)

# Run a command as root: directly when we are root, else via sudo when it exists.
_deps_as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "deps: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

# Echo the packages from the argument list that dpkg does not report as installed.
_deps_missing_apt() {
  local pkg status
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || echo "$pkg"
  done
}

ensure_apt_packages() {
  local missing log
  mapfile -t missing < <(_deps_missing_apt "${GOTONG_TEST_APT_PACKAGES[@]}")
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "deps: installing Debian packages: ${missing[*]}"
  # The base image deletes downloaded .deb files after each dpkg run, which breaks larger
  # installs (chromium pulls a perl-base upgrade: "failed to read archive"). Giving apt its
  # own download folder avoids that (see shared/TESTING.md).
  _deps_as_root mkdir -p /tmp/apt-cache/partial
  log=$(mktemp)
  # Quiet on success; on failure show the whole log, since the last lines rarely suffice.
  if ! _deps_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 ||
     ! _deps_as_root env DEBIAN_FRONTEND=noninteractive \
         apt-get -o Dir::Cache::Archives=/tmp/apt-cache/ install -y -qq \
         "${missing[@]}" >>"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "deps: apt-get install failed" >&2
    return 1
  fi
  rm -f "$log"
  # Double-check: apt can exit 0 yet leave a package half-configured.
  mapfile -t missing < <(_deps_missing_apt "${GOTONG_TEST_APT_PACKAGES[@]}")
  if ((${#missing[@]} > 0)); then
    echo "deps: still not installed after apt-get: ${missing[*]}" >&2
    return 1
  fi
}

ensure_python_venv() {
  local root venv stamp wanted log pyver
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  venv="$root/.venv-test"
  stamp="$venv/.gotong-requirements"
  pyver=$(python3 -c 'import sys; print(sys.version.split()[0])')
  # The stamp holds the requirement list plus the interpreter version, so a changed pin or a
  # different Python both trigger a reinstall.
  wanted="$(printf '%s\n' "${GOTONG_TEST_PIP_REQUIREMENTS[@]}")
python=$pyver"
  if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
    return 0
  fi
  echo "deps: installing Python test tools into .venv-test"
  # A venv made by another Python (or a broken one) is rebuilt rather than patched.
  if [[ -e $venv ]] &&
     [[ $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null) != "$pyver" ]]; then
    rm -rf "$venv"
  fi
  log=$(mktemp)
  if [[ ! -x $venv/bin/python ]]; then
    if ! python3 -m venv "$venv" >"$log" 2>&1; then
      cat "$log" >&2; rm -f "$log"
      echo "deps: could not create $venv (Debian needs python3-venv)" >&2
      return 1
    fi
  fi
  if ! "$venv/bin/pip" install -q --disable-pip-version-check \
         "${GOTONG_TEST_PIP_REQUIREMENTS[@]}" >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "deps: pip install failed" >&2
    return 1
  fi
  rm -f "$log"
  printf '%s\n' "$wanted" >"$stamp"
}

ensure_test_deps() {
  ensure_apt_packages
  ensure_python_venv
}
