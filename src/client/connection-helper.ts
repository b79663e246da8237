/**
 * The commands kiln runs to reach a daemon through their stdio, as buildctl's and buildx's connection helpers run
 * them: each starts `buildctl dial-stdio` next to the daemon (on an ssh host, in a pod or a container), which joins
 * its stdin and stdout to the daemon's socket, and gRPC travels over that pair of pipes. The docker CLI does the same
 * for `DOCKER_HOST=ssh://…` with `docker system dial-stdio`, which joins them to the Docker API socket.
 */
import { sshArgs, type SshTarget } from './ssh-target.js';

/** A daemon reached through a command's stdio, as an address names it. */
export type StdioDaemon =
  /** `ssh://[user@]host[:port][/socket]`: `ssh … buildctl [--addr unix://<socket>] dial-stdio`. */
  | { readonly kind: 'ssh'; readonly target: SshTarget }
  /** `kube-pod://<pod>[?context=…&namespace=…&container=…]`: `kubectl exec -i … buildctl dial-stdio`. */
  | {
      readonly kind: 'kube-pod';
      readonly pod: string;
      readonly context?: string | undefined;
      readonly namespace?: string | undefined;
      readonly container?: string | undefined;
    }
  /** `podman-container://<name>`: `podman exec -i <name> buildctl dial-stdio`. */
  | { readonly kind: 'podman-container'; readonly container: string }
  /** `nerdctl-container://<name>[?namespace=…]`: `nerdctl exec [--namespace …] -i <name> buildctl dial-stdio`. */
  | { readonly kind: 'nerdctl-container'; readonly container: string; readonly namespace?: string | undefined }
  /** `docker-container://<name>`: `docker [--context c | -H host] exec -i <name> buildctl dial-stdio`. */
  | { readonly kind: 'docker-container'; readonly container: string; readonly dockerHost?: string | undefined; readonly dockerContext?: string | undefined }
  /** A Docker daemon on an ssh host: `ssh … docker [--host=unix://<path>] system dial-stdio` (the Docker API, not gRPC). */
  | { readonly kind: 'docker-ssh'; readonly target: SshTarget };

/** A command to run, and what to tell the user when it fails. */
export interface HelperCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** The program the command runs next to the daemon (`buildctl`, `docker`), for messages. */
  readonly remoteProgram: string;
  /** Where that program runs, for messages: `on 10.0.0.5`, `in pod buildkitd-0`, `in container builder`. */
  readonly where: string;
  /** What the local command is and how to get it, for when it cannot be started. */
  readonly localProgram: string;
}

/** The command line that reaches `daemon`. `env` decides the docker CLI (`KILN_DOCKER_CLI`, else `docker`). */
export function helperCommand(daemon: StdioDaemon, env: Readonly<Record<string, string | undefined>> = process.env): HelperCommand {
  switch (daemon.kind) {
    case 'ssh': {
      const t = daemon.target;
      return overSsh(t, 'buildctl', [...(t.path === undefined ? [] : ['--addr', `unix://${t.path}`]), 'dial-stdio']);
    }
    case 'docker-ssh': {
      const t = daemon.target;
      // As the docker CLI does: a path in the URL is the Docker socket on that host, else the remote docker CLI's own choice.
      return overSsh(t, 'docker', [...(t.path === undefined ? [] : [`--host=unix://${t.path}`]), 'system', 'dial-stdio']);
    }
    case 'kube-pod':
      return {
        command: 'kubectl',
        args: [
          ...(daemon.context === undefined ? [] : [`--context=${daemon.context}`]),
          ...(daemon.namespace === undefined ? [] : [`--namespace=${daemon.namespace}`]),
          'exec',
          ...(daemon.container === undefined ? [] : [`--container=${daemon.container}`]),
          '-i',
          daemon.pod,
          '--',
          'buildctl',
          'dial-stdio',
        ],
        remoteProgram: 'buildctl',
        where: `in pod ${daemon.pod}`,
        localProgram: 'kubectl',
      };
    case 'podman-container':
      return execInContainer('podman', [], daemon.container, 'podman');
    case 'nerdctl-container':
      return execInContainer('nerdctl', daemon.namespace === undefined ? [] : ['--namespace', daemon.namespace], daemon.container, 'nerdctl');
    case 'docker-container': {
      const target = daemon.dockerContext !== undefined ? ['--context', daemon.dockerContext] : daemon.dockerHost === undefined ? [] : ['-H', daemon.dockerHost];
      return execInContainer(env['KILN_DOCKER_CLI'] ?? 'docker', target, daemon.container, 'the docker CLI');
    }
  }
}

/** `ssh … -- host <program> <args>`: the ssh helpers (`buildctl dial-stdio`, `docker system dial-stdio`). */
function overSsh(target: SshTarget, program: 'buildctl' | 'docker', args: readonly string[]): HelperCommand {
  return { command: 'ssh', args: sshArgs(target, [program, ...args]), remoteProgram: program, where: `on ${target.host}`, localProgram: 'ssh (the OpenSSH client)' };
}

/** `<command> [global options] exec -i <container> buildctl dial-stdio`: the container runtimes' helpers. */
function execInContainer(command: string, globalArgs: readonly string[], container: string, localProgram: string): HelperCommand {
  return {
    command,
    args: [...globalArgs, 'exec', '-i', container, 'buildctl', 'dial-stdio'],
    remoteProgram: 'buildctl',
    where: `in container ${container}`,
    localProgram,
  };
}
