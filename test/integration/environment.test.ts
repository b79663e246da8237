import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseImage, dockerApi, dockerCli, inspectImage, testEnv, type BaseImage } from './test-env.js';

// What every other integration test takes for granted about the environment scripts/env/up.sh provides.

const env = testEnv();

/** `nvidia/cuda:11.8.0-runtime-ubuntu22.04` → `nvidia/cuda`; `debian:bookworm-slim` → `debian`. */
function repository(image: BaseImage): string {
  return image.name.slice(0, image.name.lastIndexOf(':'));
}

function record(value: unknown): Record<string, unknown> {
  expect(value).toBeTypeOf('object');
  expect(value).not.toBeNull();
  return value as Record<string, unknown>;
}

/**
 * Every repository in a registry's catalog. The registry answers in pages (100 names by default) with a `Link` header
 * to the next one; the test registry holds more than a page once the suites have pushed to it for a while.
 */
async function catalogOf(registryUrl: string): Promise<string[]> {
  const names: string[] = [];
  let next: string | undefined = `${registryUrl}/v2/_catalog?n=100`;
  for (let pages = 0; next !== undefined; pages++) {
    if (pages > 1000) throw new Error(`the catalog of ${registryUrl} did not end after 1000 pages`);
    const res: Response = await fetch(next);
    expect(res.status, next).toBe(200);
    const page = record(await res.json())['repositories'];
    if (Array.isArray(page)) for (const name of page) if (typeof name === 'string') names.push(name);
    const link = /<([^>]+)>;\s*rel="?next"?/.exec(res.headers.get('link') ?? '');
    next = link?.[1] === undefined ? undefined : new URL(link[1], registryUrl).href;
  }
  return names;
}

async function run(image: string, ...command: string[]): Promise<string> {
  const { stdout } = await dockerCli(['run', '--rm', '--network', 'none', image, ...command]);
  return stdout;
}

describe('the private dockerd', () => {
  it('is its own daemon (own data root, not /var/lib/docker) with the local registry as docker.io mirror', async () => {
    const res = await dockerApi('GET', '/info');
    expect(res.status).toBe(200);
    const info = record(res.json);
    expect(info['DockerRootDir']).toBe(env.dockerDataRoot);
    expect(info['DockerRootDir']).not.toBe('/var/lib/docker');
    expect(info['Driver']).toBe(env.storageDriver);
    const registryConfig = record(info['RegistryConfig']);
    expect(registryConfig['Mirrors']).toContain(`${env.registry.url}/`);
  });

  it('puts containers on the default network on its bridge, with NAT to the Debian mirror', async () => {
    const { stdout } = await dockerCli([
      'run',
      '--rm',
      'busybox',
      'sh',
      '-c',
      [
        'ip -4 -o addr show eth0',
        'ip route show default',
        'wget -q --spider http://deb.debian.org/debian/dists/bookworm/Release && echo mirror-reachable',
      ].join('; '),
    ]);
    const prefix = env.bridge.gateway.slice(0, env.bridge.gateway.lastIndexOf('.') + 1);
    expect(stdout).toMatch(new RegExp(`inet ${prefix.replaceAll('.', '\\.')}\\d+/24`));
    expect(stdout).toContain(`default via ${env.bridge.gateway} dev eth0`);
    expect(stdout).toContain('mirror-reachable');

    const network = await dockerApi('GET', '/networks/bridge');
    expect(network.status).toBe(200);
    const options = record(record(network.json)['Options']);
    expect(options['com.docker.network.bridge.name']).toBe(env.bridge.name);
  });
});

describe('base images by their real names', () => {
  it('are all in the mirror registry with the digests env.json lists', async () => {
    const repositories = await catalogOf(env.registry.url);
    for (const image of env.baseImages) {
      const repo = image.reference.replace(/^docker\.io\//, '').replace(/:[^:]+$/, '');
      expect(repositories).toContain(repo);
      const tag = image.name.slice(image.name.lastIndexOf(':') + 1);
      const head = await fetch(`${env.registry.url}/v2/${repo}/manifests/${tag}`, {
        method: 'HEAD',
        // busybox:1.35 is a manifest list (linux/amd64 + linux/arm64), as on Docker Hub.
        headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json' },
      });
      expect(head.status, image.name).toBe(200);
      expect(head.headers.get('docker-content-digest'), image.name).toBe(image.digest);
    }
  });

  it.each(env.baseImages.map((image) => [image.name, image] as const))(
    'docker pull %s fetches it from the mirror',
    async (name, image) => {
      // Untag a local copy first (never forced: an image in use by a container stays) so the pull goes to the registry.
      await dockerApi('DELETE', `/images/${name}`);
      const { stdout } = await dockerCli(['pull', name]);
      expect(stdout).toContain(`Digest: ${image.digest}`);
      const inspected = await inspectImage(name);
      expect(inspected?.repoDigests).toContain(`${repository(image)}@${image.digest}`);
      expect(inspected?.architecture).toBe('amd64');
      expect(inspected?.os).toBe('linux');
      expect(inspected?.config.workingDir).toBe('');
      expect(inspected?.config.env.find((e) => e.startsWith('PATH='))).toMatch(/^PATH=.*\/usr\/bin/);
    },
  );

  it('debian:bookworm-slim is Debian 12, slim', async () => {
    expect(await run('debian:bookworm-slim', 'cat', '/etc/debian_version')).toMatch(/^12\.\d+\n$/);
    expect(await run('debian:bookworm-slim', 'sh', '-c', 'ls /usr/share/man | wc -l; ls /var/lib/apt/lists | wc -l')).toBe(
      '0\n0\n',
    );
    expect((await inspectImage('debian:bookworm-slim'))?.config.cmd).toEqual(['bash']);
  });

  it('python:3.11-slim runs Python 3.11 with pip and venv', async () => {
    expect(await run('python:3.11-slim', 'python', '--version')).toMatch(/^Python 3\.11\.\d+\n$/);
    expect(await run('python:3.11-slim', 'pip', '--version')).toMatch(/python 3\.11/);
    expect(await run('python:3.11-slim', 'sh', '-c', 'python -m venv /tmp/v && /tmp/v/bin/python -c "print(42)"')).toBe(
      '42\n',
    );
    const config = (await inspectImage('python:3.11-slim'))?.config;
    expect(config?.env).toContain('LANG=C.UTF-8');
    expect(config?.env.find((e) => e.startsWith('PYTHON_VERSION='))).toMatch(/^PYTHON_VERSION=3\.11\.\d+$/);
    expect(config?.cmd).toEqual(['python3']);
    expect(config?.labels['org.kiln.env.stand-in']).toContain('stand-in');
  });

  it('the nvidia/cuda stand-ins carry the NVIDIA image environment and libcudart', async () => {
    for (const name of ['nvidia/cuda:11.8.0-runtime-ubuntu22.04', 'nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04']) {
      const config = (await inspectImage(baseImage(name).name))?.config;
      expect(config?.env).toEqual(
        expect.arrayContaining([
          'CUDA_VERSION=11.8.89',
          'NVIDIA_VISIBLE_DEVICES=all',
          'NVIDIA_DRIVER_CAPABILITIES=compute,utility',
          'NVIDIA_REQUIRE_CUDA=cuda>=11.8',
          'LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64',
        ]),
      );
      expect(config?.env.find((e) => e.startsWith('PATH='))).toContain('/usr/local/cuda/bin');
      expect(config?.labels['org.kiln.env.stand-in']).toMatch(/stand-in/);
      expect(await run(name, 'sh', '-c', 'echo "$CUDA_VERSION"; ls /usr/local/cuda/lib64/')).toMatch(
        /^11\.8\.89\n(.*\n)*libcudart\.so\.11\.0\n/,
      );
    }
  });

  it('ubuntu:22.04 is labelled as a Debian stand-in', async () => {
    const config = (await inspectImage('ubuntu:22.04'))?.config;
    expect(config?.labels['org.kiln.env.stand-in']).toMatch(/stand-in.*Debian/);
    expect(await run('ubuntu:22.04', 'cat', '/etc/debian_version')).toMatch(/^12\./);
  });

  it('busybox has root and nobody, and a world-writable /tmp', async () => {
    expect(await run('busybox', 'id', 'nobody')).toMatch(/^uid=65534\(nobody\) gid=65534/);
    const asNobody = await dockerCli(
      ['run', '--rm', '--network', 'none', '--user', 'nobody', 'busybox', 'sh', '-c', 'touch /tmp/x && echo ok'],
    );
    expect(asNobody.stdout).toBe('ok\n');
    expect((await inspectImage('busybox'))?.config.cmd).toEqual(['sh']);
  });
});

describe('the auth registry', () => {
  const auth = env.authRegistry;
  const basic = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const repo = 'kiln-env-check/busybox';
  const tag = `t${process.pid}`;
  const ref = `${auth.address}/${repo}:${tag}`;
  let config: string | undefined;

  afterAll(async () => {
    await dockerApi('DELETE', `/images/${ref}`);
    if (config !== undefined) await rm(config, { recursive: true, force: true });
  });

  it('refuses anonymous uploads and accepts kiln:kiln-secret over the API', async () => {
    const anonymous = await fetch(`${auth.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);

    const wrong = await fetch(`${auth.url}/v2/${repo}/blobs/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${auth.username}:wrong`).toString('base64')}` },
    });
    expect(wrong.status).toBe(401);

    const accepted = await fetch(`${auth.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: { Authorization: basic } });
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location');
    expect(location).toBeTruthy();
    // Cancel the empty upload again.
    await fetch(new URL(location ?? '', auth.url), { method: 'DELETE', headers: { Authorization: basic } });
  });

  it('docker push needs a login, which kiln:kiln-secret gets', async () => {
    config = await mkdtemp(join(tmpdir(), 'kiln-docker-config-'));
    const isolated = { env: { DOCKER_CONFIG: config } };
    await dockerCli(['pull', 'busybox'], isolated);
    await dockerCli(['tag', 'busybox', ref], isolated);

    const refused = await dockerCli(['push', ref], { ...isolated, allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/no basic auth credentials|unauthorized/);

    const badLogin = await dockerCli(['login', auth.address, '-u', auth.username, '--password-stdin'], {
      ...isolated,
      input: 'not-the-password\n',
      allowFailure: true,
    });
    expect(badLogin.code).not.toBe(0);
    expect(badLogin.stderr).toMatch(/unauthorized/i);

    const login = await dockerCli(['login', auth.address, '-u', auth.username, '--password-stdin'], {
      ...isolated,
      input: `${auth.password}\n`,
    });
    expect(login.stdout).toContain('Login Succeeded');

    const pushed = await dockerCli(['push', ref], isolated);
    expect(pushed.stdout).toMatch(new RegExp(`${tag}: digest: sha256:[0-9a-f]{64}`));

    const tags = await fetch(`${auth.url}/v2/${repo}/tags/list`, { headers: { Authorization: basic } });
    expect(tags.status).toBe(200);
    expect(record(await tags.json())['tags']).toContain(tag);
  });
});
