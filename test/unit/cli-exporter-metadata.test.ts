import { describe, expect, it } from 'vitest';
import { exporterMetadata } from '../../src/cli/exporter-metadata.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

describe('exporterMetadata (the top level of --metadata-file, as buildx writes it)', () => {
  it('keeps plain values and decodes base64 JSON objects and lists', () => {
    const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 700 };
    expect(
      exporterMetadata({
        'containerimage.digest': `sha256:${'b'.repeat(64)}`,
        'image.name': 'reg/app:1,reg/app:latest',
        'containerimage.descriptor': b64(descriptor),
        'cache.manifests': b64([{ ref: 'r' }]),
        'empty.object': b64({}),
        'result.json': '{"a":1}',
      }),
    ).toEqual({
      'containerimage.digest': `sha256:${'b'.repeat(64)}`,
      'image.name': 'reg/app:1,reg/app:latest',
      'containerimage.descriptor': descriptor,
      'cache.manifests': [{ ref: 'r' }],
      'empty.object': b64({}),
      'result.json': { a: 1 },
    });
  });
});
