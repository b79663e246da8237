import type { CacheEntry } from '../client/build.js';
import { csvFields } from '../client/csv-fields.js';
import { KilnError } from '../errors.js';

/**
 * Parses a `--cache-from/--cache-to` spec as buildx does: `type=registry,ref=R,mode=max` (a CSV record: a quoted
 * field may hold commas; keys are case-insensitive) or a bare registry ref. Errors name the flag and the keys given
 * but never a value: specs carry tokens and keys (`token=`, `secret_access_key=`).
 */
export function parseCacheSpec(flag: '--cache-from' | '--cache-to', text: string): CacheEntry {
  const value = text.trim();
  if (value === '') throw new KilnError('invalid_argument', `${flag} is empty; use type=registry,ref=REF or just REF`);
  const fields = csvFields(value, flag, parseCacheSpec);
  if (fields.length === 1 && !(fields[0] as string).includes('=')) return { type: 'registry', attrs: { ref: (fields[0] as string).trim() } };
  const attrs: Record<string, string> = {};
  let type: string | undefined;
  for (const [i, part] of fields.entries()) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new KilnError('invalid_argument', `${flag}: field ${i + 1} of ${fields.length} is not key=value (the field is not shown: it may be a secret)`, {
        hint: 'Write the spec as type=TYPE,key=value,…; quote a whole field to put a comma in it ("key=a,b").',
      });
    }
    const k = part.slice(0, eq).trim().toLowerCase();
    const v = part.slice(eq + 1).trim();
    if (k === 'type') type = v;
    else attrs[k] = v;
  }
  if (type === undefined) {
    throw new KilnError('invalid_argument', `${flag} ${Object.keys(attrs).map((k) => `${k}=…`).join(',')} has no type= (registry, inline, local, gha, s3, azblob)`);
  }
  return { type, attrs };
}

/**
 * The cache entries of one `--cache-from/--cache-to` value: a spec, or (as with buildx) a comma-separated list of
 * registry refs (`--cache-from reg/app:main,reg/app:pr-1` imports both).
 */
export function parseCacheFlag(flag: '--cache-from' | '--cache-to', text: string): CacheEntry[] {
  const value = text.trim();
  if (value === '' || value.includes('=')) return [parseCacheSpec(flag, value)];
  return csvFields(value, flag, parseCacheFlag)
    .filter((ref) => ref.trim() !== '')
    .map((ref) => parseCacheSpec(flag, ref));
}
