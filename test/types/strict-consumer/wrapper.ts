// A tool wrapping kiln: its own settings are optional (string | undefined under exactOptionalPropertyTypes), and
// it passes them straight through, as the README's examples do with literals.
import { Client, Image, KilnError, authService, buildImage, createProgressDisplay, createProgressRenderer, fileSyncService, formatAddress, resolveAddress, runDoctor, secretsService, sshService, type BuiltImage } from 'kiln';
import { image, local, marshal, mkdir, type RunOptions } from 'kiln/llb';

export interface Settings {
  readonly address?: string | undefined;
  readonly platform?: string | undefined;
  readonly tags?: string[] | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly cwd?: string | undefined;
  readonly user?: string | undefined;
  readonly indexUrl?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly readOnly?: boolean | undefined;
}

export function define(s: Settings): Image {
  return Image.debianSlim({ pythonVersion: undefined })
    .pipInstall(['requests'], { indexUrl: s.indexUrl, extraIndexUrl: undefined, secrets: undefined, gpu: undefined })
    .addLocalDir('app', { remotePath: '/srv/app', ignore: undefined, copy: undefined })
    .runCommands('true', { cwd: s.cwd, user: s.user, secrets: [{ id: 'TOKEN', env: undefined, path: undefined, optional: undefined }], ssh: undefined })
    .workdir('/srv/app');
}

export async function build(s: Settings): Promise<BuiltImage> {
  const client = await Client.connect({ address: s.address, signal: s.signal });
  const display = createProgressDisplay(createProgressRenderer('plain', { stream: process.stderr, env: s.env, columns: undefined, color: undefined }));
  try {
    return await buildImage(client, define(s), { tags: s.tags, platform: s.platform, signal: s.signal, onStatus: display.onStatus, context: s.cwd });
  } finally {
    await display.finish();
    await client.close();
  }
}

export async function services(s: Settings): Promise<string[]> {
  const report = await runDoctor({ address: s.address, env: s.env });
  const all = [
    authService({ configDir: undefined, credentials: undefined, env: s.env, helperTimeoutMs: undefined, onCredentialsShared: undefined }),
    secretsService(['id=TOKEN,env=TOKEN'], { env: s.env, cwd: s.cwd }),
    sshService(['default'], { env: s.env, cwd: s.cwd, readOnly: s.readOnly }),
    fileSyncService([{ name: 'context', path: s.cwd ?? '.', include: undefined, exclude: undefined, followPaths: undefined, useDockerignore: undefined }], { onTransfer: undefined, onError: undefined, onSkip: undefined }),
  ];
  return [formatAddress(resolveAddress({ explicit: s.address, env: s.env, explicitSource: undefined }).address), String(report.checks.length), String(all.length)];
}

export function lowLevel(s: Settings): Uint8Array {
  const options: RunOptions = { args: undefined, cwd: s.cwd, user: s.user, network: undefined, mounts: [{ type: 'cache', dest: '/root/.cache', id: 'pip', sharing: undefined }] };
  const ctx = local('context', { exclude: undefined, include: undefined });
  const state = image('python:3.11-slim', { platform: s.platform, resolveMode: undefined })
    .run('pip install -r requirements.txt', options)
    .root()
    .file(mkdir('/app', { parents: true, mode: undefined }).copy(ctx, '.', '/app', { followSymlinks: undefined }));
  return marshal(state, { platform: s.platform, caps: undefined }).toBytes();
}

export const failure = (e: unknown): string =>
  e instanceof KilnError ? `${e.code} ${e.details.step ?? ''} ${new KilnError('internal', 'x', { details: { step: undefined, exitCode: e.details.exitCode } }).code}` : String(e);
