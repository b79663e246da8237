/**
 * Values from JavaScript callers that TypeScript would have refused fail at the boundary with `invalid_argument`
 * naming what is wrong and the shape expected — never a raw TypeError from deep inside compiling: compileImage's
 * `baseConfigs`, and `addLocalFile` given a directory (pointing at the equivalent `addLocalDir`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { Image, compileImage } from '../../src/image/index.js';
import { sources } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const PY = 'docker.io/library/python:3.11';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const image = Image.fromRegistry('python:3.11').env({ A: '1' }).runCommands('echo hi').workdir('/srv').cmd(['python3']);

/** Compiles with `baseConfigs` as a JavaScript caller might pass it, returning the error it throws. */
function rejected(baseConfigs: unknown): KilnError {
  let err: unknown;
  try {
    compileImage(image, { baseConfigs: baseConfigs as never });
  } catch (e) {
    err = e;
  }
  expect(err, 'compileImage should throw').toBeInstanceOf(KilnError);
  const k = err as KilnError;
  expect(k.code).toBe('invalid_argument');
  expect(k.message).toMatch(/^compileImage options\.baseConfigs/);
  expect(k.hint).toBeDefined();
  return k;
}

const config = (extra: Record<string, unknown> = {}, runtime: Record<string, unknown> = {}): Record<string, unknown> => ({ architecture: 'amd64', os: 'linux', config: runtime, ...extra });

describe('compileImage options.baseConfigs', () => {
  it('refuses a value that is not a Map, naming the shape expected', () => {
    for (const value of [{ [PY]: config() }, [[PY, config()]], 'x', 42, null, () => undefined]) {
      expect(rejected(value).message).toMatch(/^compileImage options\.baseConfigs must be a Map from normalised image reference to its OCI image config or \{ config, digest \}, got /);
    }
    expect(thrown(() => compileImage(image, null as never)).message).toBe('compileImage options must be an object such as { platform: "linux/amd64" }, got null');
  });

  it('refuses entries that are not OCI configs, field by field, instead of a TypeError', () => {
    const cases: [unknown, string][] = [
      ['x', `["${PY}"] must be an OCI image config { architecture: "amd64", os: "linux", config: { Env: ["KEY=value"], … } } or { config: <OCI image config>, digest?: "sha256:…" }, got "x"`],
      [{}, 'got an object without "architecture"'],
      [{ config: {} }, 'got an object without "architecture"'],
      [new Uint8Array([1]), 'got bytes'],
      [JSON.stringify(config()), 'got "{'],
      [{ architecture: 'amd64' }, `["${PY}"]: "os" must be a non-empty string such as "linux", got undefined`],
      [config({ architecture: 5 }), '"architecture" must be a non-empty string such as "amd64", got 5'],
      [config({ config: 'x' }), '"config" (the runtime config) must be an object such as { Env: ["PATH=/usr/bin:/bin"] }, got "x"'],
      [config({ history: {} }), '"history" must be an array of objects such as { created_by: "RUN make" }, got a plain object'],
      [config({ rootfs: [] }), '"rootfs" must be { type: "layers", diff_ids: ["sha256:…"] }, got an array'],
      [config({}, { Env: 'A=1' }), 'config.Env must be an array of strings such as ["PATH=/usr/bin:/bin"], got "A=1"'],
      [config({}, { Env: ['A=1', 2] }), 'config.Env[1] must be a string, got 2'],
      [config({}, { WorkingDir: 5 }), 'config.WorkingDir must be a string, got 5'],
      [config({}, { User: 0 }), 'config.User must be a string, got 0'],
      [config({}, { Cmd: 'bash' }), 'config.Cmd must be an array of strings such as ["python3"], got "bash"'],
      [config({}, { Entrypoint: ['sh', null] }), 'config.Entrypoint[1] must be a string, got null'],
      [config({}, { Labels: ['a'] }), 'config.Labels must be an object of strings'],
      [config({}, { Labels: { a: 1 } }), 'config.Labels must be an object of strings'],
      [config({}, { ExposedPorts: ['80/tcp'] }), 'config.ExposedPorts must be an object such as { "80/tcp": {} }, got an array'],
      [{ config: config({}, { Env: 'A=1' }), digest: DIGEST }, `["${PY}"].config: config.Env must be an array of strings`],
      [{ config: config(), digest: 5 }, `["${PY}"].digest must be a manifest digest "sha256:<64 hex>", got 5`],
      [{ config: config(), digest: 'latest' }, `["${PY}"].digest must be a manifest digest "sha256:<64 hex>", got "latest"`],
    ];
    for (const [entry, expected] of cases) {
      expect(rejected(new Map([[PY, entry]])).message, JSON.stringify(entry) ?? String(entry)).toContain(expected);
    }
  });

  it('refuses keys that are not normalised references (the entry would never be used)', () => {
    expect(rejected(new Map([[1, config()]])).message).toBe('compileImage options.baseConfigs keys must be image references (strings), got 1');
    const short = rejected(new Map([['python:3.11', config()]]));
    expect(short.message).toBe('compileImage options.baseConfigs["python:3.11"]: the key must be the normalised reference "docker.io/library/python:3.11"; base images are looked up by that, so this entry would never be used');
    expect(short.hint).toBe('Use new Map([["docker.io/library/python:3.11", config]]).');
    expect(rejected(new Map([['Not A Ref', config()]])).message).toMatch(/^compileImage options\.baseConfigs\["Not A Ref"\]: the key is not a valid image reference \(invalid image reference "Not A Ref": it contains spaces/);
  });

  it('accepts OCI configs and { config, digest }, a missing runtime config read as empty', () => {
    const plain = compileImage(image, { baseConfigs: new Map([[PY, config({}, { Env: ['PATH=/usr/bin:/bin'], User: 'app' }) as never]]) });
    expect(plain.config.config.Env).toEqual(['PATH=/usr/bin:/bin', 'A=1']);
    expect(plain.config.config.User).toBe('app');
    const noRuntime = compileImage(image, { baseConfigs: new Map([[PY, { architecture: 'arm64', os: 'linux' } as never]]) });
    expect(noRuntime.config.architecture).toBe('arm64');
    expect(noRuntime.config.config.Env).toEqual(['A=1']);
    const pinned = compileImage(image, { baseConfigs: new Map([[PY, { config: config() as never, digest: DIGEST }]]) });
    expect(sources(pinned.definition).map((src) => src.identifier)).toEqual([`docker-image://${PY}@${DIGEST}`]);
    expect(compileImage(image, { baseConfigs: new Map() }).config.config.Env).toEqual(['A=1']);
  });
});

describe('addLocalFile given a directory', () => {
  let dir = '';
  let previousCwd = '';
  beforeAll(() => {
    previousCwd = process.cwd();
    dir = mkdtempSync(join(tmpdir(), 'kiln-boundary-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'app.py'), 'print(1)\n');
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(previousCwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails at the call site, suggesting the addLocalDir call that copies it to the same place', () => {
    const plain = thrown(() => Image.debianSlim().addLocalFile('src'));
    expect(plain.code).toBe('invalid_argument');
    expect(plain.message).toBe(`addLocalFile: "src" is a directory (in ${dir}); addLocalFile copies one file`);
    expect(plain.hint).toBe('Use addLocalDir("src") to copy a directory.');
    // Into a directory ("/" or "." at the end): addLocalFile would have put it inside, so addLocalDir names it there.
    expect(thrown(() => Image.debianSlim().addLocalFile('src', '/app/')).hint).toBe('Use addLocalDir("src", { remotePath: "/app/src" }) to copy a directory.');
    expect(thrown(() => Image.debianSlim().addLocalFile('./src/', '.')).hint).toBe('Use addLocalDir("./src/", { remotePath: "./src" }) to copy a directory.');
    expect(thrown(() => Image.debianSlim().addLocalFile('src', '/')).hint).toBe('Use addLocalDir("src", { remotePath: "/src" }) to copy a directory.');
    expect(thrown(() => Image.debianSlim().addLocalFile('src', '/opt/app')).hint).toBe('Use addLocalDir("src", { remotePath: "/opt/app" }) to copy a directory.');
    // An absolute path names itself; the current directory is no help there.
    expect(thrown(() => Image.debianSlim().addLocalFile(join(dir, 'src'))).message).toBe(`addLocalFile: ${JSON.stringify(join(dir, 'src'))} is a directory; addLocalFile copies one file`);
    // The Modal alias goes through the same check.
    expect(thrown(() => Image.debianSlim().copyLocalFile('src')).hint).toBe('Use addLocalDir("src", { remotePath: "./src" }) to copy a directory.');
    expect(() => Image.debianSlim().addLocalFile('src/app.py', '/app/')).not.toThrow();
  });
});
