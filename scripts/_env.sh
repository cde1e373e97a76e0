# Shared by scripts/demo and scripts/test: a virtualenv in .venv with Wattboard installed (editable).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv --system-site-packages .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${WB_EXTRAS:-base}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${WB_EXTRAS:+[$WB_EXTRAS]}"
  touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
