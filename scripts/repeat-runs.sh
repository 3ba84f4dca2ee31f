#!/usr/bin/env bash
# repeat-runs.sh SCENARIO.json COUNT [wasmvs run options...]: how stable a scenario's
# medians are from run to run. Runs the scenario COUNT times (results in
# results/repeat-NAME-TIME/), then prints per target every run's median of the run's
# metric, the coefficient of variation of those medians, and what each run's validity
# checks said about the machine and the samples (the reasons a CV may be high).
#   scripts/repeat-runs.sh scenarios/fib.json 5
set -u
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
    printf 'usage: scripts/repeat-runs.sh SCENARIO.json COUNT [wasmvs run options...]\n' >&2
    exit 2
fi
scenario=$1 count=$2
shift 2
name=$(jq -r .name "$scenario") || exit 2
metric=wall_ns
[ "$(jq -r '.kind // "oneshot"' "$scenario")" = http ] && metric=requests_per_s
out=results/repeat-$name-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
for i in $(seq 1 "$count"); do
    printf '== run %d of %d: wasmvs run %s %s\n' "$i" "$count" "$scenario" "$*"
    build/bin/wasmvs run "$scenario" --out "$out/run-$i.json" "$@" >"$out/run-$i.txt" 2>&1
    status=$?
    [ "$status" -ge 128 ] && { printf 'interrupted\n'; exit "$status"; }
    [ -f "$out/run-$i.json" ] || { printf 'run %d wrote no results (exit %d)\n' "$i" "$status"; exit 1; }
done

printf '\n%s: median of %s per run, and the CV of those medians over %d runs\n' "$name" "$metric" "$count"
jq -rs --arg metric "$metric" '
  def fmt: if $metric == "wall_ns" then
      (if . >= 1e9 then "\(. / 1e9 * 1000 | round / 1000) s"
       elif . >= 1e6 then "\(. / 1e6 * 100 | round / 100) ms"
       else "\(. / 1e3 * 10 | round / 10) us" end)
    else "\(. | round)" end;
  (map(.targets[] | select(.available) | .name) | unique) as $names
  | $names[] as $n
  | [ .[] | .targets[] | select(.name == $n) | .summary[$metric].median | select(. != null) ] as $m
  | if ($m | length) < 2 then "\($n): fewer than two runs with a median"
    else
      ($m | add / length) as $mean
      | (($m | map((. - $mean) * (. - $mean)) | add) / (($m | length) - 1) | sqrt) as $sd
      | "\($n): CV \($sd / $mean * 1000 | round / 10)% of \($m | length) medians: \($m | map(fmt) | join(", "))"
    end' "$out"/run-*.json

printf '\nwhat each run said about itself (validity):\n'
for i in $(seq 1 "$count"); do
    jq -r --arg i "$i" '
      "run \($i): other work \(.validity.machine.other_pct // "?" | if type == "number" then round else . end)% of the CPUs, steal \(.validity.machine.steal_pct // "?"), load \(.validity.machine.load_average_start[0] // "?" | if type == "number" then (. * 100 | round / 100) else . end)"
      + (if (.validity.flagged_targets | length) > 0 then "; findings for \(.validity.flagged_targets | join(", "))" else "" end),
      (.targets[] | select(.validity.warnings? | length > 0) | "  \(.name): \(.validity.warnings | join("; "))")' \
        "$out/run-$i.json"
done
printf '\nresults: %s\n' "$out"
