import { describe, expect, it } from 'vitest';
import { parseGoBool } from '../../src/go-parse-bool.js';

describe('parseGoBool', () => {
  it("reads what Go's strconv.ParseBool reads, and nothing else", () => {
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(v)).toBe(true);
    for (const v of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(v)).toBe(false);
    for (const v of ['', 'yes', 'on', 'tRUE', ' true', '2']) expect(parseGoBool(v)).toBeUndefined();
  });
});
