# Shared settings for Accord's scripts; sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# Tools the scripts install live outside the work tree, so that a fresh clone reuses them.
TOOLS="${ACCORD_TOOLS:-$HOME/.cache/accord/tools}"
export PATH="$TOOLS/node_modules/.bin:$PATH"
# The Python that reads exports back in the tests (python-docx), independent of our own code.
export ACCORD_READER_PYTHON="${ACCORD_READER_PYTHON:-$TOOLS/py/bin/python}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SITE="$TARGET/site"
WASM_BINDGEN_VERSION=0.2.130
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
