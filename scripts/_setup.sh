# Shared set-up for scripts/run and scripts/test (sourced, not run).
# Creates .venv, installs the package, and installs the Debian packages the product needs
# when they are missing and we are root; otherwise says exactly what to install.

# fonts-liberation2: Liberation Serif, metric-compatible with the Times New Roman that
# Nghị định 30/2020 names, for the PDFs in the state's format (core.pdf.state_format).
RUNTIME_DEBS="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2"
# Java runs the Nu HTML validator (tests/checkers), which checks every page the tests walk.
# slapd and ldap-utils: the OpenLDAP the single sign-on tests start (tests/sso/directory.py;
# slappasswd hashes its seeded passwords).
TEST_DEBS="chromium openjdk-17-jre-headless slapd ldap-utils"
# LibreOffice without a display, for the PDF renditions of DOCX, XLSX, ODT and ODS files
# (core.pdf.convert): optional for running (copies of office files are then the originals,
# unstamped), required for the tests.
OFFICE_DEBS="libreoffice-writer-nogui libreoffice-calc-nogui"

say() { printf '==> %s\n' "$*"; }

missing_debs() {
  local pkg missing=""
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $pkg"
  done
  printf '%s' "${missing# }"
}

ensure_debs() {
  # ensure_debs required|optional pkg...
  local mode=$1; shift
  command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian system: install Pango, HarfBuzz (with its subset library), DejaVu and Liberation 2 fonts yourself"; return 0; }
  local missing; missing=$(missing_debs "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = "0" ]; then
    say "installing Debian packages: $missing"
    # Wait for another apt (a second checkout's test run, unattended upgrades) to finish
    # rather than fail on its lock.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      $missing >/dev/null
  else
    say "missing Debian packages: $missing"
    say "install them with: sudo apt-get install -y $missing"
    [ "$mode" = required ] && return 1
  fi
  return 0
}

pick_python() {
  local candidate
  for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      printf '%s' "$candidate"; return 0
    fi
  done
  say "Python 3.11 or newer is needed"; return 1
}

# uv installs the package and its dependencies in a few seconds where pip takes half a minute
# (docs/performance.md, "The test suite"); pip stays the fallback, and COMPLIANCE_INSTALLER=pip
# chooses it (for an index or mirror only pip is configured for, as on an offline intranet).
UV_SPEC="uv>=0.9,<1"

install_package() {
  # install_package spec: the project (editable) with its dependencies into .venv.
  local spec=$1
  if [ "${COMPLIANCE_INSTALLER:-uv}" != pip ]; then
    if [ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q "$UV_SPEC" >/dev/null 2>&1; then
      # Compiled now, in parallel, rather than by each test worker or server process at its
      # first import (some 7 s of CPU per process).
      .venv/bin/uv pip install -q --compile-bytecode --python .venv/bin/python -e "$spec" \
        && return 0
      say "uv could not install the package: trying pip"
    else
      say "uv is not available: installing with pip"
    fi
  fi
  .venv/bin/python -m pip install -q -e "$spec"
}

ensure_venv() {
  # ensure_venv [extra]: .venv with the package installed (editable), reinstalled when pyproject changes.
  local extra=${1:-} python stamp want
  if [ ! -x .venv/bin/python ]; then
    python=$(pick_python) || return 1
    say "creating .venv with $python"
    "$python" -m venv .venv
  fi
  stamp=.venv/.installed
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)${extra:+[$extra]}"
  if [ ! -f "$stamp" ] || ! grep -qxF "$want" "$stamp"; then
    say "installing compliance${extra:+ with [$extra]} into .venv"
    install_package ".${extra:+[$extra]}"
    printf '%s\n' "$want" >> "$stamp"
  fi
}

start_debs() {
  # start_debs required|optional pkg...: ensure_debs in the background (apt and the Python
  # install then run side by side); wait_debs waits for it and fails when it failed.
  ensure_debs "$@" &
  DEBS_PID=$!
}

wait_debs() {
  [ -n "${DEBS_PID:-}" ] || return 0
  local pid=$DEBS_PID
  DEBS_PID=
  wait "$pid"
}

ensure_checkers() {
  # The page checkers the tests run (tests/checkers/package.json, pinned in its lock file):
  # the Nu HTML validator (vnu.jar) and axe-core, from the npm registry; installed again when
  # the lock file changes.
  local dir=tests/checkers
  if [ -f "$dir/node_modules/.package-lock.json" ] \
     && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { say "npm is needed for the page checkers: install Node.js and npm"; return 1; }
  say "installing the page checkers (npm ci in $dir)"
  (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --silent)
}
