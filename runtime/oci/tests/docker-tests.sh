#!/usr/bin/env bash
# docker-tests.sh: real containers through dockerd with the OCI runtime registered as
# "wasmrt" (scripts/setup.sh): the module's output through docker run and docker logs,
# exit codes, a trap's status, stdin and a terminal, docker stop/kill/pause/top, a
# memory limit in the container's cgroup, a server published through the bridge, a
# refused native entrypoint with its message, and nothing left once a container is
# removed. Images are imported from one-file tars and removed at the end.
#   docker-tests.sh WASMRT_OCI WASM_DIR
# Skips, saying why, without root, a Docker daemon, or dockerd knowing this build of
# the runtime. Closes with "oci-docker: N passed, N failed, N skipped".
set -u
OCI=$(realpath "$1") WASM=$(realpath "$2")
passed=0 failed=0 skipped=0
ok() { printf 'ok %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }
skip() { printf 'skip %s: %s\n' "$1" "$2"; skipped=$((skipped + 1)); }
finish() {
    printf 'oci-docker: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
    [ "$failed" -eq 0 ]
    exit
}

why=""
if [ "$(id -u)" -ne 0 ]; then
    why="needs root"
elif ! command -v docker >/dev/null; then
    why="the docker command is not installed"
elif ! docker version >/dev/null 2>&1; then
    why="no Docker daemon answers (scripts/setup.sh starts one)"
else
    registered=$(docker info --format '{{json .Runtimes}}' 2>/dev/null | jq -r '.wasmrt.path // empty')
    if [ "$registered" != "$OCI" ]; then
        why="dockerd's runtime \"wasmrt\" is '${registered:-none}', not $OCI (scripts/setup.sh registers it)"
    fi
fi
if [ -n "$why" ]; then
    skip "containers through dockerd with the wasmrt runtime" "$why"
    finish
fi

WORK=$(mktemp -d /tmp/oci-docker-tests.XXXXXX)
NAME=oci-test-$$
PROBE=wasmvs-oci-test-probe:$$ NATIVE=wasmvs-oci-test-native:$$
cleanup() {
    docker ps -aq --filter "name=$NAME-" | xargs -r docker rm -f >/dev/null 2>&1
    docker rmi "$PROBE" "$NATIVE" >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/probe" "$WORK/native"
cp "$WASM/probe.wasm" "$WORK/probe/"
cp "$(type -P true)" "$WORK/native/native"
tar -C "$WORK/probe" -cf "$WORK/probe.tar" probe.wasm
tar -C "$WORK/native" -cf "$WORK/native.tar" native
docker import "$WORK/probe.tar" "$PROBE" >/dev/null && docker import "$WORK/native.tar" "$NATIVE" >/dev/null ||
    { fail "image import" "docker import failed"; finish; }

# drun NAME WANT_STATUS [DOCKER RUN ARGS...] -- IMAGE CMD...: docker run --rm with the
# runtime; output in $WORK/out and $WORK/err; 0 when it exited with WANT_STATUS.
drun() {
    local name=$1 want=$2
    shift 2
    timeout 60 docker run --rm --runtime wasmrt --name "$NAME-$name" "$@" \
        <"${IN:-/dev/null}" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    [ "$rc" -eq "$want" ] && return 0
    fail "$name" "exit status $rc, expected $want; stderr: $(head -c 600 "$WORK/err")"
    return 1
}
check() {
    local name=$1 detail=$2
    shift 2
    if "$@"; then ok "$name"; else fail "$name" "$detail"; fi
}
# nothing_left NAME ID: no runtime state directory and no cgroup directory of the
# container (dockerd's cgroupfs layout: /docker/ID).
nothing_left() {
    local left
    left=$(ls -d /run/docker/runtime-runc/moby/"$2" /sys/fs/cgroup/*/docker/"$2" \
        /sys/fs/cgroup/docker/"$2" 2>/dev/null)
    if [ -z "$left" ]; then ok "$1"; else fail "$1" "left behind: $left"; fi
}
# detached NAME [DOCKER RUN ARGS...]: a running `probe.wasm sleep`, ready; its id in $cid.
detached() {
    local name=$1
    shift
    cid=$(docker run -d --runtime wasmrt --name "$NAME-$name" "$@" "$PROBE" /probe.wasm sleep)
    for _ in $(seq 100); do
        [ "$(docker logs "$cid" 2>/dev/null)" = ready ] && return 0
        sleep 0.05
    done
    fail "$name" "did not print ready: $(docker logs "$cid" 2>&1 | head -c 300)"
    return 1
}

drun hello 0 --network none "$PROBE" /probe.wasm hello &&
    check "docker run: the module's output through the attached stream" "$(cat "$WORK/out")" \
        test "$(cat "$WORK/out")" = "hello from wasm"
drun exit 7 "$PROBE" /probe.wasm exit 7 && ok "docker run: the guest's exit code is the container's"
drun trap 134 "$PROBE" /probe.wasm trap &&
    check "docker run: a trap ends with 134, its message on stderr" "$(cat "$WORK/err")" \
        grep -q "trap: unreachable in function" "$WORK/err"
printf 'docker stdin\n' >"$WORK/in"
IN=$WORK/in drun stdin 0 -i "$PROBE" /probe.wasm echo &&
    check "docker run -i: stdin reaches the module" "$(cat "$WORK/out")" \
        test "$(cat "$WORK/out")" = "docker stdin"
drun tty 0 -t "$PROBE" /probe.wasm hello &&
    check "docker run -t: the module writes to a terminal (CR LF)" "$(od -c "$WORK/out" | head -2)" \
        test "$(tr -d '\n' <"$WORK/out")" = "$(printf 'hello from wasm\r')"
drun env 0 -e FROM_DOCKER=1 "$PROBE" /probe.wasm env &&
    check "docker run -e: the module sees the environment Docker sets" "$(cat "$WORK/out")" \
        grep -qx FROM_DOCKER=1 "$WORK/out"

if detached life; then
    check "docker logs: the output of a detached container" "$(docker logs "$cid")" \
        test "$(docker logs "$cid")" = ready
    check "docker top: the container's process reads as its process.args" \
        "$(docker top "$cid" 2>&1)" grep -q "/probe.wasm sleep" <(docker top "$cid")
    pid=$(docker inspect -f '{{.State.Pid}}' "$cid")
    check "the module runs under Docker's seccomp profile (a filter on the init)" \
        "$(grep -E 'NoNewPrivs|Seccomp:|CapEff' /proc/"$pid"/status)" \
        grep -qE '^Seccomp:\s+2' /proc/"$pid"/status
    docker pause "$cid" >/dev/null && status=$(docker inspect -f '{{.State.Status}}' "$cid") &&
        docker unpause "$cid" >/dev/null
    check "docker pause and unpause" "status while paused: $status" test "$status" = paused
    started=$(date +%s)
    docker stop -t 20 "$cid" >/dev/null
    took=$(($(date +%s) - started))
    code=$(docker inspect -f '{{.State.ExitCode}}' "$cid")
    check "docker stop: SIGTERM ends the module (143) without the timeout's SIGKILL" \
        "exit code $code after ${took}s" test "$code $((took < 10))" = "143 1"
    docker rm "$cid" >/dev/null
    nothing_left "docker rm: no state or cgroup of the container remains" "$cid"
fi
if detached kill; then
    docker kill "$cid" >/dev/null
    docker wait "$cid" >/dev/null
    check "docker kill: SIGKILL, exit code 137" "$(docker inspect -f '{{.State.ExitCode}}' "$cid")" \
        test "$(docker inspect -f '{{.State.ExitCode}}' "$cid")" = 137
    docker rm "$cid" >/dev/null
    nothing_left "docker kill and rm: nothing remains" "$cid"
fi
if detached memory -m 64m; then
    limit=$(cat /sys/fs/cgroup/memory/docker/"$cid"/memory.limit_in_bytes \
        /sys/fs/cgroup/docker/"$cid"/memory.max 2>/dev/null | head -n 1)
    check "docker run -m 64m: the limit is in the container's cgroup" "found '$limit'" \
        test "$limit" = 67108864
    docker rm -f "$cid" >/dev/null
fi

port=$((20000 + $$ % 20000))
if cid=$(docker run -d --runtime wasmrt --name "$NAME-serve" -e WASMRT_LISTEN=0.0.0.0:8080 \
    -p "127.0.0.1:$port:8080" "$PROBE" /probe.wasm serve); then
    answer=""
    for _ in $(seq 50); do
        answer=$(curl -s --max-time 2 "http://127.0.0.1:$port/") && [ -n "$answer" ] && break
        sleep 0.1
    done
    check "a server on the bridge network, published with -p, WASMRT_LISTEN bound inside" \
        "answer '$answer'; logs: $(docker logs "$cid" 2>&1 | head -c 300)" test "$answer" = "wasm!"
    docker rm -f "$cid" >/dev/null
else
    fail "docker run -d serve" "could not start"
fi

drun native 125 "$NATIVE" /native &&
    check "docker run: a native entrypoint is refused with the runtime's message" "$(cat "$WORK/err")" \
        grep -q 'OCI runtime create failed: .*expected a WebAssembly module .*found 7f 45 4c 46 (an ELF executable): wasmrt-oci runs WebAssembly modules only' "$WORK/err"
left=$(docker ps -aq --filter "name=$NAME-native")
check "docker run: the refused container is not left behind" "$left" test -z "$left"

finish
