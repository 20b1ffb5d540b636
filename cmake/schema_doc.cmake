# schema_doc.cmake: writes OUT, the Markdown reference of every scenario
# field, from PROGRAM's `nqpsim schema` (run at build time, installed as
# share/doc/nqpsim/scenarios/parameters.md by cmake/install.cmake).
# Invariant: OUT is replaced only by a complete, successful output.
execute_process(COMMAND ${PROGRAM} schema OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${PROGRAM} schema failed (${rc})")
endif()
file(RENAME ${OUT}.tmp ${OUT})
