#!/usr/bin/env bash
# Installs what upliftctl needs and fetches DuckDB into a cache outside the repo.
# Idempotent: installs only missing Debian packages, downloads DuckDB only when not cached.
# Prints the DuckDB root directory on its last line of stdout (everything else goes to stderr).
#
#   UPLIFT_EXTRA_PACKAGES="chromium"  also install these Debian packages
#   UPLIFT_NODE_TOOLS=1                also install the test-only node packages (hyparquet) into the cache
#   XDG_CACHE_HOME                     cache root (default ~/.cache); DuckDB lands in .../upliftctl/
set -euo pipefail

DUCKDB_VERSION=1.4.4
DUCKDB_LIB_PKG="@duckdb/node-bindings-linux-x64@1.4.4-r.4"   # ships libduckdb.so
DUCKDB_HDR_PKG="duckdb@${DUCKDB_VERSION}"                     # ships the matching duckdb.h
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/upliftctl"
DUCKDB_ROOT="${CACHE_ROOT}/duckdb-${DUCKDB_VERSION}"

log() { echo "bootstrap: $*" >&2; }

packages=(g++ cmake ninja-build make git ca-certificates libxgboost-dev libcli11-dev libeigen3-dev libfmt-dev
          libspdlog-dev catch2 nlohmann-json3-dev libtomlplusplus-dev libxxhash-dev libthrift-dev nodejs npm ccache ${UPLIFT_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodesource's nodejs bundles npm; do not ask apt for a second one
if [[ " ${missing[*]} " == *" npm "* ]] && command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages: ${missing[*]}"
    log "run as root, or: sudo apt-get install ${missing[*]}"
    exit 1
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [[ ! -f "${DUCKDB_ROOT}/lib/libduckdb.so" || ! -f "${DUCKDB_ROOT}/include/duckdb.h" ]]; then
  log "fetching DuckDB ${DUCKDB_VERSION} from the npm registry into ${DUCKDB_ROOT}"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$DUCKDB_LIB_PKG" "$DUCKDB_HDR_PKG" >&2)
  mkdir -p "$tmp/lib" "$tmp/hdr"
  tar -xzf "$tmp"/duckdb-node-bindings-linux-x64-*.tgz -C "$tmp/lib" package/libduckdb.so
  tar -xzf "$tmp/duckdb-${DUCKDB_VERSION}.tgz" -C "$tmp/hdr" package/src/duckdb/src/include/duckdb.h
  staged="${DUCKDB_ROOT}.partial.$$"
  mkdir -p "$staged/lib" "$staged/include"
  mv "$tmp/lib/package/libduckdb.so" "$staged/lib/"
  mv "$tmp/hdr/package/src/duckdb/src/include/duckdb.h" "$staged/include/"
  rm -rf "$DUCKDB_ROOT"
  mv "$staged" "$DUCKDB_ROOT"     # atomic: a half-fetched cache is never taken as complete
fi
log "DuckDB at ${DUCKDB_ROOT}"

# hyparquet: a second, pure-JavaScript Parquet reader the tests use to check our files (not DuckDB again).
NODE_ROOT="${CACHE_ROOT}/node"
if [[ "${UPLIFT_NODE_TOOLS:-0}" == 1 && ! -f "${NODE_ROOT}/node_modules/hyparquet-compressors/package.json" ]]; then
  log "installing hyparquet into ${NODE_ROOT}"
  mkdir -p "$NODE_ROOT"
  npm install --silent --no-audit --no-fund --prefix "$NODE_ROOT" hyparquet@1.31.5 hyparquet-compressors@1.1.2 >&2
fi

echo "${DUCKDB_ROOT}"
