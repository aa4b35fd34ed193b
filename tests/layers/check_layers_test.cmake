# Runs scripts/check_layers.cmake on a fixture tree that breaks each rule once and keeps each exception once:
# the check must fail, name every forbidden line (file:line) and none of the allowed ones.
execute_process(COMMAND ${CMAKE_COMMAND} -DSRC=${FIXTURE} -P ${CHECK} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
set(out "${out}${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the check passed on a tree with forbidden includes:\n${out}")
endif()
set(expected
  "core/pure.h:4:" "core/pure.h:5:" "core/pure.h:6:"
  "store/repo.cpp:4:" "store/repo.cpp:5:"
  "office/sheet.cpp:3:" "office/sheet.cpp:4:"
  "service/use.cpp:5:" "service/use.cpp:6:"
  "http/api.cpp:4:" "http/api.cpp:6:" "http/api.cpp:7:"
  "main.cpp:5:" "main.cpp:6:")
set(allowed
  "core/pure.h:2:" "core/pure.h:3:" "store/repo.cpp:1:" "store/repo.cpp:2:" "store/repo.cpp:3:" "office/sheet.cpp:1:"
  "office/sheet.cpp:2:" "service/use.cpp:1:" "service/use.cpp:2:" "service/use.cpp:3:" "service/use.cpp:4:"
  "http/api.cpp:1:" "http/api.cpp:2:" "http/api.cpp:3:" "http/api.cpp:5:" "main.cpp:1:" "main.cpp:2:"
  "main.cpp:3:" "main.cpp:4:")
foreach(e IN LISTS expected)
  string(FIND "${out}" "src/${e}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the check did not name ${e}:\n${out}")
  endif()
endforeach()
foreach(a IN LISTS allowed)
  string(FIND "${out}" "src/${a}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the check named the allowed line ${a}:\n${out}")
  endif()
endforeach()
list(LENGTH expected n)
if(NOT out MATCHES "${n} forbidden")
  message(FATAL_ERROR "expected exactly ${n} violations:\n${out}")
endif()
message("the check names all ${n} forbidden lines of the fixture and none of the allowed ones")
