# Test tiers by file suffix (see DESIGN.md "Testing tiers"):
#   *_test.cpp     unit tests            label "unit"
#   *_pgtest.cpp   real PostgreSQL       label "postgres" (needs scripts/with-postgres)
#   *_nettest.cpp  loopback network      label "network"
# Each file becomes one GoogleTest executable named after it. LABELS adds
# labels joined with '-': LABELS sanitize gives "unit-sanitize".
include(GoogleTest)

function(magnetar_add_tests)
  cmake_parse_arguments(ARG "" "" "LIBS;LABELS" ${ARGN})
  file(GLOB files CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/*_pgtest.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/*_nettest.cpp)
  foreach(file ${files})
    get_filename_component(name ${file} NAME_WE)
    if(name MATCHES "_pgtest$")
      set(tier postgres)
    elseif(name MATCHES "_nettest$")
      set(tier network)
    else()
      set(tier unit)
    endif()
    add_executable(${name} ${file})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} magnetar_test_support GTest::gtest GTest::gtest_main GTest::gmock)
    # One label per test: GoogleTestAddTests (CMake 3.25) cannot pass a list.
    # ctest -L takes a regex, so "unit-sanitize" is selected by both -L unit
    # and -L sanitize.
    string(JOIN "-" label ${tier} ${ARG_LABELS})
    gtest_discover_tests(${name}
      DISCOVERY_MODE PRE_TEST
      PROPERTIES LABELS "${label}" TIMEOUT 600)
  endforeach()
endfunction()
