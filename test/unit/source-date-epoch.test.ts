/**
 * SOURCE_DATE_EPOCH as a build option: what it does to the definition (file op times), to the image config
 * (`created`, the build's own history entries) and to the request (`build-arg:SOURCE_DATE_EPOCH`).
 */
import { describe, expect, it } from 'vitest';
import { applyDefinitionPolicies, checkSourceDateEpoch, reproducibilityAttrs } from '../../src/client/definition-policies.js';
import { KilnError } from '../../src/errors.js';
import { emptyImageConfig, epochToRfc3339, stampConfigJson, withCreationTime } from '../../src/image/oci-config.js';
import { copy, decodeDefinition, image, local, marshal, mkdir, mkfile, type Definition } from '../../src/llb/index.js';

const EPOCH = 1_700_000_000;
const EPOCH_NS = 1_700_000_000_000_000_000n;

function fileTimes(def: Definition | Uint8Array): bigint[] {
  const out: bigint[] = [];
  for (const o of decodeDefinition(def).ops) {
    if (o.op.op?.type !== 'file') continue;
    for (const a of o.op.op.file.actions) {
      const b = a.action;
      if (b?.type === 'copy') out.push(b.copy.timestamp);
      if (b?.type === 'mkfile') out.push(b.mkfile.timestamp);
      if (b?.type === 'mkdir') out.push(b.mkdir.timestamp);
    }
  }
  return out;
}

const app = image('busybox')
  .file(mkdir('/app', { parents: true }))
  .file(copy(local('ctx'), '/', '/app/'))
  .file(mkfile('/app/VERSION', '1\n', { timestamp: new Date('2020-01-01T00:00:00Z') }));

describe('applyDefinitionPolicies with sourceDateEpoch', () => {
  it('gives every file op without a time of its own the epoch, for Definition objects and raw bytes alike', () => {
    const def = marshal(app);
    expect(fileTimes(def)).toEqual([-1n, -1n, 1_577_836_800_000_000_000n]);
    const fromObject = applyDefinitionPolicies(def, { sourceDateEpoch: EPOCH }).definition;
    const fromBytes = applyDefinitionPolicies(def.toBytes(), { sourceDateEpoch: EPOCH }).definition;
    expect(fileTimes(fromObject as Definition)).toEqual([EPOCH_NS, EPOCH_NS, 1_577_836_800_000_000_000n]);
    expect(fileTimes(fromBytes as Definition)).toEqual(fileTimes(fromObject as Definition));
    // The same epoch always gives the same graph, and stamping twice changes nothing.
    expect((fromObject as Definition).digest()).toBe((fromBytes as Definition).digest());
    expect(applyDefinitionPolicies(fromObject, { sourceDateEpoch: EPOCH }).definition).toBe(fromObject);
  });

  it('sends a definition without file ops exactly as given', () => {
    const bytes = marshal(image('busybox').run(['true']).root()).toBytes();
    expect(applyDefinitionPolicies(bytes, { sourceDateEpoch: EPOCH }).definition).toBe(bytes);
    expect(applyDefinitionPolicies(bytes, {}).definition).toBe(bytes);
  });
});

describe('image config times', () => {
  it('sets created and the build\'s own history entries, keeping the base image\'s times', () => {
    const base = { ...emptyImageConfig({ os: 'linux', architecture: 'amd64' }), history: [{ created: '2019-05-01T00:00:00Z', created_by: 'base' }, { created_by: 'RUN make', comment: 'kiln' }] };
    const stamped = withCreationTime(base, EPOCH);
    expect(stamped.created).toBe('2023-11-14T22:13:20Z');
    expect(stamped.history).toEqual([
      { created: '2019-05-01T00:00:00Z', created_by: 'base' },
      { created: '2023-11-14T22:13:20Z', created_by: 'RUN make', comment: 'kiln' },
    ]);
    expect(epochToRfc3339(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('stamps raw config JSON without touching fields it does not know', () => {
    const raw = JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2001-01-01T00:00:00Z', config: { Cmd: ['x'] }, 'moby.buildkit.cache.v0': 'abc', history: [{ created_by: 'a' }] });
    const out = JSON.parse(String(stampConfigJson(raw, EPOCH))) as Record<string, unknown>;
    expect(out).toEqual({
      architecture: 'amd64',
      os: 'linux',
      created: '2023-11-14T22:13:20Z',
      config: { Cmd: ['x'] },
      'moby.buildkit.cache.v0': 'abc',
      history: [{ created_by: 'a', created: '2023-11-14T22:13:20Z' }],
    });
    expect(stampConfigJson('not json', EPOCH)).toBe('not json');
  });
});

describe('the request', () => {
  it('asks BuildKit v0.11+ exporters for the epoch through build-arg:SOURCE_DATE_EPOCH, unless the caller set it', () => {
    expect(reproducibilityAttrs({}, EPOCH)).toEqual({ 'build-arg:SOURCE_DATE_EPOCH': '1700000000' });
    expect(reproducibilityAttrs({ 'build-arg:SOURCE_DATE_EPOCH': '5' }, EPOCH)).toEqual({ 'build-arg:SOURCE_DATE_EPOCH': '5' });
    expect(reproducibilityAttrs({ other: 'x' }, undefined)).toEqual({ other: 'x' });
  });

  it('refuses an epoch that is not a whole, non-negative number of seconds', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
      let err: unknown;
      try {
        checkSourceDateEpoch(bad, checkSourceDateEpoch);
      } catch (e) {
        err = e;
      }
      expect(KilnError.is(err, 'invalid_argument')).toBe(true);
      expect((err as Error).message).toContain('sourceDateEpoch must be a whole number of seconds since 1970');
    }
    expect(checkSourceDateEpoch(0, checkSourceDateEpoch)).toBe(0);
  });
});
