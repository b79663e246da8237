#!/usr/bin/env bash
# `npm test`: sets up the test environment from nothing (scripts/env/up.sh), runs the tests against it, then stops
# what it started. Three passes, each on real daemons:
#   1. debian   every vitest project (unit + integration) on dockerd 20.10 (BuildKit v0.8, classic image store);
#   2. modern   the integration project on dockerd 26.1 (BuildKit v0.13, containerd image store), through docker://;
#   3. buildkitd  the integration project again on the same BuildKit v0.13 reached as a standalone buildkitd is
#                 (unix:// socket, plain gRPC: Control.Session, image/oci/docker exporters, registry/local cache,
#                 the cache tests' two runners being two such daemons).
# Exits non-zero when any pass failed (every pass runs).
#
#   npm test                                  all three passes
#   npm test -- --project integration         extra arguments go to `vitest run` in every pass
#   KILN_TEST_PASSES="debian" npm test        only some passes (debian, modern, buildkitd)
#   KILN_KEEP_ENV=1 npm test                  leave the environment running afterwards (stop it with npm run env:down)
#   BUILDKIT_HOST=tcp://host:1234 npm test    one pass: integration tests build on that daemon; the local environment
#                                             still provides the registries and dockerd for `docker run` checks
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

lease="$$"
env_root="${KILN_ENV_DIR:-/tmp/kiln-env}"
passes="${KILN_TEST_PASSES:-debian modern buildkitd}"
if [[ -n "${BUILDKIT_HOST:-}" ]]; then
  echo "kiln test: integration tests build on BUILDKIT_HOST=$BUILDKIT_HOST (one pass, on the debian environment)"
  passes=debian
fi

# instance name, engine; the second instance of each engine is the "other CI runner" of the shared-cache tests.
instances=()
add_instance() { instances+=("$1:$2"); }
for pass in $passes; do
  case "$pass" in
    debian)
      add_instance "${KILN_ENV_INSTANCE:-kiln}" debian
      add_instance "${KILN_ENV_RUNNER_B:-b}" debian
      ;;
    modern | buildkitd)
      add_instance modern modern
      add_instance modernb modern
      ;;
    *)
      echo "kiln test: unknown pass '$pass' in KILN_TEST_PASSES (use debian, modern, buildkitd)" >&2
      exit 2
      ;;
  esac
done
mapfile -t instances < <(printf '%s\n' "${instances[@]}" | awk '!seen[$0]++')

# shellcheck disable=SC2317 # reached through the EXIT trap
teardown() {
  local status=$? entry
  trap - EXIT INT TERM
  for entry in "${instances[@]}"; do
    if [[ "${KILN_KEEP_ENV:-}" == 1 ]]; then
      rm -f "$env_root/${entry%%:*}/leases/$lease"
    else
      KILN_ENV_INSTANCE="${entry%%:*}" KILN_ENV_ENGINE="${entry##*:}" bash scripts/env/down.sh --lease "$lease" ||
        echo "kiln test: WARNING: scripts/env/down.sh (${entry%%:*}) failed" >&2
    fi
  done
  [[ "${KILN_KEEP_ENV:-}" == 1 ]] && echo "kiln test: KILN_KEEP_ENV=1, leaving the environment running (stop it with: npm run env:down)"
  exit "$status"
}

# A lease tells a concurrent `npm test` on the same environment not to stop it underneath us.
for entry in "${instances[@]}"; do
  mkdir -p "$env_root/${entry%%:*}/leases"
  : >"$env_root/${entry%%:*}/leases/$lease"
done
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for entry in "${instances[@]}"; do
  KILN_ENV_INSTANCE="${entry%%:*}" KILN_ENV_ENGINE="${entry##*:}" bash scripts/env/up.sh
done

status=0
failed=()
run_pass() {
  local name="$1" code=0
  shift
  echo
  echo "kiln test: ==== pass '$name'"
  env "$@" npx vitest run "${vitest_args[@]}" </dev/null || code=$?
  if ((code != 0)); then
    failed+=("$name")
    status=$code
  fi
}

for pass in $passes; do
  vitest_args=("$@")
  case "$pass" in
    debian)
      run_pass debian KILN_TEST_ENV="$env_root/${KILN_ENV_INSTANCE:-kiln}/env.json" \
        KILN_TEST_ENV_B="$env_root/${KILN_ENV_RUNNER_B:-b}/env.json"
      ;;
    modern)
      (($# > 0)) || vitest_args=(--project integration)
      run_pass modern -u BUILDKIT_HOST KILN_TEST_ENV="$env_root/modern/env.json" KILN_TEST_ENV_B="$env_root/modernb/env.json"
      ;;
    buildkitd)
      (($# > 0)) || vitest_args=(--project integration)
      run_pass buildkitd BUILDKIT_HOST="unix://$env_root/modern/buildkitd.sock" \
        KILN_CACHE_RUNNER_A="unix://$env_root/modern/buildkitd.sock" KILN_CACHE_RUNNER_B="unix://$env_root/modernb/buildkitd.sock" \
        KILN_TEST_ENV="$env_root/modern/env.json" KILN_TEST_ENV_B="$env_root/modernb/env.json"
      ;;
  esac
done

echo
if ((${#failed[@]} > 0)); then
  echo "kiln test: FAILED in pass(es): ${failed[*]}"
else
  echo "kiln test: every pass passed ($passes)"
fi
exit "$status"
