/** `kiln build --annotation` read as `docker buildx build` reads it, and put on the image output's exporter options. */
import { describe, expect, it } from 'vitest';
import { annotationAttrs, withAnnotations } from '../../src/cli/annotation-flag.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { KilnError } from '../../src/errors.js';

describe('annotationAttrs', () => {
  it.each([
    [['org.opencontainers.image.source=https://x/y'], { 'annotation.org.opencontainers.image.source': 'https://x/y' }],
    [['a=b=c'], { 'annotation.a': 'b=c' }],
    [['index:a=1'], { 'annotation-index.a': '1' }],
    [['manifest,index-descriptor:a=1'], { 'annotation-manifest.a': '1', 'annotation-index-descriptor.a': '1' }],
    [['manifest[linux/amd64]:a=1'], { 'annotation-manifest[linux/amd64].a': '1' }],
  ])('%j → %j', (values, attrs) => {
    expect(annotationAttrs(values)).toEqual(attrs);
  });

  it.each([[['novalue']], [['blob:a=1']], [['Manifest:a=1']]])('refuses %j', (values) => {
    expect(() => annotationAttrs(values)).toThrow(KilnError);
  });
});

describe('withAnnotations', () => {
  it('adds them to an image output, over the same key given in -o (as buildx)', () => {
    const out = withAnnotations(parseOutputSpec('type=image,name=r/a:1,push=true,annotation.a=old,compression=zstd'), { 'annotation.a': 'new', 'annotation-index.b': '2' });
    expect(out).toEqual({ type: 'image', names: ['r/a:1'], push: true, attrs: { 'annotation.a': 'new', 'annotation-index.b': '2', compression: 'zstd' } });
  });

  it('refuses them for an output of files, or no output, where they would be written nowhere', () => {
    expect(() => withAnnotations(parseOutputSpec('type=local,dest=out'), { 'annotation.a': '1' })).toThrow('--annotation annotates an image, and --output type=local writes files');
    expect(() => withAnnotations(undefined, { 'annotation.a': '1' })).toThrow('--annotation annotates an image, and the build has no output');
  });

  it('leaves the output alone without annotations', () => {
    const spec = parseOutputSpec('type=local,dest=out');
    expect(withAnnotations(spec, {})).toBe(spec);
  });
});
