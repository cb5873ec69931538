# Helpers that keep one library target per source folder, so the link graph
# is the layer graph (an upward include fails to link).
include(GoogleTest)

# tailor_library(NAME SOURCES ... DEPS ...)
function(tailor_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# tailor_test(NAME SOURCES ... DEPS ... [FIXTURES ...]): one gtest binary per
# folder; each test case is its own ctest entry so ctest -j spreads them over
# cores. FIXTURES names ctest fixtures (servers the tests need, see
# tailor_server_fixture) that ctest starts before and stops after.
function(tailor_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(TAILOR_TSAN)
    target_link_libraries(${name} PRIVATE tailor_tsan_absl)
  endif()
  target_compile_definitions(${name} PRIVATE
    TAILOR_SHARED_DATA="${TAILOR_SHARED_DATA}"
    TAILOR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # LABELS: the binary's name, so a preset can run some binaries only.
  set(properties TIMEOUT 600 LABELS ${name})
  if(ARG_FIXTURES)
    # One fixture name: gtest_discover_tests flattens a list value into
    # property names. `cluster` stands for both servers (below).
    list(APPEND properties FIXTURES_REQUIRED ${ARG_FIXTURES})
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES ${properties})
endfunction()

# tailor_server_fixture(KIND TIMEOUT): a throw-away server (scripts/test-KIND.sh)
# on 127.0.0.1 and a free port, started by ctest before the tests that name
# the fixture KIND and stopped after them. Tests read its URL from the file
# TAILOR_TEST_<KIND>_URL_FILE. The fixture `cluster` is every such server.
function(tailor_server_fixture kind timeout)
  string(TOUPPER "${kind}" upper)
  set(dir "${CMAKE_BINARY_DIR}/test-${kind}")
  add_compile_definitions(TAILOR_TEST_${upper}_URL_FILE="${dir}/url")
  add_test(NAME ${kind}_start COMMAND ${PROJECT_SOURCE_DIR}/scripts/test-${kind}.sh start ${dir})
  add_test(NAME ${kind}_stop COMMAND ${PROJECT_SOURCE_DIR}/scripts/test-${kind}.sh stop ${dir})
  set_tests_properties(${kind}_start PROPERTIES FIXTURES_SETUP "${kind};cluster" TIMEOUT ${timeout})
  set_tests_properties(${kind}_stop PROPERTIES FIXTURES_CLEANUP "${kind};cluster" TIMEOUT ${timeout})
endfunction()
tailor_server_fixture(postgres 120)
tailor_server_fixture(redis 60)
