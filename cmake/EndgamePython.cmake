# Finds the CPython to embed through its python3-config, never through PATH.
#
#   ENDGAME_PYTHON_CONFIG     path of a python3-config (or pythonX.Y-config).
#                             Empty: the newest finished build of
#                             ENDGAME_CPYTHON_SERIES/ENDGAME_CPYTHON_VARIANT in
#                             endgame's cache (scripts/build-cpython.sh).
# Defines endgame::python (includes, embed link flags, rpath) and
# ENDGAME_PYTHON_EXECUTABLE, ENDGAME_PYTHON_PREFIX, ENDGAME_PYTHON_VERSION.
set(ENDGAME_PYTHON_CONFIG "" CACHE FILEPATH "python3-config of the CPython to embed")
set(ENDGAME_CPYTHON_SERIES "3.13" CACHE STRING "Series of the default CPython build")
set(ENDGAME_CPYTHON_VARIANT "release" CACHE STRING "Variant of the default CPython build")

if(NOT ENDGAME_PYTHON_CONFIG)
  if(DEFINED ENV{ENDGAME_CACHE})
    set(_cache "$ENV{ENDGAME_CACHE}")
  elseif(DEFINED ENV{XDG_CACHE_HOME})
    set(_cache "$ENV{XDG_CACHE_HOME}/endgame")
  else()
    set(_cache "$ENV{HOME}/.cache/endgame")
  endif()
  file(GLOB _stamps "${_cache}/cpython/${ENDGAME_CPYTHON_SERIES}.*-${ENDGAME_CPYTHON_VARIANT}/.endgame-built")
  if(NOT _stamps)
    message(FATAL_ERROR
      "No CPython ${ENDGAME_CPYTHON_SERIES} (${ENDGAME_CPYTHON_VARIANT}) build in ${_cache}/cpython.\n"
      "Run scripts/bootstrap.sh (or scripts/build-cpython.sh --variant ${ENDGAME_CPYTHON_VARIANT}), "
      "or pass -DENDGAME_PYTHON_CONFIG=/path/to/python3-config.")
  endif()
  list(SORT _stamps COMPARE NATURAL ORDER DESCENDING)
  list(GET _stamps 0 _stamp)
  get_filename_component(_prefix "${_stamp}" DIRECTORY)
  file(GLOB _configs "${_prefix}/bin/python${ENDGAME_CPYTHON_SERIES}*-config")
  list(GET _configs 0 _config)
  set(ENDGAME_PYTHON_CONFIG "${_config}" CACHE FILEPATH "python3-config of the CPython to embed" FORCE)
endif()
if(NOT EXISTS "${ENDGAME_PYTHON_CONFIG}")
  message(FATAL_ERROR "ENDGAME_PYTHON_CONFIG='${ENDGAME_PYTHON_CONFIG}' does not exist")
endif()

function(_endgame_pyconfig out)
  execute_process(COMMAND "${ENDGAME_PYTHON_CONFIG}" ${ARGN}
    OUTPUT_VARIABLE _o RESULT_VARIABLE _rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${ENDGAME_PYTHON_CONFIG} ${ARGN} failed (${_rc})")
  endif()
  set(${out} "${_o}" PARENT_SCOPE)
endfunction()

_endgame_pyconfig(_includes --includes)
_endgame_pyconfig(_ldflags --ldflags --embed)
_endgame_pyconfig(ENDGAME_PYTHON_PREFIX --prefix)
separate_arguments(_includes UNIX_COMMAND "${_includes}")
separate_arguments(_ldflags UNIX_COMMAND "${_ldflags}")
set(_incdirs "")
foreach(_i IN LISTS _includes)
  string(REGEX REPLACE "^-I" "" _d "${_i}")
  list(APPEND _incdirs "${_d}")
endforeach()
list(REMOVE_DUPLICATES _incdirs)
list(GET _incdirs 0 _incdir)
file(STRINGS "${_incdir}/patchlevel.h" _pv REGEX "^#define PY_VERSION ")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" ENDGAME_PYTHON_VERSION "${_pv}")
string(REGEX MATCH "^[0-9]+\\.[0-9]+" _series "${ENDGAME_PYTHON_VERSION}")

# The interpreter beside the config script (for tests and repro.py).
get_filename_component(_bindir "${ENDGAME_PYTHON_CONFIG}" DIRECTORY)
find_program(ENDGAME_PYTHON_EXECUTABLE NAMES python${_series} python3
  PATHS "${_bindir}" NO_DEFAULT_PATH NO_CACHE)

# Library directories: -L flags plus <prefix>/lib; a static-only libpython
# needs the executable to export its symbols to extension modules.
set(_libdirs "")
foreach(_f IN LISTS _ldflags)
  if(_f MATCHES "^-L(.*)")
    list(APPEND _libdirs "${CMAKE_MATCH_1}")
  endif()
endforeach()
set(_shared OFF)
foreach(_d IN LISTS _libdirs)
  file(GLOB _so "${_d}/libpython${_series}*.so")
  if(_so)
    set(_shared ON)
  endif()
endforeach()
if(NOT _libdirs)   # Debian's own build puts libpython in the default path.
  set(_shared ON)
endif()

add_library(endgame_python INTERFACE)
add_library(endgame::python ALIAS endgame_python)
target_include_directories(endgame_python SYSTEM INTERFACE ${_incdirs})
# -L and -l go where libraries go (after the objects); anything else is a link option.
foreach(_f IN LISTS _ldflags)
  if(_f MATCHES "^-L(.*)")
    target_link_directories(endgame_python INTERFACE "${CMAKE_MATCH_1}")
  elseif(_f MATCHES "^-l")
    target_link_libraries(endgame_python INTERFACE "${_f}")
  else()
    target_link_options(endgame_python INTERFACE "${_f}")
  endif()
endforeach()
foreach(_d IN LISTS _libdirs)
  target_link_options(endgame_python INTERFACE "-Wl,-rpath,${_d}")
endforeach()
if(NOT _shared)
  target_link_options(endgame_python INTERFACE -rdynamic)
endif()
set(ENDGAME_PYTHON_SHARED ${_shared})
message(STATUS "endgame: embedding CPython ${ENDGAME_PYTHON_VERSION} from ${ENDGAME_PYTHON_CONFIG} (shared=${_shared})")
