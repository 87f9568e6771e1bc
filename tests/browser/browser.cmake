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

# The demo's own reports (scripts/demo.sh on the bundled Hillstrom data, English and Russian) printed to PDF:
# at most 5 A4 pages, no card split by a page break, nothing wider than the page, no slider on paper.
if(UPLIFT_NODE)
  set(UPLIFT_DEMO_OUT ${CMAKE_CURRENT_BINARY_DIR}/demo)
  add_test(NAME browser:demo_pipeline
           COMMAND ${CMAKE_COMMAND} -E env UPLIFTCTL=$<TARGET_FILE:upliftctl> UPLIFT_DEMO_DIR=${UPLIFT_DEMO_OUT}
                   bash ${PROJECT_SOURCE_DIR}/scripts/demo.sh)
  set_tests_properties(browser:demo_pipeline PROPERTIES FIXTURES_SETUP demo_reports TIMEOUT 600 LABELS browser
                       ENVIRONMENT OMP_WAIT_POLICY=PASSIVE)
  add_test(NAME browser:demo_print
           COMMAND ${UPLIFT_NODE} ${CMAKE_CURRENT_LIST_DIR}/print_layout_test.mjs --workdir ${CMAKE_CURRENT_BINARY_DIR}/print
                   --max-pages 5 --html ${UPLIFT_DEMO_OUT}/report.html --html ${UPLIFT_DEMO_OUT}/report_ru.html)
  set_tests_properties(browser:demo_print PROPERTIES FIXTURES_REQUIRED demo_reports SKIP_RETURN_CODE 77 TIMEOUT 300
                       LABELS browser)
endif()

# The monthly loop's blocks (cli:mseries_report_monthly*: real compare.json, drift and measure.json) on paper:
# each block on one page, nothing wider than the page. Without the blocks the series' report prints on 5 pages
# in English and 6 in Russian; the three blocks fill one page of their own after the recommendation.
if(UPLIFT_NODE)
  set(UPLIFT_MSERIES ${CMAKE_CURRENT_BINARY_DIR}/cli/work/mseries)
  add_test(NAME browser:monthly_print
           COMMAND ${UPLIFT_NODE} ${CMAKE_CURRENT_LIST_DIR}/print_layout_test.mjs --workdir ${CMAKE_CURRENT_BINARY_DIR}/print_monthly
                   --max-pages 7 --html ${UPLIFT_MSERIES}/monthly.html --html ${UPLIFT_MSERIES}/monthly_ru.html)
  set_tests_properties(browser:monthly_print PROPERTIES FIXTURES_REQUIRED "mseries_monthly_report;mseries_monthly_report_ru"
                       RESOURCE_LOCK mseries SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS browser)
endif()

# The client-portraits block (report --portraits) prints with the rest of the report, in both languages.
if(UPLIFT_NODE)
  set(UPLIFT_HS ${CMAKE_CURRENT_BINARY_DIR}/cli/work/hs)
  add_test(NAME browser:portraits_print
           COMMAND ${UPLIFT_NODE} ${CMAKE_CURRENT_LIST_DIR}/print_layout_test.mjs --workdir ${CMAKE_CURRENT_BINARY_DIR}/print_portraits
                   --max-pages 5 --html ${UPLIFT_HS}/report_portraits.html --html ${UPLIFT_HS}/report_portraits_ru.html)
  set_tests_properties(browser:portraits_print PROPERTIES FIXTURES_REQUIRED "hs_report_portraits;hs_report_portraits_ru"
                       RESOURCE_LOCK hs SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS browser)
endif()

# The response list vs uplift plan block (report --plan of optimize --rank-by response) prints whole, in both
# languages, with the rest of the report.
if(UPLIFT_NODE)
  set(UPLIFT_HS ${CMAKE_CURRENT_BINARY_DIR}/cli/work/hs)
  add_test(NAME browser:response_list_print
           COMMAND ${UPLIFT_NODE} ${CMAKE_CURRENT_LIST_DIR}/print_layout_test.mjs --workdir ${CMAKE_CURRENT_BINARY_DIR}/print_response_list
                   --max-pages 6 --html ${UPLIFT_HS}/report_response.html --html ${UPLIFT_HS}/report_response_ru.html)
  set_tests_properties(browser:response_list_print PROPERTIES
                       FIXTURES_REQUIRED "hs_report_response_list;hs_report_response_list_ru"
                       RESOURCE_LOCK hs SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS browser)
endif()
