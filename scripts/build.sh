#!/usr/bin/env bash
# Installs what is missing (scripts/bootstrap.sh) and builds upliftctl into build/ (Release).
# Extra CMake arguments pass through, e.g. scripts/build.sh -DUPLIFT_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
duckdb_root=$(scripts/bootstrap.sh | tail -n 1)
build_dir=${UPLIFT_BUILD_DIR:-build}
# ccache (when installed) makes rebuilds after a clean clone fast; its cache lives outside the repo. Paths under
# the checkout are hashed relative to it, so a fresh clone in another folder (CI's) hits the same cache entries.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDUCKDB_ROOT="$duckdb_root" "${launcher[@]}" \
      -DUPLIFT_NODE_MODULES="${XDG_CACHE_HOME:-$HOME/.cache}/upliftctl/node/node_modules" "$@" >&2
# UPLIFT_BUILD_TARGETS="a b" builds only those targets (scripts/fuzz.sh builds only the fuzzers).
read -r -a targets <<<"${UPLIFT_BUILD_TARGETS:-}"
cmake --build "$build_dir" -j "$(nproc)" ${targets[@]:+--target "${targets[@]}"} >&2
echo "$build_dir/apps/upliftctl/upliftctl"
