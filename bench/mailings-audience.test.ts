// The mailings bench's audience keeps the shape at every scale: 10·R contacts, a list of
// 3·R, list ∩ target group = R, a few percent not sendable, one in ten of the sendable refused.
import { describe, expect, it } from 'vitest';
import { audienceShape, indexOf } from './mailings-audience.ts';

describe('mailings bench audience', () => {
  it('is 1,000,000 contacts, a list of 300,000 and 100,000 in the target group at R = 100,000', () => {
    const shape = audienceShape(100_000);
    expect(shape).toMatchObject({ contacts: 1_000_000, listMembers: 300_000, inTargetGroups: 100_000 });
    expect(shape.recipients).toBeGreaterThan(95_000);
    expect(shape.recipients).toBeLessThan(shape.withConsent);
    expect(shape.refused / shape.recipients).toBeCloseTo(0.1, 2);
  });

  it('scales proportionally down to small runs', () => {
    const shape = audienceShape(3_000);
    expect(shape).toMatchObject({ contacts: 30_000, listMembers: 9_000, inTargetGroups: 3_000 });
    expect(shape.refused).toBeGreaterThan(250);
  });

  it('reads g from a seeded address only', () => {
    expect(indexOf('kunde4711@bench.example')).toBe(4711);
    expect(indexOf(' Kunde12@Bench.Example ')).toBe(12);
    expect(indexOf('kunde12@example.com')).toBeNull();
  });
});
