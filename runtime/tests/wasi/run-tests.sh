#!/usr/bin/env bash
# run-tests.sh: drives `wasmrt run` over the WASI test programs and the workloads and
# checks outputs, exit statuses and what the guest left on the host.
#   run-tests.sh WASMRT TESTS_DIR WORKLOADS_DIR [LABEL]
# TESTS_DIR holds the programs built from runtime/tests/wasi/*.c; WORKLOADS_DIR is
# build/workloads (native/ and wasm/). Prints "ok NAME" / "FAIL NAME: why" per check
# and closes with "LABEL: N passed, N failed, N skipped".
set -u
WASMRT=$(realpath "$1") T=$(realpath "$2") WL=$(realpath -m "$3") LABEL=${4:-wasi}
passed=0 failed=0 skipped=0
WORK=$(mktemp -d /tmp/wasi-tests.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT
# A cache of our own, not the user's: later runs of a module adopt the code earlier
# ones translated, so most checks below also run cached code.
export WASMRT_CACHE_DIR="$WORK/cache-default"

ok() { printf 'ok %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }
skip() { printf 'skip %s: %s\n' "$1" "$2"; skipped=$((skipped + 1)); }

# run NAME EXPECTED_STATUS CMD...: runs with stdin from $IN (default /dev/null),
# keeping stdout in $WORK/out and stderr in $WORK/err; checks the exit status.
run() {
    local name=$1 want=$2
    shift 2
    timeout 20 "$@" <"${IN:-/dev/null}" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want; stderr: $(head -c 600 "$WORK/err")"
        [ -s "$WORK/out" ] && grep -v '^ok ' "$WORK/out" | head -20
        return 1
    fi
    return 0
}
# expect_out NAME TEXT: stdout must equal TEXT exactly
expect_out() {
    if [ "$(cat "$WORK/out")" == "$2" ]; then ok "$1"; else
        fail "$1" "stdout was: $(head -c 400 "$WORK/out")"; fi
}
expect_err_has() {
    if grep -qF -- "$2" "$WORK/err"; then ok "$1"; else
        fail "$1" "stderr lacks '$2': $(head -c 400 "$WORK/err")"; fi
}

# ---- the command itself -------------------------------------------------------------
run version 0 "$WASMRT" --version && expect_out version "wasmrt 0.1.0"
run help 0 "$WASMRT" --help && grep -q -- '--listen ADDR:PORT' "$WORK/out" && ok help
run "no arguments is a usage error" 2 "$WASMRT" && ok "no arguments is a usage error"
run "unknown option" 2 "$WASMRT" run --frobnicate "$T/args.wasm" &&
    expect_err_has "unknown option" "unknown option '--frobnicate'"
run "missing module" 1 "$WASMRT" run "$WORK/nope.wasm" &&
    expect_err_has "missing module" "cannot read the module: No such file or directory"
echo 'int main() {}' >"$WORK/text.wasm"
run "not a module" 1 "$WASMRT" run "$WORK/text.wasm" &&
    expect_err_has "not a module" "expected a WebAssembly module"
printf '\0asm\1\0\0\0\1\5\1\140' >"$WORK/cut.wasm"
run "truncated module" 1 "$WASMRT" run "$WORK/cut.wasm" && expect_err_has "truncated module" "cut.wasm"
run "missing directory" 1 "$WASMRT" run --dir "$WORK/none" "$T/args.wasm" &&
    expect_err_has "missing directory" "cannot preopen directory"
if command -v wat2wasm >/dev/null; then
    echo '(module (import "env" "foo" (func)) (func (export "_start") call 0))' >"$WORK/imp.wat"
    wat2wasm "$WORK/imp.wat" -o "$WORK/imp.wasm" &&
        run "missing import" 1 "$WASMRT" run "$WORK/imp.wasm" &&
        expect_err_has "missing import" 'import "env" "foo"'
    echo '(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))
            (func (export "_start")))' >"$WORK/sig.wat"
    wat2wasm "$WORK/sig.wat" -o "$WORK/sig.wasm" &&
        run "WASI import with a wrong signature" 1 "$WASMRT" run "$WORK/sig.wasm" &&
        expect_err_has "WASI import with a wrong signature" '"fd_write"'
    echo '(module (import "wasi_snapshot_preview1" "fd_write"
              (func $w (param i32 i32 i32 i32) (result i32)))
            (func (export "_start") (if (i32.ne (call $w (i32.const 1) (i32.const 0)
              (i32.const 1) (i32.const 0)) (i32.const 21)) (then unreachable))))' >"$WORK/nomem.wat"
    wat2wasm "$WORK/nomem.wat" -o "$WORK/nomem.wasm" &&
        run "a module without memory gets EFAULT" 0 "$WASMRT" run "$WORK/nomem.wasm" &&
        ok "a module without memory gets EFAULT"
else
    skip "modules from text" "wat2wasm not installed"
fi
run inspect 0 "$WASMRT" inspect "$T/args.wasm" &&
    grep -q 'wasi_snapshot_preview1.args_get' "$WORK/out" && grep -q '_start' "$WORK/out" &&
    grep -q '^memory: 1, min' "$WORK/out" && grep -q 'code' "$WORK/out" && ok inspect ||
    { [ -s "$WORK/out" ] && fail inspect "$(head -c 600 "$WORK/out")"; }
run "wasmrt MODULE shorthand" 0 "$WASMRT" "$T/exit.wasm" 0 && ok "wasmrt MODULE shorthand"

# ---- arguments, environment, exit codes ---------------------------------------------
run args 0 "$WASMRT" run "$T/args.wasm" one "two words" "" --dir &&
    expect_out args "$(printf 'argc=5\nargv[0]=%s\nargv[1]=one\nargv[2]=two words\nargv[3]=\nargv[4]=--dir' "$T/args.wasm")"
run "environment is only what was given" 0 env SECRET_HOST_VAR=leak "$WASMRT" run \
    --env A=1 --env B=two=2 "$T/environ.wasm" SECRET_HOST_VAR &&
    expect_out "environment is only what was given" "$(printf 'A=1\nB=two=2\ngetenv(SECRET_HOST_VAR)=(unset)')"
run "--env KEY passes the host value" 0 env PASSED=yes "$WASMRT" run --env PASSED \
    "$T/environ.wasm" PASSED &&
    expect_out "--env KEY passes the host value" "$(printf 'PASSED=yes\ngetenv(PASSED)=yes')"
for code in 0 7 255; do
    run "exit($code)" "$code" "$WASMRT" run "$T/exit.wasm" "$code" && ok "exit($code)"
done
run "return 3 from main" 3 "$WASMRT" run "$T/exit.wasm" return 3 && ok "return 3 from main"

# ---- the validation cache ------------------------------------------------------------
CACHE="$WORK/cache/wasmrt"
run "cache: a run fills --cache-dir" 0 "$WASMRT" run --cache-dir "$CACHE" "$T/exit.wasm" 0 &&
    [ "$(ls "$CACHE" | grep '^v1-' | grep -vc '\.\(code\|jit\)-')" = 1 ] &&
    ok "cache: a run fills --cache-dir" ||
    fail "cache: a run fills --cache-dir" "entries: $(ls "$CACHE" 2>&1)"
run "cache: the next run uses it" 7 "$WASMRT" run --cache-dir="$CACHE" "$T/exit.wasm" 7 &&
    [ "$(ls "$CACHE" | grep -vc '\.\(code\|jit\)-')" = 1 ] && ok "cache: the next run uses it"
# the interpreter's translated-code cache (--interp): a private file beside the
# validation entry, adopted by the next run, which must behave the same, traps and
# their function names included
rm -rf "$WORK/cache"
run "code cache: filled" 134 "$WASMRT" run --interp --cache-dir "$CACHE" "$T/trap.wasm" divide &&
    code=$(ls "$CACHE"/v1-*.code-gu 2>/dev/null) && [ "$(stat -c %a "$code")" = 600 ] &&
    ok "code cache: a run leaves its translated code, private to the user" ||
    fail "code cache: a run leaves its translated code, private to the user" "$(ls -l "$CACHE" 2>&1)"
run "code cache: adopted" 134 "$WASMRT" run --interp --cache-dir "$CACHE" "$T/trap.wasm" divide &&
    grep -q "integer divide by zero in function [0-9]* (main)" "$WORK/err" &&
    ok "code cache: a trap in adopted code names its function" ||
    fail "code cache: a trap in adopted code names its function" "$(head -c 400 "$WORK/err")"
IN=$WORK/small-hello
printf '{"name":"cached","n":1}\n' >"$IN"
run "code cache: hello" 0 "$WASMRT" run --interp --cache-dir "$CACHE" "$WL/wasm/hello.wasm" &&
    cp "$WORK/out" "$WORK/first" &&
    run "code cache: hello again" 0 "$WASMRT" run --interp --cache-dir "$CACHE" "$WL/wasm/hello.wasm" &&
    cmp -s "$WORK/out" "$WORK/first" && [ -s "$WORK/first" ] &&
    ok "code cache: the adopting run gives the same output" ||
    fail "code cache: the adopting run gives the same output" "$(cat "$WORK/first") vs $(cat "$WORK/out")"
unset IN
run "code cache: metered" 2 "$WASMRT" run --interp --cache-dir "$CACHE" --timeout 30 "$WL/wasm/hello.wasm" &&
    ls "$CACHE"/v1-*.code-gm >/dev/null 2>&1 && ok "code cache: --timeout code is kept apart" ||
    fail "code cache: --timeout code is kept apart" "$(ls "$CACHE" 2>&1)"
# the machine-code cache (the default tier): the same promises
rm -rf "$WORK/cache"
run "jit cache: filled" 134 "$WASMRT" run --cache-dir "$CACHE" "$T/trap.wasm" divide &&
    code=$(ls "$CACHE"/v1-*.jit-gu 2>/dev/null) && [ "$(stat -c %a "$code")" = 600 ] &&
    ok "jit cache: a run leaves its machine code, private to the user" ||
    fail "jit cache: a run leaves its machine code, private to the user" "$(ls -l "$CACHE" 2>&1)"
run "jit cache: adopted" 134 "$WASMRT" run --cache-dir "$CACHE" "$T/trap.wasm" divide &&
    grep -q "integer divide by zero in function [0-9]* (main)" "$WORK/err" &&
    ok "jit cache: a trap in adopted code names its function" ||
    fail "jit cache: a trap in adopted code names its function" "$(head -c 400 "$WORK/err")"
run "jit cache: out of bounds" 134 "$WASMRT" run --cache-dir "$CACHE" "$T/trap.wasm" oob &&
    grep -qE "out of bounds memory access in function [0-9]+ \(main\)" "$WORK/err" &&
    ok "jit cache: a memory fault in adopted code names its function" ||
    fail "jit cache: a memory fault in adopted code names its function" "$(head -c 400 "$WORK/err")"
IN=$WORK/small-hello
run "jit cache: hello" 0 "$WASMRT" run --cache-dir "$CACHE" "$WL/wasm/hello.wasm" &&
    cp "$WORK/out" "$WORK/first" &&
    run "jit cache: hello again" 0 "$WASMRT" run --cache-dir "$CACHE" "$WL/wasm/hello.wasm" &&
    cmp -s "$WORK/out" "$WORK/first" && [ -s "$WORK/first" ] &&
    ok "jit cache: the adopting run gives the same output" ||
    fail "jit cache: the adopting run gives the same output" "$(cat "$WORK/first") vs $(cat "$WORK/out")"
unset IN
run "jit cache: metered" 2 "$WASMRT" run --cache-dir "$CACHE" --timeout 30 "$WL/wasm/hello.wasm" &&
    ls "$CACHE"/v1-*.jit-gm >/dev/null 2>&1 && ok "jit cache: --timeout code is kept apart" ||
    fail "jit cache: --timeout code is kept apart" "$(ls "$CACHE" 2>&1)"

# ---- compiled modules (wasmrt compile) ------------------------------------------------
CW=$WORK/hello.cwasm
run "compile" 0 "$WASMRT" compile "$WL/wasm/hello.wasm" -o "$CW" &&
    grep -q "functions compiled" "$WORK/out" && [ -s "$CW" ] && ok "compile: writes a compiled module" ||
    fail "compile: writes a compiled module" "$(cat "$WORK/out" "$WORK/err")"
IN=$WORK/small-hello
all_compiled=1
for w in hello fib httpd idle matmul fib-simd matmul-simd; do
    "$WASMRT" compile "$WL/wasm/$w.wasm" -o "$WORK/w.cwasm" >"$WORK/out" 2>&1 &&
        ! grep -q "left to the interpreter" "$WORK/out" || all_compiled=0
done
[ $all_compiled = 1 ] && ok "compile: every function of the workloads compiles to machine code" ||
    fail "compile: every function of the workloads compiles to machine code" "$(cat "$WORK/out")"
run "compiled: hello" 0 "$WASMRT" run --no-cache "$WL/wasm/hello.wasm" && cp "$WORK/out" "$WORK/first" &&
    run "compiled: hello.cwasm" 0 "$WASMRT" run --no-cache "$CW" && cmp -s "$WORK/out" "$WORK/first" &&
    ok "compiled: a compiled module runs as its module does" ||
    fail "compiled: a compiled module runs as its module does" "$(cat "$WORK/first") vs $(cat "$WORK/out")"
run "compiled: short form" 0 "$WASMRT" "$CW" && cmp -s "$WORK/out" "$WORK/first" &&
    ok "compiled: wasmrt FILE.cwasm runs it"
run "compiled: --timeout" 1 "$WASMRT" run --timeout 30 "$CW" &&
    expect_err_has "compiled: --timeout needs --metered" "module compiled with --metered"
run "compile --metered" 0 "$WASMRT" compile --metered "$WL/wasm/hello.wasm" -o "$WORK/m.cwasm" &&
    run "compiled: metered" 0 "$WASMRT" run --timeout 30 "$WORK/m.cwasm" &&
    cmp -s "$WORK/out" "$WORK/first" && ok "compiled: --metered serves --timeout"
cp "$CW" "$WORK/other.cwasm"
printf '\x01\x02\x03\x04\x05\x06\x07\x08' |
    dd of="$WORK/other.cwasm" bs=1 seek=16 conv=notrunc status=none
run "compiled: another build" 1 "$WASMRT" run "$WORK/other.cwasm" &&
    expect_err_has "compiled: another build's file is refused" "compiled by another build of wasmrt"
cp "$CW" "$WORK/damaged.cwasm"
size=$(stat -c %s "$WORK/damaged.cwasm")
printf 'DAMAGED!' | dd of="$WORK/damaged.cwasm" bs=1 seek=$((size - 200)) conv=notrunc status=none
run "compiled: damaged" 1 "$WASMRT" run "$WORK/damaged.cwasm" &&
    expect_err_has "compiled: a damaged file is refused" "damaged (checksum mismatch)"
unset IN
run "compile trap.wasm" 0 "$WASMRT" compile "$T/trap.wasm" -o "$WORK/trap.cwasm" &&
    run "compiled: trap" 134 "$WASMRT" run "$WORK/trap.cwasm" oob &&
    grep -qE "out of bounds memory access in function [0-9]+ \(main\)" "$WORK/err" &&
    ok "compiled: a memory fault names its function" ||
    fail "compiled: a memory fault names its function" "$(head -c 400 "$WORK/err")"
run "compile: usage" 2 "$WASMRT" compile "$WL/wasm/hello.wasm" &&
    expect_err_has "compile: -o is required" "usage: wasmrt compile"

rm -rf "$WORK/cache"
run "cache: WASMRT_CACHE_DIR" 0 env WASMRT_CACHE_DIR="$CACHE" "$WASMRT" run "$T/exit.wasm" 0 &&
    [ -d "$CACHE" ] && ok "cache: WASMRT_CACHE_DIR"
rm -rf "$WORK/cache"
run "cache: --no-cache" 0 env WASMRT_CACHE_DIR="$CACHE" "$WASMRT" run --no-cache "$T/exit.wasm" 0 &&
    [ ! -e "$CACHE" ] && ok "cache: --no-cache"

# ---- traps --------------------------------------------------------------------------
run "trap: unreachable" 134 "$WASMRT" run "$T/trap.wasm" &&
    expect_err_has "trap: unreachable" "trap: unreachable"
run "trap: divide by zero" 134 "$WASMRT" run "$T/trap.wasm" divide &&
    expect_err_has "trap: divide by zero" "integer divide by zero"
expect_err_has "trap: names the function (name section)" " (main)"
run "trap: out of bounds" 134 "$WASMRT" run "$T/trap.wasm" oob &&
    expect_err_has "trap: out of bounds" "out of bounds"
grep -qE "out of bounds memory access in function [0-9]+ \(main\)" "$WORK/err" &&
    ok "trap: a memory fault names its function" ||
    fail "trap: a memory fault names its function" "$(head -c 400 "$WORK/err")"
# the same in the interpreter (--interp) as in compiled code (the default)
run "--interp: trap: out of bounds" 134 "$WASMRT" run --interp "$T/trap.wasm" oob &&
    grep -qE "out of bounds memory access in function [0-9]+ \(main\)" "$WORK/err" &&
    ok "--interp: a memory fault names its function" ||
    fail "--interp: a memory fault names its function" "$(head -c 400 "$WORK/err")"
run "--interp: trap: divide by zero" 134 "$WASMRT" run --interp "$T/trap.wasm" divide &&
    expect_err_has "--interp: trap: divide by zero" "integer divide by zero"
if [ -f "$WL/wasm/fib.wasm" ]; then
    run "fib 27, compiled" 0 "$WASMRT" run --no-cache "$WL/wasm/fib.wasm" 27 &&
        expect_out "fib 27, compiled" 196418
    run "fib 27, --interp" 0 "$WASMRT" run --no-cache --interp "$WL/wasm/fib.wasm" 27 &&
        expect_out "fib 27, --interp" 196418
fi

# ---- stdio, clocks, memory limits ---------------------------------------------------
printf 'line one\nline two\n' >"$WORK/small"
IN=$WORK/small run "stdin to stdout" 0 "$WASMRT" run "$T/cat.wasm" &&
    expect_out "stdin to stdout" "$(cat "$WORK/small")"
head -c 3000000 /dev/urandom >"$WORK/big"
IN=$WORK/big run "3 MB binary through stdin/stdout" 0 "$WASMRT" run "$T/cat.wasm" &&
    cmp -s "$WORK/out" "$WORK/big" && ok "3 MB binary through stdin/stdout"
# stdin an open pipe that never delivers: poll() must time out
sleep 5 | { timeout 20 "$WASMRT" run "$T/clocks.wasm" >"$WORK/out" 2>"$WORK/err"; echo $? >"$WORK/rc"; }
if [ "$(cat "$WORK/rc")" = 0 ]; then ok "clocks, sleep, poll, random"; else
    fail "clocks, sleep, poll, random" "$(grep -v '^ok' "$WORK/out") $(cat "$WORK/err")"; fi
run "memory within --max-memory" 0 "$WASMRT" run --max-memory 64m "$T/grow.wasm" 16 &&
    ok "memory within --max-memory"
run "--max-memory refuses growth" 3 "$WASMRT" run --max-memory 16m "$T/grow.wasm" 64 &&
    expect_out "--max-memory refuses growth" "$(grep -o 'allocated [0-9]* of 64 MiB' "$WORK/out")"
start=$(date +%s%N)
run "--timeout stops a sleeping guest" 124 "$WASMRT" run --timeout 0.3 "$WL/wasm/idle.wasm" &&
    { elapsed=$((($(date +%s%N) - start) / 1000000));
      [ "$elapsed" -lt 3000 ] && ok "--timeout stops a sleeping guest" ||
          fail "--timeout stops a sleeping guest" "took ${elapsed} ms"; }

if [ -f "$WL/wasm/fib.wasm" ]; then
    start=$(date +%s%N)
    run "--timeout stops a computing guest" 124 "$WASMRT" run --timeout 0.3 "$WL/wasm/fib.wasm" 50 &&
        { elapsed=$((($(date +%s%N) - start) / 1000000));
          [ "$elapsed" -lt 3000 ] && ok "--timeout stops a computing guest" ||
              fail "--timeout stops a computing guest" "took ${elapsed} ms"; }
fi

# ---- files and the sandbox ----------------------------------------------------------
mkdir -p "$WORK/files"
if run "files in a preopened dir" 0 "$WASMRT" run --dir "$WORK/files::/sandbox" \
    "$T/files.wasm" /sandbox; then
    ok "files in a preopened dir"
    [ "$(cat "$WORK/files/kept.txt")" = "kept by the guest" ] && ok "host sees the guest's file" ||
        fail "host sees the guest's file" "kept.txt: $(cat "$WORK/files/kept.txt" 2>&1)"
    [ "$(ls -A "$WORK/files")" = "kept.txt" ] && ok "guest cleaned up after itself" ||
        fail "guest cleaned up after itself" "left: $(ls -A "$WORK/files" | tr '\n' ' ')"
fi
mkdir -p "$WORK/dot" && cd "$WORK/dot" &&
    run "--dir . as the guest's ." 0 "$WASMRT" run --dir . "$T/files.wasm" . &&
    ok "--dir . as the guest's ."
cd - >/dev/null
S=$WORK/sandbox
mkdir -p "$S/box/sub" "$S/outside"
echo secret >"$S/outside/secret.txt"
echo inside >"$S/box/file.txt"
ln -s /etc/passwd "$S/box/link_abs"
if run "sandbox escapes refused" 0 "$WASMRT" run --dir "$S/box::/box" "$T/sandbox.wasm"; then
    ok "sandbox escapes refused ($(grep -c '^ok' "$WORK/out") checks)"
fi
[ "$(cat "$S/outside/secret.txt")" = secret ] && [ "$(ls -A "$S/outside")" = secret.txt ] &&
    [ ! -e "$S/made" ] && [ "$(ls -A "$S")" = "$(printf 'box\noutside')" ] &&
    ok "nothing outside the box changed" ||
    fail "nothing outside the box changed" "$(ls -laR "$S" | head -30)"
# the same without openat2: the component-by-component walk of older kernels
rm -rf "$WORK/files"/* && mkdir -p "$WORK/files" &&
    run "files, walk without openat2" 0 env WASMRT_WASI_NO_OPENAT2=1 "$WASMRT" run \
        --dir "$WORK/files::/sandbox" "$T/files.wasm" /sandbox && ok "files, walk without openat2"
rm -f "$S/box/link_out"
if run "sandbox escapes refused, walk without openat2" 0 env WASMRT_WASI_NO_OPENAT2=1 \
    "$WASMRT" run --dir "$S/box::/box" "$T/sandbox.wasm"; then
    ok "sandbox escapes refused, walk without openat2"
fi
[ "$(cat "$S/outside/secret.txt")" = secret ] && [ "$(ls -A "$S/outside")" = secret.txt ] &&
    [ ! -e "$S/made" ] && ok "nothing outside the box changed (walk)" ||
    fail "nothing outside the box changed (walk)" "$(ls -laR "$S" | head -30)"
run "no preopen, no files" 1 "$WASMRT" run "$T/files.wasm" /sandbox &&
    grep -q 'FAIL create' "$WORK/out" && ok "no preopen, no files"

# every call with random arguments: errnos only, never a fault, a trap or a hang
for seed in 1 2 3; do
    mkdir -p "$WORK/garbage$seed"
    run "random arguments to every call (seed $seed)" 0 "$WASMRT" run \
        --dir "$WORK/garbage$seed::/scratch" "$T/garbage.wasm" 20000 "$seed" &&
        tr -d '\0' <"$WORK/err" | grep -q '^garbage: 20000 calls, [0-9]* succeeded$' &&
        ok "random arguments to every call (seed $seed)"
done

# ---- an HTTP server through --listen ------------------------------------------------
if command -v curl >/dev/null; then
    "$WASMRT" run --listen 127.0.0.1:0 "$T/http_server.wasm" >"$WORK/http.out" 2>"$WORK/http.err" &
    server=$!
    PIDS+=("$server")
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/^wasmrt: listening on .*:\([0-9]*\)$/\1/p' "$WORK/http.err" 2>/dev/null)
        [ -n "$port" ] && grep -q 'serving on fd 3' "$WORK/http.err" && break
        sleep 0.05
    done
    url=http://127.0.0.1:$port
    curl -sv --max-time 5 "$url/" "$url/" >"$WORK/curl.out" 2>"$WORK/curl.err"
    [ "$(cat "$WORK/curl.out")" = "$(printf 'hello from wasm\nhello from wasm')" ] &&
        ok "http: GET / twice" || fail "http: GET / twice" "$(cat "$WORK/curl.out" "$WORK/curl.err" | head -20)"
    grep -q 'Re-using existing connection' "$WORK/curl.err" && ok "http: keep-alive reuses the connection" ||
        fail "http: keep-alive reuses the connection" "$(grep -i connect "$WORK/curl.err")"
    curl -sv --max-time 5 "$url/close" "$url/" >"$WORK/curl.out" 2>"$WORK/curl.err"
    [ "$(cat "$WORK/curl.out")" = "$(printf 'closing\nhello from wasm')" ] &&
        ! grep -q 'shutdown failed' "$WORK/http.err" &&
        ok "http: sock_shutdown ends a connection" ||
        fail "http: sock_shutdown ends a connection" "$(cat "$WORK/curl.out" "$WORK/http.err")"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/missing")
    [ "$code" = 404 ] && ok "http: 404" || fail "http: 404" "got $code"
    # ten clients at once
    for i in $(seq 10); do curl -s --max-time 5 "$url/" >"$WORK/c$i" & done
    wait $(jobs -p | grep -v "^$server$") 2>/dev/null
    good=0
    for i in $(seq 10); do [ "$(cat "$WORK/c$i")" = "hello from wasm" ] && good=$((good + 1)); done
    [ "$good" = 10 ] && ok "http: 10 concurrent clients" || fail "http: 10 concurrent clients" "$good of 10"
    [ "$(curl -s --max-time 5 "$url/quit")" = bye ] && ok "http: /quit answered" || fail "http: /quit answered" ""
    for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$server" 2>/dev/null; then fail "http: server exits 0" "still running"; else
        wait "$server"; rc=$?
        [ "$rc" = 0 ] && ok "http: server exits 0" || fail "http: server exits 0" "status $rc"
    fi
    # after two preopened directories the socket is fd 5
    mkdir -p "$WORK/d1" "$WORK/d2"
    "$WASMRT" run --dir "$WORK/d1" --dir "$WORK/d2" --listen 127.0.0.1:0 "$T/http_server.wasm" 5 \
        >"$WORK/http.out" 2>"$WORK/http5.err" &
    server=$!
    PIDS+=("$server")
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/^wasmrt: listening on .*:\([0-9]*\)$/\1/p' "$WORK/http5.err" 2>/dev/null)
        [ -n "$port" ] && grep -q 'serving on fd 5' "$WORK/http5.err" && break
        sleep 0.05
    done
    [ "$(curl -s --max-time 5 "http://127.0.0.1:$port/")" = "hello from wasm" ] &&
        [ "$(curl -s --max-time 5 "http://127.0.0.1:$port/quit")" = bye ] &&
        ok "http: the socket follows the preopens (fd 5)" ||
        fail "http: the socket follows the preopens (fd 5)" "$(cat "$WORK/http5.err")"
    wait "$server" 2>/dev/null
else
    skip "http" "curl not installed"
fi

# ---- workloads: the same output as native -------------------------------------------
same_as_native() { # NAME INPUT ARGS...
    local name=$1 input=$2
    shift 2
    [ -x "$WL/native/$name" ] && [ -f "$WL/wasm/$name.wasm" ] ||
        { skip "workload $name" "not built (make -C workloads)"; return; }
    printf '%s' "$input" | "$WL/native/$name" "$@" >"$WORK/native.out" 2>"$WORK/native.err"
    local native_rc=$?
    printf '%s' "$input" | timeout 60 "$WASMRT" run "$WL/wasm/$name.wasm" "$@" >"$WORK/wasm.out" 2>"$WORK/wasm.err"
    local wasm_rc=$?
    local label="workload $name $*"
    if [ "$native_rc" = "$wasm_rc" ] && cmp -s "$WORK/native.out" "$WORK/wasm.out" &&
        cmp -s "$WORK/native.err" "$WORK/wasm.err"; then
        ok "$label"
    else
        fail "$label" "native $native_rc '$(head -c 200 "$WORK/native.out")' vs wasm $wasm_rc '$(head -c 200 "$WORK/wasm.out")' $(head -c 200 "$WORK/wasm.err")"
    fi
}
same_as_native hello '{"name":"wasmvs","n":41}
'
same_as_native hello ''
same_as_native fib '' 30
same_as_native fib '' 12x
# httpd: the same responses, byte for byte, from the native server and through --listen
if [ -x "$WL/native/httpd" ] && [ -f "$WL/wasm/httpd.wasm" ] && command -v curl >/dev/null; then
    "$WL/native/httpd" 127.0.0.1:0 >"$WORK/httpd-native.out" 2>&1 &
    native=$!
    "$WASMRT" run --listen 127.0.0.1:0 "$WL/wasm/httpd.wasm" >"$WORK/httpd-wasm.out" 2>"$WORK/httpd-wasm.err" &
    wasm=$!
    PIDS+=("$native" "$wasm")
    native_port= wasm_port=
    for _ in $(seq 100); do
        native_port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/httpd-native.out" 2>/dev/null)
        wasm_port=$(sed -n 's/^wasmrt: listening on .*:\([0-9]*\)$/\1/p' "$WORK/httpd-wasm.err" 2>/dev/null)
        [ -n "$native_port" ] && [ -n "$wasm_port" ] && grep -q ready "$WORK/httpd-wasm.out" && break
        sleep 0.05
    done
    for path in / /missing; do
        curl -si --max-time 5 "http://127.0.0.1:$native_port$path" >"$WORK/native.http" 2>&1
        curl -si --max-time 5 "http://127.0.0.1:$wasm_port$path" >"$WORK/wasm.http" 2>&1
        if [ -s "$WORK/native.http" ] && cmp -s "$WORK/native.http" "$WORK/wasm.http"; then
            ok "workload httpd: GET $path as native"
        else
            fail "workload httpd: GET $path as native" "native '$(head -c 200 "$WORK/native.http")' vs wasm '$(head -c 200 "$WORK/wasm.http")' $(head -c 200 "$WORK/httpd-wasm.err")"
        fi
    done
    kill "$native" "$wasm" 2>/dev/null
    wait "$native" "$wasm" 2>/dev/null
else
    skip "workload httpd" "not built (make -C workloads) or no curl"
fi
if [ -f "$WL/wasm/idle.wasm" ]; then
    "$WASMRT" run "$WL/wasm/idle.wasm" >"$WORK/idle.out" 2>&1 &
    idle=$!
    PIDS+=("$idle")
    for _ in $(seq 100); do grep -q ready "$WORK/idle.out" && break; sleep 0.05; done
    if [ "$(cat "$WORK/idle.out")" = ready ] && kill -0 "$idle" 2>/dev/null; then
        kill "$idle"
        wait "$idle" 2>/dev/null
        ok "workload idle: ready, then waits until killed"
    else
        fail "workload idle: ready, then waits until killed" "$(cat "$WORK/idle.out")"
    fi
else
    skip "workload idle" "not built"
fi

printf '%s: %d passed, %d failed, %d skipped\n' "$LABEL" "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
