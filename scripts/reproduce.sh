#!/usr/bin/env bash
# `make reproduce`: runs the scenarios behind every published table in report/published/
# (each figure names its scenario: the first word of its "scenario" list, when
# scenarios/WORD.json exists), then writes one report whose first page is, table by
# table, each published figure beside the one measured here, measured / published and
# a verdict (reproduced within the published range, or not and why). About 25 minutes
# on a 2-core machine; WASMVS_REPRODUCE="cold-start fib" runs a subset. A scenario that
# fails still leaves its results file; the report is written from what there is.
set -u
cd "$(dirname "$0")/.."
wasmvs=build/bin/wasmvs
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=results/reproduce-$stamp
mkdir -p "$out"

if [ -n "${WASMVS_REPRODUCE:-}" ]; then
    names=$WASMVS_REPRODUCE
else
    names=$(jq -r '.figures[]? | (.ratio // .value // empty) | .scenario[0] // empty' \
        report/published/*.json | sort -u)
fi
files=() failed=() skipped=()
for name in $names; do
    if [ ! -f "scenarios/$name.json" ]; then
        skipped+=("$name")
        continue
    fi
    file=$out/$name.json
    printf '== wasmvs run scenarios/%s.json\n' "$name"
    "$wasmvs" run "scenarios/$name.json" --out "$file"
    status=$?
    [ -f "$file" ] && files+=("$file")
    [ "$status" -eq 0 ] || failed+=("$name (exit $status)")
    [ "$status" -ge 128 ] && break # interrupted: stop here too
done
[ ${#skipped[@]} -gt 0 ] && printf 'reproduce: no scenarios/NAME.json for: %s\n' "${skipped[*]}"
if [ ${#files[@]} -eq 0 ]; then
    printf 'reproduce: no results to report\n'
    exit 1
fi
printf '== wasmvs report --reproduction %s\n' "${files[*]}"
"$wasmvs" report --reproduction "${files[@]}" --out "$out"
report_status=$?
[ "$report_status" -eq 0 ] || [ "$report_status" -eq 3 ] || failed+=("report (exit $report_status)")
printf 'reproduce: report in %s/report.md and %s/report.html\n' "$out" "$out"
if [ ${#failed[@]} -gt 0 ]; then
    printf 'reproduce: problems in: %s\n' "${failed[*]}"
    exit 1
fi
