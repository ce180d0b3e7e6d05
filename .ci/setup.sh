#!/usr/bin/env bash
# Create .venv/ with a Python >= 3.12 and install cpf-sim into it.
# Usage: bash .ci/setup.sh [extras]   e.g. bash .ci/setup.sh dev
# Extras: dev (tests, linters), cluster (SLURM, Ray), app (the browser workbench; with it,
# Debian's chromium is installed if missing, for the browser tests).
# Idempotent: re-running only reinstalls when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

is_ok() {  # is_ok CMD... : true if CMD runs and is Python >= 3.12
  "$@" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  if [ -n "${PYTHON:-}" ] && is_ok "$PYTHON"; then echo "$PYTHON"; return; fi
  local root=""
  command -v pyenv >/dev/null 2>&1 && root="$(pyenv root 2>/dev/null || true)"
  [ -z "$root" ] && [ -d "$HOME/.pyenv" ] && root="$HOME/.pyenv"
  for v in 3.12 3.13 3.14; do
    for c in "/usr/bin/python$v" "/usr/local/bin/python$v"; do
      if is_ok "$c"; then echo "$c"; return; fi
    done
    if [ -n "$root" ]; then
      for c in $(ls -d "$root"/versions/"$v".*/bin/python"$v" 2>/dev/null | sort -rV); do
        if is_ok "$c"; then echo "$c"; return; fi
      done
    fi
    c="$(command -v "python$v" 2>/dev/null || true)"
    if [ -n "$c" ] && is_ok "$c"; then echo "$c"; return; fi
  done
  if is_ok python3; then command -v python3; return; fi
  return 1
}

# The app extra's browser tests drive Debian's chromium (Playwright cannot download its own
# browser here): install it when it is missing, as root, without questions.
if [[ ",$extras," == *",app,"* ]] && [ ! -x /usr/bin/chromium ] && [ -z "${CPF_SIM_CHROMIUM:-}" ]; then
  echo "cpf-sim set-up: installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || ! {
       apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || {
         apt-get update -qq >/dev/null 2>&1 &&
         apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }; }; then
    echo "cpf-sim set-up: could not install chromium; the browser tests need it: run" \
         "'apt-get install chromium' as root, or set CPF_SIM_CHROMIUM=/path/to/chromium" >&2
  fi
fi

stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-${extras:-base}"
if [ -x .venv/bin/python ] && [ -f "$stamp" ]; then exit 0; fi

if [ ! -x .venv/bin/python ]; then
  py="$(find_python)" || {
    echo "cpf-sim set-up: no Python >= 3.12 found (tried \$PYTHON, /usr/bin/python3.1[234]," \
         "/usr/local/bin, pyenv versions, PATH). Install Python 3.12+ (e.g. apt-get install" \
         "python3.13 python3.13-venv, or pyenv install 3.12) or set PYTHON=/path/to/python3.12." >&2
    exit 1
  }
  echo "cpf-sim set-up: using $py ($("$py" --version 2>&1))"
  "$py" -m venv .venv || {
    echo "cpf-sim set-up: '$py -m venv' failed; on Debian install the python3.X-venv package." >&2
    exit 1
  }
fi
.venv/bin/python -m pip install --quiet --upgrade pip
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/python -m pip install --quiet -e "$spec"
rm -f .venv/.installed-*
touch "$stamp"
echo "cpf-sim set-up: .venv ready ($(.venv/bin/python --version))"
