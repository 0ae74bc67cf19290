# Shared set-up for scripts/run and scripts/test (sourced, not run).
# Creates .venv, installs the package, and installs the Debian packages the product needs
# when they are missing and we are root; otherwise says exactly what to install.

RUNTIME_DEBS="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core"
TEST_DEBS="chromium"
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
  command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian system: install Pango, HarfBuzz (with its subset library) and DejaVu fonts yourself"; return 0; }
  local missing; missing=$(missing_debs "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = "0" ]; then
    say "installing Debian packages: $missing"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
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

ensure_venv() {
  # ensure_venv [extra]: .venv with the package installed (editable), reinstalled when pyproject changes.
  local extra=${1:-} python stamp want
  if [ ! -x .venv/bin/python ]; then
    python=$(pick_python) || return 1
    say "creating .venv with $python"
    "$python" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
  fi
  stamp=.venv/.installed
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)${extra:+[$extra]}"
  if [ ! -f "$stamp" ] || ! grep -qxF "$want" "$stamp"; then
    say "installing compliance${extra:+ with [$extra]} into .venv"
    .venv/bin/python -m pip install -q -e ".${extra:+[$extra]}"
    printf '%s\n' "$want" >> "$stamp"
  fi
}
