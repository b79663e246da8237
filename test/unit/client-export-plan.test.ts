import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { KilnError } from '../../src/errors.js';

const base = { workers: [], llbCaps: new Set<string>(), frontendCaps: new Set<string>() };
const buildkitd: DaemonInfo = { ...base, kind: 'buildkitd', version: 'v0.13.2', description: 'buildkitd v0.13.2' };
const classic: DaemonInfo = { ...base, kind: 'dockerd', version: '20.10.24', imageStore: 'graphdriver', description: 'dockerd 20.10.24 (embedded BuildKit v0.8)' };
const containerd: DaemonInfo = { ...base, kind: 'dockerd', version: '26.1.5', imageStore: 'containerd', description: 'dockerd 26.1.5 (embedded BuildKit, containerd image store)' };
const dir = mkdtempSync(join(tmpdir(), 'kiln-export-plan-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<KilnError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof KilnError)) throw new Error(`expected a KilnError, got ${String(err)}`);
  return err;
}

describe('planExport', () => {
  it('refuses to build for a load into a Docker that does not answer, naming where it looked', async () => {
    const socketPath = join(dir, 'no-docker.sock');
    const err = await rejection(planExport({ type: 'docker', names: ['app:1'] }, buildkitd, 'unix:///run/buildkit/buildkitd.sock', { docker: { socketPath } }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(socketPath);
    expect(err.hint).toMatch(/DOCKER_HOST/);
  });

  it('refuses a malformed image name before the build, naming it', async () => {
    const err = await rejection(planExport({ type: 'image', names: ['Worker:Latest'] }, buildkitd, 'unix:///run/buildkit/buildkitd.sock'));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe('cannot name the image: invalid image reference "Worker:Latest": repository name must be lowercase (try "worker:Latest")');
    expect(err.hint).toContain('-t myapp:dev');
    const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/team/app:1.0', 'app'] }, buildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(plan.exporter.attrs?.['name']).toBe('127.0.0.1:5000/team/app:1.0,docker.io/library/app:latest');
  });

  it('loads into dockerd with its own exporter, whatever its image store; kiln names the image after the export', async () => {
    for (const info of [classic, containerd]) {
      const plan = await planExport({ type: 'docker', names: ['app:1'] }, info, 'docker://unix:///var/run/docker.sock');
      expect(plan.exporter).toEqual({ type: 'moby', attrs: {} });
    }
  });

  it('writes oci and docker tarballs with the exporters where the daemon has them', async () => {
    for (const info of [buildkitd, containerd]) {
      for (const type of ['oci', 'docker'] as const) {
        const plan = await planExport({ type, names: [], dest: join(dir, `${type}.tar`) }, info, 'unix:///run/buildkit/buildkitd.sock');
        expect(plan.exporter.type).toBe(type);
        expect(plan.sessionServices).toHaveLength(1);
        await plan.abort();
      }
    }
  });

  it('checks a load of an attested image from a buildkitd: refused into Docker before 25 (no manifest.json to load), a note for its classic store', async () => {
    for (const [apiVersion, driverStatus, expected] of [
      ['1.41', [['Backing Filesystem', 'extfs']], 'refused'],
      ['1.45', [['Backing Filesystem', 'extfs']], 'note'],
      ['1.45', [['driver-type', 'io.containerd.snapshotter.v1']], 'nothing'],
    ] as const) {
      const socketPath = join(dir, `docker-attest-${apiVersion}-${expected}.sock`);
      const server = createServer((req, res) => {
        if (req.url === '/_ping') return void res.end('OK');
        if (req.url === '/version') return void res.end(JSON.stringify({ Version: apiVersion === '1.41' ? '20.10.24' : '26.1.5', ApiVersion: apiVersion }));
        if (req.url === '/info') return void res.end(JSON.stringify({ DriverStatus: driverStatus }));
        res.statusCode = 404;
        res.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      try {
        const planned = planExport({ type: 'docker', names: ['app:1'] }, buildkitd, 'unix:///run/buildkit/buildkitd.sock', { docker: { socketPath }, attestations: true });
        if (expected === 'refused') {
          const err = await rejection(planned);
          expect(err.code).toBe('unsupported');
          expect(err.message).toBe('Docker 20.10.24 cannot load an image with attestations: BuildKit writes it as an OCI image index without the manifest.json that docker load reads before Docker 25, so the load would fail after the build');
          expect(err.hint).toContain('-o type=oci,dest=app.tar');
          continue;
        }
        const plan = await planned;
        expect(plan.notes ?? []).toEqual(expected === 'note' ? ['[kiln] Docker 26.1.5 stores the image it loads in its classic image store, which keeps the image and drops its attestations: push it (--push) or write -o type=oci,dest=FILE to keep them'] : []);
        await plan.abort();
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });

  it('asks a buildkitd for uncompressed layers in a tarball it loads into Docker (Docker unpacks them), unless the output says otherwise', async () => {
    const socketPath = join(dir, 'docker-load-compression.sock');
    const server = createServer((req, res) => {
      if (req.url === '/_ping') return void res.end('OK');
      req.resume();
      req.on('end', () => res.end('{"stream":"Loaded image: app:1"}'));
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      for (const [attrs, expected] of [
        [undefined, { compression: 'uncompressed' }],
        [{ compression: 'gzip' }, { compression: 'gzip' }],
        [{ 'compression-level': '3' }, { 'compression-level': '3' }],
        [{ compression: 'zstd', 'force-compression': 'true' }, { compression: 'zstd', 'force-compression': 'true' }],
      ] as const) {
        const plan = await planExport({ type: 'docker', names: ['app:1'], ...(attrs === undefined ? {} : { attrs }) }, buildkitd, 'unix:///run/buildkit/buildkitd.sock', { docker: { socketPath } });
        expect(plan.exporter).toEqual({ type: 'docker', attrs: { name: 'docker.io/library/app:1', ...expected } });
        await plan.abort();
      }
      // A file is not loaded into Docker: BuildKit's default (gzip) stays.
      const file = await planExport({ type: 'docker', names: [], dest: join(dir, 'file.tar') }, buildkitd, 'unix:///run/buildkit/buildkitd.sock');
      expect(file.exporter).toEqual({ type: 'docker', attrs: {} });
      await file.abort();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('explains that the classic image store has no oci exporter, and what to use', async () => {
    const err = await rejection(planExport({ type: 'oci', names: [], dest: join(dir, 'x.tar') }, classic, 'docker://unix:///var/run/docker.sock'));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe('the oci exporter is not available on dockerd 20.10.24 (embedded BuildKit v0.8)');
    expect(err.hint).toMatch(/type=docker,dest=FILE.*containerd image store/);
  });
});

describe('a push through dockerd\'s Docker API', () => {
  it('names a credential helper the Docker config asks for that is not installed, not just "docker login", when the push fails', async () => {
    const config = join(dir, 'docker-config-missing-helper');
    mkdirSync(config, { recursive: true });
    // A config copied from Docker Desktop: every registry's login is in docker-credential-desktop, absent here.
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { '127.0.0.1:5000': {} }, credsStore: 'desktop' }));
    const socketPath = join(dir, 'docker-push.sock');
    const auths: string[] = [];
    // dockerd 20.10 as it answers a push the registry refuses: 200, then an error line in the JSON stream.
    const server = createServer((req, res) => {
      if (req.method === 'GET') {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: 'No such image' }));
      } else if (req.url?.includes('/push') === true) {
        auths.push(String(req.headers['x-registry-auth']));
        res.end(`${JSON.stringify({ status: 'The push refers to repository [127.0.0.1:5000/team/app]' })}\n${JSON.stringify({ errorDetail: { message: 'unauthorized: authentication required' }, error: 'unauthorized: authentication required' })}\n`);
      } else {
        res.statusCode = req.method === 'POST' ? 201 : 200;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/team/app:1'], push: true }, classic, `docker://unix://${socketPath}`, {
        env: { DOCKER_CONFIG: config, PATH: join(dir, 'no-helpers-here') },
      });
      const err = await rejection(plan.finish({ 'containerimage.digest': 'sha256:' + 'a'.repeat(64) }));
      expect(err.code).toBe('build_failed');
      expect(err.message).toBe(
        `pushing 127.0.0.1:5000/team/app:1 failed: unauthorized: authentication required; kiln sent no credentials: Cannot run credential helper docker-credential-desktop (asked about 127.0.0.1:5000): docker-credential-desktop was not found on PATH (helper set by credsStore in ${join(config, 'config.json')})`,
      );
      expect(err.hint).toMatch(/^Install docker-credential-desktop, or remove it from your Docker config \(credsStore \/ credHelpers\)\. The image was built;/);
      expect(err.hint).not.toContain('docker login');
      // The push itself went without credentials, as it does when no helper is set.
      expect(auths.map((a) => Buffer.from(a, 'base64').toString('utf8'))).toEqual(['{}']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a push through dockerd\'s Docker API with a registry token', () => {
  it('passes the registrytoken of the Docker config entry on to Docker, as docker push does', async () => {
    const config = join(dir, 'docker-config-registry-token');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { '127.0.0.1:5000': { registrytoken: 'the-token' } } }));
    const socketPath = join(dir, 'docker-push-token.sock');
    const auths: string[] = [];
    const server = createServer((req, res) => {
      if (req.method === 'GET') {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: 'No such image' }));
      } else if (req.url?.includes('/push') === true) {
        auths.push(String(req.headers['x-registry-auth']));
        res.end(`${JSON.stringify({ aux: { Tag: '1', Digest: `sha256:${'b'.repeat(64)}`, Size: 1 } })}\n`);
      } else {
        res.statusCode = 201;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/team/app:1'], push: true }, classic, `docker://unix://${socketPath}`, { env: { DOCKER_CONFIG: config } });
      expect((await plan.finish({ 'containerimage.digest': `sha256:${'a'.repeat(64)}` })).digest).toBe(`sha256:${'b'.repeat(64)}`);
      expect(auths.map((a) => JSON.parse(Buffer.from(a, 'base64').toString('utf8')) as unknown)).toEqual([{ serveraddress: '127.0.0.1:5000', registrytoken: 'the-token' }]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('planExport with rewrite-timestamp=true', () => {
  const modern: DaemonInfo = { ...containerd, buildkitVersion: 'v0.13.2', description: 'dockerd 26.1.5 (embedded BuildKit v0.13.2, containerd image store)' };
  const oldBuildkitd: DaemonInfo = { ...buildkitd, version: 'v0.12.5', buildkitVersion: 'v0.12.5', description: 'buildkitd v0.12.5' };
  const newBuildkitd: DaemonInfo = { ...buildkitd, buildkitVersion: 'v0.13.2' };
  const attrs = { 'rewrite-timestamp': 'true' };

  it('refuses an image dockerd stores, which would keep every file time, before the build', async () => {
    for (const info of [classic, modern]) {
      for (const output of [
        { type: 'image', names: ['127.0.0.1:5000/app:1'], push: true, attrs },
        { type: 'docker', names: ['app:1'], attrs },
      ] as const) {
        const err = await rejection(planExport(output, info, 'docker://unix:///var/run/docker.sock'));
        expect(err.code).toBe('unsupported');
        expect(err.message).toContain(`rewrite-timestamp=true is not available for an image stored by ${info.description}`);
        expect(err.hint).toContain('type=oci,dest=img.tar,rewrite-timestamp=true');
      }
    }
    // dockerd 20.10 saves a docker tarball from its store: the same refusal.
    const saved = await rejection(planExport({ type: 'docker', names: [], dest: join(dir, 'saved.tar'), attrs }, classic, 'docker://unix:///var/run/docker.sock'));
    expect(saved.message).toContain("the classic image store's exporter cannot rewrite file times");
  });

  it('refuses it on BuildKit before v0.13, which ignores the option', async () => {
    const err = await rejection(planExport({ type: 'oci', names: [], dest: join(dir, 'old.tar'), attrs }, oldBuildkitd, 'unix:///run/buildkit/buildkitd.sock'));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe('rewrite-timestamp=true needs BuildKit v0.13 or later; buildkitd v0.12.5 would ignore it and keep every file\'s own time (it runs BuildKit v0.12.5)');
  });

  it('passes it to the oci and docker exporters of BuildKit v0.13+, and to its image exporter', async () => {
    for (const info of [newBuildkitd, modern]) {
      for (const type of ['oci', 'docker'] as const) {
        const plan = await planExport({ type, names: [], dest: join(dir, `${type}-rt.tar`), attrs }, info, 'unix:///run/buildkit/buildkitd.sock');
        expect(plan.exporter).toEqual({ type, attrs: { 'rewrite-timestamp': 'true' } });
        await plan.abort();
      }
    }
    const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/app:1'], push: true, attrs }, newBuildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(plan.exporter.attrs?.['rewrite-timestamp']).toBe('true');
    // A false value asks for nothing: nothing to refuse.
    const off = await planExport({ type: 'docker', names: ['app:1'], attrs: { 'rewrite-timestamp': 'false' } }, classic, 'docker://unix:///var/run/docker.sock');
    expect(off.exporter.type).toBe('moby');
  });
});

describe('planExport with exporter options', () => {
  const modern: DaemonInfo = { ...containerd, buildkitVersion: 'v0.13.2', description: 'dockerd 26.1.5 (embedded BuildKit v0.13.2, containerd image store)' };
  const newBuildkitd: DaemonInfo = { ...buildkitd, buildkitVersion: 'v0.13.2' };
  const docker = 'docker://unix:///var/run/docker.sock';
  const image = (attrs: Record<string, string>) => ({ type: 'image', names: ['127.0.0.1:5000/app:1'], push: true, attrs }) as const;
  const content = { compression: 'zstd', 'compression-level': '3', 'force-compression': 'true', 'oci-mediatypes': 'true', 'annotation.org.example': 'x', 'annotation-manifest[linux/amd64].k': 'v' };

  it('refuses every option on an image dockerd stores with its classic image store, whose exporter reads only the names', async () => {
    for (const output of [image({ compression: 'zstd' }), { type: 'docker', names: ['app:1'], attrs: { compression: 'zstd' } } as const, { type: 'docker', names: [], dest: join(dir, 'c.tar'), attrs: { compression: 'zstd' } } as const]) {
      const err = await rejection(planExport(output, classic, docker));
      expect(err.code).toBe('unsupported');
      expect(err.message).toBe("compression=zstd is not applied to an image stored by dockerd 20.10.24 (embedded BuildKit v0.8): its exporter reads only the image's names, and would build the image without it");
      expect(err.hint).toMatch(/standalone buildkitd .* containerd image store/);
    }
    for (const key of ['oci-mediatypes', 'annotation.org.example', 'dangling-name-prefix', 'push-by-digest']) {
      const err = await rejection(planExport(image({ [key]: 'true' }), classic, docker));
      expect(err.message).toContain(`${key}=true is not applied to an image stored by dockerd 20.10.24`);
    }
  });

  it('accepts on the classic image store the options asking for what it does anyway, and passes none to its exporter', async () => {
    const plan = await planExport(image({ unpack: 'true', store: 'true', 'oci-mediatypes': 'false', compression: 'gzip', 'force-compression': 'false' }), classic, docker);
    expect(plan.exporter).toEqual({ type: 'moby', attrs: {} });
    const load = await planExport({ type: 'docker', names: ['app:1'], attrs: { 'oci-mediatypes': 'false' } }, classic, docker);
    expect(load.exporter).toEqual({ type: 'moby', attrs: {} });
    // The other values still ask for what it cannot do: a saved tarball's layers are not gzip, nor is an unpacked-less store.
    for (const [output, key] of [
      [image({ unpack: 'false' }), 'unpack=false'],
      [image({ 'oci-mediatypes': 'true' }), 'oci-mediatypes=true'],
      [{ type: 'docker', names: [], dest: join(dir, 'g.tar'), attrs: { compression: 'gzip' } } as const, 'compression=gzip'],
    ] as const) {
      const err = await rejection(planExport(output, classic, docker));
      expect(err.message).toContain(`${key} is not applied to an image stored by dockerd 20.10.24`);
    }
  });

  it('pushes by digest on buildkitd under the repository without the :latest a name gets otherwise, and refuses a tagged name before building', async () => {
    const output = { type: 'image', names: ['127.0.0.1:5000/team/app', 'app'], push: true, attrs: { 'push-by-digest': 'true', 'name-canonical': 'true' } } as const;
    const plan = await planExport(output, newBuildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(plan.exporter.attrs).toMatchObject({ name: '127.0.0.1:5000/team/app,docker.io/library/app', 'push-by-digest': 'true', push: 'true' });
    expect((await plan.finish({ 'containerimage.digest': 'sha256:abc' })).names).toEqual(['127.0.0.1:5000/team/app', 'docker.io/library/app']);
    // Without the option, names keep their tag as before.
    const tagged = await planExport({ ...output, attrs: { 'push-by-digest': 'false' } }, newBuildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(tagged.exporter.attrs?.['name']).toBe('127.0.0.1:5000/team/app:latest,docker.io/library/app:latest');
    for (const name of ['127.0.0.1:5000/team/app:1', 'app@sha256:' + 'a'.repeat(64)]) {
      const err = await rejection(planExport({ ...output, names: [name] }, newBuildkitd, 'unix:///run/buildkit/buildkitd.sock'));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toBe(`push-by-digest=true pushes the image by its digest alone, and ${name} has a tag or digest`);
    }
  });

  it('passes the image options to the exporter of a dockerd with the containerd image store, which Docker then pushes as stored', async () => {
    const plan = await planExport(image(content), modern, docker);
    expect(plan.exporter).toEqual({ type: 'moby', attrs: content });
    const load = await planExport({ type: 'docker', names: ['app:1'], attrs: { ...content, tar: 'true' } }, modern, docker);
    expect(load.exporter).toEqual({ type: 'moby', attrs: content });
  });

  it('refuses on dockerd the push options kiln cannot honour, since kiln names and pushes the image through Docker', async () => {
    for (const [key, value, why] of [
      ['push-by-digest', 'true', 'pushes it by its names'],
      ['name-canonical', 'true', 'no name@digest names'],
      ['unpack', 'false', 'Docker unpacks every image it stores'],
      ['store', 'false', 'so it must be stored'],
    ] as const) {
      const err = await rejection(planExport(image({ [key]: value }), modern, docker));
      expect(err.code).toBe('unsupported');
      expect(err.message).toContain(`${key}=${value} is not available for an image stored by ${modern.description}: `);
      expect(err.message).toContain(why);
    }
    // What dockerd does anyway is fine to ask for.
    const plan = await planExport(image({ unpack: 'true', store: 'true', 'dangling-name-prefix': 'kiln' }), modern, docker);
    expect(plan.exporter.attrs).toEqual({ unpack: 'true', store: 'true', 'dangling-name-prefix': 'kiln' });
  });

  it('passes every image option to a buildkitd, push options included', async () => {
    const attrs = { ...content, 'push-by-digest': 'true', 'name-canonical': 'true', unpack: 'false', store: 'false', 'source-date-epoch': '0' };
    // push-by-digest takes the repository without a tag (BuildKit refuses a tagged one after the build).
    const plan = await planExport({ ...image(attrs), names: ['127.0.0.1:5000/app'] }, newBuildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(plan.exporter).toEqual({ type: 'image', attrs: { name: '127.0.0.1:5000/app', push: 'true', ...attrs } });
    const oci = await planExport({ type: 'oci', names: [], dest: join(dir, 'opts.tar'), attrs: content }, newBuildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(oci.exporter).toEqual({ type: 'oci', attrs: content });
    await oci.abort();
  });

  it('refuses an option kiln does not know, which BuildKit (given it by buildx) would keep as metadata and ignore', async () => {
    for (const info of [newBuildkitd, modern, classic]) {
      const err = await rejection(planExport(image({ compresion: 'zstd' }), info, docker));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toBe('output type=image does not take compresion=zstd: kiln does not know this option, and BuildKit would ignore it');
      expect(err.hint).toMatch(/^The options of type=image are name, push, registry.insecure, compression, /);
    }
    // An option of another type: the image exporter has no tar=, oci and docker have no push-by-digest=.
    expect((await rejection(planExport(image({ tar: 'true' }), newBuildkitd, docker))).message).toBe('output type=image does not take tar=true');
    const oci = await rejection(planExport({ type: 'oci', names: [], dest: join(dir, 'p.tar'), attrs: { 'push-by-digest': 'true' } }, newBuildkitd, docker));
    expect(oci.message).toBe('output type=oci does not take push-by-digest=true');
    // An OutputSpec object with a field among its attrs.
    const field = await rejection(planExport(image({ push: 'true' }), newBuildkitd, docker));
    expect(field.message).toBe('output type=image has push=true among its attrs, where it is not read');
    expect(field.hint).toContain('own field');
  });

  it("refuses an option the daemon's BuildKit is too old or too new for", async () => {
    const v010: DaemonInfo = { ...buildkitd, version: 'v0.10.6', description: 'buildkitd v0.10.6' };
    const err = await rejection(planExport(image({ 'annotation.org.example': 'x' }), v010, docker));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe('annotation.org.example= needs BuildKit v0.11 or later; buildkitd v0.10.6 would ignore it (its BuildKit is older than v0.11)');
    const artifact = await rejection(planExport(image({ 'oci-artifact': 'true' }), newBuildkitd, docker));
    expect(artifact.message).toBe('oci-artifact= needs BuildKit v0.19 or later; buildkitd v0.13.2 would ignore it (it runs BuildKit v0.13.2)');
    const removed = await rejection(planExport(image({ buildinfo: 'false' }), newBuildkitd, docker));
    expect(removed.message).toBe('buildinfo= needs BuildKit v0.10 to v0.11; buildkitd v0.13.2 would ignore it (it runs BuildKit v0.13.2)');
    expect(removed.hint).toBe('Drop buildinfo=: BuildKit v0.12 and later no longer read it.');
    // A distribution build of dockerd reports its BuildKit as v0.0.0+unknown: the one its release embeds counts.
    const unknown: DaemonInfo = { ...modern, buildkitVersion: 'v0.0.0+unknown', description: 'dockerd 26.1.5 (embedded BuildKit, containerd image store)' };
    expect((await planExport(image({ compression: 'zstd' }), unknown, docker)).exporter.attrs).toEqual({ compression: 'zstd' });
    const embedded = await rejection(planExport(image({ 'oci-artifact': 'true' }), unknown, docker));
    expect(embedded.message).toBe('oci-artifact= needs BuildKit v0.19 or later; dockerd 26.1.5 (embedded BuildKit, containerd image store) would ignore it (dockerd 26.1 embeds BuildKit v0.13)');
    // Docker 29 (moby's docker-v29.x tags) vendors BuildKit v0.25 to v0.32.
    for (const [version, minor] of [['29.0.4', 25], ['29.1.5', 26], ['29.2.1', 27], ['29.3.1', 28], ['29.4.3', 29], ['29.5.3', 30], ['29.6.2', 31], ['29.7.2', 32]] as const) {
      const docker29: DaemonInfo = { ...unknown, version, description: `dockerd ${version} (embedded BuildKit, containerd image store)` };
      const tooOld = await rejection(planExport(image({ buildinfo: 'false' }), docker29, docker));
      expect(tooOld.message).toBe(`buildinfo= needs BuildKit v0.10 to v0.11; dockerd ${version} (embedded BuildKit, containerd image store) would ignore it (dockerd ${version.slice(0, 4)} embeds BuildKit v0.${minor})`);
      expect((await planExport(image({ 'oci-artifact': 'true' }), docker29, docker)).notes).toBeUndefined();
    }
    // A release kiln has no record of counts as recent.
    const later: DaemonInfo = { ...unknown, version: '30.0.0', llbCaps: new Set(['source.ocilayout']) };
    const passed = await planExport(image({ 'oci-artifact': 'true' }), later, docker);
    expect(passed.exporter.attrs).toEqual({ 'oci-artifact': 'true' });
    expect(passed.notes).toEqual([
      '[kiln] oci-artifact= needs BuildKit v0.19 or later, and dockerd 26.1.5 (embedded BuildKit, containerd image store) does not say whether it runs one (it reports v0.0.0+unknown for its BuildKit; its LLB caps show v0.11 or later): kiln passes oci-artifact= on, and the daemon applies it or ignores it',
    ]);
  });

  it('says that compression=zstd without force-compression=true leaves base-image layers as they were pulled (BuildKit reuses them)', async () => {
    const zstd = await planExport(image({ compression: 'zstd' }), newBuildkitd, docker);
    expect(zstd.notes).toEqual([
      '[kiln] compression=zstd applies to the layers this build makes; layers of a base image stay as the registry served them (usually gzip): add force-compression=true to recompress them',
    ]);
    expect((await planExport(image({ compression: 'zstd', 'force-compression': 'true' }), newBuildkitd, docker)).notes).toBeUndefined();
    expect((await planExport(image({ compression: 'gzip' }), newBuildkitd, docker)).notes).toBeUndefined();
  });

  it('judges a buildkitd that does not say which BuildKit it runs by the one rule: Info answered means v0.11+, its LLB caps raise that, and the daemon decides the rest (with a note)', async () => {
    // A dev build or the stand-in: v0.0.0+unknown, or an empty version (kiln keeps none), with v0.11 caps.
    for (const buildkitVersion of ['v0.0.0+unknown', undefined]) {
      const dev: DaemonInfo = { ...buildkitd, ...(buildkitVersion === undefined ? {} : { buildkitVersion }), llbCaps: new Set(['source.ocilayout', 'mergeop']), description: 'buildkitd dev' };
      // Options of v0.11 and before are taken without a word (they used to be refused as "older than v0.11").
      const plain = await planExport(image({ 'annotation.org.example': 'x', 'compression-level': '3', 'source-date-epoch': '0' }), dev, docker);
      expect(plain.notes).toBeUndefined();
      const later = await planExport(image({ 'oci-artifact': 'true', 'rewrite-timestamp': 'true' }), dev, docker);
      expect(later.exporter.attrs).toMatchObject({ 'oci-artifact': 'true', 'rewrite-timestamp': 'true' });
      expect(later.notes).toEqual([
        expect.stringMatching(/^\[kiln\] rewrite-timestamp=true needs BuildKit v0.13 or later, and buildkitd dev does not say whether it runs one \(it reports (v0.0.0\+unknown|no version) for its BuildKit; its LLB caps show v0.11 or later\): kiln passes it on/),
        expect.stringMatching(/^\[kiln\] oci-artifact= needs BuildKit v0.19 or later, and buildkitd dev does not say whether it runs one/),
      ]);
      // An option BuildKit v0.12 dropped may still be read by a v0.11: passed on, with a note.
      expect((await planExport(image({ buildinfo: 'false' }), dev, docker)).notes).toEqual([expect.stringContaining('[kiln] buildinfo= needs BuildKit v0.10 to v0.11')]);
    }
    // No Info call and only v0.8 caps: before v0.11, so a v0.11 option is refused; a v0.10 one goes to the daemon with a note.
    const old: DaemonInfo = { ...buildkitd, version: 'before v0.11', description: 'buildkitd before v0.11' };
    expect((await rejection(planExport(image({ 'annotation.a': 'x' }), old, docker))).message).toBe('annotation.a= needs BuildKit v0.11 or later; buildkitd before v0.11 would ignore it (its BuildKit is older than v0.11)');
    expect((await planExport(image({ 'compression-level': '3' }), old, docker)).notes).toEqual([expect.stringContaining('[kiln] compression-level= needs BuildKit v0.10 or later, and buildkitd before v0.11 does not say whether it runs one')]);
    // …unless its caps show v0.10 (mergeop).
    expect((await planExport(image({ 'compression-level': '3' }), { ...old, llbCaps: new Set(['mergeop']) }, docker)).notes).toBeUndefined();
  });
});
