/**
 * The images `image-rebuild.bench.ts` builds, in a module of their own so that kiln's CLI can build them: each round
 * writes a small `image.ts` that imports kiln and this module and exports one of them, as a user's image module would.
 * The functions take kiln's `Image` class: the bench passes the one it runs with, the image module the one of the kiln
 * the CLI runs (its bundle), so that the CLI recognises the image it exports.
 */
import type { Image } from '../src/image/index.js';

/** kiln's `Image` class, as the module building an image imported it. */
export type ImageClass = typeof Image;

export const PACKAGES = ['kiln_bench_http', 'kiln_bench_json', 'kiln_bench_cli', 'kiln_bench_db', 'kiln_bench_ml'];
export const EDITED = 'kiln_bench_ml';

/** Where the apt + pip image gets its packages (the stand-ins the bench serves) and which version it pins. */
export interface AppImageParams {
  readonly sourcesLine: string;
  readonly indexUrl: string;
  readonly indexHost: string;
  readonly editedVersion: string;
}

/** The apt + pip + app-code image: an apt repository swapped in, one apt package, five pinned wheels, app files. */
export function appImage(p: AppImageParams, Image: ImageClass): Image {
  const requirements = PACKAGES.map((name) => `${name.replace(/_/g, '-')}==${name === EDITED ? p.editedVersion : '1.0'}`);
  return Image.fromRegistry('python:3.11-slim')
    .runCommands(`rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources && echo '${p.sourcesLine}' > /etc/apt/sources.list.d/bench.list`)
    .aptInstall('kiln-bench-tool')
    .pipInstall(...requirements, { indexUrl: p.indexUrl, extraOptions: ['--trusted-host', p.indexHost] })
    .workdir('/srv')
    .addLocalDir('app', { remotePath: '/srv/app' })
    .addLocalFile('settings.toml', '/srv/')
    .env({ APP_MODE: 'bench' })
    .cmd(['python', '/srv/app/main.py']);
}

/** Three independent 5-second steps (only their outputs kept), unique by `token`. */
export function stepsImage(token: string, Image: ImageClass): Image {
  return Image.fromRegistry('debian:bookworm-slim')
    .runCommands(`sleep 5 && mkdir -p /opt/one && echo ${token} > /opt/one/done`, { outputs: ['/opt/one'] })
    .runCommands(`sleep 5 && mkdir -p /opt/two && echo ${token} > /opt/two/done`, { outputs: ['/opt/two'] })
    .runCommands(`sleep 5 && mkdir -p /opt/three && echo ${token} > /opt/three/done`, { outputs: ['/opt/three'] })
    .cmd(['cat', '/opt/one/done', '/opt/two/done', '/opt/three/done']);
}

/** The Dockerfile most people would write for `stepsImage`: three `RUN`s in one stage. */
export function sequentialDockerfile(token: string): string {
  return [
    'FROM debian:bookworm-slim',
    ...['one', 'two', 'three'].map((d) => `RUN sleep 5 && mkdir -p /opt/${d} && echo ${token} > /opt/${d}/done`),
    'CMD ["cat","/opt/one/done","/opt/two/done","/opt/three/done"]',
    '',
  ].join('\n');
}

/** What a round builds: the apt + pip + app image, or the three independent steps. */
export type ImageSpec = { readonly kind: 'app'; readonly params: AppImageParams } | { readonly kind: 'steps'; readonly token: string };

export function imageOf(spec: ImageSpec, Image: ImageClass): Image {
  return spec.kind === 'app' ? appImage(spec.params, Image) : stepsImage(spec.token, Image);
}

/**
 * The source of the image module a user would hand to `kiln build` for `spec`: it imports kiln (`kilnIndex`, the kiln
 * the CLI runs) and this module (by the URL `imagesModule` it was loaded from, compiled or not) and exports the image
 * as default.
 */
export function imageModuleSource(spec: ImageSpec, kilnIndex: string, imagesModule: string): string {
  return `import { Image } from ${JSON.stringify(kilnIndex)};\nimport { imageOf } from ${JSON.stringify(imagesModule)};\n\nexport default imageOf(${JSON.stringify(spec)}, Image);\n`;
}
