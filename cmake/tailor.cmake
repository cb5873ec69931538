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

# tailor_test(NAME SOURCES ... DEPS ...): one gtest binary per folder; each
# test case is its own ctest entry so ctest -j spreads them over cores.
function(tailor_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    TAILOR_SHARED_DATA="${TAILOR_SHARED_DATA}"
    TAILOR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT 600)
endfunction()
