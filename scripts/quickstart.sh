#!/usr/bin/env bash
# The README's first command: on a fresh machine, set up what is needed and run kiln's main job — build
# examples/cuda-python.ts on BuildKit and run the image. Idempotent; needs root (it may install Docker from Debian).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[[ -d node_modules/@grpc/grpc-js ]] || npm ci --no-audit --no-fund

# Use the daemon kiln finds (BUILDKIT_HOST, buildkitd's socket, or Docker); start the private one if none answers.
if ! ./bin/kiln.js info >/dev/null 2>&1; then
  echo "quickstart: no BuildKit daemon reachable; starting kiln's private dockerd (scripts/env/up.sh)"
  bash scripts/env/up.sh
  # shellcheck disable=SC1091
  . "${KILN_ENV_DIR:-/tmp/kiln-env}/kiln/env.sh"
  export BUILDKIT_HOST="$KILN_BUILDKIT_HOST" DOCKER_HOST="$KILN_DOCKER_HOST"
fi

cd examples
../bin/kiln.js build cuda-python.ts -t kiln-example/cuda-python:latest --load --progress plain
docker_cli=/usr/bin/docker
[[ -x "$docker_cli" ]] || docker_cli=docker
"$docker_cli" run --rm kiln-example/cuda-python:latest
