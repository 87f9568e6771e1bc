#!/usr/bin/env bash
# Installs what is missing (scripts/bootstrap.sh) and builds upliftctl into build/ (Release).
# Extra CMake arguments pass through, e.g. scripts/build.sh -DUPLIFT_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
duckdb_root=$(scripts/bootstrap.sh | tail -n 1)
build_dir=${UPLIFT_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDUCKDB_ROOT="$duckdb_root" \
      -DUPLIFT_NODE_MODULES="${XDG_CACHE_HOME:-$HOME/.cache}/upliftctl/node/node_modules" "$@" >&2
cmake --build "$build_dir" -j "$(nproc)" >&2
echo "$build_dir/apps/upliftctl/upliftctl"
