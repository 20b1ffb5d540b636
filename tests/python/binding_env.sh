# binding_env.sh: the environment in which /usr/bin/python3 uses the nqpsim
# package of this source tree with the libnqpsim of the build under test.
# Sourced (after tests/e2e/lib.sh) by tests/e2e/test_python_binding.sh and
# tests/e2e/test_python_docs.sh.
#
# After sourcing: NQPSIM_LIB is the libnqpsim.so next to $NQPSIM (same build
# directory), exported, empty when that build has none; PYTHONPATH starts
# with $SRC/python; `py_binding ARGS...` runs $PY ARGS with, for a sanitizer
# build (the library links libasan/libubsan), those runtimes preloaded
# (Python itself is not instrumented, so they must come first) and leak
# detection off for that process and its children (CPython keeps its
# objects at exit by design).
NQPSIM_LIB="$(cd "$(dirname "$NQPSIM")" && pwd)/libnqpsim.so"
[ -e "$NQPSIM_LIB" ] || NQPSIM_LIB=""
export NQPSIM_LIB PYTHONPATH="$SRC/python${PYTHONPATH:+:$PYTHONPATH}"
BINDING_PRELOAD=""
if [ -n "$NQPSIM_LIB" ]; then
  BINDING_PRELOAD="$(ldd "$NQPSIM_LIB" 2>/dev/null | awk '/lib(asan|ubsan)\.so/ {print $3}' | tr '\n' ' ')"
fi

py_binding() {
  if [ -n "$BINDING_PRELOAD" ]; then
    LD_PRELOAD="$BINDING_PRELOAD${LD_PRELOAD:+ $LD_PRELOAD}" \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" $PY "$@"
  else
    $PY "$@"
  fi
}
