import { describe, expect, it } from 'vitest';
import { listMailingsQuerySchema } from '../../../shared/mailings.ts';
import { listQuery } from './mailings-api.ts';
import { filtersFromParams, paramsWithFilters } from './use-mailing-filters.ts';

describe('mailing filters in the URL', () => {
  it('reads repeated states in a stable order and drops unknown ones', () => {
    const params = new URLSearchParams('status=sent&status=bogus&status=draft&status=sent&q=News');
    expect(filtersFromParams(params)).toEqual({ status: ['draft', 'sent'], search: 'News' });
    expect(filtersFromParams(new URLSearchParams())).toEqual({ status: [], search: '' });
  });

  it('writes a change and keeps the other filter and foreign parameters', () => {
    const start = new URLSearchParams('q=News&tab=x');
    const withStatus = paramsWithFilters(start, { status: ['failed', 'paused'] });
    expect(withStatus.getAll('status')).toEqual(['failed', 'paused']);
    expect(withStatus.get('q')).toBe('News');
    expect(withStatus.get('tab')).toBe('x');
    const cleared = paramsWithFilters(withStatus, { search: '', status: [] });
    expect(cleared.has('q')).toBe(false);
    expect(cleared.has('status')).toBe(false);
    expect(cleared.get('tab')).toBe('x');
  });

  it('round-trips: what is written reads back the same', () => {
    const filters = { status: ['scheduled' as const, 'sending' as const], search: 'Winter' };
    expect(filtersFromParams(paramsWithFilters(new URLSearchParams(), filters))).toEqual(filters);
  });

  it('asks the list call with what the server reads', () => {
    const query = listQuery({ status: ['sent', 'failed'], search: '  Winter ' }, 'abc');
    const params = new URLSearchParams(query);
    expect(params.getAll('status')).toEqual(['sent', 'failed']);
    expect(params.get('search')).toBe('Winter');
    expect(params.get('cursor')).toBe('abc');
    const parsed = listMailingsQuerySchema.safeParse({
      status: params.getAll('status'),
      search: params.get('search'),
      limit: params.get('limit'),
    });
    expect(parsed.success).toBe(true);
    expect(new URLSearchParams(listQuery({ status: [], search: ' ' }, null)).has('search')).toBe(false);
  });
});
