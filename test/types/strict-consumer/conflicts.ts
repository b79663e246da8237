// What the types refuse that kiln refuses at run time, and what they accept: readonly arrays, literal unions.
import { Image, KilnError, buildImage, type BuildImageOptions, type Client, type KilnErrorCode } from 'kiln';

const packages: readonly string[] = ['curl', 'git'];
export const image = Image.debianSlim().aptInstall(packages).pipInstall(packages);
export const platforms: BuildImageOptions = { output: 'type=local,dest=out', platforms: ['linux/amd64', 'linux/arm64'] as const };
export const exporter: BuildImageOptions = { exporter: { type: 'moby', attrs: { name: 'app:1' } }, platform: 'linux/amd64' };

// @ts-expect-error output and exporter together (buildImage refuses them: invalid_argument)
export const both: BuildImageOptions = { output: 'type=local,dest=out', exporter: { type: 'moby' } };

export async function build(client: Client): Promise<void> {
  // @ts-expect-error platform and platforms together (buildImage refuses them: invalid_argument)
  await buildImage(client, image, { platform: 'linux/amd64', platforms: ['linux/arm64'] });
}

export function isCode(err: unknown): boolean {
  // @ts-expect-error not one of KilnErrorCode's literals
  return KilnError.is(err, 'timeout');
}
export const code: KilnErrorCode = 'build_failed';
