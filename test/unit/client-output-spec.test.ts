import { describe, expect, it } from 'vitest';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { KilnError } from '../../src/errors.js';

describe('parseOutputSpec', () => {
  it.each([
    ['type=local,dest=out', { type: 'local', dest: 'out' }],
    ['out/dir', { type: 'local', dest: 'out/dir' }],
    ['-', { type: 'tar', dest: '-' }],
    ['type=tar,dest=-', { type: 'tar', dest: '-' }],
    // As with buildx, a tarball without dest= goes to stdout.
    ['type=tar', { type: 'tar', dest: '-' }],
    ['type=oci', { type: 'oci', dest: '-', names: [] }],
    ['TYPE=local,Dest=out', { type: 'local', dest: 'out' }],
    ['type=oci,dest=img.tar,tar=true', { type: 'oci', dest: 'img.tar', names: [], attrs: { tar: 'true' } }],
    ['type=oci,dest=img.tar,name=app:1', { type: 'oci', dest: 'img.tar', names: ['app:1'] }],
    ['type=docker', { type: 'docker', names: [] }],
    ['type=docker,dest=x.tar,name=a:1', { type: 'docker', dest: 'x.tar', names: ['a:1'] }],
    ['type=image,name=127.0.0.1:5000/a:1,push=true', { type: 'image', names: ['127.0.0.1:5000/a:1'], push: true }],
    ['type=image,"name=a:1,b:2"', { type: 'image', names: ['a:1', 'b:2'], push: false }],
    ['type=registry,name=r/a', { type: 'image', names: ['r/a'], push: true }],
    ['type=image,name=r/a,push=true,registry.insecure=true,compression=zstd', { type: 'image', names: ['r/a'], push: true, insecure: true, attrs: { compression: 'zstd' } }],
  ])('parses %s', (text, expected) => {
    expect(parseOutputSpec(text)).toEqual(expected);
  });

  it('takes a false push= or registry.insecure= on an output that does not push: it asks for nothing', () => {
    expect(parseOutputSpec('type=docker,dest=x.tar,push=false')).toEqual({ type: 'docker', dest: 'x.tar', names: [] });
    expect(parseOutputSpec('type=tar,dest=x.tar,registry.insecure=false')).toEqual({ type: 'tar', dest: 'x.tar' });
  });

  it('an image output without name= takes the tags given (buildx: -t reg/app:1 -o type=registry)', () => {
    expect(parseOutputSpec('type=registry', { tags: ['r/a:1', 'r/a:latest'] })).toEqual({ type: 'image', names: ['r/a:1', 'r/a:latest'], push: true });
    expect(parseOutputSpec('type=image,name=r/b', { tags: ['r/a:1'] })).toEqual({ type: 'image', names: ['r/b'], push: false });
  });

  it.each([
    ['', /empty/],
    ['type=local', /needs dest=DIR/],
    ['type=oci,dest=dir,tar=false', /type=oci,tar=false \(an OCI layout directory\) is not supported/],
    ['type=docker,dest=dir,tar=false', /type=docker,tar=false .* is not supported/],
    ['type=image,name=a,"push=true', /field 3 has no closing quote/],
    ['type=image', /needs name=REF/],
    ['type=bogus,dest=x', /type=bogus is not supported/],
    // The forms it lists are the ones it takes: a tarball's dest= may be left out (stdout).
    ['type=bogus', /type=bogus is not supported; expected type=local,dest=DIR \| type=tar\[,dest=FILE\|-\] \| type=oci\[,dest=FILE\|-\] \| type=docker\[,dest=FILE\|-\] \|/],
    ['dest=x', /has no type=/],
    ['type=image,name=a,push=maybe', /push=maybe is not a boolean/],
    ['type=local,dest=x,compression=gzip', /does not take compression/],
    // An option the type does not read is refused with what to write instead, not dropped.
    ['type=tar,dest=a.tar,name=app:1', /^output type=tar does not take name=; it writes the files as a tarball to dest=FILE; for an image use type=image/],
    ['type=local,dest=d,push=true', /^output type=local does not take push=true; /],
    ['type=docker,name=app:1,push=true', /^output type=docker does not take push=true; .* to push use type=image,name=REF,push=true/],
    ['type=oci,dest=o.tar,registry.insecure=true', /^output type=oci does not take registry.insecure=true; /],
    ['type=docker,push=true,registry.insecure=true', /does not take push=true, registry.insecure=true; /],
    ['type=image,name=app:1,dest=app.tar', /^output type=image does not take dest=; .* type=docker,dest=FILE or type=oci,dest=FILE/],
    ['type=registry,name=r/a,push=false', /^output type=registry always pushes; for an image that is not pushed use type=image,push=false/],
  ])('rejects %j clearly', (text, why) => {
    let err: unknown;
    try {
      parseOutputSpec(text);
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as Error).message).toMatch(why);
  });
});
