/**
 * The ported seed examples (examples/) that need nothing from the internet but Debian's mirror, built on the real
 * daemon exactly as the example files define them, then checked with `docker run` / `docker inspect`. The others
 * start from images this machine cannot pull (parachutes/python, nvcr.io, ghcr.io/run-house) or install from PyPI;
 * their LLB is checked in test/unit/image-examples.test.ts and each capability they use is built in
 * image-build / image-capabilities against local stand-ins.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { type BuiltImage, Image, buildImage } from '../../src/image/index.js';
import { serveStandalonePython, type StandalonePythonMirror } from './standalone-python-mirror.js';
import { dockerCli, inspectImage, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const run = Math.random().toString(36).slice(2, 8);
const created: string[] = [];
const contextDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'context');
const previousCwd = process.cwd();
let client: Client;
let pythonMirror: StandalonePythonMirror | undefined;
const modules: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  // The examples name local files relative to their context, as a user running from that directory would.
  process.chdir(contextDir);
  // chutes-image-reference's specificPython asks for Python 3.11.5 exactly: no base image or distribution here has
  // it, so it comes from python-build-standalone's release 20230826, served by a local stand-in. The examples are
  // defined with the mirror set the way a user behind a firewall would set it (and, the stand-in not being the
  // release's archive, with its checksum, as for a mirror of one's own builds).
  pythonMirror = await serveStandalonePython('3.11.5', '20230826');
  process.env['KILN_PYTHON_INSTALL_MIRROR'] = pythonMirror.url;
  process.env['KILN_PYTHON_INSTALL_SHA256'] = `x86_64=${pythonMirror.sha256}`;
  try {
    modules['chutes-image-reference'] = await import('../../examples/chutes-image-reference.js');
    modules['chutes-images-guide'] = await import('../../examples/chutes-images-guide.js');
    modules['modal-images-guide'] = await import('../../examples/modal-images-guide.js');
    modules['independent-steps'] = await import('../../examples/independent-steps.js');
  } finally {
    delete process.env['KILN_PYTHON_INSTALL_MIRROR'];
    delete process.env['KILN_PYTHON_INSTALL_SHA256'];
  }
  client = await Client.connect({ address: env.buildkitHost });
});

afterAll(async () => {
  process.chdir(previousCwd);
  await pythonMirror?.close();
  await client?.close();
  await removeImages(created);
});

/** Builds the example `file`.`name` into Docker. */
async function buildExample(file: string, name: string): Promise<BuiltImage & { readonly tag: string }> {
  const image = modules[file]?.[name];
  if (!(image instanceof Image)) throw new Error(`examples/${file}.ts exports no Image named ${name}`);
  const tag = `kiln-it/example-${name.toLowerCase()}:${run}`;
  created.push(tag);
  return { ...(await buildImage(client, image, { tags: [tag], context: contextDir })), tag };
}

async function sh(tag: string, script: string): Promise<string> {
  return (await dockerCli(['run', '--rm', '--network', 'none', tag, 'sh', '-c', script])).stdout;
}

describe('ported examples built on the daemon', () => {
  it('chutes-image-reference: existingUser runs as nobody; specificPython has exactly Python 3.11.5 (its standalone build)', async () => {
    const user = await buildExample('chutes-image-reference', 'existingUser');
    expect((await inspectImage(user.tag))?.config.user).toBe('nobody');
    expect((await sh(user.tag, 'id -un')).trim()).toBe('nobody');

    // The ubuntu:22.04 stand-in's distribution has 3.11.2, not 3.11.5: the build downloads 3.11.5's release.
    const python = await buildExample('chutes-image-reference', 'specificPython');
    expect(pythonMirror?.requests).toEqual([pythonMirror?.path]);
    const out = (await sh(python.tag, 'python -c "import sys; print(sys.prefix)"; readlink -f "$(command -v python3)"; pip --version')).trim().split('\n');
    expect(out.slice(0, 2)).toEqual(['/opt/python/3.11.5', '/opt/python/3.11.5/bin/python3.11']);
    expect(out[2]).toMatch(/^pip \d+.* from \/opt\/python\/3\.11\.5\//);
  });

  it('environment variables: chutes-images-guide gpuEnv and modal-images-guide environment', async () => {
    const gpu = await buildExample('chutes-images-guide', 'gpuEnv');
    expect((await inspectImage(gpu.tag))?.config.env).toEqual(
      expect.arrayContaining(['CUDA_VISIBLE_DEVICES=0', 'TRANSFORMERS_CACHE=/app/cache', 'PYTORCH_CUDA_ALLOC_CONF=max_split_size_mb:512', 'MODEL_PATH=/app/models/my-model']),
    );
    const modal = await buildExample('modal-images-guide', 'environment');
    expect((await sh(modal.tag, 'echo "$HF_HOME $TRANSFORMERS_CACHE $CUDA_VISIBLE_DEVICES"')).trim()).toBe('/cache/huggingface /cache/transformers 0');
  });

  it('modal-images-guide: local files and directories, a copied directory later steps use, an importable local package', async () => {
    const files = await buildExample('modal-images-guide', 'filesAndDirs');
    expect(await sh(files.tag, 'ls /app/data; cat /app/config.yaml')).toBe(`model.pt\nsample.csv\n${readFileSync(join(contextDir, 'config.yaml'), 'utf8')}`);

    const copied = await buildExample('modal-images-guide', 'copiedForLaterSteps');
    expect((await sh(copied.tag, 'ls /src/__pycache__ | grep -c "^main\\..*\\.pyc$"')).trim()).toBe('1');

    const source = await buildExample('modal-images-guide', 'pythonSource');
    expect((await sh(source.tag, 'cd / && python -c "import my_package, os; print(os.path.dirname(my_package.__file__))"')).trim()).toBe('/opt/python-source/my_package');
  });

  it('independent-steps: overlapping outputs run in order; the step after independent ones sees all their outputs', async () => {
    const overlapping = await buildExample('independent-steps', 'overlapping');
    expect(await sh(overlapping.tag, 'cat /opt/data/raw.txt /opt/data/index/0 /opt/stats.txt /etc/healthcheck')).toBe('raw\nidx\n1 /opt/data/index/0\nok\n');

    const between = await buildExample('independent-steps', 'betweenOrdinarySteps');
    expect(await sh(between.tag, 'cat /opt/all; test -d /opt/bin && echo bin')).toBe('one\ntwo\nthree\nbin\n');
  });
});
