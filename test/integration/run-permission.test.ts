/**
 * `runInImage`'s exit code for a command the user it runs as may not execute: 126, as `docker run` gives, where the
 * daemon reports 1 (runc's permission denied), and the command's own 1 when that user may run it. Each case is the
 * same image on the same daemon; on dockerd 20.10 `docker run` of the image (exported to Docker) is run too and must
 * give the same code. (dockerd 26.1's `docker run` gives 1 for most of these: containerd 1.7 drops runc's start
 * error; kiln keeps docker's documented 126 there.)
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage } from '../../src/image/index.js';
import { runInImage } from '../../src/image/run-in-image.js';
import { dockerCli, removeImages, testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
const tag = `kiln-it/run-permission:${process.pid}-${Date.now()}`;
const dockerToo = env.engine === 'debian' && env.buildkitHost.startsWith('docker://');

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
});

afterAll(async () => {
  await client?.close();
  if (dockerToo) await removeImages([tag]);
});

// busybox's `false` applet (exit 1) under directories named for who may run it: a copy of busybox run as `false`.
const files = Image.fromRegistry('busybox:latest').runCommands(
  'mk() { mkdir -p "$1"; cp /bin/busybox "$1/false"; chown "$2" "$1/false"; chmod "$3" "$1/false"; }; ' +
    'mk /rootonly 0:0 700; mk /grp 0:1234 710; mk /nogrp 0:65534 701; mk /other 0:0 701; mk /g0 0:0 710; ' +
    'mk /locked 0:0 755; chmod 700 /locked; mk /pathdir 0:0 700; mk /plain 0:0 755; ' +
    "echo 'tools:x:1234:nobody' >> /etc/group",
);

// [user, PATH or '', command, docker run's exit code on dockerd 20.10]
const cases: [string, string, string, number][] = [
  ['', '', '/rootonly/false', 1], // root may execute a file with any execute bit
  ['', '', '/other/false', 1],
  ['', '', '/locked/false', 1], // and search any directory
  ['nobody', '', '/rootonly/false', 126],
  ['nobody', '', '/locked/false', 126], // a directory on the path it cannot search
  ['nobody', '', '/grp/false', 1], // in the group through /etc/group
  ['nobody', '', '/nogrp/false', 126], // in the group: the group's bits, not the others'
  ['nobody', '', '/other/false', 1],
  ['nobody:tools', '', '/nogrp/false', 1], // an explicit group: no other groups
  ['65534:65534', '', '/grp/false', 126],
  ['65534', '', '/grp/false', 1], // a uid: its passwd entry's groups
  ['4242', '', '/g0/false', 1], // a uid without a passwd entry runs in group 0
  ['4242', '', '/other/false', 126],
  ['nobody', '/pathdir:/plain', 'false', 126], // the first one in PATH, which it may not execute
  ['nobody', '/locked:/plain', 'false', 1], // a PATH directory it cannot search is passed over
  ['nobody', '/locked', 'false', 127],
];

describe('runInImage: a command the user may not execute', () => {
  it('exits 126 as docker run does (on dockerd 20.10 docker run of the same image says the same); one the user may run keeps its own exit 1', async () => {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [user, path, command, code] of cases) {
      const result = await runInImage(client, files, {
        args: [command],
        user,
        ...(path === '' ? {} : { env: { PATH: path } }),
        stdout: new PassThrough(),
        stderr: new PassThrough(),
      });
      seen.push(`${user || 'root'} ${path} ${command}: ${result.exitCode}`);
      expected.push(`${user || 'root'} ${path} ${command}: ${code}`);
    }
    expect(seen).toEqual(expected);
    if (!dockerToo) return;
    // docker run of the same image on the same daemon (dockerd 20.10) says the same.
    await buildImage(client, files, { tags: [tag] });
    const byDocker: string[] = [];
    for (const [user, path, command] of cases) {
      const r = await dockerCli(['run', '--rm', '--network', 'none', ...(user === '' ? [] : ['--user', user]), ...(path === '' ? [] : ['-e', `PATH=${path}`]), tag, command], {
        allowFailure: true,
      });
      byDocker.push(`${user || 'root'} ${path} ${command}: ${r.code}`);
    }
    expect(byDocker).toEqual(expected);
  });

  it('the image\'s USER is the user it is decided for', async () => {
    const result = await runInImage(client, files.user('nobody'), { args: ['/rootonly/false'], stdout: new PassThrough(), stderr: new PassThrough() });
    expect(result.exitCode).toBe(126);
  });
});
