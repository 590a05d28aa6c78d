#!/usr/bin/env bash
# Runs the tests on a fresh clone: installs Debian's chromium and poppler-utils and the npm packages when
# missing, then `npm test` (which builds first). Arguments narrow the run to matching test files, as
# `node scripts/run-tests.mjs` takes them (after a build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_debian_packages
ensure_node_modules
if [ $# -eq 0 ]; then
  exec npm test
fi
npm run build
exec node scripts/run-tests.mjs "$@"
