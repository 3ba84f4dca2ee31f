#!/usr/bin/env bash
# The default scenario suite behind `make run`: the five scenarios of the published
# tables (cold start, fib(40), HTTP throughput, density, serverless) across every
# available target,
# each written to results/, then one report over all of them. A scenario
# that fails still leaves its results file; the suite goes on and says so at the end.
set -u
cd "$(dirname "$0")/.."
wasmvs=build/bin/wasmvs
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p results
files=() failed=()
for name in ${WASMVS_SUITE:-cold-start fib http density serverless}; do
    out=results/$name-$stamp.json
    printf '== wasmvs run scenarios/%s.json\n' "$name"
    "$wasmvs" run "scenarios/$name.json" --out "$out"
    status=$?
    [ -f "$out" ] && files+=("$out")
    [ "$status" -eq 0 ] || failed+=("$name (exit $status)")
    [ "$status" -ge 128 ] && break # interrupted: stop the suite too
done
if [ ${#files[@]} -gt 0 ]; then
    printf '== wasmvs report %s\n' "${files[*]}"
    "$wasmvs" report "${files[@]}" --out "results/report-$stamp" || failed+=("report")
fi
if [ ${#failed[@]} -gt 0 ]; then
    printf 'run-suite: problems in: %s\n' "${failed[*]}"
    exit 1
fi
printf 'run-suite: results in %s, report in results/report-%s\n' "${files[*]}" "$stamp"
