#!/usr/bin/env bash
# Create or refresh one of the project's two virtual environments, idempotently.
#
#   scripts/setup_env.sh app    Python 3.11: gateway, actions, CRM store, recommender, tests
#   scripts/setup_env.sh rasa   Python 3.10: Rasa Open Source 3.6.21 (it refuses 3.11)
#
# The environment is rebuilt only when its lock file or interpreter changed: the hash of
# both is kept in .venvs/<name>/.lock-hash, so a second run takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:?usage: scripts/setup_env.sh app|rasa}"
case "$name" in
  app)  want="3.11"; lock="requirements/app.lock" ;;
  rasa) want="3.10"; lock="requirements/rasa.lock" ;;
  *) echo "setup: unknown environment '$name' (expected app or rasa)" >&2; exit 2 ;;
esac
venv=".venvs/$name"
pip_version="24.3.1"

# Find a working pythonX.Y: PATH first (a pyenv shim may exist yet refuse to run),
# then pyenv's versions folder, then the usual system places.
find_python() {
  local candidates=()
  command -v "python$want" >/dev/null 2>&1 && candidates+=("$(command -v "python$want")")
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  for p in "$root"/versions/"$want".*/bin/python"$want"; do [ -x "$p" ] && candidates+=("$p"); done
  candidates+=("/usr/local/bin/python$want" "/usr/bin/python$want")
  for p in "${candidates[@]}"; do
    if [ -x "$p" ] && "$p" -c "import sys, venv; assert '%d.%d' % sys.version_info[:2] == '$want'" 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  return 1
}

if ! py="$(find_python)"; then
  why="the app environment needs Python $want"
  [ "$name" = rasa ] && why="Rasa Open Source 3.6.21 needs Python 3.10 (it refuses 3.11)"
  echo "setup: python$want not found: $why. Install it (e.g. 'pyenv install $want' or" \
       "'apt-get install python$want python$want-venv') and run make again." >&2
  exit 1
fi

hash="$( (cat "$lock"; "$py" -VV; echo "pip $pip_version") | sha256sum | cut -d' ' -f1)"
if [ -f "$venv/.lock-hash" ] && [ "$(cat "$venv/.lock-hash")" = "$hash" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi

echo "setup: building $venv with $("$py" -V) from $lock (first time: a few minutes)"
rm -rf "$venv"
"$py" -m venv "$venv"
pip_install() {
  # This machine's pip configuration lists optional local indexes; their warnings are noise.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
    2> >(grep -v "^WARNING: Location" >&2)
}
pip_install "pip==$pip_version"
# --no-deps: the lock is the complete pin set (setuptools and wheel included: `make lock`
# freezes with --all); some pins (requirements/rasa-nodeps.in) must come without the
# dependencies they declare.
pip_install --no-deps -r "$lock"
echo "$hash" > "$venv/.lock-hash"
echo "setup: $venv ready"
