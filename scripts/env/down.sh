#!/usr/bin/env bash
# Stops what scripts/env/up.sh started for one instance: its dockerd (and that dockerd's containerd and shims), the
# bridge and the iptables rules for it; the shared registries and Docker's iptables chains go too once no instance is
# left. Idempotent. Keeps every cache (base images, registry data, dockerd's data root) unless --purge is given.
#
#   down.sh                 stop the instance (KILN_ENV_INSTANCE, default kiln)
#   down.sh --lease <id>    release a lease taken by scripts/test.sh; stop only when no other live lease remains
#   down.sh --purge         also delete the instance's state dir (dockerd data root, logs, env.json)
set -Eeuo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

trap 'fail "unexpected error at ${BASH_SOURCE[0]}:$LINENO: $BASH_COMMAND"' ERR

LEASE=""
PURGE=0
while (($#)); do
  case "$1" in
    --lease)
      LEASE="${2:?--lease needs an id}"
      shift 2
      ;;
    --purge)
      PURGE=1
      shift
      ;;
    *)
      echo "usage: down.sh [--lease <id>] [--purge]" >&2
      exit 2
      ;;
  esac
done

# other_leases: live leases on this instance other than our own (a lease is a file named after its holder's pid).
other_leases() {
  local file pid
  for file in "$STATE"/leases/*; do
    [[ -e "$file" ]] || continue
    pid="$(basename "$file")"
    [[ "$pid" == "$LEASE" ]] && continue
    if [[ -e "/proc/$pid" ]]; then echo "$pid"; else rm -f "$file"; fi
  done
}

stop_dockerd() {
  local pid marker="$DOCKER_EXEC/containerd/" p
  pid="$(pid_from "$DOCKER_PIDFILE")"
  if pid_matches "$pid" "$DOCKER_CONFIG_FILE"; then
    say "stopping dockerd (pid $pid)"
    stop_pid "$pid" dockerd 45
  fi
  # dockerd stops its own containerd; after a crash or SIGKILL, that containerd and its shims are left behind.
  # They are found by this instance's exec root in their command line, never by name.
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    if pid_matches "$p" "$marker"; then
      say "stopping leftover process $p ($(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-80))"
      stop_pid "$p" "containerd process" 15
    fi
  done
  # Mounts dockerd would normally have removed (overlay layers, network namespaces).
  unmount_state
  rm -f "$DOCKER_SOCK"
}

unmount_state() {
  local mnt
  while read -r mnt; do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" || warn "could not unmount $mnt"
  done < <(awk -v d="$STATE" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r)
}

# remove_rules <table>: deletes every rule mentioning this instance's bridge or subnet.
remove_rules() {
  local table="$1" rule subnet_re
  local -a words
  subnet_re="${BRIDGE_SUBNET//./\\.}"
  while read -r rule; do
    read -ra words <<<"${rule#-A }"
    iptables -t "$table" -D "${words[@]}" 2>/dev/null || warn "could not delete iptables rule: -t $table $rule"
  done < <(iptables -t "$table" -S 2>/dev/null | grep -E '^-A ' | grep -E -- "(^| )!? ?($BRIDGE|$subnet_re)( |$)" || true)
}

# chain_is_empty <table> <chain>: the chain exists and holds nothing but RETURN rules.
chain_is_empty() {
  iptables -t "$1" -S "$2" >/dev/null 2>&1 || return 1
  ! iptables -t "$1" -S "$2" | grep -E '^-A ' | grep -vqE -- "^-A $2 -j RETURN$"
}

# Docker's chains are removed only if no Docker chains existed before kiln's first dockerd and nothing else uses them.
remove_docker_chains() {
  local before chain
  before="$(cat "$ENV_ROOT/.iptables-chains.before" 2>/dev/null || echo unknown)"
  if [[ "$before" != absent ]]; then
    rm -f "$ENV_ROOT/.iptables-chains.before"
    return 0
  fi
  for chain in DOCKER DOCKER-USER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2; do
    if iptables -t filter -S "$chain" >/dev/null 2>&1 && ! chain_is_empty filter "$chain"; then
      say "leaving Docker's iptables chains in place: $chain has rules that are not ours"
      return 0
    fi
  done
  if iptables -t nat -S DOCKER >/dev/null 2>&1 && ! chain_is_empty nat DOCKER; then
    say "leaving Docker's iptables chains in place: nat/DOCKER has rules that are not ours"
    return 0
  fi
  # Jumps into the chains first, then the chains.
  while read -r rule; do
    read -ra words <<<"${rule#-A }"
    iptables -t filter -D "${words[@]}" 2>/dev/null || true
  done < <(iptables -t filter -S FORWARD | grep -E '^-A FORWARD -j (DOCKER-USER|DOCKER-ISOLATION-STAGE-1|DOCKER)$' || true)
  while read -r rule; do
    read -ra words <<<"${rule#-A }"
    iptables -t nat -D "${words[@]}" 2>/dev/null || true
  done < <(iptables -t nat -S | grep -E '^-A (PREROUTING|OUTPUT) .*-j DOCKER$' || true)
  for chain in DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 DOCKER-USER DOCKER; do
    if iptables -t filter -F "$chain" 2>/dev/null; then iptables -t filter -X "$chain" 2>/dev/null || true; fi
  done
  if iptables -t nat -F DOCKER 2>/dev/null; then iptables -t nat -X DOCKER 2>/dev/null || true; fi
  rm -f "$ENV_ROOT/.iptables-chains.before"
}

stop_bridge_daemon() {
  local pid
  pid="$(pid_from "$BRIDGE_PIDFILE")"
  if pid_matches "$pid" "$BRIDGE_SOCK"; then
    say "stopping the buildkitd stand-in (pid $pid)"
    stop_pid "$pid" "buildkitd stand-in" 10
  fi
  rm -f "$BRIDGE_PIDFILE" "$BRIDGE_SOCK"
}

stop_registries() {
  local name pid dir
  for name in mirror auth; do
    dir="$REGISTRIES/$name"
    pid="$(pid_from "$dir/registry.pid")"
    if pid_matches "$pid" "$dir/config.yml"; then
      say "stopping the $name registry (pid $pid)"
      stop_pid "$pid" "$name registry" 10
    fi
    rm -f "$dir/registry.pid"
  done
}

main() {
  local leases others
  require_root
  if [[ ! -d "$STATE" ]]; then
    say "nothing to stop ($STATE does not exist)"
    return 0
  fi
  take_lock
  if [[ -n "$LEASE" ]]; then
    rm -f "$STATE/leases/$LEASE"
    leases="$(other_leases | tr '\n' ' ')"
    if [[ -n "${leases// /}" ]]; then
      say "left running: still in use by pid(s) ${leases% }"
      return 0
    fi
  else
    leases="$(other_leases | tr '\n' ' ')"
    [[ -z "${leases// /}" ]] || warn "stopping although pid(s) ${leases% } hold a lease on this environment"
    rm -rf "$STATE/leases"
  fi

  stop_bridge_daemon
  if docker_ping; then trim_store; fi
  stop_dockerd
  remove_rules filter
  remove_rules nat
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link set "$BRIDGE" down 2>/dev/null || true
    ip link del "$BRIDGE" || warn "could not delete the bridge $BRIDGE"
  fi

  others="$(live_instances | grep -vx "$KILN_ENV_INSTANCE" | tr '\n' ' ' || true)"
  if [[ -z "${others// /}" ]]; then
    stop_registries
    remove_docker_chains
    if [[ "$(cat "$ENV_ROOT/.ip_forward.before" 2>/dev/null)" == 0 ]]; then
      sysctl -qw net.ipv4.ip_forward=0
    fi
    rm -f "$ENV_ROOT/.ip_forward.before"
  else
    say "registries left running for instance(s): ${others% }"
  fi

  # A description of a stopped environment would only mislead; up.sh writes a fresh one.
  rm -f "$STATE/env.json" "$STATE/env.sh"

  if ((PURGE)); then
    say "purging $STATE"
    rm -rf "$STATE"
  fi
  say "stopped (caches kept in $CACHE)"
}

main "$@"
