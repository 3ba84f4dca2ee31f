#!/usr/bin/env bash
# check-against-hyperfine.sh [ROUNDS] [RUNS]: wasmvs's timing of a process launch beside
# hyperfine's (`hyperfine -N`, Debian's), on the same static binaries in one session,
# alternating the two tools ROUNDS times (default 20) in short blocks of RUNS samples
# each (default 30), so both see the same machine: on a shared machine load comes in
# bursts of seconds, and the median of the per-round ratios looks past them. Commands: the static hello (wasmvs gives it its
# JSON line on stdin; hyperfine 1.15 has no --input, so its stdin is /dev/null and hello
# takes its error path, exit 2, run with -i: the same launch, a few microseconds less
# work), `fib 1` (no input: the identical command) and the empty `noop` binary (the
# identical command, nothing but the launch). Prints each round's medians, the ratio
# wasmvs / hyperfine, and the median ratio per command against the goal (within 5%).
set -u
cd "$(dirname "$0")/.."
rounds=${1:-20} runs=${2:-30}
command -v hyperfine >/dev/null || { echo "hyperfine not installed (scripts/setup.sh installs it)"; exit 2; }
tmp=$(mktemp -d /tmp/wasmvs-hyperfine-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
native=build/workloads/native

# name | wasmvs target | workload and parameters | hyperfine command | hyperfine flags
cases=(
    "hello|native|\"workload\": \"hello\"|$native/hello|-i"
    "fib 1|native|\"workload\": \"fib\", \"parameters\": {\"n\": 1}|$native/fib 1|"
    "noop|noop|\"workload\": \"hello\"|$native/noop|"
)
declare -A ratios
for round in $(seq 1 "$rounds"); do
    for c in "${cases[@]}"; do
        IFS='|' read -r name target workload command flags <<<"$c"
        printf '{"name": "vs-hyperfine", %s, "targets": ["%s"], "warmup": 3, "repetitions": %d}\n' \
            "$workload" "$target" "$runs" >"$tmp/scenario.json"
        # alternate which tool goes first, so neither always follows the other
        first=wasmvs
        [ $((round % 2)) -eq 0 ] && first=hyperfine
        for tool in $first $([ $first = wasmvs ] && echo hyperfine || echo wasmvs); do
            if [ "$tool" = wasmvs ]; then
                build/bin/wasmvs run "$tmp/scenario.json" --out "$tmp/w.json" >/dev/null 2>&1
                w=$(jq --arg t "$target" '.targets[] | select(.name == $t) | .summary.wall_ns.median' "$tmp/w.json")
            else
                # shellcheck disable=SC2086
                hyperfine -N $flags --warmup 3 --runs "$runs" --style none \
                    --export-json "$tmp/h.json" "$command" >/dev/null 2>&1
                h=$(jq '.results[0].median * 1e9' "$tmp/h.json")
            fi
        done
        ratio=$(echo "$w $h" | awk '{printf "%.4f", $1 / $2}')
        ratios[$name]="${ratios[$name]:-} $ratio"
        printf 'round %d  %-6s wasmvs %8.1f us  hyperfine %8.1f us  ratio %s\n' "$round" "$name" \
            "$(echo "$w" | awk '{print $1 / 1e3}')" "$(echo "$h" | awk '{print $1 / 1e3}')" "$ratio"
    done
done
printf '\nmedian ratio wasmvs / hyperfine over %d rounds of %d samples each (goal: within 5%%):\n' "$rounds" "$runs"
status=0
for c in "${cases[@]}"; do
    name=${c%%|*}
    median=$(printf '%s\n' ${ratios[$name]} | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
    verdict=$(echo "$median" | awk '{d = $1 - 1; if (d < 0) d = -d; print (d <= 0.05) ? "within 5%" : "NOT within 5%"}')
    [ "$verdict" = "within 5%" ] || status=1
    printf '  %-6s %s (%s; rounds:%s)\n' "$name" "$median" "$verdict" "${ratios[$name]}"
done
exit $status
