import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkFileDestination, prepareLanding } from '../session/export-landing.js';
import { writeError } from '../session/fs-errors.js';
import { KilnError } from '../errors.js';
import { parseImageRef } from '../llb/image-ref.js';
import { dockerConfigDir, lookupCredentialSource, lookupRegistryToken, readDockerConfig, registryHost } from '../session/docker-config.js';
import { helperFailure, runCredentialHelper } from '../session/credential-helper.js';
import { exportReceiver, type ExportReceiver } from '../session/file-send-service.js';
import type { SessionService } from '../session/session-server.js';
import type { ExporterSpec } from './build.js';
import { isClassicDockerd, type DaemonInfo } from './client.js';
import { parseAddress } from './address.js';
import { checkJsonStream, dockerEndpointFromEnv, dockerRequest, dockerStream, type DockerEndpoint } from './docker-api.js';
import { dockerImageId, dockerTag, repoAndTag, withDockerNames } from './docker-names.js';
import type { OutputSpec } from './output-spec.js';
import { dockerInsecurePushNotes } from './docker-insecure-registry.js';
import { checkExportAttrs, loadLayerCompression, mobyExportAttrs, pushesByDigest } from './export-attrs.js';
import { checkRewriteTimestamp } from './rewrite-timestamp.js';
import { transferProgress, type StatusSink } from './transfer-progress.js';
import type { ByteCounter } from '../session/file-send-service.js';

/** What happened to a build's output. */
export interface ExportResult {
  /** Image digest (`containerimage.digest`): the manifest digest, or the image ID on dockerd. */
  readonly digest?: string | undefined;
  /** Image names the result was stored or pushed under. */
  readonly names: readonly string[];
  /** Where files went (`local`, `tar`, `oci`, `docker` to a file), `-` for stdout. */
  readonly dest?: string | undefined;
  readonly pushed: boolean;
  /** The exporter's full response. */
  readonly exporterResponse: Readonly<Record<string, string>>;
}

/** How one output is produced on one daemon: the exporter, the session services it needs, and the steps after. */
export interface ExportPlan {
  readonly exporter: ExporterSpec;
  readonly sessionServices: readonly SessionService[];
  /** Completes the export once the build succeeded (lands files, loads or pushes images). */
  finish(exporterResponse: Readonly<Record<string, string>>): Promise<ExportResult>;
  /** Drops a partial export after a failure. */
  abort(): Promise<void>;
  /**
   * After `abort`: the error this machine hit receiving the export (a destination it could not write), which the
   * daemon reports only as its export step failing; undefined when there was none.
   */
  localFailure?(): KilnError | undefined;
  /**
   * What the user should know before the build about how the output will come out (`[kiln] …` lines): an option that
   * is taken but not needed, or one whose effect the daemon decides.
   */
  readonly notes?: readonly string[] | undefined;
}

/** Options of {@link planExport}. */
export interface ExportPlanOptions {
  /** The Docker daemon for `--load`/push on dockerd (default: DOCKER_HOST or the default socket). */
  readonly docker?: DockerEndpoint | undefined;
  /** Environment `DOCKER_HOST` and `DOCKER_CONFIG` are read from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Where `tar`/`oci`/`docker` output with dest `-` goes (default process.stdout). */
  readonly stdout?: NodeJS.WritableStream | undefined;
  /** Cancels what `finish` does after the build (a push through dockerd, a save, a load). */
  readonly signal?: AbortSignal | undefined;
  /** The build attaches attestations (provenance, SBOM): a load into Docker from a buildkitd is checked for them. */
  readonly attestations?: boolean | undefined;
  /** Where the byte counts of a tarball export (and of its load into Docker) go as progress: the build's `onStatus`. */
  readonly onProgress?: StatusSink | undefined;
}

/** A name to give the image, fully qualified as the daemons store it; a malformed one fails before the build. */
export function normaliseName(name: string): string {
  try {
    return parseImageRef(name).normalized;
  } catch (err) {
    if (!KilnError.is(err, 'invalid_argument')) throw err;
    throw new KilnError('invalid_argument', `cannot name the image: ${err.message}`, {
      cause: err,
      hint: 'Image names are [registry/]repository[:tag] with a lowercase repository, e.g. -t myapp:dev or -t 127.0.0.1:5000/team/app:1.0.',
    });
  }
}

/**
 * The Docker API of the dockerd the build runs on: the moby exporter stores the image there, so naming, pushing and
 * saving it must go there too (the `docker` option is where loads from a buildkitd go, not this).
 */
function dockerdDockerSocket(info: DaemonInfo, address: string, opts: ExportPlanOptions): DockerEndpoint {
  if (info.kind === 'dockerd') {
    const parsed = parseAddress(address);
    if (parsed.kind === 'docker') return parsed.endpoint;
  }
  return opts.docker ?? dockerEndpointFromEnv(opts.env);
}

/**
 * X-Registry-Auth for a Docker API push, from the Docker config (anonymous when nothing is configured), and the
 * credential helper the config names for the registry when it is not installed: the push then goes without
 * credentials (a registry that takes anonymous pushes still gets the image, as with BuildKit's own push), and a
 * failed push says why none were sent.
 */
async function registryAuthHeader(name: string, env: Readonly<Record<string, string | undefined>> | undefined): Promise<{ header: string; missingHelper?: KilnError }> {
  const host = parseImageRef(name).domain;
  let credential: { username: string; secret: string } | undefined;
  let missingHelper: KilnError | undefined;
  let registryToken: string | undefined;
  try {
    const config = readDockerConfig(dockerConfigDir(env ?? process.env));
    registryToken = lookupRegistryToken(config, host);
    const source = lookupCredentialSource(config, host);
    if (source.kind === 'inline') credential = { username: source.credential.username, secret: source.credential.secret };
    else if (source.kind === 'helper') {
      try {
        credential = await runCredentialHelper(source.helper, source.serverUrl, env === undefined ? {} : { env });
      } catch (err) {
        // The message the session's auth service gives the daemon for the same helper.
        const failure = helperFailure(err, source.setting, config.file);
        if (!KilnError.is(failure, 'not_found')) throw failure;
        missingHelper = failure;
      }
    }
  } catch (err) {
    if (!KilnError.is(err, 'io')) throw err;
  }
  const login =
    credential === undefined
      ? {}
      : credential.username === ''
        ? { identitytoken: credential.secret, serveraddress: registryHost(host) }
        : { username: credential.username, password: credential.secret, serveraddress: host };
  // Docker sends a registry token to the registry as is, as `docker push` has it do.
  const auth = registryToken === undefined ? login : { serveraddress: registryHost(host), ...login, registrytoken: registryToken };
  // Docker decodes this header with Go's padded URL-safe base64 (Node's 'base64url' drops the padding).
  const header = Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  return missingHelper === undefined ? { header } : { header, missingHelper };
}

/**
 * Pushes `name` through the Docker API; resolves with the manifest digest the registry now holds (Docker's
 * `aux.Digest`: with the classic image store it differs from the image ID the moby exporter reports).
 */
async function dockerPush(ep: DockerEndpoint, name: string, env: Readonly<Record<string, string | undefined>> | undefined, signal: AbortSignal | undefined): Promise<string | undefined> {
  const { repo, tag } = repoAndTag(name);
  const auth = await registryAuthHeader(repo, env);
  let res: { status: number; text: string };
  try {
    res = await dockerRequest(ep, {
      method: 'POST',
      path: `/images/${encodeURIComponent(repo)}/push?tag=${encodeURIComponent(tag)}`,
      headers: { 'X-Registry-Auth': auth.header },
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (err) {
    if (signal?.aborted === true) throw new KilnError('cancelled', `pushing ${name} was cancelled`, { cause: signal.reason });
    throw err;
  }
  let lines: Record<string, unknown>[];
  try {
    lines = checkJsonStream(
      res.text,
      `pushing ${name}`,
      "The image was built; Docker could not push it (each name it had given the image for the push is back to what it was). Check that the registry is reachable from Docker and that the Docker config kiln reads (DOCKER_CONFIG, else ~/.docker/config.json) has a login for it (docker login).",
    );
  } catch (err) {
    const missing = auth.missingHelper;
    if (missing === undefined || !(err instanceof KilnError)) throw err;
    // Not "docker login": the login may well be stored, in a helper kiln could not run.
    throw new KilnError(err.code, `${err.message}; kiln sent no credentials: ${missing.message}`, {
      cause: err,
      hint: `${missing.hint ?? 'Install the credential helper, or remove it from your Docker config.'} The image was built; Docker could not push it (each name it had given the image for the push is back to what it was).`,
      details: { ...missing.details },
    });
  }
  for (const line of lines) {
    const digest = (line['aux'] as { Digest?: unknown } | undefined)?.Digest;
    if (typeof digest === 'string' && digest.startsWith('sha256:')) return digest;
  }
  return undefined;
}

/**
 * Plans how to produce `output` on the daemon described by `info`, using what each daemon offers:
 * - image (+push): buildkitd's `image` exporter; dockerd's `moby` exporter then a push through the Docker API;
 * - docker (load): dockerd's `moby` exporter; on buildkitd a `docker` tarball streamed into Docker's image load;
 * - docker/oci/tar to a file or stdout, local to a directory: streamed back over the session (FileSend); dockerd with
 *   its classic image store has no docker/oci exporters: a docker tarball is saved from Docker's store instead.
 */
export async function planExport(output: OutputSpec, info: DaemonInfo, address: string, opts: ExportPlanOptions = {}): Promise<ExportPlan> {
  const notes: string[] = [];
  const plan = await planOutput(output, info, address, opts, notes);
  return notes.length === 0 ? plan : { ...plan, notes };
}

async function planOutput(output: OutputSpec, info: DaemonInfo, address: string, opts: ExportPlanOptions, notes: string[]): Promise<ExportPlan> {
  const dockerd = info.kind === 'dockerd';
  const tarballExporters = !isClassicDockerd(info);
  const stdout = opts.stdout ?? process.stdout;
  const withReceiver = async (
    exporter: ExporterSpec,
    receiver: ExportReceiver,
    after: (resp: Readonly<Record<string, string>>) => Promise<ExportResult>,
  ): Promise<ExportPlan> => ({
    exporter,
    sessionServices: [receiver.service],
    async finish(resp) {
      await receiver.commit();
      return after({ ...receiver.metadata(), ...resp });
    },
    abort: () => receiver.abort(),
    localFailure: () => receiver.failure(),
  });
  // Images dockerd stores (and, on its classic store, docker tarballs saved from there) come from its moby exporter.
  const viaMoby = dockerd && (output.type === 'image' || (output.type === 'docker' && (output.dest === undefined || !tarballExporters)));
  notes.push(...checkRewriteTimestamp(output, info, viaMoby));
  notes.push(...checkExportAttrs(output, info, viaMoby));
  const mobyAttrs = mobyExportAttrs(output, info);
  /** The byte count of a tarball received into `dest`, as a step of the progress. */
  const receivedBytes = (type: string, dest: string): ByteCounter | undefined => {
    if (opts.onProgress === undefined) return undefined;
    const step = transferProgress(`[kiln] receiving the ${type} tarball${dest === '-' ? '' : ` into ${dest}`}`, opts.onProgress);
    const counter = step.counter('received', 'received');
    return { add: (n) => counter.add(n), done: () => (counter.done(), step.done()) };
  };
  const fileTarget = (dest: string) =>
    dest === '-' ? ({ kind: 'stream', stream: stdout as unknown as import('node:stream').Writable } as const) : ({ kind: 'file', dest } as const);

  switch (output.type) {
    case 'local': {
      const receiver = await exportReceiver({ kind: 'directory', dest: output.dest }, { signal: opts.signal });
      return withReceiver({ type: 'local' }, receiver, async (resp) => ({ names: [], dest: output.dest, pushed: false, exporterResponse: resp }));
    }
    case 'tar': {
      const receiver = await exportReceiver(fileTarget(output.dest), { progress: receivedBytes('tar', output.dest) });
      return withReceiver({ type: 'tar' }, receiver, async (resp) => ({ names: [], dest: output.dest, pushed: false, exporterResponse: resp }));
    }
    case 'oci': {
      if (!tarballExporters) {
        throw new KilnError('unsupported', `the oci exporter is not available on ${info.description}`, {
          hint: 'Export a docker tarball (type=docker,dest=FILE) or load the image into Docker with this dockerd, turn on its containerd image store (dockerd 24+), or build on a standalone buildkitd.',
        });
      }
      const receiver = await exportReceiver(fileTarget(output.dest), { progress: receivedBytes('oci', output.dest) });
      const names = output.names.map(normaliseName);
      return withReceiver({ type: 'oci', attrs: { ...(names.length > 0 ? { name: names.join(',') } : {}), ...output.attrs } }, receiver, async (resp) => ({
        ...(resp['containerimage.digest'] === undefined ? {} : { digest: resp['containerimage.digest'] }),
        names,
        dest: output.dest,
        pushed: false,
        exporterResponse: resp,
      }));
    }
    case 'docker': {
      const names = output.names.map(normaliseName);
      if (output.dest !== undefined && tarballExporters) {
        const receiver = await exportReceiver(fileTarget(output.dest), { progress: receivedBytes('docker', output.dest) });
        return withReceiver({ type: 'docker', attrs: { ...(names.length > 0 ? { name: names.join(',') } : {}), ...output.attrs } }, receiver, async (resp) => ({
          ...(resp['containerimage.digest'] === undefined ? {} : { digest: resp['containerimage.digest'] }),
          names,
          dest: output.dest!,
          pushed: false,
          exporterResponse: resp,
        }));
      }
      if (dockerd) {
        if (output.dest !== undefined) {
          if (output.dest !== '-') await checkFileDestination(output.dest);
          return mobySavePlan(names, output.dest, info, address, opts, stdout);
        }
        return mobyPlan(names, false, mobyAttrs, info, address, opts);
      }
      // buildkitd → Docker: stream the docker tarball straight into the Docker API's image load. Docker must answer
      // before the build starts, not after it ran for minutes.
      const ep = opts.docker ?? dockerEndpointFromEnv(opts.env);
      await dockerRequest(ep, { method: 'GET', path: '/_ping' });
      if (opts.attestations === true) notes.push(...(await attestedLoadNotes(ep)));
      const pipe = new PassThrough();
      // Under the export's signal: a cancel (or the client's close) while Docker still reads or loads the tarball ends
      // the request, and Docker drops the tarball it did not get whole.
      const load = dockerRequest(ep, {
        method: 'POST',
        path: '/images/load?quiet=1',
        headers: { 'Content-Type': 'application/x-tar' },
        body: pipe,
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      });
      load.catch(() => {});
      let progress: ByteCounter | undefined;
      if (opts.onProgress !== undefined) {
        const step = transferProgress('[kiln] loading the image into Docker', opts.onProgress);
        const received = step.counter('received', 'received');
        const intoDocker = step.counter('sent to Docker', 'sent to Docker');
        pipe.on('data', (chunk: Buffer) => intoDocker.add(chunk.length));
        pipe.once('end', () => (intoDocker.done(), step.done()));
        progress = received;
      }
      const receiver = await exportReceiver({ kind: 'stream', stream: pipe }, { progress });
      return {
        exporter: { type: 'docker', attrs: { ...(names.length > 0 ? { name: names.join(',') } : {}), ...loadLayerCompression(output.attrs ?? {}, info), ...output.attrs } },
        sessionServices: [receiver.service],
        async finish(resp) {
          try {
            await receiver.commit();
            checkJsonStream((await load).text, 'loading the image into Docker');
          } catch (err) {
            pipe.destroy();
            throw err;
          }
          return {
            ...(resp['containerimage.digest'] === undefined ? {} : { digest: resp['containerimage.digest'] }),
            names,
            pushed: false,
            exporterResponse: { ...receiver.metadata(), ...resp },
          };
        },
        async abort() {
          pipe.destroy();
          await receiver.abort();
        },
        localFailure: () => receiver.failure(),
      };
    }
    case 'image': {
      const names = output.names.map(normaliseName);
      if (dockerd) {
        // Docker pushes by its own configuration, whatever registry.insecure says.
        if (output.push === true && output.insecure === true) notes.push(...(await dockerInsecurePushNotes(dockerdDockerSocket(info, address, opts), names, info.description, undefined, opts.signal)));
        return mobyPlan(names, output.push === true, mobyAttrs, info, address, opts);
      }
      // BuildKit pushes by digest only names without a tag ("can't push tagged ref … by digest", after the build):
      // the names go as written, normalised without the `:latest` a name gets otherwise.
      const byDigest = pushesByDigest(output);
      const exportNames = byDigest ? output.names.map(untaggedName) : names;
      const attrs: Record<string, string> = { name: exportNames.join(','), ...output.attrs };
      if (output.push === true) attrs['push'] = 'true';
      if (output.insecure === true) attrs['registry.insecure'] = 'true';
      return {
        exporter: { type: 'image', attrs },
        sessionServices: [],
        async finish(resp) {
          return {
            ...(resp['containerimage.digest'] === undefined ? {} : { digest: resp['containerimage.digest'] }),
            names: exportNames,
            pushed: output.push === true,
            exporterResponse: resp,
          };
        },
        abort: async () => {},
      };
    }
  }
}

/**
 * A load into Docker of an image with attestations: BuildKit's docker exporter then writes an OCI image index and no
 * `manifest.json`, which `docker load` reads before Docker 25 (API 1.44) — refused before the build, as the load would
 * fail after it; Docker's classic image store loads the image and drops the attestations — said in a note.
 */
async function attestedLoadNotes(ep: DockerEndpoint): Promise<string[]> {
  const version = JSON.parse((await dockerRequest(ep, { method: 'GET', path: '/version' })).text) as { Version?: unknown; ApiVersion?: unknown };
  const docker = `Docker ${typeof version.Version === 'string' ? version.Version : '(no version)'}`;
  const api = /^(\d+)\.(\d+)/.exec(typeof version.ApiVersion === 'string' ? version.ApiVersion : '');
  if (api === null || Number(api[1]) < 1 || (Number(api[1]) === 1 && Number(api[2]) < 44)) {
    throw new KilnError('unsupported', `${docker} cannot load an image with attestations: BuildKit writes it as an OCI image index without the manifest.json that docker load reads before Docker 25, so the load would fail after the build`, {
      hint: 'Push the image with its attestations (--push, -o type=image,name=…,push=true), write them to a file (-o type=oci,dest=app.tar), load into Docker 25 or later, or drop --provenance/--sbom/--attest for this load.',
      details: { docker, apiVersion: typeof version.ApiVersion === 'string' ? version.ApiVersion : '' },
    });
  }
  const info = JSON.parse((await dockerRequest(ep, { method: 'GET', path: '/info' })).text) as { DriverStatus?: unknown };
  const status = Array.isArray(info.DriverStatus) ? (info.DriverStatus as unknown[]) : [];
  const containerd = status.some((e) => Array.isArray(e) && e[0] === 'driver-type' && e[1] === 'io.containerd.snapshotter.v1');
  return containerd
    ? []
    : [`[kiln] ${docker} stores the image it loads in its classic image store, which keeps the image and drops its attestations: push it (--push) or write -o type=oci,dest=FILE to keep them`];
}

/** `name` normalised without a tag, for push-by-digest=true; a name with a tag or digest is refused before the build. */
function untaggedName(name: string): string {
  const ref = parseImageRef(normaliseName(name));
  const last = name.slice(name.lastIndexOf('/') + 1);
  if (last.includes(':') || last.includes('@')) {
    throw new KilnError('invalid_argument', `push-by-digest=true pushes the image by its digest alone, and ${name} has a tag or digest`, {
      hint: `Give the repository without a tag (name=${ref.domain}/${ref.path}); the pushed digest is printed and in the result.`,
      details: { name },
    });
  }
  return `${ref.domain}/${ref.path}`;
}

/**
 * dockerd's `moby` exporter, with the image left unnamed by the export: kiln names it afterwards, while no other
 * build of this process uses those names (see docker-names.ts), then pushes. A build exporting under a name itself
 * could move it between another build's naming and its push. A failed push puts each name back to what it was: the
 * image it named before, or nothing. `attrs` are the image options its exporter applies (on the containerd image store
 * it is BuildKit's image exporter: compression, oci-mediatypes, annotations…; Docker pushes the image as stored).
 */
async function mobyPlan(
  names: readonly string[],
  push: boolean,
  attrs: Readonly<Record<string, string>>,
  info: DaemonInfo,
  address: string,
  opts: ExportPlanOptions,
): Promise<ExportPlan> {
  const ep = names.length > 0 ? dockerdDockerSocket(info, address, opts) : undefined;
  return {
    exporter: { type: 'moby', attrs: { ...attrs } },
    sessionServices: [],
    async finish(resp) {
      const own = resp['containerimage.digest'];
      let pushed: string | undefined;
      if (ep !== undefined) {
        if (own === undefined) throw new KilnError('protocol', `the daemon reported no image ID for the image to name ${names.join(', ')}`);
        const signal = opts.signal;
        /** What each name pointed at before kiln named this image: put back when naming or the push fails. */
        const before = new Map<string, string | undefined>();
        await withDockerNames(
          ep,
          names,
          async () => {
            // (A load with one name has nothing to put back: its naming is one call that happens or not.)
            if (push || names.length > 1) for (const n of names) before.set(n, await dockerImageId(ep, n, signal));
            try {
              for (const n of names) {
                if (signal?.aborted === true) throw new KilnError('cancelled', 'the build was cancelled', { cause: signal.reason });
                await dockerTag(ep, own, n, signal);
              }
              if (push) for (const n of names) pushed = (await dockerPush(ep, n, opts.env, signal)) ?? pushed;
            } catch (err) {
              // Nothing half-done stays behind: each name goes back to what it named; the image is in the build cache.
              for (const n of before.keys()) {
                const id = before.get(n);
                const undo =
                  id === undefined
                    ? dockerRequest(ep, { method: 'DELETE', path: `/images/${encodeURIComponent(n)}?noprune=1` })
                    : dockerTag(ep, id, n);
                await undo.catch(() => undefined);
              }
              throw err;
            }
          },
          signal,
        );
      }
      const digest = pushed ?? own;
      return {
        ...(digest === undefined ? {} : { digest }),
        names,
        pushed: push,
        exporterResponse: resp,
      };
    },
    abort: async () => {},
  };
}

/**
 * dockerd has no `docker` tarball exporter: the image goes into Docker's store with the `moby` exporter and is then
 * saved from there (`GET /images/get`, what `docker save` does), streamed into the file — written beside it and
 * renamed on success — or to stdout. Without names the archive carries no tag, and the image is removed again.
 */
async function mobySavePlan(names: readonly string[], dest: string, info: DaemonInfo, address: string, opts: ExportPlanOptions, stdout: NodeJS.WritableStream): Promise<ExportPlan> {
  // The export leaves the image unnamed (mobyPlan without names); it is named and saved below, in one turn.
  const moby = await mobyPlan([], false, {}, info, address, opts);
  return {
    ...moby,
    async finish(resp) {
      const own = resp['containerimage.digest'];
      if (names.length > 0 && own === undefined) throw new KilnError('protocol', `the daemon reported no image ID for the image to name ${names.join(', ')}`);
      const id = resp['containerimage.config.digest'] ?? own;
      const refs = names.length > 0 ? names : id === undefined ? [] : [id];
      if (refs.length === 0) throw new KilnError('protocol', 'the daemon reported no image id for the docker tarball export');
      const ep = dockerdDockerSocket(info, address, opts);
      // Named and saved while no other build of this process can move the names, each pointing at this build's image.
      const signal = opts.signal;
      await withDockerNames(ep, names, async () => {
        if (own !== undefined) for (const n of names) await dockerTag(ep, own, n, signal);
        const body = await dockerStream(ep, { method: 'GET', path: `/images/get?${refs.map((r) => `names=${encodeURIComponent(r)}`).join('&')}`, ...(signal === undefined ? {} : { signal }) });
        if (dest === '-') {
          await pipeline(body, stdout as Writable, { end: false });
          return;
        }
        const landing = await prepareLanding(dest);
        const out = createWriteStream(landing.staging, { flags: landing.openFlags, mode: landing.mode });
        // The file's own failure (a full disk, a read-only filesystem) is said with the destination, not as a bare errno.
        let writeFailed: unknown;
        out.once('error', (err) => (writeFailed ??= err));
        try {
          await pipeline(body, out);
          await landing.commit();
        } catch (err) {
          await landing.abort();
          throw writeFailed !== undefined && !KilnError.is(err) ? writeError('cannot write the export to', dest, writeFailed) : err;
        }
      }, signal);
      if (names.length === 0 && id !== undefined) await dockerRequest(ep, { method: 'DELETE', path: `/images/${encodeURIComponent(id)}` }).catch(() => undefined);
      return { ...(own === undefined ? {} : { digest: own }), names, pushed: false, exporterResponse: resp, dest };
    },
  };
}
