# Set-up shared by scripts/demo.sh and scripts/test.sh (sourced, not run): the npm packages, and for the
# tests the Debian packages they use. Each step is skipped when it is already done.

# True when node_modules is missing or older than the lock file (npm ci writes node_modules/.package-lock.json).
node_modules_stale() {
  [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
    || [ package.json -nt node_modules/.package-lock.json ]
}

# npm ci when node_modules is missing or stale; it also builds dist/ (the prepare script).
ensure_node_modules() {
  if node_modules_stale; then
    echo "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

# npm run build when dist/ is missing or any source is newer than it (after a pull, say).
ensure_built() {
  if [ ! -f dist/cli/main.js ] || [ -n "$(find src web/src web/field/src data -newer dist/cli/main.js -type f -print -quit)" ]; then
    echo "building (npm run build)"
    npm run build
  fi
}

# Debian's chromium (the browser tests drive it), poppler-utils (pdftoppm: a test reads the printed inquiry
# report with it) and postgresql (the PostgreSQL store's tests start throwaway clusters of their own: initdb into
# a temporary directory, a Unix socket only, run as the postgres user; only the server programs are needed, no
# service), when missing.
ensure_debian_packages() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ ${#need[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "the tests need ${need[*]}: run as root, or install them with: apt-get install -y ${need[*]}" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}
