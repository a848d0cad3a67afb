#!/usr/bin/env bash
# Regenerate the full pin sets from the direct pins (pyproject.toml, requirements/rasa.in).
# Run after changing a direct dependency; commit the .lock files it writes.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
.venvs/app/bin/python - <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
pins = project["dependencies"] + project["optional-dependencies"]["dev"]
open("requirements/app.in", "w").write("\n".join(pins) + "\n")
PY
for name in app rasa; do
  py="$(.venvs/$name/bin/python -c 'import sys; print(sys.executable)')"
  base="$("$py" -c 'import sys; print(sys._base_executable)')"
  "$base" -m venv "$tmp/$name"
  "$tmp/$name/bin/pip" install --quiet pip==24.3.1
  "$tmp/$name/bin/pip" install --quiet -r "requirements/$name.in"
  if [ -f "requirements/$name-nodeps.in" ]; then
    "$tmp/$name/bin/pip" install --quiet --no-deps -r "requirements/$name-nodeps.in"
  fi
  "$tmp/$name/bin/pip" freeze --all --exclude-editable > "requirements/$name.lock"
  echo "wrote requirements/$name.lock"
done
