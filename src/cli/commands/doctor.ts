import { Command } from 'commander';
import type { TlsFiles } from '../../client/address.js';
import type { DoctorCheck } from '../../client/doctor.js';
import { KilnError } from '../../errors.js';
import { println, type CliIO, type GlobalOptions } from '../context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

function tlsFrom(opts: GlobalOptions): TlsFiles | undefined {
  const tls: { -readonly [K in keyof TlsFiles]: TlsFiles[K] } = {};
  if (opts.tlscacert !== undefined) tls.caCert = opts.tlscacert;
  if (opts.tlscert !== undefined) tls.cert = opts.tlscert;
  if (opts.tlskey !== undefined) tls.key = opts.tlskey;
  if (opts.tlsservername !== undefined) tls.serverName = opts.tlsservername;
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** `kiln doctor`: checks what builds need and says what to fix. Exits 1 when a check fails. */
export function doctorCommand(io: CliIO, globals: () => GlobalOptions): Command {
  return new Command('doctor')
    .description('check the daemon, its entitlements, the Docker config and registries, and say what to fix')
    .option('--registry <host>', 'also check that this registry answers (repeatable), e.g. 127.0.0.1:5000', collect)
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      '\nEach check prints ok, warn (builds work with a limitation) or FAIL (builds will not work), with a fix.\n' +
        'Exit code: 0 when nothing failed, 1 otherwise.\n\nExamples:\n  kiln doctor\n  kiln doctor --registry ghcr.io --registry 127.0.0.1:5000\n  BUILDKIT_HOST=tcp://buildkitd:1234 kiln doctor --json',
    )
    .action(async (opts: { registry?: string[]; json?: boolean }) => {
      const g = globals();
      const tls = tlsFrom(g);
      // The checks (and the client they connect with) are loaded when they run: not for `kiln doctor --help`.
      const { runDoctor } = await import('../../client/doctor.js');
      const report = await runDoctor({
        address: g.addr,
        addressSource: '--addr',
        env: io.env,
        ...(tls === undefined ? {} : { tls }),
        ...(opts.registry === undefined ? {} : { registries: opts.registry }),
        ...(opts.json === true
          ? {}
          : {
              onCheck: (c: DoctorCheck) => {
                println(io.stdout, `${MARK[c.status]}  ${c.name}: ${c.detail}`);
                if (c.fix !== undefined && c.status !== 'ok') println(io.stdout, `      fix: ${c.fix}`);
              },
            }),
      });
      if (opts.json === true) println(io.stdout, JSON.stringify(report, null, 2));
      else {
        const failed = report.checks.filter((c) => c.status === 'fail').length;
        const warned = report.checks.filter((c) => c.status === 'warn').length;
        println(io.stdout, failed === 0 ? `\nReady to build${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.` : `\n${failed} check${failed === 1 ? '' : 's'} failed.`);
      }
      if (!report.ok) throw new KilnError('unavailable', 'kiln doctor found problems (see above)', { details: { reported: true } });
    });
}
