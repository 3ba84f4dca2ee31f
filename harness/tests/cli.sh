#!/usr/bin/env bash
# cli.sh: `wasmvs` as a user runs it. Bad command lines and broken scenario files stop
# before anything runs (exit 2, a message naming the file and field); a workload whose
# output is wrong gives failed samples with the output shown and exit 1; `targets` and
# `env` answer. Run from the top of the tree; prints "cli: N passed, N failed".
set -u
wasmvs=${WASMVS:-build/bin/wasmvs}
passed=0 failed=0
work=$(mktemp -d /tmp/wasmvs-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT

check() { # name, expected exit status, pattern expected in the output, command...
    local name=$1 want=$2 pattern=$3
    shift 3
    local output status
    output=$("$@" 2>&1)
    status=$?
    if [ "$status" -eq "$want" ] && grep -qE -- "$pattern" <<<"$output"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'cli: FAILED %s: exit %s (wanted %s), output:\n%s\n' "$name" "$status" "$want" "$output"
    fi
}

check "no command" 2 "usage: wasmvs" "$wasmvs"
check "unknown command" 2 'unknown command "frobnicate"' "$wasmvs" frobnicate
check "help" 0 "run SCENARIO.json" "$wasmvs" --help
check "run without scenario" 2 "expected one scenario file" "$wasmvs" run
check "bad --reps" 2 '--reps: expected an integer' "$wasmvs" run scenarios/quick.json --reps x
check "bad --target-ci" 2 '--target-ci: expected a percentage from 0.01 to 100, found "0"' \
    "$wasmvs" run scenarios/quick.json --target-ci 0
check "--target-ci on a density sweep" 2 'expected a scenario whose steps repeat' \
    "$wasmvs" run scenarios/density.json --target-ci 5
check "missing scenario file" 2 "nope.json: cannot open scenario file" "$wasmvs" run "$work/nope.json"

printf '{"name": "x", "workload": "hello", "targets": ["native"], "repetitions": "many"}' >"$work/bad.json"
check "scenario with wrong type" 2 "bad.json: field \"repetitions\": expected an integer from 1 to 100000, found a string" \
    "$wasmvs" run "$work/bad.json" --out "$work/never.json"
[ ! -e "$work/never.json" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "cli: FAILED broken scenario wrote results"; }
printf '{"name": "x", "workload": "hello", "targets": ["native"], "repetitions": 2' >"$work/trunc.json"
check "truncated scenario" 2 "trunc.json:1:[0-9]+: expected a JSON scenario" "$wasmvs" run "$work/trunc.json"
check "unknown target override" 2 'expected one of native.*found "qemu"' "$wasmvs" run scenarios/quick.json --targets native,qemu

check "targets" 0 "native +available" "$wasmvs" targets
check "env" 0 '"cpu"' "$wasmvs" env

# A tree whose hello binary answers wrongly: every sample fails, the output is shown.
mkdir -p "$work/root/workloads" "$work/root/build/workloads/native"
touch "$work/root/workloads/Makefile"
printf '#!/bin/sh\necho "not the answer"\n' >"$work/root/build/workloads/native/hello"
chmod +x "$work/root/build/workloads/native/hello"
printf '{"name": "wrong", "workload": "hello", "targets": ["native"], "warmup": 0, "repetitions": 2}' >"$work/wrong.json"
check "wrong output fails samples" 1 "stdout: not the answer" \
    env WASMVS_ROOT="$work/root" "$wasmvs" run "$work/wrong.json" --out "$work/wrong-results.json"
if jq -e '.targets[0].samples | length == 2 and all(.ok == false and (.output | test("not the answer")))' \
    "$work/wrong-results.json" >/dev/null 2>&1; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "cli: FAILED wrong output not recorded as failed samples"
fi

# A scenario none of whose targets can run here: said, results still written, exit 1.
check "no target available" 1 "no target of this scenario can run here" \
    env WASMVS_DOCKER_SOCKET=/nonexistent/docker.sock "$wasmvs" run scenarios/quick.json --targets docker --out "$work/none.json"
jq -e '.targets[0].available == false and (.targets[0].reason | test("not reachable"))' "$work/none.json" >/dev/null &&
    passed=$((passed + 1)) || { failed=$((failed + 1)); echo "cli: FAILED unavailable target not recorded"; }

# A real run of the CI profile on native only writes a loadable file and a table.
check "quick run on native" 0 "native .* 1.00x" "$wasmvs" run scenarios/quick.json --targets native --reps 3 --out "$work/q.json"
jq -e '.schema == "wasmvs/results/v1" and .targets[0].summary.wall_ns.n == 3' "$work/q.json" >/dev/null &&
    passed=$((passed + 1)) || { failed=$((failed + 1)); echo "cli: FAILED quick results content"; }

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
