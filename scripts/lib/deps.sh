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
  # Open Badges 3.0 credentials and status lists checked by an independent JOSE library.
  joserfc==1.8.0
  # Live Learning: the calendar feed read by an iCalendar parser, the XLSX export by openpyxl.
  icalendar==6.1.0
  openpyxl==3.1.5
)

# The Open Badges 2.0 verifier of IMS Global / 1EdTech (PyPI `openbadges`), in a venv of its
# own: its pins are from 2017, and it verifies signed badges only with python-jose's
# pycryptodome backend, which python-jose dropped after 3.2.0 and which is never chosen when
# `cryptography` is installed (joserfc needs that). This is the whole set, installed without
# resolving: tried on the dev machine (Python 3.11), where openbadges' own pins do not run.
GOTONG_BADGES_PIP_REQUIREMENTS=(
  openbadges==1.1.2 openbadges-bakery==1.2.4 python-jose==3.2.0 pycryptodome==3.24.1 ecdsa==0.14.1 rsa==4.9.1
  pyasn1==0.6.5 future==0.16.0 six==1.17.0 PyLD==0.7.1 pydux==0.2.2 jsonschema==2.6.0 language_tags==0.4.3
  aniso8601==10.0.1 click==6.7 decorator==5.3.1 defusedxml==0.7.1 pypng==0.20220715.0 python-mimeparse==1.6.0
  pytz==2026.6 requests==2.34.2 requests-cache==0.4.13 rfc3986==0.4.1 validators==0.11.2 certifi==2026.10.19.post1
  charset-normalizer==3.5.3 idna==3.21 urllib3==2.8.0
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

# ensure_python_venv NAME [pip options…] -- REQUIREMENT…
ensure_python_venv() {
  local root venv stamp wanted log pyver name=$1
  shift
  local -a options=()
  while [[ $1 != -- ]]; do options+=("$1"); shift; done
  shift
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  venv="$root/$name"
  stamp="$venv/.gotong-requirements"
  pyver=$(python3 -c 'import sys; print(sys.version.split()[0])')
  # The stamp holds the requirement list plus the interpreter version, so a changed pin or a
  # different Python both trigger a reinstall.
  wanted="$(printf '%s\n' "$@")
python=$pyver"
  if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
    return 0
  fi
  echo "deps: installing Python test tools into $name"
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
  if ! "$venv/bin/pip" install -q --disable-pip-version-check ${options[@]+"${options[@]}"} "$@" >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "deps: pip install failed" >&2
    return 1
  fi
  rm -f "$log"
  printf '%s\n' "$wanted" >"$stamp"
}

ensure_test_deps() {
  ensure_apt_packages
  ensure_python_venv .venv-test -- "${GOTONG_TEST_PIP_REQUIREMENTS[@]}"
  ensure_python_venv .venv-badges --no-deps -- "${GOTONG_BADGES_PIP_REQUIREMENTS[@]}"
}
