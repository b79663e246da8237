#!/usr/bin/env bash
# Brings up kiln's test environment from nothing, or checks it is up (idempotent, a few seconds when warm):
#   * Debian packages (docker.io, docker-registry, debootstrap, skopeo, umoci, busybox-static, …), installed if missing;
#   * a private dockerd (its own data/exec roots, socket, containerd and bridge br-kiln with NAT), never the system's;
#   * two local registries: 127.0.0.1:5000 (anonymous, dockerd's docker.io mirror) and 127.0.0.1:5001 (htpasswd auth);
#   * offline base images built once (debootstrap, busybox, umoci) and served by the mirror under their real names;
#   * <state>/env.json and <state>/env.sh describing all of it.
#
# Environment: KILN_ENV_INSTANCE (default kiln; a second instance gets its own dockerd, bridge and subnet and shares
# the registries), KILN_ENV_DIR (default /tmp/kiln-env), KILN_CACHE_DIR (default /var/cache/kiln-env),
# KILN_DEBIAN_MIRROR (default http://deb.debian.org/debian), KILN_ENV_ENGINE (debian: dockerd 20.10, the default;
# modern: dockerd 26.1 / BuildKit v0.13 from Debian trixie, unpacked under the cache, with the containerd image store).
set -Eeuo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=images.sh
source "$ENV_SCRIPTS/images.sh"

trap 'fail "unexpected error at ${BASH_SOURCE[0]}:$LINENO: $BASH_COMMAND"' ERR

PACKAGES=(docker.io docker-registry debootstrap debian-archive-keyring skopeo umoci busybox-static iproute2 iptables
  apache2-utils curl tar util-linux openssh-client openssh-server socat openssl git bzip2 xz-utils qemu-user-static binfmt-support)

T0="$(now)"
declare -A TIMES=()

# ---------------------------------------------------------------------------------------------------------------------
# Packages

ensure_packages() {
  local start missing=() pkg log status
  start="$(now)"
  for pkg in "${PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    TIMES[packages]="$(elapsed "$start") (all present)"
    return 0
  fi
  log="$LOGS/apt.log"
  say "installing missing Debian packages: ${missing[*]} (log: $log)"
  # Keep the packages' own services (the system dockerd, the packaged registry on :5000) from being started.
  local policy=/usr/sbin/policy-rc.d backup=""
  if [[ -e "$policy" ]]; then
    backup="$policy.kiln-env-backup"
    cp -a "$policy" "$backup"
  fi
  printf '#!/bin/sh\n# Written by kiln scripts/env/up.sh while it installs packages; removed afterwards.\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  status=0
  # apt-get update may report unreachable third-party sources; only the install decides success.
  run_logged "$log" env DEBIAN_FRONTEND=noninteractive apt-get update -q || true
  run_logged "$log" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    status=$?
  if [[ -n "$backup" ]]; then mv -f "$backup" "$policy"; else rm -f "$policy"; fi
  ((status == 0)) || fail "apt-get install ${missing[*]} failed (exit $status)" "$log"
  TIMES[packages]="$(elapsed "$start") (installed ${missing[*]})"
}

# ---------------------------------------------------------------------------------------------------------------------
# Emulation: QEMU registered with binfmt_misc, so that BuildKit's workers also run linux/arm64 (and others) steps

# ensure_emulation: mounts binfmt_misc if needed and enables Debian's qemu-user-static handlers. They are registered
# with the F flag (the interpreter is opened now), so they work inside build containers, which do not have it.
ensure_emulation() {
  local start entry log="$LOGS/emulation.log"
  start="$(now)"
  if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
    run_logged "$log" mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
      fail "cannot mount binfmt_misc (needed to run arm64 build steps under QEMU)" "$log"
  fi
  entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
  if [[ ! -e "$entry" ]]; then
    run_logged "$log" update-binfmts --enable qemu-aarch64 || true
  fi
  if ! grep -qx enabled "$entry" 2>/dev/null || ! grep -q '^flags: .*F' "$entry"; then
    fail "QEMU's arm64 handler is not registered with binfmt_misc with the F flag ($entry)" "$log"
  fi
  TIMES[emulation]="$(elapsed "$start")"
}

# ---------------------------------------------------------------------------------------------------------------------
# Network: bridge, forwarding, iptables bookkeeping

ensure_bridge() {
  local other
  # The subnet must not already be routed through some other interface.
  other="$(ip -4 route show to match "$BRIDGE_GATEWAY" 2>/dev/null | awk -v br="$BRIDGE" '$1 != "default" && !/ dev lo / { for (i = 1; i < NF; i++) if ($i == "dev" && $(i + 1) != br) print $(i + 1) }' | head -n1)"
  [[ -z "$other" ]] || fail "the bridge subnet $BRIDGE_SUBNET is already routed via '$other'; pick another with KILN_ENV_BRIDGE_GATEWAY=10.x.y.1"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge || fail "could not create the bridge $BRIDGE (ip link add)"
  fi
  if ! ip -4 -o addr show dev "$BRIDGE" | grep -qF " $BRIDGE_GATEWAY/24 "; then
    ip addr flush dev "$BRIDGE"
    ip addr add "$BRIDGE_GATEWAY/24" dev "$BRIDGE" || fail "could not assign $BRIDGE_GATEWAY/24 to $BRIDGE"
  fi
  ip link set "$BRIDGE" mtu "$BRIDGE_MTU" up
  # dockerd turns forwarding on itself when it is off, and then also sets the FORWARD policy to DROP for the whole host.
  # Turning it on first avoids that; down.sh restores the old value once no instance is left.
  if [[ "$(sysctl -n net.ipv4.ip_forward)" != 1 ]]; then
    [[ -f "$ENV_ROOT/.ip_forward.before" ]] || echo 0 >"$ENV_ROOT/.ip_forward.before"
    sysctl -qw net.ipv4.ip_forward=1
  fi
  # Remember whether Docker's iptables chains existed before any kiln dockerd, so down.sh only removes its own.
  if [[ ! -f "$ENV_ROOT/.iptables-chains.before" ]]; then
    if iptables -t filter -n -L DOCKER >/dev/null 2>&1; then echo present; else echo absent; fi >"$ENV_ROOT/.iptables-chains.before"
  fi
}

# ---------------------------------------------------------------------------------------------------------------------
# Registries (shared by every instance under ENV_ROOT)

# ensure_registry <name> <addr> <expected /v2/ status>
ensure_registry() {
  local name="$1" addr="$2" expect="$3" dir pid log config owner i
  dir="$REGISTRIES/$name"
  config="$dir/config.yml"
  log="$dir/registry.log"
  mkdir -p "$dir/data"
  write_registry_config "$name" "$addr" >"$config.new"
  pid="$(pid_from "$dir/registry.pid")"
  if pid_matches "$pid" "$config"; then
    if cmp -s "$config" "$config.new" && [[ "$(http_status "http://$addr/v2/")" == "$expect" ]]; then
      rm -f "$config.new"
      return 0
    fi
    say "restarting the $name registry (configuration changed or not answering)"
    stop_pid "$pid" "$name registry" 10
  fi
  mv "$config.new" "$config"
  owner="$(port_owner "${addr##*:}")"
  [[ -z "$owner" ]] || fail "$addr is already in use by another process ($owner); stop it, it is not part of this environment"
  : >>"$log"
  printf '\n==== %s starting registry\n' "$(date -Is)" >>"$log"
  setsid docker-registry serve "$config" >>"$log" 2>&1 </dev/null 8>&- 9>&- &
  echo "$!" >"$dir/registry.pid"
  for ((i = 0; i < 100; i++)); do
    [[ "$(http_status "http://$addr/v2/")" == "$expect" ]] && return 0
    pid_matches "$!" "$config" || fail "the $name registry exited during start-up" "$log"
    sleep 0.1
  done
  fail "the $name registry did not answer on http://$addr/v2/ within 10s" "$log"
}

write_registry_config() {
  local name="$1" addr="$2" dir="$REGISTRIES/$1"
  cat <<EOF
# kiln test environment: $name registry (written by scripts/env/up.sh)
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $addr
  secret: kiln-test-environment-$name
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if [[ "$name" == auth ]]; then
    cat <<EOF
auth:
  htpasswd:
    realm: kiln-test
    path: $dir/htpasswd
EOF
  fi
}

ensure_htpasswd() {
  local file="$REGISTRIES/auth/htpasswd"
  mkdir -p "$REGISTRIES/auth"
  if [[ -s "$file" ]] && htpasswd -vb "$file" "$AUTH_REGISTRY_USER" "$AUTH_REGISTRY_PASSWORD" >/dev/null 2>&1; then
    return 0
  fi
  htpasswd -Bbc "$file" "$AUTH_REGISTRY_USER" "$AUTH_REGISTRY_PASSWORD" >/dev/null 2>&1 ||
    fail "could not write the auth registry's htpasswd file $file (htpasswd -B from apache2-utils)"
}

ensure_registries() {
  local start
  start="$(now)"
  ensure_htpasswd
  ensure_registry mirror "$REGISTRY_ADDR" 200
  ensure_registry auth "$AUTH_REGISTRY_ADDR" 401
  TIMES[registries]="$(elapsed "$start")"
}

# The mirror registry keeps its data between runs; it only needs a push when the image recipes changed.
ensure_pushed() {
  local record="$REGISTRIES/mirror/base-images" start
  start="$(now)"
  if [[ -s "$record" && "$(head -n1 "$record")" == "# key $(layout_key_cached)" ]] && mirror_has_base_images "$record"; then
    TIMES[push]="$(elapsed "$start") (already in the registry)"
    return 0
  fi
  push_base_images "$record"
  TIMES[push]="$(elapsed "$start")"
}

# mirror_has_base_images <record>: every recorded name still resolves to its recorded digest.
mirror_has_base_images() {
  local name digest repo tag got
  while read -r name digest; do
    [[ "$name" == "#" ]] && continue
    repo="${name%:*}"
    tag="${name##*:}"
    got="$(curl -s -m 3 -o /dev/null -w '%header{docker-content-digest}' -I \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$REGISTRY_ADDR/v2/$repo/manifests/$tag" 2>/dev/null || true)"
    [[ "$got" == "$digest" ]] || return 1
  done <"$1"
}

# ---------------------------------------------------------------------------------------------------------------------
# Engine (KILN_ENV_ENGINE, see lib.sh)

# The trixie packages the modern engine is unpacked from; runc stays bookworm's (trixie's needs a newer glibc).
MODERN_ENGINE_PACKAGES=(docker.io containerd)
MODERN_ENGINE_BINARIES=(usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/ctr)

ensure_engine() {
  local start tmp apt_opts deb bin
  start="$(now)"
  # A data root belongs to the engine that made it: dockerd 26 upgrades 20.10's in place, never back.
  if [[ -f "$STATE/engine" && "$(cat "$STATE/engine")" != "$KILN_ENV_ENGINE" ]]; then
    fail "instance '$KILN_ENV_INSTANCE' was set up with KILN_ENV_ENGINE=$(cat "$STATE/engine"); use another KILN_ENV_INSTANCE for $KILN_ENV_ENGINE, or remove this one with scripts/env/down.sh --purge"
  fi
  if [[ "$KILN_ENV_ENGINE" == debian ]]; then
    TIMES[engine]="$(elapsed "$start") (bookworm's docker.io)"
    echo debian >"$STATE/engine"
    return 0
  fi
  if [[ -f "$ENGINE_ROOT/.complete" ]]; then
    TIMES[engine]="$(elapsed "$start") (cached in $ENGINE_ROOT)"
  else
    say "downloading dockerd 26 and containerd 1.7 from Debian trixie (unpacked into $ENGINE_ROOT, not installed)"
    tmp="$(mktemp -d)"
    mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR trixie main" >"$tmp/sources.list"
    apt_opts=(-o "Dir::Etc::sourcelist=$tmp/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::lists=$tmp/lists"
      -o "Dir::Cache::archives=$tmp/archives" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
    apt-get "${apt_opts[@]}" update >>"$LOGS/apt.log" 2>&1 || fail "could not read Debian trixie's package lists from $DEBIAN_MIRROR" "$LOGS/apt.log"
    (cd "$tmp" && apt-get "${apt_opts[@]}" download "${MODERN_ENGINE_PACKAGES[@]}") >>"$LOGS/apt.log" 2>&1 ||
      fail "could not download ${MODERN_ENGINE_PACKAGES[*]} from Debian trixie" "$LOGS/apt.log"
    rm -rf "$ENGINE_ROOT.partial"
    mkdir -p "$ENGINE_ROOT.partial/root" "$ENGINE_ROOT.partial/bin"
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$ENGINE_ROOT.partial/root"; done
    for bin in "${MODERN_ENGINE_BINARIES[@]}"; do
      [[ -x "$ENGINE_ROOT.partial/root/$bin" ]] || fail "the trixie packages have no $bin"
      ln -s "../root/$bin" "$ENGINE_ROOT.partial/bin/${bin##*/}"
    done
    rm -rf "$tmp" "$ENGINE_ROOT"
    touch "$ENGINE_ROOT.partial/.complete"
    mv "$ENGINE_ROOT.partial" "$ENGINE_ROOT"
    TIMES[engine]="$(elapsed "$start") (downloaded into $ENGINE_ROOT)"
  fi
  "$ENGINE_ROOT/bin/dockerd" --version >/dev/null 2>&1 || fail "$ENGINE_ROOT/bin/dockerd does not run on this system"
  # dockerd starts the containerd it finds on PATH, and containerd the shim.
  export PATH="$ENGINE_ROOT/bin:$PATH"
  echo "$KILN_ENV_ENGINE" >"$STATE/engine"
  TIMES[engine]+=": $("$ENGINE_ROOT/bin/dockerd" --version)"
}

# ---------------------------------------------------------------------------------------------------------------------
# dockerd

write_daemon_json() {
  local driver="$1"
  # With the containerd image store the storage driver names a containerd snapshotter.
  if [[ "$KILN_ENV_ENGINE" == modern ]]; then
    case "$driver" in overlay2) driver=overlayfs ;; vfs) driver=native ;; esac
  fi
  cat <<EOF
{
  "data-root": $(json_str "$DOCKER_DATA"),
  "exec-root": $(json_str "$DOCKER_EXEC"),
  "pidfile": $(json_str "$DOCKER_PIDFILE"),
  "hosts": [$(json_str "unix://$DOCKER_SOCK")],
  "storage-driver": $(json_str "$driver"),
  "bridge": $(json_str "$BRIDGE"),
  "mtu": $BRIDGE_MTU,
  "iptables": true,
  "ip-masq": true,
  "ip-forward": true,
  "registry-mirrors": ["http://$REGISTRY_ADDR"],
  "insecure-registries": ["$REGISTRY_ADDR", "$AUTH_REGISTRY_ADDR"],
  "features": { "buildkit": true$([[ "$KILN_ENV_ENGINE" == modern ]] && printf ', "containerd-snapshotter": true') },
  "log-level": "info"
}
EOF
}

# start_dockerd <storage driver>: starts dockerd and waits for /_ping; returns 1 when it exits or never answers.
start_dockerd() {
  local driver="$1" log="$LOGS/dockerd.log" pid i
  write_daemon_json "$driver" >"$DOCKER_CONFIG_FILE"
  rm -f "$DOCKER_SOCK"
  printf '\n==== %s starting dockerd (storage driver %s)\n' "$(date -Is)" "$driver" >>"$log"
  setsid dockerd --config-file "$DOCKER_CONFIG_FILE" >>"$log" 2>&1 </dev/null 8>&- 9>&- &
  pid="$!"
  for ((i = 0; i < 600; i++)); do
    docker_ping && return 0
    pid_matches "$pid" "$DOCKER_CONFIG_FILE" || return 1
    sleep 0.1
  done
  stop_pid "$pid" dockerd 20
  return 1
}

stop_dockerd() {
  local pid
  pid="$(pid_from "$DOCKER_PIDFILE")"
  if pid_matches "$pid" "$DOCKER_CONFIG_FILE"; then stop_pid "$pid" dockerd 30; fi
}

# clear_dead_dockerd: what a dockerd that was killed (SIGKILL, OOM, a crash) leaves behind and a new one trips over:
# its pid file ("pid file found, ensure docker is not running", also when the pid now belongs to another process) and
# its containerd, still running or shutting down ("timeout waiting for containerd").
clear_dead_dockerd() {
  local pid
  rm -f "$DOCKER_PIDFILE"
  for pid in $(pgrep -f -- "containerd --config $DOCKER_EXEC/containerd/containerd.toml" || true); do
    say "stopping the containerd a dead dockerd left running (pid $pid)"
    stop_pid "$pid" containerd 15
  done
}

ensure_dockerd() {
  local start pid driver=overlay2 log="$LOGS/dockerd.log" wanted
  start="$(now)"
  mkdir -p "$DOCKER_DATA" "$DOCKER_EXEC"
  (($(printf '%s' "$DOCKER_EXEC/containerd/containerd.sock.ttrpc" | wc -c) < 108)) ||
    fail "KILN_ENV_DIR=$ENV_ROOT is too long: containerd's socket path under it would exceed the 107-byte unix socket limit"
  # A data root that already fell back to vfs keeps vfs (overlay2 has been shown not to work here).
  if [[ -f "$STATE/storage-driver" ]]; then driver="$(cat "$STATE/storage-driver")"; fi
  pid="$(pid_from "$DOCKER_PIDFILE")"
  if pid_matches "$pid" "$DOCKER_CONFIG_FILE"; then
    wanted="$(write_daemon_json "$driver")"
    if [[ "$wanted" == "$(cat "$DOCKER_CONFIG_FILE")" ]] && docker_ping; then
      TIMES[dockerd]="$(elapsed "$start") (already running, pid $pid)"
      return 0
    fi
    say "restarting dockerd (configuration changed or not answering)"
    stop_pid "$pid" dockerd 30
  fi
  clear_dead_dockerd
  if ! start_dockerd "$driver"; then
    if [[ "$driver" == overlay2 ]] && grep -qF 'error initializing graphdriver' <(tail -n 60 "$log"); then
      warn "dockerd did not start with the overlay2 storage driver; falling back to vfs (slow, copies every layer)."
      warn "the overlay2 failure is in $log"
      driver=vfs
      start_dockerd vfs || fail "dockerd did not start, with overlay2 nor with vfs" "$log"
      echo vfs >"$STATE/storage-driver"
    elif ! ip link show "$BRIDGE" >/dev/null 2>&1 || grep -qF "name $BRIDGE must be created manually" <(tail -n 60 "$log"); then
      # Seen once in CI: dockerd found no $BRIDGE although ensure_bridge had just made it (something removed it in
      # between). dockerd cannot create a bridge with a non-default name itself, so make it again and retry once.
      warn "dockerd found no bridge $BRIDGE (removed after it was made); recreating it and retrying"
      ensure_bridge
      start_dockerd "$driver" || fail "dockerd did not start or did not answer GET /_ping on $DOCKER_SOCK (after recreating $BRIDGE)" "$log"
    elif [[ -f "$DOCKER_DATA/buildkit/history.db" ]] && [[ "$(tail -n 1 "$log")" == "context deadline exceeded" ]]; then
      # Seen twice in a row on the modern engine after a day of test runs: dockerd 26.1 completed its initialization,
      # then exited 10 s later with "context deadline exceeded" before serving its API, with a 41 MB BuildKit build
      # history database; it started at once with that database moved aside. It holds only the records of past
      # builds (BuildKit's build history), not the build cache.
      warn "dockerd exited with 'context deadline exceeded' while starting; moving its BuildKit build history aside and retrying"
      mv -f "$DOCKER_DATA/buildkit/history.db" "$DOCKER_DATA/buildkit/history.db.$(date +%s).old"
      start_dockerd "$driver" || fail "dockerd did not start or did not answer GET /_ping on $DOCKER_SOCK (after moving its build history aside)" "$log"
    else
      fail "dockerd did not start or did not answer GET /_ping on $DOCKER_SOCK" "$log"
    fi
  fi
  TIMES[dockerd]="$(elapsed "$start") (started, pid $(pid_from "$DOCKER_PIDFILE"))"
  trim_store
}

# A dockerd flushes Docker's shared chains (DOCKER, DOCKER-ISOLATION-STAGE-*) when it starts, dropping the per-bridge
# rules other running instances put there. Put those back, as each of them would on its own restart.
repair_peer_rules() {
  local peer bridge
  while read -r peer; do
    [[ -n "$peer" && "$peer" != "$KILN_ENV_INSTANCE" ]] || continue
    bridge="$(sed -n 's/^ *"bridge": "\([^"]*\)".*/\1/p' "$ENV_ROOT/$peer/daemon.json")"
    [[ -n "$bridge" ]] || continue
    iptables -t nat -C DOCKER -i "$bridge" -j RETURN 2>/dev/null ||
      iptables -t nat -I DOCKER -i "$bridge" -j RETURN
    iptables -C DOCKER-ISOLATION-STAGE-1 -i "$bridge" ! -o "$bridge" -j DOCKER-ISOLATION-STAGE-2 2>/dev/null ||
      iptables -I DOCKER-ISOLATION-STAGE-1 -i "$bridge" ! -o "$bridge" -j DOCKER-ISOLATION-STAGE-2
    iptables -C DOCKER-ISOLATION-STAGE-2 -o "$bridge" -j DROP 2>/dev/null ||
      iptables -I DOCKER-ISOLATION-STAGE-2 -o "$bridge" -j DROP
  done < <(live_instances)
}

# When the base images were rebuilt, copies of the old ones in dockerd's image store would shadow the new ones
# (dockerd's BuildKit uses a local image before asking the registry), so they are removed.
forget_stale_base_images() {
  local key entry name
  key="$(layout_key_cached)"
  [[ "$(cat "$STATE/base-images.key" 2>/dev/null)" == "$key" ]] && return 0
  for entry in "${BASE_IMAGES[@]}"; do
    name="${entry#* }"
    curl -s -m 30 -o /dev/null --unix-socket "$DOCKER_SOCK" -X DELETE "http://docker/images/docker.io/$name?force=1" || true
  done
  echo "$key" >"$STATE/base-images.key"
}

# ---------------------------------------------------------------------------------------------------------------------
# The buildkitd stand-in: dockerd's BuildKit as a buildkitd listens (unix socket, TCP, TLS), see buildkitd-bridge.mjs

# ensure_bridge_tls: a CA, a server certificate for 127.0.0.1 / buildkitd.kiln.test and a client certificate.
ensure_bridge_tls() {
  local d="$BRIDGE_TLS_DIR" log="$LOGS/openssl.log"
  [[ -s "$d/client-key.pem" ]] && return 0
  command -v openssl >/dev/null || fail "openssl is needed for the buildkitd stand-in's TLS certificates"
  rm -rf "$d.partial"
  mkdir -p "$d.partial"
  (
    cd "$d.partial"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 3650 -subj "/CN=kiln test CA"
    openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj "/CN=$BRIDGE_TLS_NAME"
    printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$BRIDGE_TLS_NAME" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server.pem -days 3650 -extfile server.ext
    openssl req -newkey rsa:2048 -nodes -keyout client-key.pem -out client.csr -subj "/CN=kiln test client"
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out client.pem -days 3650 -extfile client.ext
    rm -f ./*.csr ./*.ext ca.srl
  ) >>"$log" 2>&1 || fail "could not make the buildkitd stand-in's TLS certificates" "$log"
  rm -rf "$d"
  mv "$d.partial" "$d"
}

ensure_bridge_daemon() {
  local start pid i log="$LOGS/buildkitd-bridge.log"
  start="$(now)"
  ensure_bridge_tls
  pid="$(pid_from "$BRIDGE_PIDFILE")"
  if pid_matches "$pid" "tls:$BRIDGE_TLS_ADDR:$BRIDGE_TLS_DIR" && [[ -S "$BRIDGE_SOCK" ]]; then
    TIMES[bridge]="$(elapsed "$start") (already running, pid $pid)"
    return 0
  fi
  # One started with other listeners (an older checkout) goes first.
  if pid_matches "$pid" "$BRIDGE_SOCK"; then stop_pid "$pid" "buildkitd stand-in" 10; fi
  command -v node >/dev/null || fail "node is needed for the buildkitd stand-in (scripts/env/buildkitd-bridge.mjs)"
  setsid node "$ENV_SCRIPTS/buildkitd-bridge.mjs" "$DOCKER_SOCK" "unix:$BRIDGE_SOCK" "tcp:$BRIDGE_TCP_ADDR" \
    "tls:$BRIDGE_TLS_ADDR:$BRIDGE_TLS_DIR" >>"$log" 2>&1 </dev/null 8>&- 9>&- &
  echo "$!" >"$BRIDGE_PIDFILE"
  for ((i = 0; i < 100; i++)); do
    [[ -S "$BRIDGE_SOCK" ]] && (: <"/dev/tcp/${BRIDGE_TLS_ADDR%:*}/${BRIDGE_TLS_ADDR##*:}") 2>/dev/null && break
    sleep 0.05
  done
  [[ -S "$BRIDGE_SOCK" ]] || fail "the buildkitd stand-in did not start" "$log"
  TIMES[bridge]="$(elapsed "$start") (started, pid $(pid_from "$BRIDGE_PIDFILE"))"
}

# ---------------------------------------------------------------------------------------------------------------------
# Description of the environment

# The stand-in's addresses for env.json.
bridge_json() {
  printf '\n  "buildkitdStandIn": %s,' "$(json_str "unix://$BRIDGE_SOCK")"
  printf '\n  "buildkitdStandInTcp": %s,' "$(json_str "tcp://$BRIDGE_TCP_ADDR")"
  printf '\n  "buildkitdStandInTls": { "address": %s, "caCert": %s, "cert": %s, "key": %s, "serverName": %s },' \
    "$(json_str "tcp://$BRIDGE_TLS_ADDR")" "$(json_str "$BRIDGE_TLS_DIR/ca.pem")" "$(json_str "$BRIDGE_TLS_DIR/client.pem")" \
    "$(json_str "$BRIDGE_TLS_DIR/client-key.pem")" "$(json_str "$BRIDGE_TLS_NAME")"
}

write_env_files() {
  local record="$REGISTRIES/mirror/base-images" name digest first=1 driver images=""
  driver="$(curl -s -m 5 --unix-socket "$DOCKER_SOCK" http://docker/info | sed -n 's/.*"Driver":"\([^"]*\)".*/\1/p')"
  while read -r name digest; do
    [[ "$name" == "#" ]] && continue
    ((first)) || images+=","
    first=0
    images+=$'\n    { '"\"name\": $(json_str "${name#library/}"), \"reference\": $(json_str "docker.io/$name"), "
    images+="\"mirrorReference\": $(json_str "$REGISTRY_ADDR/$name"), \"digest\": $(json_str "$digest") }"
  done <"$record"
  cat >"$STATE/env.json.tmp" <<EOF
{
  "version": 1,
  "instance": $(json_str "$KILN_ENV_INSTANCE"),
  "engine": $(json_str "$KILN_ENV_ENGINE"),
  "stateDir": $(json_str "$STATE"),
  "cacheDir": $(json_str "$CACHE"),
  "dockerSocket": $(json_str "$DOCKER_SOCK"),
  "dockerHost": $(json_str "unix://$DOCKER_SOCK"),
  "dockerCli": $(json_str "$DOCKER_CLI"),
  "dockerDataRoot": $(json_str "$DOCKER_DATA"),
  "storageDriver": $(json_str "$driver"),
  "buildkitHost": $(json_str "docker://unix://$DOCKER_SOCK"),$(bridge_json)
  "bridge": { "name": $(json_str "$BRIDGE"), "subnet": $(json_str "$BRIDGE_SUBNET"), "gateway": $(json_str "$BRIDGE_GATEWAY"), "mtu": $BRIDGE_MTU },
  "registry": { "address": $(json_str "$REGISTRY_ADDR"), "url": $(json_str "http://$REGISTRY_ADDR") },
  "authRegistry": {
    "address": $(json_str "$AUTH_REGISTRY_ADDR"),
    "url": $(json_str "http://$AUTH_REGISTRY_ADDR"),
    "username": $(json_str "$AUTH_REGISTRY_USER"),
    "password": $(json_str "$AUTH_REGISTRY_PASSWORD")
  },
  "baseImages": [$images
  ],
  "recipe": $(json_str "$(layout_key_cached)"),
  "logs": {
    "dockerd": $(json_str "$LOGS/dockerd.log"),
    "registry": $(json_str "$REGISTRIES/mirror/registry.log"),
    "authRegistry": $(json_str "$REGISTRIES/auth/registry.log")
  }
}
EOF
  mv "$STATE/env.json.tmp" "$STATE/env.json"
  cat >"$STATE/env.sh" <<EOF
# kiln test environment '$KILN_ENV_INSTANCE' (written by scripts/env/up.sh). Source it: . $STATE/env.sh
export KILN_TEST_ENV=$STATE/env.json
export KILN_ENV_INSTANCE=$KILN_ENV_INSTANCE
export KILN_DOCKER_HOST=unix://$DOCKER_SOCK
export KILN_BUILDKIT_HOST=docker://unix://$DOCKER_SOCK
export KILN_REGISTRY=$REGISTRY_ADDR
export KILN_AUTH_REGISTRY=$AUTH_REGISTRY_ADDR
export KILN_AUTH_REGISTRY_USER=$AUTH_REGISTRY_USER
export KILN_AUTH_REGISTRY_PASSWORD=$AUTH_REGISTRY_PASSWORD
# So that '$DOCKER_CLI ...' talks to this environment's dockerd:
export DOCKER_HOST=unix://$DOCKER_SOCK
EOF
  STORAGE_DRIVER="$driver"
}

# ---------------------------------------------------------------------------------------------------------------------

main() {
  local start
  require_root
  take_lock
  mkdir -p "$STATE" "$LOGS" "$REGISTRIES" "$CACHE"
  say "starting (state $STATE, cache $CACHE)"

  ensure_packages
  ensure_emulation
  init_image_keys

  start="$(now)"
  if [[ -f "$(layout_dir)/.complete" ]]; then
    TIMES[images]="$(elapsed "$start") (cached, recipe $(layout_key_cached))"
  else
    ensure_layout
    TIMES[images]="$(elapsed "$start") (built, recipe $(layout_key_cached))"
  fi

  ensure_bridge
  ensure_registries
  ensure_pushed
  ensure_engine
  ensure_dockerd
  ensure_bridge_daemon
  repair_peer_rules
  forget_stale_base_images
  write_env_files

  cat <<EOF
kiln env [$KILN_ENV_INSTANCE] ready in $(elapsed "$T0")
  packages     ${TIMES[packages]}
  emulation    ${TIMES[emulation]}: QEMU for linux/arm64 (binfmt_misc)
  engine       ${TIMES[engine]}
  base images  ${TIMES[images]}
  registries   ${TIMES[registries]}: $REGISTRY_ADDR (docker.io mirror), $AUTH_REGISTRY_ADDR (auth $AUTH_REGISTRY_USER:$AUTH_REGISTRY_PASSWORD)
  push         ${TIMES[push]}
  dockerd      ${TIMES[dockerd]}: unix://$DOCKER_SOCK, storage $STORAGE_DRIVER, bridge $BRIDGE $BRIDGE_GATEWAY/24 mtu $BRIDGE_MTU
  buildkit     docker://unix://$DOCKER_SOCK$(printf '; as a buildkitd: unix://%s, tcp://%s, TLS tcp://%s (stand-in %s)' "$BRIDGE_SOCK" "$BRIDGE_TCP_ADDR" "$BRIDGE_TLS_ADDR" "${TIMES[bridge]}")
  images       $(for e in "${BASE_IMAGES[@]}"; do n="${e#* }"; printf '%s ' "${n#library/}"; done)
  description  $STATE/env.json (shell: . $STATE/env.sh)
EOF
}

main "$@"
