import { Option, type Command } from 'commander';
import { KilnError } from '../errors.js';
import { isProxyArgName } from '../image/build-proxy.js';

/** A `docker buildx build` / `buildctl build` flag kiln does not take, and what a kiln user does instead. */
interface ForeignFlag {
  /** The flags as commander declares them (`-f, --file <path>`, `--pull`). */
  readonly flags: string;
  /** Where it comes from. */
  readonly from: 'buildx' | 'buildctl';
  readonly instead: string;
  /**
   * Whether the values given ask for what kiln does anyway (`--rm`: BuildKit leaves no intermediate containers;
   * `--build-arg HTTP_PROXY=…`: every step gets the proxies), so the flag is taken. A flag without a value gets no values.
   */
  readonly asksForWhatKilnDoes?: (values: readonly string[]) => boolean;
}

const FRONTEND = 'kiln compiles the module\'s Image to LLB itself and needs no frontend; a Dockerfile is built through a module: export default Image.fromDockerfile(\'Dockerfile\')';

const RESOURCES =
  'kiln sets no CPU or memory limits on build steps (buildx before v0.36 took these flags and ignored them): limit the daemon\'s build containers where it runs (the builder container\'s --memory/--cpus, buildkitd\'s systemd unit or cgroup), or, with kiln\'s LLB API, run the step in a cgroup you have limited: state.run({ args, cgroupParent }) (BuildKit v0.10+)';

/** Always true: for flags whose every use asks for what kiln does, or changes nothing in what a build makes. */
const alwaysTaken = (): boolean => true;

const FOREIGN_FLAGS: readonly ForeignFlag[] = [
  {
    flags: '--build-arg <name=value>',
    from: 'buildx',
    instead: 'kiln builds the Image your module exports: read the value there (process.env.NAME, run as NAME=value kiln build …); for a Dockerfile, Image.fromDockerfile(path, { buildArgs: { NAME: value } }). Docker\'s proxy args (HTTP_PROXY, HTTPS_PROXY, FTP_PROXY, NO_PROXY, ALL_PROXY) are taken: every step gets them',
    // The proxy args reach every step (out of the image and the cache keys), as with docker build.
    asksForWhatKilnDoes: (values) => values.every((v) => isProxyArgName(v.includes('=') ? v.slice(0, v.indexOf('=')) : v)),
  },
  {
    flags: '-f, --file <path>',
    from: 'buildx',
    instead: 'the module is kiln build\'s argument (kiln build image.ts[:export]); a Dockerfile is built through a module: export default Image.fromDockerfile(\'path/Dockerfile\')',
  },
  { flags: '--target <stage>', from: 'buildx', instead: 'pick the image by its export (kiln build image.ts:exportName); a Dockerfile stage: Image.fromDockerfile(path, { target: \'stage\' })' },
  { flags: '--label <name=value>', from: 'buildx', instead: 'set labels in the module: image.label(\'name\', \'value\') or image.labels({ … })' },
  { flags: '--pull', from: 'buildx', instead: 'pin base images to their registry digests with --lock (kiln.lock.json; run --lock again to move them), or name a digest in the module' },
  { flags: '--network <mode>', from: 'buildx', instead: 'set it on the step that needs it: runCommands(cmd, { network: \'host\' | \'none\' }) (kiln asks for network.host itself)' },
  { flags: '--add-host <host:ip>', from: 'buildx', instead: 'set it on the step that needs it: runCommands(cmd, { hosts: { host: \'ip\' } })' },
  {
    flags: '--build-context <name=path>',
    from: 'buildx',
    // A module's images are made when it runs, from its own code: a flag has nothing to name. The module says it.
    instead:
      'a Dockerfile\'s named contexts go in the module: Image.fromDockerfile(path, { contexts: { name: \'../lib\' } }) (a directory, docker-image://REF, oci-layout://DIR[:TAG], a git or https URL, or another Image); a base image from an OCI layout is Image.fromOciLayout(\'DIR\', { tag: \'TAG\' }) (DIR relative to the build context). kiln build URL (a git repository\'s Dockerfile) takes --build-context. Other images bring files in with addLocalDir, addLocalFile or copyFrom another Image',
  },
  { flags: '--call <method>', from: 'buildx', instead: 'kiln has no frontend to query: kiln llb image.ts prints what kiln build sends, kiln dockerfile image.ts the equivalent Dockerfile' },
  { flags: '--check', from: 'buildx', instead: 'kiln checks the image when the module builds it (every method validates its arguments); kiln llb image.ts compiles it without building' },
  {
    flags: '--no-cache-filter <stage>',
    from: 'buildx',
    instead: 'kiln\'s steps have no stage names: ignore the cache for one step with runCommands(cmd, { force: true }), for a step and all after it with { forceBuild: true }, or for every step with --no-cache',
  },
  {
    flags: '--shm-size <bytes>',
    from: 'buildx',
    instead: 'Image steps take no /dev/shm size; with kiln\'s LLB API, mount a tmpfs of that size there on the run that needs it: state.run({ args, mounts: [{ type: \'tmpfs\', dest: \'/dev/shm\', size }] })',
  },
  {
    flags: '--ulimit <type=soft:hard>',
    from: 'buildx',
    instead: 'Image steps take no ulimits; with kiln\'s LLB API, set them on the run that needs them: state.run({ args, ulimits: [{ name: \'nofile\', soft, hard }] }) (BuildKit v0.10+)',
  },
  {
    flags: '--cgroup-parent <parent>',
    from: 'buildx',
    instead: 'Image steps take no cgroup parent; with kiln\'s LLB API, set it on the run: state.run({ args, cgroupParent }) (BuildKit v0.10+)',
  },
  // The classic builder's flags that buildx keeps hidden.
  { flags: '-m, --memory <bytes>', from: 'buildx', instead: RESOURCES },
  { flags: '--memory-swap <bytes>', from: 'buildx', instead: RESOURCES },
  { flags: '-c, --cpu-shares <weight>', from: 'buildx', instead: RESOURCES },
  { flags: '--cpu-period <microseconds>', from: 'buildx', instead: RESOURCES },
  { flags: '--cpu-quota <microseconds>', from: 'buildx', instead: RESOURCES },
  { flags: '--cpuset-cpus <cpus>', from: 'buildx', instead: RESOURCES },
  { flags: '--cpuset-mems <nodes>', from: 'buildx', instead: RESOURCES },
  {
    flags: '--squash',
    from: 'buildx',
    instead: 'BuildKit has no squash (buildx warns and ignores it): to ship one layer, copy the built filesystem onto an empty image in one step, Image.scratch().copyFrom(built, \'/\', \'/\'), and set its env and command again',
  },
  { flags: '--isolation <type>', from: 'buildx', instead: 'it chooses a Windows container isolation, which BuildKit has not got (buildx warns and ignores it): leave it out' },
  {
    flags: '--security-opt <option>',
    from: 'buildx',
    instead: 'BuildKit sets security per step (buildx warns and ignores this flag): with kiln\'s LLB API, state.run({ args, security: \'insecure\' }) on the step that needs it, with --allow security.insecure',
  },
  // Taken: BuildKit leaves no intermediate containers, and file sync has no gzip to turn on (buildx ignores all three).
  { flags: '--rm', from: 'buildx', instead: 'nothing: BuildKit leaves no intermediate containers', asksForWhatKilnDoes: alwaysTaken },
  { flags: '--force-rm', from: 'buildx', instead: 'nothing: BuildKit leaves no intermediate containers', asksForWhatKilnDoes: alwaysTaken },
  { flags: '--compress', from: 'buildx', instead: 'nothing: the context is sent as it is, as buildx does', asksForWhatKilnDoes: alwaysTaken },
  { flags: '--builder <name>', from: 'buildx', instead: 'name the buildx builder with BUILDX_BUILDER=NAME (kiln follows it, and the builder docker buildx use made current), or give a daemon address with --addr or BUILDKIT_HOST' },
  { flags: '--frontend <name>', from: 'buildctl', instead: FRONTEND },
  { flags: '--opt <key=value>', from: 'buildctl', instead: `${FRONTEND}; build-arg:NAME=V and target=S go to Image.fromDockerfile(path, { buildArgs, target }), platform=P is --platform` },
  { flags: '--local <name=dir>', from: 'buildctl', instead: 'the module names the local files it adds (addLocalDir, addLocalFile); --context DIR sets where their paths start' },
  { flags: '--export-cache <spec>', from: 'buildctl', instead: 'use --cache-to with the same spec' },
  { flags: '--import-cache <spec>', from: 'buildctl', instead: 'use --cache-from with the same spec' },
];

/**
 * Adds the flags of {@link FOREIGN_FLAGS} to `kiln build`, hidden from its help: `kiln build --help` lists what kiln
 * does. That includes those taken for some values (`--rm`, `--compress`): they make kiln do nothing it would not do
 * without them (README's "Coming from docker buildx build" names them instead).
 */
export function addForeignBuildFlags(command: Command): Command {
  for (const f of FOREIGN_FLAGS) {
    const option = new Option(f.flags).hideHelp();
    // Every value of a repeated flag, so that each is judged (--build-arg HTTP_PROXY=… --build-arg FOO=1);
    // the value before the first is undefined, or true for a "--no-" flag.
    command.addOption(option.required ? option.argParser((v: string, previous: unknown) => [...(Array.isArray(previous) ? (previous as string[]) : []), v]) : option);
  }
  return command;
}

/**
 * Refuses the first `docker buildx build` / `buildctl build` flag that was given, saying what kiln does instead
 * (commander alone would answer "unknown option", or worse, nothing for a flag it took). `taken` names the flags
 * (`--file`) this build uses after all: a git repository's Dockerfile takes `-f`, `--build-arg` and `--target`.
 */
export function refuseForeignBuildFlags(command: Command, taken: ReadonlySet<string> = new Set()): void {
  for (const f of FOREIGN_FLAGS) {
    const option = command.options.find((o) => o.flags === f.flags);
    if (option?.long !== undefined && taken.has(option.long)) continue;
    // By where the value came from: commander gives --no-cache-filter (a "--no-" flag) a default value of its own.
    if (option === undefined || command.getOptionValueSource(option.attributeName()) !== 'cli') continue;
    const value: unknown = command.getOptionValue(option.attributeName());
    if (f.asksForWhatKilnDoes !== undefined && f.asksForWhatKilnDoes(Array.isArray(value) ? value.map(String) : [])) continue;
    const name = option.long ?? f.flags;
    throw new KilnError('invalid_argument', `kiln build has no ${name} (${f.from === 'buildx' ? 'a docker buildx build' : 'a buildctl build'} flag)`, {
      hint: `Instead: ${f.instead}.`,
    });
  }
}
