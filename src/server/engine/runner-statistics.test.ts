import { describe, expect, it } from 'vitest';
import { needsStatistics } from './runner.ts';

describe('needsStatistics', () => {
  it('is due before the first chunk, after 1, 2, 4, 8 … chunks, then every `every` chunks', () => {
    const due = Array.from({ length: 50 }, (_, n) => n).filter((n) => needsStatistics(n, 10));
    expect(due).toEqual([0, 1, 2, 4, 8, 10, 20, 30, 40]);
    expect(Array.from({ length: 5 }, (_, n) => needsStatistics(n, 1))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
