#!/usr/bin/env bash
# fuzz_run.sh: runs the wasmrt libFuzzer target for SECONDS over a corpus seeded with
# the spec-test modules, then prints the executions and "fuzz: 1 passed, 0 failed"
# (no finding) or "fuzz: 0 passed, 1 failed" with the crashing input's path (for a
# difference between the interpreter and the compiler, both sides).
#   fuzz_run.sh FUZZER SECONDS OUT_DIR SEED_DIR
set -u
fuzzer=$1 seconds=$2 out=$3 seeds=$4
mkdir -p "$out/corpus" "$out/artifacts"
log=$out/fuzz-$seconds.log
# The engine may install its own SIGSEGV handler (guard pages, stack overflow); ASan
# must allow that. Leaks are findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_segv_handler=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
start=$SECONDS
"$fuzzer" "$out/corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$out/artifacts/" >"$log" 2>&1
rc=$?
elapsed=$((SECONDS - start))
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
corpus=$(ls "$out/corpus" | wc -l)
printf 'fuzz: %s executions in %s s (budget %s s), %s inputs in the corpus; log %s\n' \
    "${execs:-?}" "$elapsed" "$seconds" "$corpus" "$log"
# what the interpreter-vs-compiler comparison covered (fuzz_target.c)
grep -E '^fuzz diff:' "$log" | tail -1
if [ "$rc" -eq 0 ]; then
    echo "fuzz: 1 passed, 0 failed"
    exit 0
fi
grep -E 'ERROR: |fuzz finding|^  (interp|jit|arguments)|^ +values:|SUMMARY|Test unit written|runtime error' \
    "$log" | head -20
echo "fuzz: 0 passed, 1 failed"
exit 1
