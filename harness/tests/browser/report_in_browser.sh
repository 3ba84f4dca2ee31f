#!/usr/bin/env bash
# report_in_browser.sh: report.html as a reader sees it, in a real browser. Renders the
# fixtures' report (harness/tests/fixtures: every scenario kind, so every chart) in
# headless Chromium (Debian's chromium, installed here by `scripts/setup.sh --browser`,
# only for this test) and checks that every chart image decodes, that every table has
# rows, and that a screenshot of the page holds more than an empty page's. Skips, with
# the reason, when chromium cannot be installed. Run from the top of the tree (the
# harness's `make check` does, after building build/bin/wasmvs).
set -u
passed=0 failed=0
finish() { printf 'browser: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "${1:-0}"; }
skip() {
    printf '[  SKIPPED ] report.html in a browser: %s\n' "$1"
    finish 1
    exit 0
}
check() { # name, then a command that succeeds when the check holds
    local name=$1
    shift
    if "$@"; then
        printf '[       OK ] %s\n' "$name"
        passed=$((passed + 1))
    else
        printf '[  FAILED  ] %s\n' "$name"
        failed=$((failed + 1))
    fi
}

tmp=$(mktemp -d /tmp/wasmvs-browser-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! scripts/setup.sh --browser >"$tmp/setup.log" 2>&1; then
    skip "chromium could not be installed: $(tail -n 2 "$tmp/setup.log" | tr '\n' ' ')"
fi
command -v chromium >/dev/null || skip "chromium is not on PATH after setup"

# The flags the closed network needs: no background connections, no sandbox as root,
# a fresh profile each run.
browse() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile-$RANDOM" "$@" 2>>"$tmp/chromium.log"
}

fixtures=harness/tests/fixtures
build/bin/wasmvs report "$fixtures/cold-start.json" "$fixtures/fib.json" "$fixtures/density.json" \
    "$fixtures/http.json" --out "$tmp/report" >"$tmp/report.log" 2>&1 ||
    { cat "$tmp/report.log"; skip "wasmvs report failed (is gnuplot installed?)"; }
html=$tmp/report/report.html
charts=$(grep -o '<img ' "$html" | wc -l)
tables=$(grep -o '<table>' "$html" | wc -l)
echo "  report.html: $charts charts, $tables tables"

# The page's own view once loaded: how many images decoded, how many tables have a row
# beyond the header.
cat >"$tmp/probe.js" <<'SCRIPT'
<script>
window.addEventListener('load', function () {
  var images = Array.from(document.images);
  var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });
  var tables = Array.from(document.querySelectorAll('table'));
  var filled = tables.filter(function (t) { return t.querySelectorAll('tr').length >= 2; });
  var out = document.createElement('pre');
  out.id = 'wasmvs-probe';
  out.textContent = 'images=' + images.length + ' loaded=' + loaded.length + ' tables=' +
      tables.length + ' with_rows=' + filled.length;
  document.body.appendChild(out);
});
</script>
SCRIPT
grep -v -e '^</body>$' -e '^</html>$' "$html" >"$tmp/report/probe.html"
cat "$tmp/probe.js" >>"$tmp/report/probe.html"
echo '</body></html>' >>"$tmp/report/probe.html"
browse --virtual-time-budget=10000 --dump-dom "file://$tmp/report/probe.html" >"$tmp/dom.html"
seen=$(grep -o 'images=[0-9]* loaded=[0-9]* tables=[0-9]* with_rows=[0-9]*' "$tmp/dom.html")
echo "  in the browser: ${seen:-no answer from the page (see $tmp/chromium.log)}"
read -r images loaded shown filled < <(echo "$seen" | tr -c '0-9\n' ' ')

check "every chart image loads" test "${images:-0}" -eq "$charts" -a "${loaded:-0}" -eq "$charts" -a "$charts" -gt 0
check "every table has rows" test "${shown:-0}" -eq "$tables" -a "${filled:-0}" -eq "$tables" -a "$tables" -gt 0

# A screenshot of the report, against one of an empty page of the same size: the
# report's must be a PNG and hold far more (charts, tables, text).
echo '<!DOCTYPE html><html><body></body></html>' >"$tmp/empty.html"
(cd "$tmp" && browse --screenshot="$tmp/empty.png" --window-size=1280,4000 "file://$tmp/empty.html" >/dev/null)
(cd "$tmp" && browse --screenshot="$tmp/report.png" --window-size=1280,4000 "file://$html" >/dev/null)
png_holds_more() {
    [ -s "$tmp/report.png" ] && [ -s "$tmp/empty.png" ] &&
        [ "$(head -c 8 "$tmp/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
        [ "$(stat -c %s "$tmp/report.png")" -gt $((4 * $(stat -c %s "$tmp/empty.png"))) ]
}
check "a screenshot shows the report" png_holds_more
echo "  screenshots: report $(stat -c %s "$tmp/report.png" 2>/dev/null || echo 0) bytes, empty page $(stat -c %s "$tmp/empty.png" 2>/dev/null || echo 0) bytes"
if [ "$failed" -gt 0 ]; then
    mkdir -p build/test-logs && rm -rf build/test-logs/browser-failure &&
        cp -r "$tmp" build/test-logs/browser-failure
    echo "  kept for inspection: build/test-logs/browser-failure"
fi
finish 0
[ "$failed" -eq 0 ]
