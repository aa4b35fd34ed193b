# The layering of src/, checked include by include: fails naming file and line of every include that crosses a
# forbidden edge. Run by ctest (test "layers"); by hand: cmake -DSRC=src -P scripts/check_layers.cmake
#
#   core    <- everything            pure: the standard library and libsodium only
#   store   <- service               (and src/main.cpp, the composition root: it opens, migrates, backs up the database)
#   office  <- service
#   media   <- service               images: libvips and libexif
#   service <- http, cli, jobs
#   http    <- cli
#   jobs    <- cli
# A third-party header belongs to the layer that wraps it: SQLite and libpq to store; libzip, pugixml and
# libxlsxwriter, cairo and pango to office; libvips and libexif to media; Boost (Beast, Asio) to http; toml++ to the command line.
cmake_minimum_required(VERSION 3.25)
if(NOT SRC)
  message(FATAL_ERROR "usage: cmake -DSRC=<src dir> -P check_layers.cmake")
endif()
get_filename_component(SRC "${SRC}" ABSOLUTE)

# Which of our layers each layer may include ("cli" is src/main.cpp and any other file at the top of src/).
set(may_core core)
set(may_store core store)
set(may_office core office)
set(may_media core media)
set(may_service core store office media service)
set(may_http core service http)
set(may_jobs core service jobs)
set(may_cli core service http jobs)
# The composition root's narrow exception: it creates the Database that service::Env points at, and runs the
# schema and backup commands.
set(cli_store_headers store/db.h store/migrations.h store/backup.h)

# Third-party headers (a prefix of the <...> name) and the layers that may include them.
set(owned_prefixes sqlite3.h libpq-fe.h zip.h zipconf.h pugixml.hpp pugiconfig.hpp xlsxwriter.h xlsxwriter/ boost/ toml++/ vips/ libexif/)
list(APPEND owned_prefixes cairo pango/ poppler/)
set(owner_sqlite3.h store)
set(owner_libpq-fe.h store)
set(owner_zip.h office)
set(owner_zipconf.h office)
set(owner_pugixml.hpp office)
set(owner_pugiconfig.hpp office)
set(owner_xlsxwriter.h office)
set(owner_xlsxwriter/ office)
set(owner_boost/ http)
set(owner_toml++/ cli)
set(owner_vips/ media)
set(owner_libexif/ media)
set(owner_cairo office)
set(owner_pango/ office)
set(owner_poppler/ office)

# core's complete list: the C++ standard library (and the C library through its <cxxx> names) and libsodium.
set(core_system
  algorithm any array atomic barrier bit bitset cassert cctype cerrno cfenv cfloat charconv chrono cinttypes
  climits clocale cmath compare complex concepts condition_variable coroutine csetjmp csignal cstdarg cstddef
  cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype deque exception execution expected filesystem format
  forward_list functional initializer_list iomanip ios iosfwd iostream istream iterator latch limits list locale
  map memory memory_resource mutex new numbers numeric optional ostream queue random ranges ratio regex
  scoped_allocator semaphore set shared_mutex source_location span sstream stack stdexcept stop_token streambuf
  string string_view syncstream system_error thread tuple type_traits typeindex typeinfo unordered_map
  unordered_set utility valarray variant vector version
  sodium.h)

set(layers core store office media service http jobs)
file(GLOB_RECURSE files RELATIVE "${SRC}" "${SRC}/*.h" "${SRC}/*.hpp" "${SRC}/*.cpp")
list(SORT files)
set(violations 0)
foreach(rel IN LISTS files)
  string(REGEX MATCH "^[^/]+/" top "${rel}")
  string(REGEX REPLACE "/$" "" top "${top}")
  if(top STREQUAL "")
    set(layer cli)
  elseif(top IN_LIST layers)
    set(layer ${top})
  else()
    message("src/${rel}:1: folder '${top}' is not a layer (known: ${layers}); add it to scripts/check_layers.cmake")
    math(EXPR violations "${violations}+1")
    continue()
  endif()

  file(READ "${SRC}/${rel}" text)
  # One list element per line: neutralise the characters CMake lists treat specially.
  string(REPLACE "\\" "/" text "${text}")
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "[" "(" text "${text}")
  string(REPLACE "]" ")" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n}+1")
    if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
      # A name qualified with a forbidden layer's namespace (store::DbError in http) reached it through another
      # header: the layer depends on it all the same. Comment lines are skipped.
      if(NOT line MATCHES "^[ \t]*//")
        foreach(other IN LISTS layers)
          if(NOT other IN_LIST may_${layer} AND NOT (layer STREQUAL "cli" AND other STREQUAL "store")
             AND line MATCHES "(^|[^A-Za-z0-9_:]|steward::)${other}::([A-Za-z_][A-Za-z0-9_]*)")
            message("src/${rel}:${n}: ${layer} may not use ${other}::${CMAKE_MATCH_2} (the ${other} layer)")
            math(EXPR violations "${violations}+1")
          endif()
        endforeach()
      endif()
      continue()
    endif()
    set(kind "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    set(why "")
    if(kind STREQUAL "\"")
      string(REGEX MATCH "^[^/]+/" target "${name}")
      string(REGEX REPLACE "/$" "" target "${target}")
      if(target STREQUAL "" OR NOT target IN_LIST layers)
        # A path relative to the including file stays in its folder, which is fine; anything else is unknown.
        if(NOT EXISTS "${SRC}/${top}/${name}" AND NOT EXISTS "${SRC}/${name}")
          set(why "\"${name}\" is not a header of src/")
        endif()
      elseif(NOT target IN_LIST may_${layer})
        if(layer STREQUAL "cli" AND name IN_LIST cli_store_headers)
          # allowed: see cli_store_headers
        else()
          string(REPLACE ";" ", " allowed "${may_${layer}}")
          set(why "${layer} may not include \"${name}\" (${layer} may include ${allowed})")
        endif()
      endif()
    else()
      if(layer STREQUAL "core")
        if(NOT name IN_LIST core_system)
          set(why "core may not include <${name}> (core is pure: the C++ standard library and <sodium.h> only)")
        endif()
      else()
        foreach(prefix IN LISTS owned_prefixes)
          string(FIND "${name}" "${prefix}" at)
          if(at EQUAL 0 AND NOT layer IN_LIST owner_${prefix})
            string(REPLACE ";" ", " owners "${owner_${prefix}}")
            set(why "${layer} may not include <${name}> (it belongs to ${owners})")
          endif()
        endforeach()
      endif()
    endif()
    if(why)
      message("src/${rel}:${n}: ${why}")
      math(EXPR violations "${violations}+1")
    endif()
  endforeach()
endforeach()

list(LENGTH files count)
if(violations GREATER 0)
  message(FATAL_ERROR "${violations} forbidden dependenc(ies) across the layers (${count} files checked)")
endif()
message("layers: ${count} files checked, no forbidden include")
