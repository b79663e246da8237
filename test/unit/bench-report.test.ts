import { describe, expect, it } from 'vitest';
import { inTurn, median, spread } from '../../bench/report.js';

describe('bench figures', () => {
  it('median of an odd and an even number of rounds', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('spread gives the median with the fastest and slowest round', () => {
    expect(spread([900, 450, 3100, 500, 480])).toEqual({ median: 500, min: 450, max: 3100 });
  });

  it('inTurn puts each side first in every other round', () => {
    const order = [0, 1, 2, 3].map((i) => inTurn(i, 'kiln', 'docker')[0]);
    expect(order).toEqual(['kiln', 'docker', 'kiln', 'docker']);
    expect(inTurn(1, 'kiln', 'docker')).toEqual(['docker', 'kiln']);
  });
});
