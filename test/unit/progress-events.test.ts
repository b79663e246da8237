import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { parseRecording, serializeEvent, type StatusEvent } from '../../src/progress/index.js';

const T0 = 1_717_171_717_000;

const full: StatusEvent = {
  vertexes: [
    {
      digest: 'sha256:aaa',
      inputs: ['sha256:bbb'],
      name: '/bin/sh -c apt-get update',
      cached: false,
      started: T0 + 0.5,
      completed: T0 + 900.25,
      error: 'process "/bin/sh -c apt-get update" did not complete successfully: exit code: 100',
      progressGroup: { id: 'pg', name: 'copy --link /src /app', weak: true },
    },
  ],
  statuses: [{ id: 'sha256:layer', vertex: 'sha256:aaa', name: '', current: 5, total: 10, timestamp: T0 + 3, started: T0 + 1, completed: T0 + 3 }],
  logs: [{ vertex: 'sha256:aaa', stream: 2, data: Uint8Array.from([0xe2, 0x9c, 0x0a, 0x00, 0xff]), timestamp: T0 + 2 }],
  warnings: [{ vertex: 'sha256:aaa', level: 1, short: 'deprecated option', detail: ['use --foo', 'since v2'], url: 'https://example.com/w' }],
};

describe('recording format', () => {
  it('round-trips every field, with log bytes in base64', () => {
    const line = serializeEvent(full);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line).logs[0].data).toBe('4pwKAP8=');
    expect(parseRecording(`${line}\n`)).toEqual([full]);
  });

  it('writes the JSON BuildKit\'s Go client writes (buildx --progress=rawjson): RFC 3339 times, base64 bytes, omitempty', () => {
    const wire = JSON.parse(serializeEvent(full));
    expect(wire.vertexes[0].started).toBe('2024-05-31T16:08:37.0005Z');
    expect(wire.vertexes[0].completed).toBe('2024-05-31T16:08:37.90025Z');
    expect(wire.statuses[0]).toEqual({
      id: 'sha256:layer',
      vertex: 'sha256:aaa',
      total: 10,
      current: 5,
      timestamp: '2024-05-31T16:08:37.003Z',
      started: '2024-05-31T16:08:37.001Z',
      completed: '2024-05-31T16:08:37.003Z',
    });
    expect(wire.warnings[0]).toEqual({
      vertex: 'sha256:aaa',
      level: 1,
      short: Buffer.from('deprecated option').toString('base64'),
      detail: [Buffer.from('use --foo').toString('base64'), Buffer.from('since v2').toString('base64')],
      url: 'https://example.com/w',
    });
    const line = serializeEvent({
      vertexes: [{ digest: 'd', inputs: [], name: 'n', cached: false }],
      statuses: [{ id: 'i', vertex: 'd', name: '', current: 0, total: 0 }],
      logs: [],
      warnings: [],
    });
    expect(line).toBe('{"vertexes":[{"digest":"d","name":"n"}],"statuses":[{"id":"i","vertex":"d","current":0,"timestamp":"0001-01-01T00:00:00Z"}]}');
    expect(parseRecording(line)).toEqual([
      { vertexes: [{ digest: 'd', inputs: [], name: 'n', cached: false }], statuses: [{ id: 'i', vertex: 'd', name: '', current: 0, total: 0 }], logs: [], warnings: [] },
    ]);
  });

  it('reads a line as buildx prints it (nanosecond times, zone offsets) and kiln\'s older epoch-millisecond times', () => {
    const buildx =
      '{"vertexes":[{"digest":"sha256:v","name":"[1/2] FROM docker.io/library/busybox","started":"2024-05-31T18:08:37.123456789+02:00","cached":true}],' +
      '"logs":[{"vertex":"sha256:v","stream":1,"data":"aGk=","timestamp":"2024-05-31T16:08:38Z"}]}';
    const [event] = parseRecording(buildx);
    expect(event?.vertexes[0]?.started).toBeCloseTo(Date.UTC(2024, 4, 31, 16, 8, 37) + 123.456789, 6);
    expect(event?.vertexes[0]?.cached).toBe(true);
    expect(event?.logs[0]).toEqual({ vertex: 'sha256:v', stream: 1, data: new TextEncoder().encode('hi'), timestamp: Date.UTC(2024, 4, 31, 16, 8, 38) });
    expect(parseRecording('{"logs":[{"vertex":"v","stream":1,"data":"aGk=","timestamp":1}]}\n\n  \n{}')).toEqual([
      { vertexes: [], statuses: [], logs: [{ vertex: 'v', stream: 1, data: new TextEncoder().encode('hi'), timestamp: 1 }], warnings: [] },
      { vertexes: [], statuses: [], logs: [], warnings: [] },
    ]);
  });

  it('ignores keys it does not know, so newer recordings still load', () => {
    expect(parseRecording('{"vertexes":[{"digest":"d","name":"n","cached":false,"extra":1}],"receivedAt":5}')).toEqual([
      { vertexes: [{ digest: 'd', inputs: [], name: 'n', cached: false }], statuses: [], logs: [], warnings: [] },
    ]);
  });

  it('names the line and field of malformed input', () => {
    const cases: [string, RegExp][] = [
      ['{}\nnot json', /line 2 is not valid JSON/],
      ['[]', /line 1: the line must be a JSON object/],
      ['{"vertexes":{}}', /line 1: vertexes must be an array/],
      ['{"vertexes":[{"name":"x"}]}', /line 1: vertexes\[0\]\.digest must be a string/],
      ['{"logs":[{"vertex":"v","stream":3,"data":"","timestamp":1}]}', /logs\[0\]\.stream must be 1 \(stdout\) or 2 \(stderr\)/],
      ['{"logs":[{"vertex":"v","data":"%%%","timestamp":1}]}', /logs\[0\]\.data must be base64 text/],
      ['{"statuses":[{"id":"i","vertex":"v","timestamp":"yesterday"}]}', /statuses\[0\]\.timestamp must be an RFC 3339 time/],
      ['{"warnings":[{"vertex":"v","short":"not base64!"}]}', /warnings\[0\]\.short must be base64 text/],
      ['{"warnings":[{"vertex":"v","detail":["aGk=",7]}]}', /warnings\[0\]\.detail\[1\] must be base64 text/],
      ['{"vertexes":[{"digest":"d","progressGroup":{"id":"g","weak":"yes"}}]}', /vertexes\[0\]\.progressGroup\.weak must be a boolean/],
    ];
    for (const [text, message] of cases) {
      let caught: unknown;
      try {
        parseRecording(text);
      } catch (err) {
        caught = err;
      }
      expect(KilnError.is(caught, 'invalid_argument'), text).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });
});
