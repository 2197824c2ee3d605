# Sourced by scripts/setup, scripts/serve and scripts/test: sets PY to the Python the guide runs in.
#
# An active virtual environment is used as it is. Otherwise the guide lives in `.venv/` of the
# repository, made with $PYTHON or the first Python 3.11+ on PATH: a stock Debian or Ubuntu Python
# refuses `pip install` outside a virtual environment (PEP 668).

annotate_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

annotate_fail() {
  echo "scripts: $*" >&2
  exit 1
}

# The first Python 3.11 or newer: $PYTHON if set, else the usual names on PATH.
annotate_base_python() {
  local candidates=(python3.13 python3.12 python3.11 python3)
  [ -n "${PYTHON:-}" ] && candidates=("$PYTHON")
  local candidate
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  if [ -n "${PYTHON:-}" ]; then
    annotate_fail "PYTHON=$PYTHON is not a Python 3.11 or newer."
  fi
  annotate_fail "no Python 3.11 or newer on PATH; install one (Debian: apt-get install python3) or set PYTHON=/path/to/python3.11."
}

# Debian and Ubuntu ship venv and ensurepip apart from Python itself (python3.X-venv).
annotate_ensure_venv_module() {
  local base=$1
  "$base" -c 'import venv, ensurepip' 2>/dev/null && return 0
  local package
  package="python$("$base" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scripts: installing $package (venv and ensurepip for $base)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
    "$base" -c 'import venv, ensurepip' 2>/dev/null && return 0
  fi
  annotate_fail "$base cannot make a virtual environment; run: sudo apt-get install $package"
}

annotate_python() {
  if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    PY="$VIRTUAL_ENV/bin/python"
    return 0
  fi
  local venv="$annotate_root/.venv" base
  base=$(annotate_base_python)
  # A venv made by another Python than the one asked for (or whose Python is gone) is made again.
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.annotate-base" 2>/dev/null)" = "$base" ] &&
    "$venv/bin/python" -c '' 2>/dev/null; then
    PY="$venv/bin/python"
    return 0
  fi
  annotate_ensure_venv_module "$base"
  echo "scripts: making $venv with $base" >&2
  rm -rf "$venv"
  "$base" -m venv "$venv"
  echo "$base" >"$venv/.annotate-base"
  PY="$venv/bin/python"
}
