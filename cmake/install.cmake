# install.cmake: what `cmake --install` (and `make install PREFIX=...
# DESTDIR=...`) puts where, under the install prefix:
#   bin/nqpsim                          the command line
#   lib/libnqpsim.a, lib/libnqpsim.so*  the library (static; shared, soname libnqpsim.so.0)
#   include/nqpsim.h                    the public C API
#   lib/pkgconfig/nqpsim.pc             pkg-config (from cmake/nqpsim.pc.in)
#   share/doc/nqpsim/scenarios/         the embedded scenarios' (and sweeps/: sweeps') YAML files and
#                                       parameters.md (`nqpsim schema`, generated at build time)
#   share/man/man1/nqpsim.1             the manual page (docs/man/nqpsim.1)
#   lib/python3/dist-packages/nqpsim/   the Python binding (python/nqpsim/)
# Included by the top-level CMakeLists.txt after the targets are defined.
# Invariant: nqpsim.pc is written at install time from the prefix of that
# install (`--prefix` wins over CMAKE_INSTALL_PREFIX), so one build can be
# installed anywhere.
set(NQP_INSTALL_DOC share/doc/nqpsim)

# parameters.md: the Markdown reference of every scenario field
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/gen/parameters.md
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:nqpsim> -DOUT=${CMAKE_BINARY_DIR}/gen/parameters.md
          -P ${CMAKE_SOURCE_DIR}/cmake/schema_doc.cmake
  DEPENDS nqpsim ${CMAKE_SOURCE_DIR}/cmake/schema_doc.cmake)
add_custom_target(nqp_docs ALL DEPENDS ${CMAKE_BINARY_DIR}/gen/parameters.md)

install(TARGETS nqpsim RUNTIME DESTINATION bin)
install(TARGETS nqpsim_static ARCHIVE DESTINATION lib)
install(TARGETS nqpsim_shared LIBRARY DESTINATION lib)
install(FILES ${CMAKE_SOURCE_DIR}/include/nqpsim.h DESTINATION include)
install(FILES ${NQP_SCENARIOS} ${CMAKE_BINARY_DIR}/gen/parameters.md
        DESTINATION ${NQP_INSTALL_DOC}/scenarios)
install(FILES ${NQP_SWEEPS} DESTINATION ${NQP_INSTALL_DOC}/scenarios/sweeps)
install(FILES ${CMAKE_SOURCE_DIR}/docs/man/nqpsim.1 DESTINATION share/man/man1)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/python/nqpsim DESTINATION lib/python3/dist-packages
        OPTIONAL PATTERN __pycache__ EXCLUDE PATTERN "*.pyc" EXCLUDE)
install(CODE "
  set(NQP_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(NQP_PC_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${CMAKE_SOURCE_DIR}/cmake/nqpsim.pc.in\"
                 \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/pkgconfig/nqpsim.pc\" @ONLY)
  message(STATUS \"Installing: \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/pkgconfig/nqpsim.pc\")
")
