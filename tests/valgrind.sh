#!/bin/sh
# Run one test program under valgrind: any invalid access or definite leak fails the test
# (exit 99 makes automake's TAP driver report an ERROR for that program).
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 "$@"
