#!/usr/bin/env bash
# Runs `make -C DIR check` for each folder given, keeps going after a failure, and
# closes with one total line. Test programs print either cmocka's summary or a plain
# "N passed, N failed[, N skipped]" line; both are counted.
set -u
mkdir -p build/test-logs
passed=0 failed=0 skipped=0 broken=()
for dir in "$@"; do
    log=build/test-logs/$dir.log
    printf '== %s: make check\n' "$dir"
    make -k --no-print-directory -C "$dir" check 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    # plain lines: "[word: ]N passed, N failed[, N skipped]"
    while read -r p f s; do
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
    done < <(sed -nE 's/^([A-Za-z_-]+: )?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\2 \3 \5/p' "$log")
    # cmocka: "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s), listed below:"
    while read -r n; do passed=$((passed + n)); done < <(sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' "$log")
    while read -r n; do failed=$((failed + n)); done < <(sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' "$log")
    while read -r n; do skipped=$((skipped + n)); done < <(sed -nE 's/^\[  SKIPPED \] ([0-9]+) test.*/\1/p' "$log")
    [ "$rc" -eq 0 ] || broken+=("$dir")
done
if [ ${#broken[@]} -gt 0 ]; then
    printf 'check: make check failed in: %s\n' "${broken[*]}"
    [ "$failed" -gt 0 ] || failed=1
fi
printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
