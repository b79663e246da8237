import { describe, expect, it } from 'vitest';
import { csvFields } from '../../src/client/csv-fields.js';
import { KilnError } from '../../src/errors.js';

describe('csvFields (buildx / Go CSV rules)', () => {
  it.each([
    ['type=local,dest=out', ['type=local', 'dest=out']],
    ['type=image,"name=a:1,b:2",push=true', ['type=image', 'name=a:1,b:2', 'push=true']],
    ['"a ""quoted"" b",c', ['a "quoted" b', 'c']],
    ['"x,y"', ['x,y']],
    ['a,,b,', ['a', '', 'b', '']],
    ['ref=reg/app:main', ['ref=reg/app:main']],
  ])('splits %s', (text, fields) => {
    expect(csvFields(text, '--output')).toEqual(fields);
  });

  it.each([
    ['type=s3,secret_access_key="SECRET,KEY"', /--cache-to: field 2 has a quote that does not start it/],
    ['type=s3,"secret_access_key=SECRET', /--cache-to: field 2 has no closing quote/],
    ['type=s3,"secret_access_key=SECRET"KEY', /--cache-to: field 2 has text after its closing quote/],
  ])('refuses %s without showing the field', (text, why) => {
    let err: unknown;
    try {
      csvFields(text, '--cache-to');
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).not.toContain('SECRET');
  });
});
