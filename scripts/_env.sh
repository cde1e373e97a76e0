# Shared by scripts/demo and scripts/test: an isolated virtualenv in .venv with Wattboard installed (editable).
# Isolated means no system site-packages: whatever the project imports must be declared in pyproject.toml.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ -f .venv/pyvenv.cfg ] && grep -q "include-system-site-packages = true" .venv/pyvenv.cfg; then
  rm -rf .venv  # an older checkout made it with the system's packages: start clean
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${WB_EXTRAS:-base}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${WB_EXTRAS:+[$WB_EXTRAS]}"
  touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
