# Browser test of the HTML report: headless Chromium driven over the DevTools protocol by a node script (no npm
# packages). Skipped (exit 77) when Chromium is not installed; scripts/test.sh installs the Debian package.
# Artifacts (report.png, report_ru.png, xss.png, report.pdf and the HTML) stay in <build>/tests/browser/.
find_program(UPLIFT_NODE NAMES node nodejs)
if(UPLIFT_NODE)
  add_test(NAME browser:report
           COMMAND ${UPLIFT_NODE} ${CMAKE_CURRENT_LIST_DIR}/report_browser_test.mjs
                   --upliftctl $<TARGET_FILE:upliftctl> --workdir ${CMAKE_CURRENT_BINARY_DIR}/browser)
  set_tests_properties(browser:report PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS browser)
else()
  message(STATUS "node not found: the browser test of the report is not registered")
endif()
