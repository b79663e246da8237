#!/usr/bin/env bash
# `npm test`: sets up the test environment from nothing (scripts/env/up.sh), runs every vitest project against it,
# then stops what it started. Exits with vitest's exit code.
#
#   npm test                                  everything
#   npm test -- --project integration         extra arguments go to `vitest run`
#   KILN_KEEP_ENV=1 npm test                  leave the environment running afterwards (stop it with npm run env:down)
#   BUILDKIT_HOST=tcp://host:1234 npm test    integration tests build on that daemon; the local environment still
#                                             provides the registries and dockerd for `docker run` checks
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

instance="${KILN_ENV_INSTANCE:-kiln}"
state="${KILN_ENV_DIR:-/tmp/kiln-env}/$instance"
lease="$$"

# shellcheck disable=SC2317 # reached through the EXIT trap
teardown() {
  local status=$?
  trap - EXIT INT TERM
  if [[ "${KILN_KEEP_ENV:-}" == 1 ]]; then
    rm -f "$state/leases/$lease" "$state_b/leases/$lease"
    echo "kiln test: KILN_KEEP_ENV=1, leaving the environment running (stop it with: npm run env:down)"
  else
    KILN_ENV_INSTANCE="$runner_b" bash scripts/env/down.sh --lease "$lease" || echo "kiln test: WARNING: scripts/env/down.sh ($runner_b) failed" >&2
    bash scripts/env/down.sh --lease "$lease" || echo "kiln test: WARNING: scripts/env/down.sh failed" >&2
  fi
  exit "$status"
}

# A second, independent daemon: the "other CI runner" of the shared-cache tests (test/integration/cache-*.test.ts).
runner_b="${KILN_ENV_RUNNER_B:-b}"
state_b="${KILN_ENV_DIR:-/tmp/kiln-env}/$runner_b"

# A lease tells a concurrent `npm test` on the same environment not to stop it underneath us.
mkdir -p "$state/leases" "$state_b/leases"
: >"$state/leases/$lease"
: >"$state_b/leases/$lease"
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/env/up.sh
KILN_ENV_INSTANCE="$runner_b" bash scripts/env/up.sh

export KILN_TEST_ENV="$state/env.json"
export KILN_TEST_ENV_B="$state_b/env.json"
if [[ -n "${BUILDKIT_HOST:-}" ]]; then
  echo "kiln test: integration tests build on BUILDKIT_HOST=$BUILDKIT_HOST"
fi

status=0
npx vitest run "$@" </dev/null || status=$?
exit "$status"
