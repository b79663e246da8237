import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from '../../src/client/address.js';
import { helperCommand, type StdioDaemon } from '../../src/client/connection-helper.js';
import { KilnError } from '../../src/errors.js';

/** The command line an address runs, as one array. */
function argv(address: string): string[] {
  const parsed = parseAddress(address);
  if (parsed.kind === 'unix' || parsed.kind === 'tcp' || parsed.kind === 'docker') throw new Error(`${address} runs no command`);
  const helper = helperCommand(parsed, {});
  return [helper.command, ...helper.args];
}

describe('addresses reached through a command, as buildctl runs them', () => {
  it.each([
    ['ssh://build-box', ['ssh', '-o', 'ConnectTimeout=30', '-T', '--', 'build-box', 'buildctl dial-stdio']],
    [
      'ssh://me@build-box:2222/run/buildkit/buildkitd.sock',
      ['ssh', '-l', 'me', '-p', '2222', '-o', 'ConnectTimeout=30', '-T', '--', 'build-box', 'buildctl --addr unix:///run/buildkit/buildkitd.sock dial-stdio'],
    ],
    ['ssh://me@[::1]:22', ['ssh', '-l', 'me', '-p', '22', '-o', 'ConnectTimeout=30', '-T', '--', '::1', 'buildctl dial-stdio']],
    // The remote shell reads the command: a socket path with spaces or quotes stays one word.
    ["ssh://h/run/my%20kit/it's.sock", ['ssh', '-o', 'ConnectTimeout=30', '-T', '--', 'h', `buildctl --addr 'unix:///run/my kit/it'\\''s.sock' dial-stdio`]],
    ['kube-pod://buildkitd-0', ['kubectl', 'exec', '-i', 'buildkitd-0', '--', 'buildctl', 'dial-stdio']],
    [
      'kube-pod://buildkitd-0?context=prod&namespace=ci&container=buildkitd',
      ['kubectl', '--context=prod', '--namespace=ci', 'exec', '--container=buildkitd', '-i', 'buildkitd-0', '--', 'buildctl', 'dial-stdio'],
    ],
    ['podman-container://buildkitd', ['podman', 'exec', '-i', 'buildkitd', 'buildctl', 'dial-stdio']],
    ['nerdctl-container://buildkitd', ['nerdctl', 'exec', '-i', 'buildkitd', 'buildctl', 'dial-stdio']],
    ['nerdctl-container://buildkitd?namespace=k8s.io', ['nerdctl', '--namespace', 'k8s.io', 'exec', '-i', 'buildkitd', 'buildctl', 'dial-stdio']],
    ['docker-container://buildx_buildkit_b0', ['docker', 'exec', '-i', 'buildx_buildkit_b0', 'buildctl', 'dial-stdio']],
  ])('%s runs %j', (address, expected) => {
    expect(argv(address)).toEqual(expected);
  });

  it('runs `docker system dial-stdio` over ssh for a Docker host, with the URL path as its socket', () => {
    const daemon = (path?: string): StdioDaemon => ({ kind: 'docker-ssh', target: { user: 'root', host: '10.0.0.5', port: 2200, path } });
    const line = (d: StdioDaemon): string[] => {
      const h = helperCommand(d, {});
      return [h.command, ...h.args];
    };
    expect(line(daemon())).toEqual(['ssh', '-l', 'root', '-p', '2200', '-o', 'ConnectTimeout=30', '-T', '--', '10.0.0.5', 'docker system dial-stdio']);
    expect(line(daemon('/var/run/docker.sock'))).toEqual([
      'ssh', '-l', 'root', '-p', '2200', '-o', 'ConnectTimeout=30', '-T', '--', '10.0.0.5', 'docker --host=unix:///var/run/docker.sock system dial-stdio',
    ]);
  });

  it('round-trips through formatAddress', () => {
    for (const t of [
      'ssh://build-box',
      'ssh://me@build-box:2222/run/buildkit/buildkitd.sock',
      'kube-pod://buildkitd-0?context=prod&namespace=ci&container=buildkitd',
      'podman-container://buildkitd',
      'nerdctl-container://buildkitd?namespace=k8s.io',
    ]) {
      expect(formatAddress(parseAddress(t))).toBe(t);
    }
  });

  it('prints an escaped user name or socket path so that it parses back to the same target', () => {
    for (const t of ['ssh://h/run/my%20kit/it%3Fs.sock', 'docker://ssh://me@h/run/my%20docker%25.sock', 'ssh://a%40b@h:2222/x%23y.sock']) {
      const parsed = parseAddress(t);
      expect(formatAddress(parsed)).toBe(t);
      expect(parseAddress(formatAddress(parsed))).toEqual(parsed);
    }
    const docker = parseAddress('docker://ssh://me@h/run/my%20docker.sock');
    expect(docker.kind === 'docker' && 'ssh' in docker.endpoint ? docker.endpoint.ssh.path : undefined).toBe('/run/my docker.sock');
  });

  it.each([
    ['ssh://', /ssh:\/\/\[user@\]host/],
    ['ssh://me:secret@build-box', /password .* not supported/],
    ['ssh://-oProxyCommand=x', /starts with "-"/],
    ['ssh://h?x=1', /no query/],
    ['ssh://h:99999', /out of range/],
    // A bad %-escape is the address's fault, not a crash (decodeURIComponent's URIError).
    ['ssh://h/run/50%.sock', /path "\/run\/50%.sock" has a "%" that is not followed by two hex digits/],
    ['ssh://%zz@h', /user name "%zz" has a "%"/],
    ['docker://ssh://h/%', /path "\/%" has a "%"/],
    ['kube-pod://', /pod name/],
    ['kube-pod://Build_Kit', /not a valid Kubernetes pod name/],
    ['kube-pod://p?namespace=Bad_NS', /not a valid Kubernetes namespace name/],
    // A leading "-" would be an option of kubectl exec, not a pod (kubectl exec -i -p -- …).
    ['kube-pod://-p', /not a valid Kubernetes pod name/],
    ['kube-pod://--insecure-skip-tls-verify', /not a valid Kubernetes pod name/],
    ['kube-pod://p?namespace=-n', /not a valid Kubernetes namespace name/],
    ['kube-pod://p?container=--quiet', /not a valid Kubernetes container name/],
    ['kube-pod://p-', /not a valid Kubernetes pod name/],
    ['kube-pod://p?image=x', /takes only context, namespace, container/],
    ['podman-container://', /container name/],
    ['podman-container://c?namespace=x', /takes no options/],
    ['nerdctl-container://-c', /not a valid container name/],
  ])('refuses %s', (text, why) => {
    let caught: unknown;
    try {
      parseAddress(text);
    } catch (err) {
      caught = err;
    }
    expect(KilnError.is(caught, 'invalid_argument')).toBe(true);
    expect((caught as Error).message).toMatch(why);
  });
});
