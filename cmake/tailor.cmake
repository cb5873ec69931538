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
# tailor_postgres_fixture) that ctest starts before and stops after.
function(tailor_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    TAILOR_SHARED_DATA="${TAILOR_SHARED_DATA}"
    TAILOR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(properties TIMEOUT 600)
  if(ARG_FIXTURES)
    # One fixture name: gtest_discover_tests flattens a list value into
    # property names. `cluster` stands for both servers (below).
    list(APPEND properties FIXTURES_REQUIRED ${ARG_FIXTURES})
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES ${properties})
endfunction()

# A throw-away PostgreSQL server on 127.0.0.1 and a free port, started by
# ctest before the tests that name the fixture `postgres` and stopped after
# them. Tests read its URL from TAILOR_TEST_POSTGRES_URL_FILE.
set(TAILOR_TEST_POSTGRES_DIR "${CMAKE_BINARY_DIR}/test-postgres")
add_compile_definitions(TAILOR_TEST_POSTGRES_URL_FILE="${TAILOR_TEST_POSTGRES_DIR}/url")
add_test(NAME postgres_start
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/test-postgres.sh start ${TAILOR_TEST_POSTGRES_DIR})
add_test(NAME postgres_stop
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/test-postgres.sh stop ${TAILOR_TEST_POSTGRES_DIR})
set_tests_properties(postgres_start PROPERTIES FIXTURES_SETUP "postgres;cluster" TIMEOUT 120)
set_tests_properties(postgres_stop PROPERTIES FIXTURES_CLEANUP "postgres;cluster" TIMEOUT 120)

# A throw-away Redis server on 127.0.0.1 and a free port (fixture `redis`);
# tests read its URL from TAILOR_TEST_REDIS_URL_FILE. Fixture `cluster` is
# both servers.
set(TAILOR_TEST_REDIS_DIR "${CMAKE_BINARY_DIR}/test-redis")
add_compile_definitions(TAILOR_TEST_REDIS_URL_FILE="${TAILOR_TEST_REDIS_DIR}/url")
add_test(NAME redis_start
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/test-redis.sh start ${TAILOR_TEST_REDIS_DIR})
add_test(NAME redis_stop
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/test-redis.sh stop ${TAILOR_TEST_REDIS_DIR})
set_tests_properties(redis_start PROPERTIES FIXTURES_SETUP "redis;cluster" TIMEOUT 60)
set_tests_properties(redis_stop PROPERTIES FIXTURES_CLEANUP "redis;cluster" TIMEOUT 60)
