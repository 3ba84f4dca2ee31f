#!/usr/bin/env bash
# Idempotent machine set-up for wasmvs: installs the Debian packages the build, the
# tests and the benchmarks need, and starts dockerd when no daemon answers. Fast when
# nothing is missing. Says plainly what it could not do instead of failing silently.
#   scripts/setup.sh            the packages every build, test and run needs
#   scripts/setup.sh --browser  also Debian's chromium, for the test that renders
#                               report.html in a headless browser (only that test asks)
set -u

packages=(
    build-essential clang lld wasi-libc libclang-rt-14-dev-wasm32 libclang-rt-14-dev
    libjansson-dev libcurl4-openssl-dev libcpuid-dev libcmocka-dev
    gnuplot-nox wabt runc docker.io wrk curl jq procps iproute2 util-linux musl-tools
    libseccomp-dev hyperfine
)
for argument in "$@"; do
    case "$argument" in
    --browser) packages+=(chromium) ;;
    *)
        printf 'setup: unknown option %s; expected --browser or nothing\n' "$argument" >&2
        exit 2
        ;;
    esac
done

say() { printf 'setup: %s\n' "$*"; }
warn() { printf 'setup: warning: %s\n' "$*" >&2; }

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
        warn "missing packages and not root: ${missing[*]}"
        exit 1
    fi
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >/dev/null || warn "apt-get update failed"
    if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/wasmvs-setup-apt.log 2>&1; then
        warn "apt-get install failed; see /tmp/wasmvs-setup-apt.log"
        tail -n 20 /tmp/wasmvs-setup-apt.log >&2
        exit 1
    fi
fi

# Docker: the harness talks to the Engine API on this socket. Start the daemon when
# nothing answers, then wait until it does. A machine without a daemon still builds and
# tests; the docker target reports itself unavailable with the reason.
docker_socket=/var/run/docker.sock
docker_answers() {
    curl -sf --max-time 2 --unix-socket "$docker_socket" http://localhost/_ping >/dev/null 2>&1
}

# The OCI runtime wasmrt-oci (runtime/oci) registered with dockerd as the runtime
# "wasmrt" (the docker:wasmrt target): merged into /etc/docker/daemon.json, keeping what
# is there. The path is this checkout's build/bin/wasmrt-oci, which `make` builds after
# this script: dockerd takes the entry as it is, and only a container start with the
# runtime before the build fails ("fork/exec ...: no such file or directory"). A running
# daemon is told with SIGHUP (a configuration reload: `runtimes` is reloadable, and
# unlike a restart it leaves other containers alone), only when the entry is new or
# its path changed; a daemon this script starts reads the file anyway.
oci_runtime="$(cd "$(dirname "$0")/.." && pwd)/build/bin/wasmrt-oci"
daemon_json=/etc/docker/daemon.json
oci_registered=0
register_oci_runtime() {
    local current merged
    current=$(jq -r '.runtimes.wasmrt.path // empty' "$daemon_json" 2>/dev/null)
    [ "$current" = "$oci_runtime" ] && return 0
    if [ -s "$daemon_json" ]; then
        merged=$(jq --arg path "$oci_runtime" '.runtimes.wasmrt = {path: $path}' "$daemon_json" 2>/dev/null) || {
            warn "$daemon_json is not valid JSON: not registering the wasmrt runtime"
            return 1
        }
    else
        merged=$(jq -n --arg path "$oci_runtime" '{runtimes: {wasmrt: {path: $path}}}')
    fi
    mkdir -p "$(dirname "$daemon_json")" && printf '%s\n' "$merged" >"$daemon_json.wasmvs" &&
        mv "$daemon_json.wasmvs" "$daemon_json" || { warn "cannot write $daemon_json"; return 1; }
    say "registered the OCI runtime wasmrt ($oci_runtime) in $daemon_json"
    oci_registered=1
}
if [ "${WASMVS_NO_DOCKER:-0}" != 1 ] && [ "$(id -u)" -eq 0 ] && command -v dockerd >/dev/null; then
    register_oci_runtime
fi

if [ "${WASMVS_NO_DOCKER:-0}" = 1 ]; then
    say "WASMVS_NO_DOCKER=1: not starting dockerd"
elif ! docker_answers; then
    if [ "$(id -u)" -ne 0 ]; then
        warn "no Docker daemon on $docker_socket and not root: docker target will be skipped"
    elif ! command -v dockerd >/dev/null; then
        warn "dockerd not installed: docker target will be skipped"
    else
        say "starting dockerd (log: /var/log/wasmvs-dockerd.log)"
        # setsid: the daemon must outlive this script and the make that called it.
        setsid dockerd >/var/log/wasmvs-dockerd.log 2>&1 </dev/null &
        for _ in $(seq 1 60); do
            docker_answers && break
            sleep 0.5
        done
        if docker_answers; then
            say "dockerd answers on $docker_socket"
        else
            warn "dockerd did not answer within 30 s; last log lines:"
            tail -n 10 /var/log/wasmvs-dockerd.log >&2
        fi
    fi
fi

# A daemon that was already running learns of a new or moved runtime entry by a reload.
if [ "$oci_registered" = 1 ] && docker_answers; then
    daemon_pid=$(cat /var/run/docker.pid 2>/dev/null)
    if [ -n "$daemon_pid" ] && kill -HUP "$daemon_pid" 2>/dev/null; then
        reloaded=0
        for _ in $(seq 1 20); do
            curl -sf --max-time 2 --unix-socket "$docker_socket" http://localhost/info 2>/dev/null |
                jq -e --arg path "$oci_runtime" '.Runtimes.wasmrt.path == $path' >/dev/null &&
                reloaded=1 && break
            sleep 0.25
        done
        if [ "$reloaded" = 1 ]; then
            say "dockerd reloaded its configuration: runtime wasmrt -> $oci_runtime"
        else
            warn "dockerd did not take the runtime wasmrt after a reload; restart it to apply $daemon_json"
        fi
    else
        warn "could not signal dockerd (pid file /var/run/docker.pid) to reload $daemon_json"
    fi
fi

# Facts the measurements depend on, reported rather than enforced.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    say "cgroups: v2 (unified)"
elif [ -d /sys/fs/cgroup/unified ]; then
    say "cgroups: hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)"
elif [ -d /sys/fs/cgroup/memory ]; then
    say "cgroups: v1"
else
    warn "no cgroup hierarchy found: container memory limits and cgroup meters unavailable"
fi
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo "?")
[ "$paranoid" = "?" ] && warn "perf_event_open unavailable: counters will be recorded as missing"
exit 0
