import { describe, expect, it } from 'vitest';
import type { Query, QueryKey } from '@tanstack/react-query';
import { keepPreviousInAccount } from './keep-previous.ts';

const queryOf = (queryKey: QueryKey) =>
  ({ queryKey }) as unknown as Query<string[], Error, string[], QueryKey>;

describe('keeping the previous answer while the next loads', () => {
  it('keeps it within the account (another filter, page or search)', () => {
    const keep = keepPreviousInAccount('2');
    expect(keep(['row'], queryOf(['accounts', '2', 'notifications', 'list', { unread: true }]))).toEqual([
      'row',
    ]);
  });

  it("drops it after an account switch: the last account's rows never stand under the new one", () => {
    const keep = keepPreviousInAccount('2');
    expect(keep(['row'], queryOf(['accounts', '1', 'notifications', 'list', {}]))).toBeUndefined();
    expect(keep(['row'], queryOf(['unread-counts']))).toBeUndefined();
    expect(keep(['row'], undefined)).toBeUndefined();
  });
});
