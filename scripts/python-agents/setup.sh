#!/usr/bin/env bash
# Makes the Python agents' virtual environment from requirements.txt, once,
# in a cache outside the repository (keyed by the requirements' hash), and
# prints its python's path.
#   setup.sh              create if needed, print the path
#   setup.sh --print-path print the path if created, else exit 1 (creates nothing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${PERMISO_PYTHON_AGENTS_CACHE:-$HOME/.cache/permiso-python-agents}"
key="$(sha256sum "$here/requirements.txt" | cut -c1-12)"
venv="$cache/$key"
python="$venv/bin/python"

if [ -x "$python" ] && [ -f "$venv/.complete" ]; then
  echo "$python"
  exit 0
fi
[ "${1:-}" = "--print-path" ] && exit 1

command -v python3 >/dev/null || { echo "setup.sh: python3 is not installed" >&2; exit 1; }
rm -rf "$venv"
mkdir -p "$cache"
python3 -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
touch "$venv/.complete"
echo "$python"
