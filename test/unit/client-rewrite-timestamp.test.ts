import { describe, expect, it } from 'vitest';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { checkRewriteTimestampEpoch, wantsRewriteTimestamp } from '../../src/client/rewrite-timestamp.js';
import { KilnError } from '../../src/errors.js';

function thrown(fn: () => void): KilnError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KilnError) return err;
    throw err;
  }
  throw new Error('expected a KilnError');
}

describe('rewrite-timestamp', () => {
  it('is asked for with a true value, as BuildKit reads booleans', () => {
    for (const v of ['true', '1', 'T', 'True', 'TRUE', 't']) expect(wantsRewriteTimestamp(parseOutputSpec(`type=oci,dest=a.tar,rewrite-timestamp=${v}`))).toBe(true);
    for (const v of ['false', '0', 'yes']) expect(wantsRewriteTimestamp(parseOutputSpec(`type=oci,dest=a.tar,rewrite-timestamp=${v}`))).toBe(false);
    expect(wantsRewriteTimestamp(parseOutputSpec('type=local,dest=out'))).toBe(false);
  });

  it('needs SOURCE_DATE_EPOCH (or a source-date-epoch attribute): without one BuildKit rewrites nothing', () => {
    const spec = parseOutputSpec('type=image,name=r/app:1,push=true,rewrite-timestamp=true');
    const err = thrown(() => checkRewriteTimestampEpoch(spec, undefined));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe('the output asks for rewrite-timestamp=true, but no SOURCE_DATE_EPOCH was given: there is no time to clamp the files to');
    expect(err.hint).toContain('SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)');
    expect(() => checkRewriteTimestampEpoch(spec, 1_700_000_000)).not.toThrow();
    expect(() => checkRewriteTimestampEpoch(parseOutputSpec('type=oci,dest=a.tar,rewrite-timestamp=true,source-date-epoch=0'), undefined)).not.toThrow();
    expect(() => checkRewriteTimestampEpoch(parseOutputSpec('type=oci,dest=a.tar'), undefined)).not.toThrow();
  });
});
