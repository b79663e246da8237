import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ImageSpec, imageModuleSource, imageOf } from '../../bench/image-rebuild-images.js';
import { Image } from '../../src/index.js';

const imagesModule = pathToFileURL(join(import.meta.dirname, '..', '..', 'bench', 'image-rebuild-images.ts')).href;
const kilnIndex = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'index.ts')).href;

/** Loads a generated image module the way `kiln build` does (a new Node process with tsx) and returns its Dockerfile. */
function dockerfileOfModule(spec: ImageSpec): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-module-test-'));
  try {
    const file = join(dir, 'image.mts');
    writeFileSync(file, imageModuleSource(spec, kilnIndex, imagesModule));
    const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(m.default.toDockerfile());`;
    return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('image-rebuild bench: the module kiln build is given', () => {
  it('exports the same apt + pip + app image the bench builds in process and turns into the Dockerfile', () => {
    const spec: ImageSpec = {
      kind: 'app',
      params: { sourcesLine: "deb [trusted=yes] http://10.0.0.1:8080/ ./", indexUrl: 'http://10.0.0.1:8081/simple', indexHost: '10.0.0.1', editedVersion: '1.3' },
    };
    const dockerfile = dockerfileOfModule(spec);
    expect(dockerfile).toBe(imageOf(spec, Image).toDockerfile());
    expect(dockerfile).toContain('kiln-bench-ml==1.3');
  });

  it('exports the three independent steps with the round token', () => {
    const spec: ImageSpec = { kind: 'steps', token: 'round-7' };
    const dockerfile = dockerfileOfModule(spec);
    expect(dockerfile).toBe(imageOf(spec, Image).toDockerfile());
    expect(dockerfile).toContain('echo round-7 > /opt/three/done');
  });
});
