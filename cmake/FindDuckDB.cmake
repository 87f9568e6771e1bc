# Finds the DuckDB C API: duckdb.h and libduckdb.so.
# Looks in DUCKDB_ROOT (CMake or environment variable) first, so a user can point it at an official
# DuckDB release instead of the copy scripts/bootstrap.sh fetches. Defines DuckDB::duckdb.
find_path(DuckDB_INCLUDE_DIR duckdb.h
          HINTS ${DUCKDB_ROOT} $ENV{DUCKDB_ROOT} PATH_SUFFIXES include)
find_library(DuckDB_LIBRARY NAMES duckdb
             HINTS ${DUCKDB_ROOT} $ENV{DUCKDB_ROOT} PATH_SUFFIXES lib)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(DuckDB REQUIRED_VARS DuckDB_LIBRARY DuckDB_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "run scripts/bootstrap.sh and pass -DDUCKDB_ROOT=<the directory it prints>")
if(DuckDB_FOUND AND NOT TARGET DuckDB::duckdb)
  add_library(DuckDB::duckdb SHARED IMPORTED)
  set_target_properties(DuckDB::duckdb PROPERTIES IMPORTED_LOCATION ${DuckDB_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${DuckDB_INCLUDE_DIR})
endif()
