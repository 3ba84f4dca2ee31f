#!/usr/bin/env bash
# check-against-hyperfine.sh [ROUNDS] [RUNS]: wasmvs's timing of a process launch beside
# hyperfine's (`hyperfine -N`, Debian's), on the same static binaries in one session.
# The two tools alternate ROUNDS times (default 60) in blocks of RUNS samples each
# (default 5, after one warm-up), which tool goes first alternating too, and each
# tool's samples are pooled: on a shared machine load comes in bursts of seconds, and
# short alternating blocks put both tools' samples in the same bursts. Commands: the
# static hello (wasmvs gives it its JSON line on stdin; hyperfine 1.15 has no --input,
# so its stdin is /dev/null and hello takes its error path, exit 2, run with -i: the same
# launch, a few microseconds less work), `fib 1` (no input: the identical command) and
# the empty `noop` binary (the identical command: nothing but the launch). Prints per
# command the pooled medians, their ratio wasmvs / hyperfine against the goal (within
# 5%), and the 10th percentiles, which load bursts move least.
set -u
cd "$(dirname "$0")/.."
rounds=${1:-60} runs=${2:-5}
command -v hyperfine >/dev/null || { echo "hyperfine not installed (scripts/setup.sh installs it)"; exit 2; }
tmp=$(mktemp -d /tmp/wasmvs-hyperfine-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
native=build/workloads/native

# name | wasmvs target | workload and parameters | hyperfine command | hyperfine flags
cases=(
    "hello|native|\"workload\": \"hello\"|$native/hello|-i"
    "fib-1|native|\"workload\": \"fib\", \"parameters\": {\"n\": 1}|$native/fib 1|"
    "noop|noop|\"workload\": \"hello\"|$native/noop|"
)
for round in $(seq 1 "$rounds"); do
    for c in "${cases[@]}"; do
        IFS='|' read -r name target workload command flags <<<"$c"
        printf '{"name": "vs-hyperfine", %s, "targets": ["%s"], "warmup": 1, "repetitions": %d}\n' \
            "$workload" "$target" "$runs" >"$tmp/scenario.json"
        first=wasmvs
        [ $((round % 2)) -eq 0 ] && first=hyperfine
        for tool in $first $([ $first = wasmvs ] && echo hyperfine || echo wasmvs); do
            if [ "$tool" = wasmvs ]; then
                build/bin/wasmvs run "$tmp/scenario.json" --out "$tmp/w.json" >/dev/null 2>&1
                jq --arg t "$target" '.targets[] | select(.name == $t) | .samples[]
                    | select(.ok and (.warmup | not)) | .metrics.wall_ns' "$tmp/w.json" \
                    >>"$tmp/$name.wasmvs"
            else
                # shellcheck disable=SC2086
                hyperfine -N $flags --warmup 1 --runs "$runs" --style none \
                    --export-json "$tmp/h.json" "$command" >/dev/null 2>&1
                jq '.results[0].times[] * 1e9' "$tmp/h.json" >>"$tmp/$name.hyperfine"
            fi
        done
    done
done

quantile() { # q, file: type-7 quantile of the numbers in file
    sort -g "$2" | awk -v q="$1" '{v[NR] = $1} END {
        if (NR == 0) { print "nan"; exit } p = q * (NR - 1); i = int(p); f = p - i;
        print (i + 1 < NR) ? v[i + 1] + f * (v[i + 2] - v[i + 1]) : v[NR] }'
}
printf 'wasmvs and hyperfine -N alternating, %d rounds of %d samples each (goal: medians within 5%%):\n' \
    "$rounds" "$runs"
printf '  %-6s %6s %12s %12s %8s %12s %12s %8s\n' command n "wasmvs" "hyperfine" ratio \
    "p10 wasmvs" "p10 hyperf." ratio
status=0
for c in "${cases[@]}"; do
    name=${c%%|*}
    wm=$(quantile 0.5 "$tmp/$name.wasmvs") hm=$(quantile 0.5 "$tmp/$name.hyperfine")
    wl=$(quantile 0.1 "$tmp/$name.wasmvs") hl=$(quantile 0.1 "$tmp/$name.hyperfine")
    n=$(wc -l <"$tmp/$name.wasmvs")
    line=$(awk -v wm="$wm" -v hm="$hm" -v wl="$wl" -v hl="$hl" -v name="$name" -v n="$n" 'BEGIN {
        r = wm / hm; d = r - 1; if (d < 0) d = -d
        printf "  %-6s %6d %9.1f us %9.1f us %8.3f %9.1f us %9.1f us %8.3f  %s", name, n,
            wm / 1e3, hm / 1e3, r, wl / 1e3, hl / 1e3, wl / hl, (d <= 0.05) ? "within 5%" : "NOT within 5%" }')
    printf '%s\n' "$line"
    case $line in *"NOT within"*) status=1 ;; esac
done
exit $status
