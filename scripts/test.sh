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
    rm -f "$state/leases/$lease"
    echo "kiln test: KILN_KEEP_ENV=1, leaving the environment running (stop it with: npm run env:down)"
  else
    bash scripts/env/down.sh --lease "$lease" || echo "kiln test: WARNING: scripts/env/down.sh failed" >&2
  fi
  exit "$status"
}

# A lease tells a concurrent `npm test` on the same environment not to stop it underneath us.
mkdir -p "$state/leases"
: >"$state/leases/$lease"
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/env/up.sh

export KILN_TEST_ENV="$state/env.json"
if [[ -n "${BUILDKIT_HOST:-}" ]]; then
  echo "kiln test: integration tests build on BUILDKIT_HOST=$BUILDKIT_HOST"
fi

status=0
npx vitest run "$@" </dev/null || status=$?
exit "$status"
