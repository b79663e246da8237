# shellcheck shell=bash
# Offline base images for the test environment: recipes, cache keys, OCI packing and the push to the local registry.
# Sourced by up.sh after lib.sh. Nothing here talks to an image registry other than the local one.
#
# Five root filesystems are built (each cached as a tar under $CACHE/rootfs, keyed on the text of its recipe):
#   busybox  the host's static busybox, its applet links, /etc/passwd (root, nobody), /tmp
#   busybox_arm64  the same tree with Debian's arm64 busybox-static (for multi-platform builds under QEMU emulation)
#   debian   debootstrap --variant=minbase bookworm, slimmed like the official -slim images (and dpkg's force-unsafe-io)
#   python   debian + python3, pip, venv, python-is-python3
#   cuda     debian + libcudart from non-free (a CUDA-runtime-flavoured stand-in; no GPU libraries beyond cudart)
# and packed (umoci) into one OCI layout, whose tags are then pushed (skopeo) under real Docker Hub names, so that
# dockerd's registry mirror (127.0.0.1:5000) makes `debian:bookworm-slim` & co resolve offline. `busybox:1.35` is an
# image index (linux/amd64 + linux/arm64), as the real one is.

# The root filesystem stages, parents before children.
IMAGE_STAGES=(busybox busybox_arm64 debian python cuda)

# Bump to force every stage to rebuild even when the recipe text is unchanged.
IMAGE_RECIPE_VERSION=1
DEBIAN_MIRROR="${KILN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The images served by the mirror: "<layout tag> <repository:tag>". Real Docker Hub names, without the docker.io/ prefix.
BASE_IMAGES=(
  "busybox library/busybox:latest"
  "busybox-multi library/busybox:1.35"
  "debian library/debian:bookworm-slim"
  "debian library/debian:bookworm"
  "debian library/debian:12-slim"
  "ubuntu library/ubuntu:22.04"
  "python library/python:3.11-slim"
  "python library/python:3.11-slim-bookworm"
  "cuda-runtime nvidia/cuda:11.8.0-runtime-ubuntu22.04"
  "cuda-cudnn nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04"
)

# ---------------------------------------------------------------------------------------------------------------------
# Root filesystem recipes. Each takes an empty directory, fills it, and may print KEY=VALUE facts on fd 3.

rootfs_busybox() {
  local root="$1" applet
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,tmp,var/tmp,proc,sys,dev}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 700 "$root/root"
  install -m 0755 /bin/busybox "$root/bin/busybox"
  # One symlink per applet at its usual place (/bin/sh, /usr/bin/env, /sbin/ip …).
  while read -r applet; do
    [[ -e "$root/$applet" || -L "$root/$applet" ]] || ln -s /bin/busybox "$root/$applet"
  done < <(/bin/busybox --list-full)
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/home:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
  printf '%s\n' 'root:*:19000:0:99999:7:::' 'nobody:*:19000:0:99999:7:::' >"$root/etc/shadow"
  chmod 640 "$root/etc/shadow"
  echo "BUSYBOX_VERSION=$(/bin/busybox | sed -n '1s/^BusyBox v\([^ ]*\).*/\1/p')" >&3
}

# The busybox tree with the arm64 build of the host's busybox-static, from the Debian mirror (checked against the
# archive's Packages index). Applet links follow the host's busybox, the same upstream version.
rootfs_busybox_arm64() {
  local root="$1" work entry file sum
  work="$(dirname "$root")/deb"
  mkdir -p "$work"
  curl -fsS -m 300 -o "$work/Packages.xz" "$DEBIAN_MIRROR/dists/bookworm/main/binary-arm64/Packages.xz"
  xz -d "$work/Packages.xz"
  entry="$(awk '/^Package: busybox-static$/ { f = 1 } f && /^$/ { exit } f' "$work/Packages")"
  file="$(sed -n 's/^Filename: //p' <<<"$entry")"
  sum="$(sed -n 's/^SHA256: //p' <<<"$entry")"
  [[ -n "$file" && -n "$sum" ]] || { echo "busybox-static is not in the arm64 Packages index of $DEBIAN_MIRROR" >&2; return 1; }
  curl -fsS -m 300 -o "$work/busybox.deb" "$DEBIAN_MIRROR/$file"
  echo "$sum  $work/busybox.deb" | sha256sum -c -
  dpkg-deb -x "$work/busybox.deb" "$work/x"
  rootfs_busybox "$root" 3>/dev/null
  install -m 0755 "$work/x/bin/busybox" "$root/bin/busybox"
  rm -rf "$work"
  echo "BUSYBOX_VERSION=$(sed -n 's/^Version: //p' <<<"$entry")" >&3
}

rootfs_debian() {
  local root="$1"
  debootstrap --variant=minbase --arch=amd64 bookworm "$root" "$DEBIAN_MIRROR"
  # The image's own apt sources, in the deb822 form the official images use.
  rm -f "$root/etc/apt/sources.list"
  mkdir -p "$root/etc/apt/sources.list.d"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${DEBIAN_MIRROR}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${DEBIAN_MIRROR}-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Later installs (in builds) stay slim too: dpkg skips docs/manuals/translations, apt drops its downloads.
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d"
  cat >"$root/etc/dpkg/dpkg.cfg.d/kiln-slim" <<'EOF'
# Slim image: documentation, manual pages and translations are not installed (copyright notices are kept).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  # As in Docker's official Debian images (debuerreotype's docker-apt-speedup): dpkg does not fsync every file it
  # unpacks. (Measured on this machine: within noise for a python3 install, ≈4 % in the median of 8 rounds.)
  echo 'force-unsafe-io' >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  cat >"$root/etc/apt/apt.conf.d/kiln-slim" <<'EOF'
// Slim image: downloaded packages and apt's binary caches are removed after every run.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
EOF
  slim_tree "$root"
  echo "DEBIAN_VERSION=$(cat "$root/etc/debian_version")" >&3
}

rootfs_python() {
  local root="$1"
  tar -xf "$(rootfs_tar debian)" -C "$root"
  chroot_apt_install "$root" python3 python3-pip python3-venv python-is-python3
  # Behave like the official python images, where `pip install` works without a venv (Debian marks its Python as
  # externally managed, PEP 668).
  rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
  slim_tree "$root"
  echo "PYTHON_VERSION=$(chroot "$root" python3 -c 'import platform; print(platform.python_version())')" >&3
}

rootfs_cuda() {
  local root="$1" lib
  tar -xf "$(rootfs_tar debian)" -C "$root"
  # non-free only inside this tree: that is where Debian ships NVIDIA's CUDA runtime library.
  sed -i 's/^Components: main$/Components: main non-free/' "$root/etc/apt/sources.list.d/debian.sources"
  chroot_apt_install "$root" libcudart11.0
  # The directory layout CUDA images have: /usr/local/cuda -> cuda-11.8 with lib64/ and bin/.
  mkdir -p "$root/usr/local/cuda-11.8/lib64" "$root/usr/local/cuda-11.8/bin" "$root/usr/local/nvidia"
  for lib in "$root"/usr/lib/x86_64-linux-gnu/libcudart.so*; do
    ln -s "/usr/lib/x86_64-linux-gnu/$(basename "$lib")" "$root/usr/local/cuda-11.8/lib64/$(basename "$lib")"
  done
  ln -s cuda-11.8 "$root/usr/local/cuda"
  slim_tree "$root"
  # shellcheck disable=SC2016 # ${Version} is dpkg-query's field syntax
  echo "CUDART_PACKAGE_VERSION=$(chroot "$root" dpkg-query -W -f='${Version}' libcudart11.0)" >&3
}

# slim_tree <root>: removes what the official -slim images leave out, and anything host-specific.
slim_tree() {
  local root="$1"
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete 2>/dev/null || true
  find "$root/usr/share/doc" -mindepth 1 -depth -type d -empty -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/{man,groff,info,lintian,linda,locale}/*
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
  find "$root/var/log" -type f -delete 2>/dev/null || true
  rm -rf "$root"/tmp/* "$root"/var/tmp/* "$root"/root/.bash_history
  # Docker bind-mounts its own resolv.conf/hostname/hosts; the tree must not carry the build host's.
  : >"$root/etc/resolv.conf"
  echo localhost >"$root/etc/hostname"
  chmod 0644 "$root/etc/resolv.conf" "$root/etc/hostname"
}

# chroot_apt_install <root> <package...>: apt-get install inside a tree, with the host's DNS, /dev and /proc.
chroot_apt_install() {
  local root="$1" status=0
  shift
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount --bind /dev "$root/dev"
  mount -t proc proc "$root/proc"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  {
    chroot "$root" apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends "$@"
  } || status=$?
  rm -f "$root/usr/sbin/policy-rc.d"
  unmount_under "$root"
  return "$status"
}

# unmount_under <dir>: unmounts everything mounted at or below a directory (deepest first).
unmount_under() {
  local dir="${1%/}" mnt
  while read -r mnt; do
    umount "$mnt" 2>/dev/null || umount -l "$mnt"
  done < <(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r)
}

# ---------------------------------------------------------------------------------------------------------------------
# Cache keys

# The recipe functions each stage depends on (their text is part of the key).
stage_functions() {
  case "$1" in
    busybox) echo rootfs_busybox ;;
    busybox_arm64) echo rootfs_busybox_arm64 rootfs_busybox ;;
    debian) echo rootfs_debian slim_tree ;;
    python) echo rootfs_python slim_tree chroot_apt_install ;;
    cuda) echo rootfs_cuda slim_tree chroot_apt_install ;;
    *) fail "unknown image stage '$1'" ;;
  esac
}

stage_parent() {
  case "$1" in
    python | cuda) echo debian ;;
  esac
}

# stage_key <stage>: a short hash of the stage's recipe text, its parent's key and the host inputs it copies.
stage_key() {
  local var="STAGE_KEY_$1"
  if [[ -z "${!var:-}" ]]; then
    printf -v "$var" '%s' "$(compute_stage_key "$1")"
    export "${var?}"
  fi
  echo "${!var}"
}

compute_stage_key() {
  local stage="$1" parent
  parent="$(stage_parent "$stage")"
  {
    echo "recipe $IMAGE_RECIPE_VERSION mirror $DEBIAN_MIRROR"
    # shellcheck disable=SC2046
    declare -f $(stage_functions "$stage")
    if [[ -n "$parent" ]]; then echo "parent $(stage_key "$parent")"; fi
    if [[ "$stage" == busybox* ]]; then sha256sum /bin/busybox; fi
  } | sha256sum | cut -c1-12
}

rootfs_tar() { echo "$CACHE/rootfs/$1-$(stage_key "$1").tar"; }

# The key of the packed OCI layout: every stage key plus the packing recipe and the name table.
layout_key() {
  {
    echo "recipe $IMAGE_RECIPE_VERSION"
    local stage
    for stage in "${IMAGE_STAGES[@]}"; do echo "$stage $(stage_key "$stage")"; done
    declare -f pack_layout image_config add_index
    printf '%s\n' "${BASE_IMAGES[@]}"
  } | sha256sum | cut -c1-12
}

# ---------------------------------------------------------------------------------------------------------------------
# Building

# ensure_rootfs <stage>: builds the stage's rootfs tar unless the cache already holds it. Prints nothing on a hit.
ensure_rootfs() {
  local stage="$1" tar work log start parent
  tar="$(rootfs_tar "$stage")"
  [[ -s "$tar" && -s "$tar.facts" ]] && return 0
  parent="$(stage_parent "$stage")"
  if [[ -n "$parent" ]]; then ensure_rootfs "$parent"; fi
  start="$(now)"
  log="$LOGS/image-$stage.log"
  : >"$log"
  work="$CACHE/work/$stage"
  unmount_under "$work"
  rm -rf "$work"
  mkdir -p "$work/root" "$CACHE/rootfs"
  say "building base rootfs '$stage' (log: $log)"
  if ! run_strict "$log" "rootfs_$stage" "$work/root" 3>"$work/facts"; then
    unmount_under "$work"
    fail "building the '$stage' base image root filesystem failed" "$log"
  fi
  unmount_under "$work"
  if awk -v d="$work" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    fail "something is still mounted under $work after building '$stage'" "$log"
  fi
  # Owners as numbers, names sorted, no device nodes or kernel filesystems.
  if ! run_logged "$log" tar --numeric-owner --sort=name -C "$work/root" \
    --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$tar.tmp" .; then
    fail "packing the '$stage' root filesystem into a tar failed" "$log"
  fi
  mv "$work/facts" "$tar.facts"
  mv "$tar.tmp" "$tar"
  rm -rf "$work"
  # Older recipes of this stage are of no further use.
  find "$CACHE/rootfs" -maxdepth 1 -name "$stage-*.tar*" ! -name "$(basename "$tar")*" -delete
  say "built base rootfs '$stage' in $(elapsed "$start") ($(du -m "$tar" | cut -f1) MB)"
}

# fact <stage> <KEY>: a value recorded by a stage's recipe (e.g. PYTHON_VERSION).
fact() { sed -n "s/^$2=//p" "$(rootfs_tar "$1").facts" | head -n1; }

# image_config <layout tag>: prints the umoci config arguments for an image, one per line.
image_config() {
  local tag="$1"
  local arch=amd64 stage=busybox
  if [[ "$tag" == busybox-arm64 ]]; then arch=arm64 stage=busybox_arm64; fi
  local common=("--architecture=$arch" --os=linux "--config.label=org.kiln.env.recipe=$(layout_key_cached)")
  case "$tag" in
    busybox | busybox-arm64)
      printf '%s\n' "${common[@]}" "--config.env=PATH=$DEFAULT_PATH" --config.cmd=sh \
        "--config.label=org.kiln.env.description=static busybox $(fact "$stage" BUSYBOX_VERSION) from Debian's busybox-static ($arch)"
      ;;
    debian)
      printf '%s\n' "${common[@]}" "--config.env=PATH=$DEFAULT_PATH" --config.cmd=bash \
        "--config.label=org.kiln.env.description=Debian $(fact debian DEBIAN_VERSION) (debootstrap minbase, slimmed); served as debian:bookworm-slim, :bookworm and :12-slim"
      ;;
    ubuntu)
      printf '%s\n' "${common[@]}" "--config.env=PATH=$DEFAULT_PATH" --config.cmd=/bin/bash \
        "--config.label=org.kiln.env.stand-in=ubuntu:22.04 is a stand-in: the Debian $(fact debian DEBIAN_VERSION) slim tree, not Ubuntu"
      ;;
    python)
      printf '%s\n' "${common[@]}" "--config.env=PATH=/usr/local/bin:$DEFAULT_PATH" --config.env=LANG=C.UTF-8 \
        "--config.env=PYTHON_VERSION=$(fact python PYTHON_VERSION)" --config.cmd=python3 \
        "--config.label=org.kiln.env.stand-in=python:3.11-slim is a stand-in: Debian bookworm slim with Debian's python3 $(fact python PYTHON_VERSION), pip and venv (not the python.org build)"
      ;;
    cuda-runtime | cuda-cudnn)
      local what="nvidia/cuda:11.8.0-runtime-ubuntu22.04"
      [[ "$tag" == cuda-cudnn ]] && what="nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04"
      local extra
      extra="only libcudart $(fact cuda CUDART_PACKAGE_VERSION) from Debian non-free is installed"
      [[ "$tag" == cuda-cudnn ]] && extra="$extra; cuDNN is not installed"
      printf '%s\n' "${common[@]}" \
        "--config.env=PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:$DEFAULT_PATH" \
        --config.env=NVIDIA_VISIBLE_DEVICES=all \
        --config.env=NVIDIA_DRIVER_CAPABILITIES=compute,utility \
        --config.env=CUDA_VERSION=11.8.89 \
        '--config.env=NVIDIA_REQUIRE_CUDA=cuda>=11.8' \
        --config.env=LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64 \
        --config.cmd=bash \
        "--config.label=org.kiln.env.stand-in=$what is a CUDA-flavoured stand-in: Debian bookworm slim, not Ubuntu; $extra"
      ;;
    *) fail "no image config for layout tag '$tag'" ;;
  esac
}

layout_key_cached() {
  if [[ -z "${LAYOUT_KEY:-}" ]]; then
    LAYOUT_KEY="$(layout_key)"
    export LAYOUT_KEY
  fi
  echo "$LAYOUT_KEY"
}

# init_image_keys: computes every cache key once (children inherit them through the environment).
init_image_keys() {
  local stage
  for stage in "${IMAGE_STAGES[@]}"; do stage_key "$stage" >/dev/null; done
  layout_key_cached >/dev/null
}

# run_strict <log> <function> [args...]: runs one of these functions in a fresh bash with errexit in force (it would
# be silently ignored inside `if`/`||` in this shell), output appended to the log.
run_strict() {
  local log="$1"
  shift
  printf '\n$ %s\n' "$*" >>"$log"
  bash -Eeuo pipefail -c 'umask 022; source "$1/lib.sh"; source "$1/images.sh"; shift; "$@"' kiln-env "$ENV_SCRIPTS" "$@" \
    >>"$log" 2>&1 </dev/null
}

layout_dir() { echo "$CACHE/oci/$(layout_key_cached)"; }

# pack_layout <dir>: one OCI layout holding every base image, tagged by layout tag.
pack_layout() {
  local dir="$1" base tag stage
  local -a config
  umoci init --layout "$dir"
  for stage in "${IMAGE_STAGES[@]}"; do
    umoci new --image "$dir:rootfs-$stage"
    umoci raw add-layer --image "$dir:rootfs-$stage" \
      --history.created_by="kiln env: base rootfs '$stage' (recipe $(stage_key "$stage"))" "$(rootfs_tar "$stage")"
  done
  for tag in busybox busybox-arm64 debian ubuntu python cuda-runtime cuda-cudnn; do
    case "$tag" in
      busybox-arm64) base=busybox_arm64 ;;
      ubuntu) base=debian ;;
      cuda-*) base=cuda ;;
      *) base="$tag" ;;
    esac
    mapfile -t config < <(image_config "$tag")
    umoci config --image "$dir:rootfs-$base" --tag "$tag" --no-history "${config[@]}"
  done
  for stage in "${IMAGE_STAGES[@]}"; do umoci remove --image "$dir:rootfs-$stage"; done
  add_index "$dir" busybox-multi busybox busybox-arm64
  umoci gc --layout "$dir"
}

# add_index <layout> <new tag> <tag>...: tags an image index of the tagged images, each with its config's platform.
add_index() {
  node --input-type=module - "$@" <<'JS'
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [dir, name, ...tags] = process.argv.slice(2);
const blob = (d) => join(dir, 'blobs', ...d.split(':'));
const layout = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
const REF = 'org.opencontainers.image.ref.name';
const manifests = tags.map((tag) => {
  const desc = layout.manifests.find((m) => m.annotations?.[REF] === tag);
  if (desc === undefined) throw new Error(`no image tagged ${tag} in ${dir}`);
  const config = JSON.parse(readFileSync(blob(JSON.parse(readFileSync(blob(desc.digest), 'utf8')).config.digest), 'utf8'));
  return { mediaType: desc.mediaType, digest: desc.digest, size: desc.size, platform: { architecture: config.architecture, os: config.os } };
});
const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
writeFileSync(blob(digest), bytes);
layout.manifests.push({ mediaType: 'application/vnd.oci.image.index.v1+json', digest, size: bytes.length, annotations: { [REF]: name } });
writeFileSync(join(dir, 'index.json'), JSON.stringify(layout));
JS
}

# ensure_layout: builds whatever rootfs is missing and packs the OCI layout, unless the cache has it.
ensure_layout() {
  local dir log start stage
  dir="$(layout_dir)"
  [[ -f "$dir/.complete" ]] && return 0
  mkdir -p "$CACHE/oci" "$LOGS"
  # Serialise builders sharing one cache dir (several KILN_ENV_DIRs may point at the same cache).
  exec 8>"$CACHE/.build.lock"
  flock -w 3600 8 || fail "timed out waiting for $CACHE/.build.lock"
  if [[ -f "$dir/.complete" ]]; then
    exec 8>&-
    return 0
  fi
  for stage in "${IMAGE_STAGES[@]}"; do ensure_rootfs "$stage"; done
  start="$(now)"
  log="$LOGS/image-pack.log"
  : >"$log"
  rm -rf "$dir"
  if ! run_strict "$log" pack_layout "$dir"; then
    fail "packing the base images into an OCI layout with umoci failed" "$log"
  fi
  touch "$dir/.complete"
  find "$CACHE/oci" -mindepth 1 -maxdepth 1 -type d ! -name "$(basename "$dir")" -exec rm -rf {} +
  say "packed base images in $(elapsed "$start")"
  exec 8>&-
}

# push_base_images <state file>: copies every named image into the mirror registry, recording name and digest.
push_base_images() {
  local out="$1" log entry tag name digestfile start
  log="$LOGS/image-push.log"
  : >"$log"
  start="$(now)"
  digestfile="$(mktemp)"
  {
    echo "# key $(layout_key_cached)"
    for entry in "${BASE_IMAGES[@]}"; do
      tag="${entry%% *}"
      name="${entry#* }"
      if ! run_logged "$log" skopeo copy --all --insecure-policy --dest-tls-verify=false --format=v2s2 \
        --digestfile="$digestfile" "oci:$(layout_dir):$tag" "docker://$REGISTRY_ADDR/$name"; then
        rm -f "$digestfile"
        fail "pushing $name to the local registry $REGISTRY_ADDR failed" "$log"
      fi
      printf '%s %s\n' "$name" "$(cat "$digestfile")"
    done
  } >"$out.tmp"
  rm -f "$digestfile"
  mv "$out.tmp" "$out"
  say "pushed ${#BASE_IMAGES[@]} base image names to $REGISTRY_ADDR in $(elapsed "$start")"
}
