# Benchmark of `optimize` (plan + budget curve + baselines): run by hand in a Release build,
# e.g. build/bench/bench_optimize 10000000 2. Included from bench/CMakeLists.txt.
add_executable(bench_optimize ${CMAKE_CURRENT_LIST_DIR}/bench_optimize.cpp)
target_link_libraries(bench_optimize PRIVATE uplift::core uplift_warnings)
