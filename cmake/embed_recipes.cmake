# Writes OUT, a C++ source holding every SQL recipe file of RECIPES (a list joined with "@@") as a raw
# string literal, so the binary needs no data files while analysts read and edit plain .sql files.
# Run by lib/CMakeLists.txt at build time whenever a recipe changes.
string(REPLACE "@@" ";" recipes "${RECIPES}")
set(body "// Generated from lib/uplift/features/recipes/*.sql by cmake/embed_recipes.cmake: do not edit.\n")
string(APPEND body "#include \"uplift/features/retail_recipes.hpp\"\n\nnamespace uplift::features::detail {\n\n")
string(APPEND body "namespace {\nconstexpr RecipeText recipes[] = {\n")
foreach(file ${recipes})
  get_filename_component(name ${file} NAME_WE)
  file(READ ${file} text)
  if(text MATCHES "\\)uplift_sql\"")
    message(FATAL_ERROR "${file} contains the raw-string terminator )uplift_sql\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"uplift_sql(${text})uplift_sql\"},\n")
endforeach()
string(APPEND body "};\n}  // namespace\n\nstd::span<const RecipeText> embedded_recipes() { return recipes; }\n\n}  // namespace uplift::features::detail\n")
file(WRITE ${OUT}.tmp "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
