/**
 * A seeded generator of random but valid Image programs that need no network, for comparing kiln's build with
 * `docker build` of `toDockerfile()` (image-dockerfile-parity.test.ts). A program is a small context directory (odd
 * names, modes, a symlink) and an Image built from the environment's local base images with config steps, run
 * steps (files, symlinks, hardlinks, modes, owners, reading env), local files and directories, `copyFrom` between
 * branches that share a base, Dockerfile commands and forced steps. The same seed gives the same program.
 */
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Image } from '../../src/image/index.js';

/** Deterministic random numbers from a seed (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A generated program: its steps as source-like lines (for the failure message) and the image. */
export interface ParityProgram {
  readonly seed: number;
  readonly lines: readonly string[];
  readonly image: Image;
}

/** One file of the context directory. */
interface ContextFile {
  readonly path: string;
  readonly mode: number;
}

/** Context file names a Dockerfile would read as something else unless written with care. */
// A non-ASCII name is only inside the directories: `COPY ünï.txt /d/` of one such file fails with "not found" in
// `docker build` on dockerd 26.1 with the environment's Docker 20.10 CLI (dockerd 20.10 copies it; kiln copies it on both).
const ODD_NAMES = ['plain.txt', 'with space.txt', 'br[1].txt', 'star*.txt', '-dash.txt', '.hidden', 'run.sh', 'q?.txt'];
/** Users and owners by name exist in the base they are used with (the busybox stand-in has only root and nobody). */
const USERS = ['root', 'nobody', '1000', '1000:1000', '33:33', 'nobody:nogroup'];
const DEBIAN_USERS = ['daemon', 'bin', 'www-data', 'daemon:bin'];
const OWNERS = ['1:1', '1234:5678', 'nobody', 'nobody:nogroup'];
const DEBIAN_OWNERS = ['daemon', 'bin:daemon', 'www-data:33'];
const VARS = ['A', 'B', 'C_1'];
const ENV_VALUES = ['x y', '$A/bin', '${B}-z', '\\$A', 'p:$PATH', 'lit', '${C_1:-dflt}', 'a"q"b', '$NOPE.x'];

/** Writes the context files the seed chooses into `dir` and returns them. */
function writeContext(rng: Rng, dir: string): { files: ContextFile[]; dirs: string[]; linked: Set<string> } {
  const linked = new Set<string>();
  const files: ContextFile[] = [];
  for (const name of ODD_NAMES) {
    if (!rng.chance(0.6) && name !== 'plain.txt') continue;
    const mode = rng.pick([0o644, 0o600, 0o755, 0o640]);
    writeFileSync(join(dir, name), `${name} ${rng.int(1000)}\n`);
    chmodSync(join(dir, name), mode);
    files.push({ path: name, mode });
  }
  const dirs: string[] = [];
  for (const d of ['pkg', 'odd dir']) {
    if (d !== 'pkg' && !rng.chance(0.5)) continue;
    mkdirSync(join(dir, d, 'sub', 'deep'), { recursive: true });
    const entries: Record<string, number> = { 'a.log': 0o644, 'keep.log': 0o600, 'm.txt': 0o755, '.dot': 0o644, 'sub/b.tmp': 0o644, 'sub/c.txt': 0o640, 'sub/deep/d.txt': 0o644, 'sub/x[2].txt': 0o644, 'sub/ünï.txt': 0o644 };
    for (const [p, mode] of Object.entries(entries)) {
      if (!rng.chance(0.8)) continue;
      writeFileSync(join(dir, d, p), `${d}/${p} ${rng.int(1000)}\n`);
      chmodSync(join(dir, d, p), mode);
    }
    if (existsSync(join(dir, d, 'm.txt')) && rng.chance(0.6)) {
      symlinkSync('m.txt', join(dir, d, 'link-to-m'));
      linked.add(d);
    }
    if (rng.chance(0.4)) chmodSync(join(dir, d, 'sub'), 0o750);
    dirs.push(d);
  }
  return { files, dirs, linked };
}

/** Generates the program for `seed`, writing its context into `contextDir` (an empty directory). */
export function generateProgram(seed: number, contextDir: string, bases: readonly string[]): ParityProgram {
  const rng = new Rng(seed);
  const { files, dirs, linked } = writeContext(rng, contextDir);
  const base = rng.pick(bases);
  const lines: string[] = [`Image.fromRegistry(${JSON.stringify(base)})`];
  let image = Image.fromRegistry(base);
  const users = base.startsWith('debian') ? [...USERS, ...DEBIAN_USERS] : USERS;
  const owners = base.startsWith('debian') ? [...OWNERS, ...DEBIAN_OWNERS] : OWNERS;
  let user = 'root';
  const dirIgnore = new Map<string, string[]>();
  let n = 0;
  const steps = 5 + rng.int(8);
  const add = (line: string, next: Image): void => {
    lines.push(`  .${line}`);
    image = next;
  };
  const s = (x: unknown): string => JSON.stringify(x);

  for (let i = 0; i < steps; i++) {
    n += 1;
    const kind = rng.pick(['env', 'setEnvVars', 'workdir', 'user', 'run', 'run', 'run', 'file', 'file', 'dir', 'copyFrom', 'config', 'dockerfile', 'force', 'copyFile', 'symlinkFile', 'shell']);
    switch (kind) {
      case 'env': {
        const vars = { [rng.pick(VARS)]: rng.pick(ENV_VALUES) };
        add(`env(${s(vars)})`, image.env(vars));
        break;
      }
      case 'setEnvVars': {
        const vars: Record<string, string> = {};
        for (let k = 0; k < 1 + rng.int(3); k++) vars[rng.pick(VARS)] = rng.pick(ENV_VALUES);
        add(`setEnvVars(${s(vars)})`, image.setEnvVars(vars));
        break;
      }
      case 'workdir': {
        const path = rng.pick(['/w', 'sub', 'a/b', '/srv/app', '/srv/app/x y', 'nest/ed/']);
        add(`workdir(${s(path)})`, image.workdir(path));
        break;
      }
      case 'user': {
        user = rng.pick(users);
        add(`user(${s(user)})`, image.user(user));
        break;
      }
      case 'run': {
        const root = user === 'root' || user === '0';
        const asRoot = !root && rng.chance(0.5);
        const dir = root || asRoot ? `/g${n}` : `/tmp/g${n}`;
        const parts = [`mkdir -p ${dir}`, `echo "$A|$B|\${C_1:-}" > ${dir}/env`, `pwd > ${dir}/pwd`, `id -u > ${dir}/uid`];
        if (rng.chance(0.6)) parts.push(`echo data > ${dir}/f`, `chmod ${rng.pick(['600', '755', '4755', '640', '1777'])} ${dir}/f`);
        if (rng.chance(0.5)) parts.push(`ln -s f ${dir}/sym`, `ln -s /etc/passwd ${dir}/abs`);
        if (rng.chance(0.5)) parts.push(`echo hl > ${dir}/h1`, `ln ${dir}/h1 ${dir}/h2`);
        if ((root || asRoot) && rng.chance(0.5)) parts.push(`echo own > ${dir}/owned`, `chown ${rng.pick(owners)} ${dir}/owned`);
        if ((root || asRoot) && rng.chance(0.3)) parts.push('touch rel-file');
        const opts: Record<string, unknown> = {};
        if (asRoot) opts['user'] = 'root';
        if (rng.chance(0.2) && (root || asRoot)) opts['cwd'] = '/tmp';
        if (rng.chance(0.25) && (root || asRoot) && !parts.includes('touch rel-file')) opts['outputs'] = [dir];
        if (rng.chance(0.15)) opts['env'] = { B: 'step-b' };
        const cmd = parts.join(' && ');
        add(`runCommands(${s(cmd)}${Object.keys(opts).length > 0 ? `, ${s(opts)}` : ''})`, Object.keys(opts).length > 0 ? image.runCommands(cmd, opts) : image.runCommands(cmd));
        break;
      }
      case 'file': {
        const f = rng.pick(files);
        const dest = rng.pick(['/d/', `/d/renamed-${n}`, './', 'rel/', '/d/x y/']);
        const opts: Record<string, unknown> = {};
        if (rng.chance(0.3)) opts['mode'] = rng.pick([0o600, 0o755, 0o711]);
        if (rng.chance(0.3)) opts['owner'] = rng.pick(owners);
        const has = Object.keys(opts).length > 0;
        add(`addLocalFile(${s(f.path)}, ${s(dest)}${has ? `, ${s(opts)}` : ''})`, has ? image.addLocalFile(f.path, dest, opts) : image.addLocalFile(f.path, dest));
        break;
      }
      case 'dir': {
        const d = rng.pick(dirs);
        const opts: Record<string, unknown> = { remotePath: rng.pick(['/app', `/app${n}/`, 'relapp', '/opt/x y']) };
        // One filter per directory and program: .dockerignore, where toDockerfile() puts a COPY's filter, applies
        // to every COPY, so the same directory copied with two filters has no Dockerfile (toDockerfile() says so).
        let ignore = dirIgnore.get(d);
        if (ignore === undefined) {
          ignore = rng.chance(0.6) ? rng.pick([['*.log'], ['**/*.tmp'], ['*.log', '!keep.log'], ['sub/deep'], ['.dot', 'sub/*.txt'], ['**/x[[]2].txt']]) : [];
          dirIgnore.set(d, ignore);
        }
        if (ignore.length > 0) opts['ignore'] = ignore;
        if (rng.chance(0.3)) opts['contents'] = false;
        if (rng.chance(0.2)) opts['owner'] = rng.pick(owners);
        if (rng.chance(0.2)) opts['mode'] = rng.pick([0o755, 0o700]);
        add(`addLocalDir(${s(d)}, ${s(opts)})`, image.addLocalDir(d, opts));
        break;
      }
      case 'copyFrom': {
        // A branch that shares the program's base: files made there, copied here.
        const cmd = `mkdir -p /art/in && echo art${n} > /art/in/x && chmod 700 /art/in && ln -s x /art/in/y && chown 1:1 /art/in/x`;
        const branch = Image.fromRegistry(base).runCommands(cmd);
        const src = rng.pick(['/art', '/art/in/x', '/art/in']);
        const dest = rng.pick(['/from/', `/from${n}/y/`, 'rel-from/']);
        const opts: Record<string, unknown> = {};
        if (rng.chance(0.3)) opts['contents'] = false;
        if (rng.chance(0.2)) opts['owner'] = rng.pick(owners);
        lines.push(`  // branch = Image.fromRegistry(${s(base)}).runCommands(${s(cmd)})`);
        add(`copyFrom(branch, ${s(src)}, ${s(dest)}, ${s(opts)})`, image.copyFrom(branch, src, dest, opts));
        break;
      }
      case 'config': {
        const which = rng.pick(['entrypoint', 'cmd', 'labels', 'expose']);
        if (which === 'entrypoint') add(`entrypoint(["sh", "-c", "echo $A"])`, image.entrypoint(['sh', '-c', 'echo $A']));
        else if (which === 'cmd') add(`cmd(["a b", "$B"])`, image.cmd(['a b', '$B']));
        else if (which === 'labels') {
          const labels = { [`l.${n}`]: rng.pick(ENV_VALUES), 'two words': 'x  y' };
          add(`labels(${s(labels)})`, image.labels(labels));
        } else {
          const port = rng.pick([8080, '53/udp', '9000/tcp']);
          add(`expose(${s(port)})`, image.expose(port));
        }
        break;
      }
      case 'dockerfile': {
        const cmds = rng.pick([
          ['ENV D=$A E=${B:-none}'],
          ['ARG X=argx', 'RUN echo "$X $A" > /tmp/df-x'],
          ['LABEL df.label="$A"', 'WORKDIR df'],
          ['COPY plain.txt /df/'],
          ['USER root', 'RUN mkdir -p /df && touch /df/t'],
        ]);
        add(`dockerfileCommands(${s(cmds)})`, image.dockerfileCommands(cmds));
        if (cmds[0] === 'USER root') user = 'root';
        break;
      }
      case 'copyFile': {
        // Chutes' copy_file / add: Dockerfile COPY / ADD semantics, wildcards included.
        // A directory copied unfiltered here is never copied with a filter (see 'dir'): .dockerignore would filter both.
        const d = rng.pick(dirs);
        if ((dirIgnore.get(d) ?? []).length > 0) break;
        dirIgnore.set(d, []);
        const src = rng.pick(['*.txt', `${d}/sub/*.txt`, `${d}/*`, rng.pick(files).path, d]);
        const dest = rng.pick(['/cf/', `/cf${n}/`, 'relcf/']);
        const method = rng.pick(['copyFile', 'add'] as const);
        add(`${method}(${s(src)}, ${s(dest)})`, method === 'add' ? image.add(src, dest) : image.copyFile(src, dest));
        break;
      }
      case 'symlinkFile': {
        // A symbolic link in the context, named as the file to add: both follow it.
        const d = rng.pick(dirs);
        if (!linked.has(d)) break;
        const dest = rng.pick(['/sl/', `/sl/named-${n}`]);
        add(`addLocalFile(${s(`${d}/link-to-m`)}, ${s(dest)})`, image.addLocalFile(`${d}/link-to-m`, dest));
        break;
      }
      case 'shell': {
        add('shell(["/bin/sh", "-ec"])', image.shell(['/bin/sh', '-ec']));
        break;
      }
      case 'force': {
        add('forceBuild()', image.forceBuild());
        break;
      }
    }
  }
  return { seed, lines, image };
}
