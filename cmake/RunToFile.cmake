# Runs BINARY with ARGS (one string, arguments separated by spaces) and writes what it prints to
# OUT, replacing OUT only when the run succeeded. For pages the binary generates from itself
# (the man page, the shell completion).
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${BINARY}" ${args} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${BINARY} ${ARGS} failed (${status})")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
