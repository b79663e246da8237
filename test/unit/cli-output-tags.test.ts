/** `-t` with an image output that has its own `name=`: the image is named by `-t`, as `docker buildx build` names it. */
import { describe, expect, it } from 'vitest';
import { tagsOverOutputNames } from '../../src/cli/output-tags.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';

describe('tagsOverOutputNames', () => {
  it.each([['type=image,name=reg/other:1,push=true'], ['type=registry,name=reg/other:1'], ['type=docker,name=reg/other:1'], ['type=oci,dest=o.tar,name=reg/other:1']])(
    '-t replaces the name= of %s, and says which it replaced',
    (spec) => {
      const { output, replaced } = tagsOverOutputNames(parseOutputSpec(spec), ['reg/app:1', 'reg/app:latest']);
      expect('names' in output ? output.names : undefined).toEqual(['reg/app:1', 'reg/app:latest']);
      expect(replaced).toEqual(['reg/other:1']);
    },
  );

  it('keeps the options other than the names (push, registry.insecure, attrs)', () => {
    const { output } = tagsOverOutputNames(parseOutputSpec('type=image,name=reg/other:1,push=true,registry.insecure=true,compression=zstd'), ['reg/app:1']);
    expect(output).toEqual({ type: 'image', names: ['reg/app:1'], push: true, insecure: true, attrs: { compression: 'zstd' } });
  });

  it('keeps name= without -t, and replaces nothing when name= is what -t says', () => {
    const spec = parseOutputSpec('type=image,name=reg/other:1');
    expect(tagsOverOutputNames(spec, undefined)).toEqual({ output: spec, replaced: [] });
    expect(tagsOverOutputNames(parseOutputSpec('type=image,"name=reg/a:1,reg/a:2"'), ['reg/a:2', 'reg/a:1']).replaced).toEqual([]);
  });

  it('leaves type=local and type=tar alone (they have no names)', () => {
    const spec = parseOutputSpec('type=local,dest=out');
    expect(tagsOverOutputNames(spec, ['reg/app:1'])).toEqual({ output: spec, replaced: [] });
  });
});
