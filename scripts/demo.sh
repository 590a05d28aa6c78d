#!/usr/bin/env bash
# Runs the demo on a fresh clone: installs the npm packages and builds when needed, then `npm start`.
# Arguments go to `lindero demo` (e.g. --speed 20, --lang es).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_node_modules
ensure_built
exec npm start -- "$@"
