# shellcheck shell=bash disable=SC2034
# Shared settings and helpers for scripts/env/{up,down}.sh. Sourced, never run.
#
# Layout (all overridable through the environment):
#   ${KILN_ENV_DIR:-/tmp/kiln-env}/<instance>/     one private dockerd: daemon.json, docker.sock, data/, exec/, logs/, env.json
#   ${KILN_ENV_DIR:-/tmp/kiln-env}/registries/      the two local registries, shared by every instance
#   ${KILN_CACHE_DIR:-/var/cache/kiln-env}/         base image rootfs tars and OCI layouts (survives everything)

KILN_ENV_INSTANCE="${KILN_ENV_INSTANCE:-kiln}"
if [[ ! "$KILN_ENV_INSTANCE" =~ ^[a-z0-9]{1,7}$ ]]; then
  echo "kiln env: KILN_ENV_INSTANCE='$KILN_ENV_INSTANCE' is invalid: use 1-7 lowercase letters or digits (it names the bridge br-kiln-<instance>)" >&2
  exit 2
fi

ENV_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENV_ROOT="${KILN_ENV_DIR:-/tmp/kiln-env}"
STATE="$ENV_ROOT/$KILN_ENV_INSTANCE"
LOGS="$STATE/logs"
CACHE="${KILN_CACHE_DIR:-/var/cache/kiln-env}"
REGISTRIES="$ENV_ROOT/registries"

DOCKER_SOCK="$STATE/docker.sock"
DOCKER_PIDFILE="$STATE/docker.pid"
DOCKER_DATA="$STATE/data"
DOCKER_EXEC="$STATE/exec"
DOCKER_CONFIG_FILE="$STATE/daemon.json"
DOCKER_CLI=/usr/bin/docker
# The buildkitd stand-in: dockerd's BuildKit served as a buildkitd listens (scripts/env/buildkitd-bridge.mjs).
BRIDGE_SOCK="$STATE/buildkitd.sock"
BRIDGE_PIDFILE="$STATE/buildkitd-bridge.pid"
BRIDGE_TLS_DIR="$STATE/tls"
BRIDGE_TLS_NAME=buildkitd.kiln.test

REGISTRY_ADDR=127.0.0.1:5000
AUTH_REGISTRY_ADDR=127.0.0.1:5001
AUTH_REGISTRY_USER=kiln
AUTH_REGISTRY_PASSWORD=kiln-secret

BRIDGE_MTU=1400
if [[ "$KILN_ENV_INSTANCE" == kiln ]]; then
  BRIDGE="br-kiln"
  subnet_octet=0
else
  BRIDGE="br-kiln-$KILN_ENV_INSTANCE"
  # A stable /24 per instance name inside 10.213.0.0/16 (0 is reserved for the default instance).
  subnet_octet=$(($(printf '%s' "$KILN_ENV_INSTANCE" | cksum | cut -d' ' -f1) % 250 + 1))
fi
# The buildkitd stand-in (scripts/env/buildkitd-bridge.mjs) also listens on TCP: plain, and TLS with client certificates.
BRIDGE_TCP_ADDR="127.0.0.1:$((12300 + 2 * subnet_octet))"
BRIDGE_TLS_ADDR="127.0.0.1:$((12301 + 2 * subnet_octet))"
BRIDGE_GATEWAY="${KILN_ENV_BRIDGE_GATEWAY:-10.213.$subnet_octet.1}"
BRIDGE_SUBNET="${BRIDGE_GATEWAY%.*}.0/24"
unset subnet_octet

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"

# The Docker engine an instance runs:
#   debian   (default) bookworm's docker.io: dockerd 20.10 with BuildKit v0.8, installed as a package;
#   modern   trixie's docker.io: dockerd 26.1 with BuildKit v0.13 and containerd 1.7, downloaded from the Debian mirror
#            and unpacked under the cache (never installed: bookworm's packages stay as they are), run with the
#            containerd image store, so the build gets the image/oci/docker exporters and cache export like buildkitd.
KILN_ENV_ENGINE="${KILN_ENV_ENGINE:-debian}"
case "$KILN_ENV_ENGINE" in
  debian | modern) ;;
  *)
    echo "kiln env: KILN_ENV_ENGINE='$KILN_ENV_ENGINE' is invalid: use debian (dockerd 20.10) or modern (dockerd 26.1 from Debian trixie)" >&2
    exit 2
    ;;
esac
ENGINE_ROOT="$CACHE/engines/$KILN_ENV_ENGINE"

# ---------------------------------------------------------------------------------------------------------------------
# Output

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
# elapsed <start> → "1.23s"
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

say() { printf 'kiln env [%s] %s\n' "$KILN_ENV_INSTANCE" "$*"; }
warn() { printf 'kiln env [%s] WARNING: %s\n' "$KILN_ENV_INSTANCE" "$*" >&2; }

# fail <message> [log file]: prints what failed, the tail of the log to read, and exits non-zero.
fail() {
  local message="$1" log="${2:-}"
  {
    printf '\nkiln env [%s] FAILED: %s\n' "$KILN_ENV_INSTANCE" "$message"
    if [[ -n "$log" && -s "$log" ]]; then
      printf -- '---- last lines of %s ----\n' "$log"
      tail -n 40 "$log"
      printf -- '---- full log: %s ----\n' "$log"
    elif [[ -n "$log" ]]; then
      printf 'log file: %s\n' "$log"
    fi
  } >&2
  exit 1
}

# run_logged <log> <command...>: runs a command with its output appended to a log file; returns its exit code.
run_logged() {
  local log="$1"
  shift
  printf '\n$ %s\n' "$*" >>"$log"
  "$@" >>"$log" 2>&1 </dev/null
}

require_root() {
  if [[ "$(id -u)" != 0 ]]; then
    echo "kiln env: must run as root (it installs Debian packages, creates a bridge and starts dockerd); try: sudo $0" >&2
    exit 1
  fi
}

# ---------------------------------------------------------------------------------------------------------------------
# Processes (always identified by pid file + a marker in their command line, never by name)

# pid_from <pidfile>: prints the pid recorded in the file, or nothing.
pid_from() {
  if [[ -s "$1" ]]; then tr -dc '0-9' <"$1"; fi
  return 0
}

# pid_matches <pid> <marker>: true when the process is alive and its command line contains the marker.
pid_matches() {
  local pid="$1" marker="$2"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# stop_pid <pid> <what> [timeout seconds]: SIGTERM, wait, then SIGKILL if needed.
stop_pid() {
  local pid="$1" what="$2" timeout="${3:-30}" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 10; i++)); do
    [[ -e "/proc/$pid" ]] || return 0
    # A zombie we are not the parent of disappears once its parent reaps it; treat it as gone.
    [[ "$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" == Z ]] && return 0
    sleep 0.1
  done
  warn "$what (pid $pid) did not stop within ${timeout}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
}

# live_instances: prints the names of instances under ENV_ROOT whose dockerd is running.
live_instances() {
  local dir name
  for dir in "$ENV_ROOT"/*/; do
    name="$(basename "$dir")"
    [[ "$name" == registries ]] && continue
    [[ -f "$dir/daemon.json" ]] || continue
    if pid_matches "$(pid_from "$dir/docker.pid")" "${dir%/}/daemon.json"; then echo "$name"; fi
  done
}

# ---------------------------------------------------------------------------------------------------------------------
# HTTP probes

docker_ping() { [[ "$(curl -s -m 3 --unix-socket "$DOCKER_SOCK" http://docker/_ping 2>/dev/null)" == OK ]]; }

# http_status <url> → prints the HTTP status code (000 when nothing answers).
http_status() { curl -s -m 3 -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true; }

# port_owner <port>: describes the process listening on 127.0.0.1:<port>, if any.
port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1; }

# json_str <value>: a JSON string literal.
json_str() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

# trim_store: keeps a containerd image store (the modern engine) small enough to start. dockerd 26.1 gives its router
# 10 s to come up and BuildKit's initialisation stats every blob of that store first (moby/moby#48569): after a day of
# test runs it held ~46,000 blobs and exited with "context deadline exceeded" before serving its API. Nearly all of
# them (45,071 of 46,012) were BuildKit's build-history attachments, kept under leases in containerd's moby_history
# namespace; nothing here reads build history. Above KILN_ENV_MAX_BLOBS blobs (default 10000) those leases are
# deleted and containerd collects the blobs; build cache beyond 1 GB is pruned too. Called where nothing else uses the
# daemon: on a fresh start and before a stop.
trim_store() {
  local dir="$DOCKER_DATA/containerd/daemon/io.containerd.content.v1.content/blobs/sha256" blobs start lease
  local ctr=("$ENGINE_ROOT/bin/ctr" -a "$DOCKER_EXEC/containerd/containerd.sock" -n moby_history)
  [[ -x "${ctr[0]}" ]] || ctr[0]="$(command -v ctr || true)"
  [[ -d "$dir" && -n "${ctr[0]}" ]] || return 0
  blobs="$(find "$dir" -maxdepth 1 -type f | wc -l)"
  ((blobs > ${KILN_ENV_MAX_BLOBS:-10000})) || return 0
  start="$(now)"
  "${ctr[@]}" leases ls -q 2>/dev/null | xargs -r -n 500 "${ctr[@]}" leases rm >/dev/null 2>&1 || true
  # A lease removed with --sync makes containerd collect everything unreferenced before answering.
  if lease="$("${ctr[@]}" leases create 2>/dev/null | awk '{print $1}')" && [[ -n "$lease" ]]; then
    "${ctr[@]}" leases rm --sync "$lease" >/dev/null 2>&1 || true
  fi
  "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" builder prune -f --keep-storage 1GB >/dev/null 2>&1 || true
  say "trimmed the image store ($blobs blobs, over ${KILN_ENV_MAX_BLOBS:-10000}): dropped BuildKit's build history and build cache beyond 1 GB; $(find "$dir" -maxdepth 1 -type f | wc -l) blobs left, in $(elapsed "$start")"
}

# take_lock: serialises every up.sh/down.sh sharing ENV_ROOT (they share registries, iptables chains and the cache).
# The lock is held on fd 9 until the script exits.
take_lock() {
  mkdir -p "$ENV_ROOT"
  exec 9>"$ENV_ROOT/.lock"
  if ! flock -n 9; then
    say "waiting for another up.sh/down.sh to finish (lock $ENV_ROOT/.lock)"
    flock -w 1800 9 || fail "timed out after 30 min waiting for the lock $ENV_ROOT/.lock"
  fi
}
