/**
 * `.dockerignore` parity with `docker build` on the same daemon: for each ignore file, the same context is sent by
 * `docker build` (Dockerfile `FROM scratch` + `COPY . /`, exported with `-o type=local`) and by kiln (a `local`
 * source honouring the `.dockerignore`, exported with the `local` exporter). The two sets of paths must be equal.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { local, marshal } from '../../src/llb/index.js';
import { fileSyncService } from '../../src/session/file-sync-service.js';
import { testEnv } from './test-env.js';

const run = promisify(execFile);
const env = testEnv();
let client: Client;
let info: DaemonInfo;
let work: string;

const FILES = [
  'README.md',
  'CHANGELOG.md',
  'docs/a.md',
  'docs/img/x.png',
  'docs/img/deep/y.png',
  'build/out.bin',
  'build/keep.txt',
  'build/sub/z.txt',
  'app.log',
  'logs/x.log',
  'logs/nested/y.log',
  'top.txt',
  'sub/top.txt',
  'sub/a.tmp',
  'sub/deeper/b.tmp',
  'spaced.txt',
  'src/main.ts',
  'src/lib/util.ts',
  'src/lib/util.test.ts',
  'node_modules/pkg/index.js',
  '.git/HEAD',
  'Dockerfile',
  '.env',
];

/** Ignore file, and one path each that it must leave out and keep (so the comparison is not vacuous). */
const CASES: Record<string, readonly [ignore: string, gone: string, kept: string]> = {
  'negation re-includes one file': ['*.md\n!README.md\n', 'CHANGELOG.md', 'README.md'],
  'globstar and a directory with a re-included child': ['**/*.log\nbuild/\n!build/keep.txt\n', 'logs/nested/y.log', 'build/keep.txt'],
  'leading slash, comments and trailing spaces': ['/top.txt\nsub/*.tmp\n# a comment\n  spaced.txt  \n', 'spaced.txt', 'sub/top.txt'],
  'everything except one tree': ['**\n!src/**\n', 'README.md', 'src/lib/util.ts'],
  'typical project': ['node_modules\n.git\n.env\ndocs/**/*.png\n**/*.test.ts\n', 'docs/img/deep/y.png', 'src/main.ts'],
  'the ignore file and Dockerfile themselves': ['.dockerignore\nDockerfile\n', 'Dockerfile', 'README.md'],
  'single-star stays in one directory': ['*.md\n*/*.tmp\n', 'sub/a.tmp', 'sub/deeper/b.tmp'],
};

/** Every path below `root` (directories too), sorted. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      out.push(path);
      if (e.isDirectory()) walk(path);
    }
  };
  walk('');
  return out.sort();
}

function makeContext(dir: string, ignore: string): void {
  for (const f of FILES) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), `${f}\n`);
  }
  mkdirSync(join(dir, 'emptydir'));
  writeFileSync(join(dir, '.dockerignore'), ignore);
}

async function viaDocker(context: string, dest: string): Promise<string[]> {
  const dockerfile = join(dirname(context), 'Dockerfile.parity');
  writeFileSync(dockerfile, 'FROM scratch\nCOPY . /\n');
  await run('/usr/bin/docker', ['-H', env.dockerHost, 'build', '-q', '-f', dockerfile, '-o', `type=local,dest=${dest}`, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '1', DOCKER_CONFIG: join(work, 'docker-config') },
  });
  return listing(dest);
}

async function viaKiln(context: string, dest: string): Promise<string[]> {
  const name = `parity-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const plan = await planExport(parseOutputSpec(`type=local,dest=${dest}`), info, client.address.text);
  const sync = fileSyncService([{ name, path: context, useDockerignore: true }]);
  const outcome = await client.build({ exporter: plan.exporter, sessionServices: [...plan.sessionServices, sync] }, async (gw) => ({
    ref: await gw.solve(marshal(local(name), { caps: gw.llbCaps })),
  }));
  await plan.finish(outcome.exporterResponse);
  return listing(dest);
}

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
  work = mkdtempSync(join(tmpdir(), 'kiln-parity-'));
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('.dockerignore: kiln sends what docker build sends', () => {
  Object.entries(CASES).forEach(([title, [ignore, gone, kept]], i) => {
    it(title, async () => {
      const context = join(work, `case-${i}`, 'ctx');
      mkdirSync(context, { recursive: true });
      makeContext(context, ignore);
      const docker = await viaDocker(context, join(work, `case-${i}`, 'docker'));
      const kiln = await viaKiln(context, join(work, `case-${i}`, 'kiln'));
      expect(kiln).toEqual(docker);
      expect(docker).not.toContain(gone);
      expect(docker).toContain(kept);
    });
  });
});
