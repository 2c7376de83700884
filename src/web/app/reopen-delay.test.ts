import { describe, expect, it } from 'vitest';
import { reopenDelayMs } from './reopen-delay.ts';

describe('reopenDelayMs', () => {
  it('doubles from one second per failure and stops growing at 30 seconds', () => {
    const most = (failures: number) => reopenDelayMs(failures, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(most)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('spreads the pause between half and all of its ceiling', () => {
    expect(reopenDelayMs(0, () => 0)).toBe(500);
    expect(reopenDelayMs(3, () => 0.5)).toBe(6_000);
    expect(reopenDelayMs(9, () => 0)).toBe(15_000);
  });
});
