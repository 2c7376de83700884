import { describe, expect, it } from 'vitest';
import { listParamsOf, rangeReversed, type BulkFilters } from './use-bulk-filters.ts';

const none: BulkFilters = { status: [], type: [], createdBy: null, from: null, to: null };

describe('bulk filters to list parameters', () => {
  it('sends calendar days as they are (the server reads them in the account zone)', () => {
    const params = listParamsOf({ ...none, from: '2026-01-10', to: '2026-01-10' });
    expect(params).toMatchObject({ from: '2026-01-10', to: '2026-01-10' });
  });

  it('sorts multi-values so that equal filters share a cache entry', () => {
    expect(listParamsOf({ ...none, status: ['paused', 'failed'] })).toMatchObject({
      status: ['failed', 'paused'],
    });
  });

  it('notices a reversed range', () => {
    expect(rangeReversed({ ...none, from: '2026-02-01', to: '2026-01-31' })).toBe(true);
    expect(rangeReversed({ ...none, from: '2026-01-31', to: '2026-01-31' })).toBe(false);
  });
});
