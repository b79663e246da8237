/**
 * scripts/test.sh (`npm test`) runs its passes at the same time, each pass's output whole under its own header, and
 * still stops everything on Ctrl-C and fails when a pass fails. Checked on a copy of the script whose environment
 * scripts (up.sh, down.sh) and `npx` are stand-ins that record what they were asked: no daemon is started.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'test.sh');

/**
 * The stand-in `npx vitest run …`: names its pass from the environment test.sh gives it, records that environment,
 * prints a few lines, and exits as STUB_FAIL says. With STUB_RENDEZVOUS it waits (up to 60 s) until every pass has
 * started, so it ends only when the passes run at the same time; with STUB_HANG it waits until stopped (SIGTERM).
 */
const NPX = String.raw`#!/usr/bin/env bash
root="$STUB_ROOT"
if [[ " $* " == *" --project unit "* ]]; then
  for other in "$root"/running-*; do [[ -e "$other" ]] && echo "unit started while ${"$"}{other##*/} was running" >>"$root/overlap"; done
  echo "unit KILN_TEST_ENV=$KILN_TEST_ENV args=$*" >"$root/unit-run"
  echo "unit: Tests  9 passed (9)"
  [[ " $STUB_FAIL " == *" unit "* ]] && exit 1
  exit 0
fi
case "$KILN_TEST_ENV" in
  */kiln/env.json) pass=debian ;;
  */modern/env.json) pass=modern ;;
  */modernb/env.json) pass=buildkitd ;;
  *) pass=unknown ;;
esac
[[ -n "$BUILDKIT_HOST" && "$pass" != buildkitd ]] && pass="$pass+host"
echo "$pass KILN_TEST_ENV=$KILN_TEST_ENV KILN_TEST_ENV_B=$KILN_TEST_ENV_B BUILDKIT_HOST=$BUILDKIT_HOST args=$*" >"$root/env-$pass"
trap 'echo stopped >"$root/stopped-$pass"; exit 143' TERM
for other in "$root"/running-*; do [[ -e "$other" ]] && echo "$pass started while ${"$"}{other##*/} was running" >>"$root/overlap"; done
touch "$root/running-$pass"
echo "$pass: first line"
if [[ -n "$STUB_RENDEZVOUS" ]]; then
  for _ in $(seq 600); do
    n=$(ls "$root"/env-* | wc -l)
    ((n >= STUB_RENDEZVOUS)) && break
    sleep 0.1
  done
  ((n >= STUB_RENDEZVOUS)) || { echo "$pass: the other passes never started"; rm -f "$root/running-$pass"; exit 3; }
fi
if [[ -n "$STUB_HANG" ]]; then
  touch "$root/hanging-$pass"
  while :; do sleep 0.1; done
fi
echo "$pass: Tests  3 passed (3)"
rm -f "$root/running-$pass"
[[ " $STUB_FAIL " == *" $pass "* ]] && exit 1
exit 0
`;

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A checkout holding scripts/test.sh and stand-ins of what it calls. */
function sandbox(): { dir: string; run: (env: Record<string, string>, onStart?: (pid: number) => void) => Promise<{ code: number | null; out: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-test-sh-'));
  root = dir;
  mkdirSync(join(dir, 'scripts', 'env'), { recursive: true });
  mkdirSync(join(dir, 'bin'));
  cpSync(script, join(dir, 'scripts', 'test.sh'));
  for (const what of ['up', 'down']) {
    writeFileSync(join(dir, 'scripts', 'env', `${what}.sh`), `#!/usr/bin/env bash\necho "${what} $KILN_ENV_INSTANCE $KILN_ENV_ENGINE" >>"$STUB_ROOT/daemon-calls"\n`);
  }
  writeFileSync(join(dir, 'bin', 'npx'), NPX);
  chmodSync(join(dir, 'bin', 'npx'), 0o755);
  const run = (env: Record<string, string>, onStart?: (pid: number) => void): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const childEnv: Record<string, string | undefined> = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, STUB_ROOT: dir, KILN_ENV_DIR: join(dir, 'state'), ...env };
      for (const name of ['BUILDKIT_HOST', 'KILN_TEST_PASSES', 'KILN_TEST_SERIAL', 'KILN_KEEP_ENV', 'KILN_ENV_INSTANCE', 'KILN_ENV_RUNNER_B']) {
        if (!(name in env)) delete childEnv[name];
      }
      const child = spawn('bash', [join(dir, 'scripts', 'test.sh')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      if (child.pid !== undefined) onStart?.(child.pid);
      child.on('close', (code) => resolve({ code, out }));
    });
  return { dir, run };
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

describe('scripts/test.sh', () => {
  it('runs the three passes at the same time, each on its own daemons, and prints each pass whole under its header', async () => {
    const { dir, run } = sandbox();
    const r = await run({ STUB_RENDEZVOUS: '3' });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('kiln test: every pass passed (debian modern buildkitd)');
    for (const pass of ['debian', 'modern', 'buildkitd']) {
      // The header, then the pass's own lines together, none of another pass's in between.
      expect(r.out).toMatch(new RegExp(`^kiln test: ==== pass '${pass}' \\(\\d+m\\d\\ds, exit code 0\\)\\n${pass}: first line\\n${pass}: Tests  3 passed \\(3\\)$`, 'm'));
    }
    const state = join(dir, 'state');
    // The unit tests ran first, alone (their short time limits are for an unloaded machine), a worker per core; debian
    // then ran integration.
    expect(read(dir, 'unit-run')).toBe(`unit KILN_TEST_ENV= args=vitest run --project unit --maxWorkers=${availableParallelism()}\n`);
    expect(r.out.indexOf('kiln test: ==== unit tests')).toBeLessThan(r.out.indexOf('running the passes'));
    expect(read(dir, 'env-debian')).toBe(`debian KILN_TEST_ENV=${state}/kiln/env.json KILN_TEST_ENV_B=${state}/b/env.json BUILDKIT_HOST= args=vitest run --project integration\n`);
    expect(read(dir, 'env-modern')).toBe(`modern KILN_TEST_ENV=${state}/modern/env.json KILN_TEST_ENV_B=${state}/modernb/env.json BUILDKIT_HOST= args=vitest run --project integration\n`);
    // The buildkitd pass builds on the other dockerd 26.1, so that it never shares a BuildKit with the modern pass.
    expect(read(dir, 'env-buildkitd')).toBe(
      `buildkitd KILN_TEST_ENV=${state}/modernb/env.json KILN_TEST_ENV_B=${state}/modern/env.json BUILDKIT_HOST=unix://${state}/modernb/buildkitd.sock args=vitest run --project integration\n`,
    );
    expect(read(dir, 'daemon-calls').split('\n').filter((l) => l.startsWith('down')).sort()).toEqual(['down b debian', 'down kiln debian', 'down modern modern', 'down modernb modern']);
  });

  it('exits non-zero naming the pass that failed, after every pass ran', async () => {
    const { run } = sandbox();
    const r = await run({ STUB_FAIL: 'modern' });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain("kiln test: ==== pass 'modern'");
    expect(r.out).toMatch(/^kiln test: ==== pass 'modern' \(\d+m\d\ds, exit code 1\)$/m);
    expect(r.out).toContain('buildkitd: Tests  3 passed (3)');
    expect(r.out).toContain('debian: Tests  3 passed (3)');
    expect(r.out).toContain('kiln test: FAILED in pass(es): modern');
  });

  it('KILN_TEST_SERIAL=1 runs one pass after another', async () => {
    const { dir, run } = sandbox();
    const r = await run({ KILN_TEST_SERIAL: '1', STUB_FAIL: 'debian' });
    expect(r.code, r.out).toBe(1);
    expect(existsSync(join(dir, 'overlap')) ? read(dir, 'overlap') : '').toBe('');
    expect(r.out.indexOf("kiln test: ==== pass 'debian'")).toBeLessThan(r.out.indexOf("kiln test: ==== pass 'modern'"));
    expect(r.out.indexOf("kiln test: ==== pass 'modern'")).toBeLessThan(r.out.indexOf("kiln test: ==== pass 'buildkitd'"));
    expect(r.out).toContain('kiln test: FAILED in pass(es): debian');
    // One after another, the debian pass runs every project itself.
    expect(existsSync(join(dir, 'unit-run'))).toBe(false);
  });

  it('a failing unit run fails npm test, and the passes still run', async () => {
    const { run } = sandbox();
    const r = await run({ STUB_FAIL: 'unit' });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('debian: Tests  3 passed (3)');
    expect(r.out).toContain('kiln test: FAILED in pass(es): unit');
  });

  it('a BUILDKIT_HOST of the caller makes one pass, on that daemon', async () => {
    const { dir, run } = sandbox();
    const r = await run({ BUILDKIT_HOST: 'tcp://elsewhere:1234' });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('kiln test: every pass passed (debian)');
    expect(read(dir, 'env-debian+host')).toContain('BUILDKIT_HOST=tcp://elsewhere:1234 ');
    expect(existsSync(join(dir, 'env-modern'))).toBe(false);
  });

  it('Ctrl-C stops every running pass, then stops the environment', async () => {
    const { dir, run } = sandbox();
    const r = await run({ STUB_HANG: '1' }, (pid) => {
      const poll = setInterval(() => {
        if (['debian', 'modern', 'buildkitd'].every((p) => existsSync(join(dir, `hanging-${p}`)))) {
          clearInterval(poll);
          process.kill(pid, 'SIGINT');
        }
      }, 100);
    });
    expect(r.code, r.out).toBe(130);
    for (const pass of ['debian', 'modern', 'buildkitd']) {
      expect(read(dir, `stopped-${pass}`)).toBe('stopped\n');
      expect(r.out).toContain(`kiln test: pass '${pass}' stopped; the end of its output:\n[${pass}] ${pass}: first line`);
    }
    expect(read(dir, 'daemon-calls').split('\n').filter((l) => l.startsWith('down')).length).toBe(4);
  });
});
