#!/usr/bin/env bash
# `npm test`: sets up the test environment from nothing (scripts/env/up.sh), runs the tests against it, then stops
# what it started. Three passes, each on real daemons of its own, run at the same time:
#   1. debian     every vitest project (unit + integration) on dockerd 20.10 `kiln` (BuildKit v0.8, classic image
#                 store); the cache tests' second runner is dockerd 20.10 `b`. When the passes run at the same time,
#                 the unit project runs first, alone, and this pass runs the integration project;
#   2. modern     the integration project on dockerd 26.1 `modern` (BuildKit v0.13, containerd image store), through
#                 docker://; second runner `modernb`;
#   3. buildkitd  the integration project on dockerd 26.1 `modernb`'s BuildKit reached as a standalone buildkitd is
#                 (unix:// socket, plain gRPC: Control.Session, image/oci/docker exporters, registry/local cache);
#                 second runner `modern`'s, reached the same way.
# No two passes build on the same daemon (modern and buildkitd swap the two dockerd 26.1 instances; only the
# shared-cache tests' second runner is the other pass's daemon, with images no other test builds), so they overlap:
# the daemons mostly wait on the apt/pip stand-ins, runc and disk. They share the registries (127.0.0.1:5000/5001):
# tests name what they push by process id and time. Each pass writes to its own log, printed whole under
# `kiln test: ==== pass 'X'` when the pass ends; a line every minute says how far each pass is. Ctrl-C stops them all.
# Exits non-zero when any pass failed (every pass runs).
#
#   npm test                                  all three passes, at the same time
#   npm test -- --project integration         extra arguments go to `vitest run` in every pass
#   KILN_TEST_PASSES="debian" npm test        only some passes (debian, modern, buildkitd)
#   KILN_TEST_SERIAL=1 npm test               one pass after another, output straight to the terminal
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

# Passes running at the same time: pass name -> pid (each in its own session, so that a signal reaches all of it).
declare -A pass_pid=() pass_started=()
log_dir=""

# shellcheck disable=SC2317 # reached through traps
stop_passes() {
  local name pid waited=0
  ((${#pass_pid[@]} > 0)) || return 0
  # SIGTERM: background commands of a script start with SIGINT ignored, so vitest would not hear an INT.
  for name in "${!pass_pid[@]}"; do
    kill -TERM -- "-${pass_pid[$name]}" 2>/dev/null || kill -TERM "${pass_pid[$name]}" 2>/dev/null || true
  done
  for name in "${!pass_pid[@]}"; do
    pid="${pass_pid[$name]}"
    while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do
      sleep 0.5
      waited=$((waited + 1))
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "kiln test: pass '$name' stopped; the end of its output:"
    tail -n 20 "$log_dir/$name.log" 2>/dev/null | sed "s/^/[$name] /" || true
    unset "pass_pid[$name]"
  done
}

# shellcheck disable=SC2317 # reached through the EXIT trap
teardown() {
  local status=$? entry
  trap - EXIT INT TERM
  stop_passes
  [[ -n "$log_dir" ]] && rm -rf "$log_dir"
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
unit_first=0

# pass_command <pass> "$@": the pass's environment (env arguments) in pass_env, its vitest arguments in pass_args.
pass_command() {
  local pass="$1"
  shift
  pass_args=("$@")
  case "$pass" in
    debian)
      ((unit_first == 0)) || pass_args=(--project integration)
      pass_env=(KILN_TEST_ENV="$env_root/${KILN_ENV_INSTANCE:-kiln}/env.json"
        KILN_TEST_ENV_B="$env_root/${KILN_ENV_RUNNER_B:-b}/env.json")
      ;;
    modern)
      (($# > 0)) || pass_args=(--project integration)
      pass_env=(-u BUILDKIT_HOST KILN_TEST_ENV="$env_root/modern/env.json" KILN_TEST_ENV_B="$env_root/modernb/env.json")
      ;;
    buildkitd)
      (($# > 0)) || pass_args=(--project integration)
      pass_env=(BUILDKIT_HOST="unix://$env_root/modernb/buildkitd.sock"
        KILN_CACHE_RUNNER_A="unix://$env_root/modernb/buildkitd.sock" KILN_CACHE_RUNNER_B="unix://$env_root/modern/buildkitd.sock"
        KILN_TEST_ENV="$env_root/modernb/env.json" KILN_TEST_ENV_B="$env_root/modern/env.json")
      ;;
  esac
}

record() { # record <pass> <exit code>
  if (($2 != 0)); then
    failed+=("$1")
    status=$2
  fi
}

duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# Counts of finished test files in a pass's log, for the heartbeat: "12 files" or "12 files (1 failing)".
progress_of() {
  local log="$1" done failing
  done=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -cE '\.test\.ts \([0-9]+ tests?') || done=0
  failing=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -cE '\.test\.ts \([0-9]+ tests? \| [0-9]+ failed') || failing=0
  if ((failing > 0)); then echo "$done files ($failing failing)"; else echo "$done files"; fi
}

finish_pass() { # finish_pass <pass>: reaps it and prints its log whole
  local name="$1" code=0
  wait "${pass_pid[$name]}" || code=$?
  unset "pass_pid[$name]"
  echo
  echo "kiln test: ==== pass '$name' ($(duration $((SECONDS - pass_started[$name]))), exit code $code)"
  cat "$log_dir/$name.log"
  record "$name" "$code"
}

read -ra pass_list <<<"$passes"
if [[ "${KILN_TEST_SERIAL:-}" == 1 ]] || ((${#pass_list[@]} < 2)); then
  for pass in "${pass_list[@]}"; do
    pass_command "$pass" "$@"
    echo
    echo "kiln test: ==== pass '$pass'"
    code=0
    env "${pass_env[@]}" npx vitest run "${pass_args[@]}" </dev/null || code=$?
    record "$pass" "$code"
  done
else
  # The unit tests run first, alone: they are processor-bound and some of their time limits (a few seconds) are for a
  # machine not also running three integration passes. The debian pass then runs only the integration project.
  # One test worker per core: vitest's default (cores - 1) leaves a core for its main process, which mostly waits —
  # on two cores that is one worker, and the unit tests took 177 s instead of 115 s (measured one after the other).
  if (($# == 0)) && [[ " ${pass_list[*]} " == *" debian "* ]]; then
    unit_first=1
    echo
    echo "kiln test: ==== unit tests (alone, before the passes)"
    code=0
    npx vitest run --project unit --maxWorkers="$(nproc)" </dev/null || code=$?
    record unit "$code"
  fi
  # The CLI the integration tests spawn: kiln compiled as installed (test/integration/compiled-kiln.ts), built here once
  # rather than by each pass's global setup at the same time (three builds of ~18 s of processor time each).
  if [[ -f test/integration/compiled-kiln.ts ]]; then
    echo "kiln test: compiling kiln for the CLI tests"
    node --import tsx --input-type=module \
      -e "const { compiledKiln } = await import('./test/integration/compiled-kiln.ts'); console.log('kiln test: compiled kiln at ' + compiledKiln().dist);" \
      </dev/null || record compile $?
  fi
  log_dir=$(mktemp -d "${TMPDIR:-/tmp}/kiln-test-logs.XXXXXX")
  echo
  echo "kiln test: running the passes ${pass_list[*]} at the same time (KILN_TEST_SERIAL=1 runs them one after another)."
  echo "kiln test: each pass's output is printed whole when it ends; follow one live with: tail -f $log_dir/<pass>.log"
  for pass in "${pass_list[@]}"; do
    pass_command "$pass" "$@"
    setsid --wait env "${pass_env[@]}" npx vitest run "${pass_args[@]}" </dev/null >"$log_dir/$pass.log" 2>&1 &
    pass_pid[$pass]=$!
    pass_started[$pass]=$SECONDS
  done
  started=$SECONDS
  beat=$SECONDS
  while ((${#pass_pid[@]} > 0)); do
    sleep 1
    for pass in "${pass_list[@]}"; do
      [[ -n "${pass_pid[$pass]:-}" ]] || continue
      kill -0 "${pass_pid[$pass]}" 2>/dev/null || finish_pass "$pass"
    done
    if ((${#pass_pid[@]} > 0 && SECONDS - beat >= 60)); then
      beat=$SECONDS
      line=""
      for pass in "${pass_list[@]}"; do
        if [[ -n "${pass_pid[$pass]:-}" ]]; then
          line+=", $pass $(progress_of "$log_dir/$pass.log")"
        else
          line+=", $pass ended"
        fi
      done
      echo "kiln test: after $(duration $((SECONDS - started))):${line#,}"
    fi
  done
fi

echo
if ((${#failed[@]} > 0)); then
  echo "kiln test: FAILED in pass(es): ${failed[*]}"
else
  echo "kiln test: every pass passed ($passes)"
fi
exit "$status"
