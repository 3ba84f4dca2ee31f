#!/usr/bin/env bash
# run-tests.sh: wasmrt-oci driven as runc is, on bundles made here: run's output and
# exit statuses, the create/start/state/kill/delete life with the state JSON's fields,
# hooks with the state on their stdin, a served socket, pause, ps, a refused native
# entrypoint, and that nothing (state directory, cgroups) outlives delete.
# (docker-tests.sh drives it through dockerd.)
#   run-tests.sh WASMRT_OCI WASM_DIR
# WASM_DIR holds probe.wasm (tests/wasm/probe.c). Needs root; skips, saying why,
# without. Closes with "oci: N passed, N failed, N skipped".
set -u
OCI=$(realpath "$1") WASM=$(realpath "$2")
passed=0 failed=0 skipped=0
ok() { printf 'ok %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }
skip() { printf 'skip %s: %s\n' "$1" "$2"; skipped=$((skipped + 1)); }
finish() {
    printf 'oci: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
    [ "$failed" -eq 0 ]
    exit
}

if [ "$(id -u)" -ne 0 ]; then
    skip "wasmrt-oci on bundles" "needs root to create namespaces and cgroups"
    finish
fi

WORK=$(mktemp -d /tmp/oci-tests.XXXXXX)
ROOT=$WORK/state
ID_PREFIX=oci-test-$$
cleanup() {
    for dir in "$ROOT"/*/; do
        [ -d "$dir" ] && "$OCI" --root "$ROOT" delete --force "$(basename "$dir")" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# bundle NAME ARGS_JSON [EXTRA_JQ]: a bundle whose rootfs holds probe.wasm, with the
# harness's runc configuration (own namespaces, read-only root, /proc, a /dev tmpfs).
bundle() {
    local dir=$WORK/$1
    mkdir -p "$dir/rootfs"
    cp "$WASM/probe.wasm" "$dir/rootfs/"
    jq -n --argjson args "$2" '{
        ociVersion: "1.0.2",
        process: {terminal: false, user: {uid: 0, gid: 0}, args: $args,
                  env: ["PATH=/", "GREETING=hi"], cwd: "/", noNewPrivileges: true},
        root: {path: "rootfs", readonly: true}, hostname: "oci-test",
        mounts: [{destination: "/proc", type: "proc", source: "proc"},
                 {destination: "/dev", type: "tmpfs", source: "tmpfs",
                  options: ["nosuid", "strictatime", "mode=755", "size=65536k"]}],
        linux: {namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
                             {type: "mount"}],
                maskedPaths: ["/proc/kcore"], readonlyPaths: ["/proc/sys"]},
        annotations: {"org.wasmvs.test": "yes"}} | '"${3:-.}" >"$dir/config.json"
    echo "$dir"
}

# run_container NAME WANT_STATUS BUNDLE [STDIN]: `run` in the foreground, output in
# $WORK/out and $WORK/err; 0 when it exited with WANT_STATUS (else says so, returns 1).
run_container() {
    local name=$1 want=$2 dir=$3
    timeout 20 "$OCI" --root "$ROOT" run --bundle "$dir" "$ID_PREFIX-$name" \
        <"${4:-/dev/null}" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    [ "$rc" -eq "$want" ] && return 0
    fail "$name" "exit status $rc, expected $want; stderr: $(head -c 600 "$WORK/err")"
    return 1
}

# expect NAME TEXT: $WORK/out must be TEXT.
expect() {
    if [ "$(cat "$WORK/out")" = "$2" ]; then ok "$1"; else fail "$1" "stdout: $(head -c 400 "$WORK/out")"; fi
}

# refused NAME TEXT CMD...: CMD must fail with TEXT in its stderr.
refused() {
    local name=$1 text=$2
    shift 2
    if "$@" >"$WORK/out" 2>"$WORK/err"; then
        fail "$name" "succeeded"
    elif grep -qF -- "$text" "$WORK/err"; then
        ok "$name"
    else
        fail "$name" "stderr lacks '$text': $(head -c 500 "$WORK/err")"
    fi
}

# check NAME DETAIL CMD...: ok when CMD succeeds, else fail with DETAIL.
check() {
    local name=$1 detail=$2
    shift 2
    if "$@"; then ok "$name"; else fail "$name" "$detail"; fi
}

# nothing_left NAME ID: neither a state directory nor a cgroup directory remains.
nothing_left() {
    local left
    left=$(ls -d "$ROOT/$2" /sys/fs/cgroup/*/"$2" /sys/fs/cgroup/"$2" 2>/dev/null)
    if [ -z "$left" ]; then ok "$1"; else fail "$1" "left behind: $left"; fi
}

oci() { "$OCI" --root "$ROOT" "$@"; }
json_holds() { jq -e "$@" >/dev/null; }
state_field() { oci state "$1" | jq -r "$2"; }

# wait_for TEXT FILE: up to 5 s for TEXT to appear in FILE.
wait_for() {
    for _ in $(seq 100); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done
    return 1
}

# ---- run: output, exit statuses, the guest's view ----------------------------------
run_container hello 0 "$(bundle hello '["/probe.wasm", "hello"]')" &&
    expect "run: the module's stdout passes through" "hello from wasm"
nothing_left "run: the container is deleted after it ends" "$ID_PREFIX-hello"
run_container exit 7 "$(bundle exit '["/probe.wasm", "exit", "7"]')" &&
    ok "run: the guest's exit code is the container's"
run_container trap 134 "$(bundle trap '["/probe.wasm", "trap"]')" &&
    check "run: a trap ends the container with 134 and says so on stderr" "$(cat "$WORK/err")" \
        grep -q "trap: unreachable" "$WORK/err"
printf 'through stdin\n' >"$WORK/in"
run_container echo 0 "$(bundle echo '["/probe.wasm", "echo"]')" "$WORK/in" &&
    expect "run: stdin passes through" "through stdin"
run_container env 0 "$(bundle env '["/probe.wasm", "env"]')" &&
    expect "run: the guest sees process.env and nothing else" "$(printf 'PATH=/\nGREETING=hi')"
run_container args 0 "$(bundle args '["/probe.wasm", "args", "a b", "c"]')" &&
    expect "run: the guest's argv is process.args" "$(printf '/probe.wasm\nargs\na b\nc')"
if run_container ls 0 "$(bundle ls '["/probe.wasm", "ls", "/"]')"; then
    sort "$WORK/out" >"$WORK/sorted" && mv "$WORK/sorted" "$WORK/out"
    expect "run: the guest's / is the container's root, with the spec's mounts" \
        "$(printf 'dev\nprobe.wasm\nproc')"
fi
run_container write 2 "$(bundle write '["/probe.wasm", "write", "/new-file"]')" &&
    check "run: root.readonly holds for the guest" "$(cat "$WORK/err")" \
        grep -q "Read-only file system" "$WORK/err"
run_container host 0 "$(bundle host '["/probe.wasm", "cat", "/proc/sys/kernel/hostname"]')" &&
    expect "run: the hostname is set in the container's uts namespace" "oci-test"
run_container relative 0 "$(bundle relative '["probe.wasm", "hello"]')" &&
    ok "run: a bare entrypoint name is found in process.env's PATH"

# ---- the life of a container, as containerd-shim drives it ---------------------------
id=$ID_PREFIX-life
b=$(bundle life '["/probe.wasm", "sleep"]')
oci create --bundle "$b" --pid-file "$WORK/life.pid" "$id" >"$WORK/life.out" 2>"$WORK/life.err"
rc=$?
pid=$(cat "$WORK/life.pid" 2>/dev/null)
check "create: returns with the init alive and its pid in --pid-file" \
    "status $rc, pid '$pid': $(cat "$WORK/life.err")" kill -0 "${pid:-0}"
st=$(oci state "$id")
check "state: created, with id, pid, bundle, ociVersion and annotations" "$st" \
    json_holds --arg id "$id" --arg pid "$pid" --arg b "$b" \
    '.status == "created" and .id == $id and (.pid | tostring) == $pid and .bundle == $b and
     .ociVersion == "1.0.2" and .annotations["org.wasmvs.test"] == "yes"' <<<"$st"
check "create: the module does not run before start" "$(cat "$WORK/life.out")" \
    test ! -s "$WORK/life.out"
check "create: the init is in its own cgroup (/$id, runc's default)" "$pid not there" \
    grep -qx "$pid" /sys/fs/cgroup/pids/"$id"/cgroup.procs
if oci start "$id" && wait_for ready "$WORK/life.out"; then
    check "start: the module runs, state says running" "$(oci state "$id")" \
        test "$(state_field "$id" .status)" = running
else
    fail "start" "$(cat "$WORK/life.out")"
fi
refused "start: a second start is refused, saying why" \
    "expected a created container, found it running" oci start "$id"
check "ps --format json: the container's processes" "$(oci ps --format json "$id")" \
    test "$(oci ps --format json "$id")" = "[$pid]"
oci pause "$id" && paused=$(state_field "$id" .status) && oci resume "$id"
check "pause and resume" "$paused, then $(state_field "$id" .status)" \
    test "$paused $(state_field "$id" .status)" = "paused running"
refused "delete: a running container is refused without --force" "not stopped: running" \
    oci delete "$id"
oci kill "$id" TERM
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
check "kill TERM: the module ends though it is pid 1 of its namespace" "$(oci state "$id")" \
    test "$(state_field "$id" .status) $(state_field "$id" .pid)" = "stopped 0"
refused "kill: a stopped container is not running" "container not running" oci kill "$id" KILL
oci delete "$id"
nothing_left "delete: nothing of a stopped container remains" "$id"
refused "state: a deleted container does not exist" "container $id does not exist" oci state "$id"
check "delete --force: a container that is gone is no error" "it failed" oci delete --force "$id"

id=$ID_PREFIX-force
b=$(bundle force '["/probe.wasm", "sleep"]')
if oci run --detach --bundle "$b" "$id" >"$WORK/force.out" 2>&1 && wait_for ready "$WORK/force.out"; then
    oci kill --all "$id" KILL
    oci delete --force "$id"
    nothing_left "run --detach, kill --all, delete --force" "$id"
else
    fail "run --detach" "$(cat "$WORK/force.out")"
fi
id=$ID_PREFIX-created
oci create --bundle "$b" "$id" && oci delete "$id"
nothing_left "delete: a container never started goes without --force" "$id"
oci create --bundle "$b" "$id"
refused "create: an id in use is refused" "container $id already exists" \
    oci create --bundle "$b" "$id"
oci delete --force "$id"

id=$ID_PREFIX-user
b=$(bundle user '["/probe.wasm", "sleep"]' \
    '.process.user = {uid: 1000, gid: 1000, additionalGids: [5]} |
     .process.capabilities = {bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"]}')
if oci run --detach --bundle "$b" "$id" >"$WORK/user.out" 2>&1 && wait_for ready "$WORK/user.out"; then
    pid=$(state_field "$id" .pid)
    status=$(grep -E '^(Uid|Gid|Groups|CapEff|CapBnd|NoNewPrivs):' /proc/"$pid"/status | tr -s '\t ' ' ')
    check "process.user and process.capabilities: the module runs as uid 1000 with CAP_KILL alone" \
        "$status" test "$(printf '%s\n' "$status" | tr '\n' '|')" = \
        "Uid: 1000 1000 1000 1000|Gid: 1000 1000 1000 1000|Groups: 5 |CapEff: 0000000000000020|CapBnd: 0000000000000020|NoNewPrivs: 1|"
    printf '{"memory": {"limit": 33554432}, "pids": {"limit": 10}}' >"$WORK/resources.json"
    oci update --resources "$WORK/resources.json" "$id"
    check "update --resources: the limits reach the container's cgroup" "$(cat \
        /sys/fs/cgroup/pids/"$id"/pids.max 2>&1)" grep -qx 10 /sys/fs/cgroup/pids/"$id"/pids.max
else
    fail "run --detach as uid 1000" "$(cat "$WORK/user.out")"
fi
oci delete --force "$id"

# ---- refusals -------------------------------------------------------------------------
id=$ID_PREFIX-native
b=$(bundle native '["/native"]')
cp "$(type -P true)" "$b/rootfs/native"
refused "create: a native entrypoint is refused by its magic bytes" \
    'expected a WebAssembly module (magic bytes 00 61 73 6d, "\0asm"), found 7f 45 4c 46 (an ELF executable)' \
    "$OCI" --root "$ROOT" --log "$WORK/native.log" --log-format json create --bundle "$b" "$id"
check "--log-format json: the error, as containerd-shim reads it" "$(cat "$WORK/native.log")" \
    json_holds 'select(.level == "error") | .msg | contains("runs WebAssembly modules only")' \
    "$WORK/native.log"
nothing_left "create: a refused container leaves nothing" "$id"
refused "create: an unsupported config field is named" \
    "linux.namespaces[5].type: user namespaces are not supported" \
    oci create --bundle "$(bundle badcfg '["/probe.wasm"]' '.linux.namespaces += [{type: "user"}]')" \
    "$ID_PREFIX-badcfg"
refused "--systemd-cgroup is refused, saying so" "--systemd-cgroup: not supported" \
    "$OCI" --systemd-cgroup state x
refused "exec is refused, saying why" "there is no second process" oci exec x

# ---- hooks: order, the state on stdin ---------------------------------------------------
hook=$WORK/hook.sh
printf '#!/bin/sh\n{ printf "%%s " "$1"; cat; echo; } >>%s\n' "$WORK/hooks.log" >"$hook"
chmod +x "$hook"
b=$(bundle hooks '["/probe.wasm", "hello"]' \
    ".hooks = {prestart: [{path: \"$hook\", args: [\"hook\", \"prestart\"]}],
               createRuntime: [{path: \"$hook\", args: [\"hook\", \"createRuntime\"]}],
               poststart: [{path: \"$hook\", args: [\"hook\", \"poststart\"]}],
               poststop: [{path: \"$hook\", args: [\"hook\", \"poststop\"]}]}")
run_container hooks 0 "$b"
order=$(awk '{print $1}' "$WORK/hooks.log" 2>/dev/null | tr '\n' ' ')
check "hooks: prestart, createRuntime, poststart, poststop, in order" "$order" \
    test "$order" = "prestart createRuntime poststart poststop "
states=$(sed 's/^[a-zA-Z]* //' "$WORK/hooks.log" | jq -r '.status + ":" + (.pid > 0 | tostring)' |
    tr '\n' ' ')
check "hooks: each gets the state JSON with its status and pid" "$states" \
    test "$states" = "creating:true creating:true running:true stopped:false "
# createContainer runs in the container's namespaces before pivot_root (host paths
# still resolve); startContainer inside the container, after start, before the module:
# its path is the container's, a static program in the rootfs.
printf 'int main(int c, char **v) { return c > 1 ? 3 : 0; }\n' >"$WORK/hook.c"
if gcc -static -O2 "$WORK/hook.c" -o "$WORK/static-hook" 2>"$WORK/err"; then
    : >"$WORK/hooks.log"
    b=$(bundle inner '["/probe.wasm", "hello"]' \
        ".hooks = {createContainer: [{path: \"$hook\", args: [\"hook\", \"createContainer\"]}],
                   startContainer: [{path: \"/static-hook\"}]}")
    cp "$WORK/static-hook" "$b/rootfs/"
    run_container inner 0 "$b" && expect "hooks: startContainer runs in the container before the module" \
        "hello from wasm"
    check "hooks: createContainer gets the state, creating" "$(cat "$WORK/hooks.log")" \
        json_holds '.status == "creating"' <(sed 's/^[a-zA-Z]* //' "$WORK/hooks.log")
    b=$(bundle innerfail '["/probe.wasm", "hello"]' \
        '.hooks = {startContainer: [{path: "/static-hook", args: ["static-hook", "fail"]}]}')
    cp "$WORK/static-hook" "$b/rootfs/"
    run_container innerfail 1 "$b" &&
        check "hooks: a failing startContainer hook ends the container before the module" \
            "stdout $(cat "$WORK/out"), stderr $(cat "$WORK/err")" \
            grep -qF "hook startContainer[0] (/static-hook): expected exit status 0, found 3" "$WORK/err"
else
    skip "hooks in the container's namespaces" "gcc -static failed: $(head -c 200 "$WORK/err")"
fi
run_container hookfail 1 "$(bundle hookfail '["/probe.wasm", "hello"]' \
    '.hooks = {prestart: [{path: "/bin/false"}]}')" &&
    check "hooks: a failing prestart hook fails the create, naming it" "$(cat "$WORK/err")" \
        grep -qF "hook prestart[0] (/bin/false): expected exit status 0, found 1" "$WORK/err"
nothing_left "hooks: the failed create leaves nothing" "$ID_PREFIX-hookfail"

# ---- a served socket: WASMRT_LISTEN ----------------------------------------------------
if command -v curl >/dev/null; then
    id=$ID_PREFIX-serve
    port=$((20000 + $$ % 20000))
    b=$(bundle serve '["/probe.wasm", "serve"]' \
        ".process.env += [\"WASMRT_LISTEN=127.0.0.1:$port\"] | .linux.namespaces -= [{type: \"network\"}]")
    oci run --detach --bundle "$b" "$id" >"$WORK/serve.out" 2>&1
    if wait_for ready "$WORK/serve.out"; then
        check "WASMRT_LISTEN: the runtime binds, the guest serves on the socket" \
            "$(cat "$WORK/serve.out")" test "$(curl -s --max-time 5 "http://127.0.0.1:$port/")" = "wasm!"
    else
        fail "WASMRT_LISTEN" "$(cat "$WORK/serve.out")"
    fi
    oci delete --force "$id"
else
    skip "WASMRT_LISTEN" "curl is not installed"
fi

# ---- features --------------------------------------------------------------------------
"$OCI" features >"$WORK/features.json"
check "features: the runtime spec's features JSON" "$(head -c 300 "$WORK/features.json")" \
    json_holds '.ociVersionMin == "1.0.0" and (.hooks | index("poststop")) and .linux.cgroup.v2 and
           (.linux.namespaces | index("user") | not) and .linux.seccomp.enabled' \
    "$WORK/features.json"

finish
